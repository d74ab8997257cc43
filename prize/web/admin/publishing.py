"""An edition's Publication page and the confirmation before its results go out.

Publishing the results emails every applicant of a judged entry at once and cannot be
taken back, so the lifecycle's "Publish the results" first shows what will happen: how
many people get which email, and one rendered message of each kind (composed by the
mailer exactly as it will be sent). Only the confirmation's own button, which posts
``confirmed=yes``, publishes. The public good-practice pages of the edition are listed
here too; their workflow is :mod:`prize.web.publication`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from prize.domain import lifecycle
from prize.domain.editions import Edition
from prize.domain.statuses import EditionStatus, EntryStatus
from prize.store import console
from prize.store import practices as public_records
from prize.web.admin import editions as lifecycle_pages
from prize.web.params import edition_of
from prize.web.templating import render

PUBLISH = "publish_results"
#: The order in which the confirmation lists the kinds of result email.
RESULT_ORDER = (EntryStatus.WINNER, EntryStatus.SPECIAL_MENTION, EntryStatus.SHORTLISTED,
                EntryStatus.NOT_SELECTED)


def email_groups(messages: list[tuple[str, Any]], order: tuple[str, ...] = ()) -> list[dict]:
    """(kind, email) pairs grouped by kind: how many, to whom, and the first as preview."""
    groups: dict[str, dict] = {}
    for kind, message in messages:
        group = groups.setdefault(kind, {"kind": kind, "count": 0, "preview": message})
        group["count"] += 1
    rank = {kind: place for place, kind in enumerate(order)}
    return sorted(groups.values(), key=lambda group: (rank.get(group["kind"], len(rank)),
                                                        group["kind"]))


async def publication(request: Request) -> Response:
    edition = await edition_of(request)
    db = request.app.state.db
    records = [p for p in await public_records.all_practices(db) if p.edition_id == edition.id]
    candidates = [c for c in await public_records.candidate_entries(db)
                  if c["year"] == edition.year]
    return render(request, "admin/publication.html", {
        "edition": edition, "records": records, "candidates": candidates,
        "may_publish": PUBLISH in lifecycle.available_transitions(edition.status),
        "published": edition.status in EditionStatus.RESULTS_OUT,
    })


async def results_confirmation(request: Request, edition: Edition | None = None,
                               errors: dict | None = None, status_code: int = 200) -> Response:
    """What publishing the results would send, before anything is sent."""
    edition = edition or await edition_of(request)
    app = request.app.state
    available = PUBLISH in lifecycle.available_transitions(edition.status)
    missing: list[str] = []
    groups: list[dict] = []
    if available:
        facts = await console.edition_facts(app.db, edition, app.clock())
        missing = lifecycle.check_edition_transition(PUBLISH, facts, now=app.clock())
        groups = email_groups(await lifecycle_pages.result_messages(request, edition, "results"),
                              RESULT_ORDER)
    return render(request, "admin/publish_confirm.html", {
        "edition": edition, "available": available, "missing": missing, "groups": groups,
        "total": sum(group["count"] for group in groups), "errors": errors or {},
    }, status_code=status_code)
