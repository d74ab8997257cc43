"""Routes of the api area (filled by later issues)."""

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
