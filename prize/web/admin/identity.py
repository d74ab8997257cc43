"""The prize's identity on the secretariat's settings page: names, reference prefix,
organiser, contact address and privacy notice, saved and audited in one transaction."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain.identity import Identity
from prize.i18n import gettext
from prize.store import audit
from prize.store import identity as store
from prize.web.forms import validate
from prize.web.routing import form_values
from prize.web.templating import flash, render

FIELDS = tuple(Identity.model_fields)


def _page(request: Request, values: dict[str, Any], errors: dict[str, str],
          status_code: int = 200) -> Response:
    return render(request, "admin/identity.html", {"values": values, "errors": errors},
                  status_code=status_code)


async def identity_page(request: Request) -> Response:
    app = request.app.state
    current = await store.get(app.db)
    if request.method == "GET":
        return _page(request, current.model_dump(), {})
    values = {name: value for name, value in form_values(request.state.form).items()
              if name in FIELDS}
    identity, errors = validate(Identity, values)
    if identity is None:
        return _page(request, values, errors, 422)
    changed = {name: getattr(identity, name) for name in FIELDS
               if getattr(identity, name) != getattr(current, name)}
    if changed:
        now = app.clock()
        async with app.db.transaction() as conn:
            await store.save(conn, identity, now)
            # What changed, not who the contact is: the address stays out of the log.
            await audit.record(conn, now=now, actor_id=request.state.user.id,
                               action="identity.updated", subject_type="identity",
                               details={"changed": sorted(changed)})
        await app.config.reload()
    flash(request, gettext("The prize's identity is saved.") if changed
          else gettext("Nothing changed."))
    return RedirectResponse("/admin/identity", status_code=303)
