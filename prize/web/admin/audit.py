"""The secretariat's audit log: every recorded action, filtered and paged."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from prize.store import audit, console, editions
from prize.web.params import paginate, query_int, query_page, query_text
from prize.web.templating import render


async def audit_log(request: Request) -> Response:
    app = request.app.state
    action = query_text(request, "action", 80) or None
    edition_id = query_int(request, "edition")
    actor_id = query_int(request, "actor")
    total = await console.audit_count(app.db, action=action, edition_id=edition_id,
                                      actor_id=actor_id)
    pages = paginate(total, query_page(request))
    records = await audit.search(app.db, action=action, edition_id=edition_id, actor_id=actor_id,
                                 limit=pages.per_page, offset=pages.offset)
    return render(request, "admin/audit.html", {
        "records": records, "pages": pages,
        "filters": {"action": action or "", "edition": str(edition_id or ""),
                    "actor": str(actor_id or "")},
        "actions": await console.audit_actions(app.db),
        "actors": await console.audit_actors(app.db),
        "editions": await editions.all_editions(app.db),
    })
