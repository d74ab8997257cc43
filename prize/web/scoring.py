"""Routes of the scoring area."""

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
