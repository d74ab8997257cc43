"""Routes of the deliberation area."""

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
