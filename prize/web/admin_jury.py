"""Routes of the admin_jury area."""

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
