"""Routes of the admin area (filled by later issues)."""

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
