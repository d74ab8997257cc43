"""The secretariat's view of judging: each juror's progress, and reminders to the late ones."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize import notifications
from prize.domain.editions import Edition
from prize.domain.progress import completion_percent, days_left
from prize.domain.rounds import round_label
from prize.domain.statuses import EditionStatus
from prize.i18n import gettext, ngettext
from prize.store import entries, progress, scoring
from prize.web import translations
from prize.web.params import edition_of, edition_path
from prize.web.rounds import requested_round, round_switcher
from prize.web.templating import flash, render


async def judging_progress(request: Request) -> Response:
    edition = await edition_of(request)
    return await _progress_page(request, edition, {}, 200, requested_round(request, edition))


async def _progress_page(request: Request, edition: Edition, errors: dict,
                         status_code: int, round_number: int | None = None) -> Response:
    app = request.app.state
    round_number = edition.current_round if round_number is None else round_number
    jurors = await progress.juror_progress(app.db, edition.id, round_number)
    deadline = edition.final_judging_ends_at if round_number == 2 else edition.judging_ends_at
    unreadable = await translations.readers_without_language(app.db, edition.id)
    found = {entry.id: entry for entry in await entries.by_ids(app.db, list(unreadable))}
    assigned = sum(j.assigned for j in jurors)
    submitted = sum(j.submitted for j in jurors)
    return render(request, "admin/progress.html", {
        "edition": edition, "jurors": jurors, "assigned": assigned, "submitted": submitted,
        "overall": completion_percent(submitted, assigned),
        "days_left": days_left(app.clock(), deadline, edition.timezone),
        "round_links": round_switcher(request, edition, round_number),
        "round_title": round_label(round_number) if edition.rounds == 2 else "",
        # Reminders are for the current round's late jurors only.
        "round_is_current": round_number == edition.current_round,
        "late": [j for j in jurors if j.is_late], "errors": errors,
        "harm_reports": await scoring.harm_reports(app.db, edition_id=edition.id),
        # Entries some assigned juror cannot read yet (no translation into their language).
        "untranslated": [(found[entry_id], count) for entry_id, count in sorted(
            unreadable.items(), key=lambda item: found[item[0]].reference or "")
            if entry_id in found],
    }, status_code=status_code)


async def send_reminders(request: Request) -> Response:
    edition = await edition_of(request)
    app = request.app.state
    if edition.status not in EditionStatus.SCORING:
        return await _progress_page(request, edition, {"form": gettext(
            "Reminders go out only while the edition is in judging.")}, 409)
    reminded, skipped = await notifications.send_reminders(
        app.db, app.mailer, edition, now=app.clock(), actor_id=request.state.user.id,
        base_url=app.settings.base_url)
    message = ngettext("{n} reminder sent.", "{n} reminders sent.", len(reminded)).format(
        n=len(reminded))
    if skipped:
        message += " " + ngettext("{n} juror was already reminded today.",
                                  "{n} jurors were already reminded today.",
                                  len(skipped)).format(n=len(skipped))
    flash(request, message)
    return RedirectResponse(edition_path(edition, "/progress"), status_code=303)
