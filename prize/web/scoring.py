"""The jury's reading view of an entry and the score sheet, and reopening a sheet.

A juror sees an entry only when :func:`prize.store.access.juror_may_read` says so;
otherwise the entry does not exist for them (404). The other jurors' sheets stay hidden
until the juror has submitted their own (blind until submitted).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize import i18n
from prize.domain.editions import Criterion, Edition
from prize.domain.rounds import round_label
from prize.domain.statuses import EditionStatus, Role
from prize.i18n import gettext
from prize.store import access, audit, discussion, editions, entries, forms, jury
from prize.store import scoring as sheets
from prize.store.entries import Entry
from prize.web import autosave, translations
from prize.web.applicant import application_sections
from prize.web.forms import form_version
from prize.web.rounds import requested_round
from prize.web.routing import page
from prize.web.templating import flash, local_datetime, render

MAX_TEXT = 20_000
MAX_HARM_NOTE = 1000  # a short note: the secretariat reads it beside the entry


async def _readable_entry(request: Request) -> tuple[Entry, Edition]:
    """The entry of the path and its edition, if the person may read it; else 404.

    Asked again only after a commit (prize/store/memo.py): the rule is the database's."""
    user = request.state.user
    entry_id = request.path_params["entry_id"]
    key = ("jury readable entry", user.id, user.role, entry_id)
    db = request.app.state.db
    # Its five queries at once, not a trip through the event loop each: under load each
    # trip waits for a whole turn of it (prize/store/direct.py).
    return await request.app.state.memo.get(key, lambda: db.read(
        lambda reads: _read_readable_entry(reads, user.id, user.role, entry_id)))


async def _read_readable_entry(db, user_id: int, role: str, entry_id: int
                               ) -> tuple[Entry, Edition]:
    # Jurors by their assignment, advisors by the edition: the conflict rule for both.
    if not await access.may_read_entry(db, user_id, role, entry_id):
        raise HTTPException(404)
    entry = await entries.get(db, entry_id)
    if entry is None:
        raise HTTPException(404)
    return entry, await editions.get(db, entry.edition_id)


async def _others(request: Request, entry: Entry, own: sheets.ScoreSheet | None) -> list:
    """Colleagues' submitted sheets of the same round, only once the juror's own sheet of
    that round is submitted."""
    if own is None or not own.submitted:
        return []
    counted = await request.app.state.memo.get(
        ("jury counted sheets", entry.id, own.round),
        lambda: sheets.counted_sheets_of_entry(request.app.state.db, entry.id, own.round))
    return [sheet for sheet in counted if sheet.juror_id != request.state.user.id]


async def _sheet_round(request: Request, edition: Edition, entry: Entry) -> int:
    """The round of the juror's sheet a page shows: `?round=`, else the current round if
    the juror scores the entry in it, else round 1 (an entry the final round does not
    judge keeps its round 1 sheet, read-only). A round the juror has no assignment in for
    this entry is a 404, like any entry they may not score."""
    explicit = "round" in request.query_params
    chosen = requested_round(request, edition)
    if chosen == 1:
        return 1
    assigned = entry.id in await jury.assigned_entry_ids(
        request.app.state.db, edition.id, request.state.user.id, chosen)
    if assigned:
        return chosen
    if explicit:
        raise HTTPException(404)
    return 1


def _round_context(edition: Edition, round_number: int) -> dict:
    return {
        "round_number": round_number,
        "round_title": round_label(round_number) if edition.rounds == 2 else "",
        "past_round": round_number != edition.current_round,
    }


# Reading view ----------------------------------------------------------------------------


async def _entry_context(request: Request, entry: Entry) -> dict:
    """What the entry page and the score sheet show of the entry: the same text on both.
    The same for every reader: asked again only after a commit (prize/store/memo.py)."""
    return await request.app.state.memo.get(
        ("jury entry context", entry.id, i18n.current_locale()),
        lambda: _read_entry_context(request, entry))


async def _read_entry_context(request: Request, entry: Entry) -> dict:
    schema = await forms.of_edition(request.app.state.db, entry.edition_id)
    return {
        # Its own edition's form; answers for the secretariat only are left out.
        "sections": application_sections(entry.application, schema, audience="jury"),
        "attachments": await entries.attachments_of(request.app.state.db, entry.id),
        # A complete translation, read beside the original.
        "bilingual": await translations.bilingual(request.app.state.db, entry, schema),
    }


async def read_entry(request: Request) -> Response:
    entry, edition = await _readable_entry(request)
    app = request.app.state
    user = request.state.user
    if user.role == Role.ADVISOR:
        # Advisors score nothing: they read every submitted sheet that counts, never a draft.
        round_number = requested_round(request, edition)
        own, others = None, await sheets.counted_sheets_of_entry(app.db, entry.id,
                                                                 round_number)
    else:
        round_number = await _sheet_round(request, edition, entry)
        own = await sheets.sheet_of(app.db, entry.id, user.id, round_number)
        others = await _others(request, entry, own)
    # In the final round, a link to the juror's round 1 sheet on the entry, if they had one.
    round_1_sheet = round_number == 2 and user.role != Role.ADVISOR and (
        await sheets.sheet_of(app.db, entry.id, user.id, 1)) is not None
    return render(request, "jury/entry.html", {
        "entry": entry,
        "edition": edition,
        **await _entry_context(request, entry),
        "own": own,
        "others": others,
        "comments": len(await discussion.comments_of(app.db, entry.id)),
        "round_1_sheet": round_1_sheet,
        **_round_context(edition, round_number),
    })


# Score sheet -----------------------------------------------------------------------------


def _values_of(sheet: sheets.ScoreSheet | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if sheet is None:
        return values
    for key, scored in sheet.scores.items():
        values[f"score-{key}"] = "" if scored.score is None else str(scored.score)
        values[f"justification-{key}"] = scored.justification
    values["overall_comment"] = sheet.overall_comment
    values["harm_reported"] = "on" if sheet.harm_reported else ""
    values["harm_note"] = sheet.harm_note
    return values


def parse_sheet(form, criteria: tuple[Criterion, ...]) -> tuple[
    sheets.SheetInput, dict[str, str], dict[str, str]
]:
    """The typed sheet, the form values to show back, and a message per unreadable field."""
    known = {criterion.key: criterion for criterion in criteria}
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    scored: dict[str, sheets.CriterionScore] = {}
    for name in form:
        prefix, _, key = name.partition("-")
        if prefix in ("score", "justification") and key not in known:
            errors["form"] = gettext("The form names a criterion this edition does not have.")
    for key, criterion in known.items():
        raw_score = str(form.get(f"score-{key}", "")).strip()
        justification = str(form.get(f"justification-{key}", ""))
        values[f"score-{key}"] = raw_score
        values[f"justification-{key}"] = justification
        if len(justification) > MAX_TEXT:
            errors[f"justification-{key}"] = _too_long()
        score = None
        if raw_score:
            try:
                score = int(raw_score)
            except ValueError:
                errors[f"score-{key}"] = gettext("Choose a whole number from the scale.")
            else:
                if not criterion.scale_min <= score <= criterion.scale_max:
                    errors[f"score-{key}"] = gettext(
                        "Choose a score from {low} to {high}."
                    ).format(low=criterion.scale_min, high=criterion.scale_max)
                    score = None
        scored[key] = sheets.CriterionScore(score=score, justification=justification.strip())
    values["overall_comment"] = str(form.get("overall_comment", ""))
    if len(values["overall_comment"]) > MAX_TEXT:
        errors["overall_comment"] = _too_long()
    # A risk of harm (ethics) is reported beside the scores, not only as a low score.
    values["harm_reported"] = "on" if form.get("harm_reported") in ("1", "on") else ""
    values["harm_note"] = str(form.get("harm_note", ""))
    if len(values["harm_note"]) > MAX_HARM_NOTE:
        errors["harm_note"] = gettext("This is too long: at most {limit} characters.").format(
            limit=MAX_HARM_NOTE)
    typed = sheets.SheetInput(scored, values["overall_comment"].strip(),
                              harm_reported=bool(values["harm_reported"]),
                              harm_note=values["harm_note"].strip())
    return typed, values, errors


def _too_long() -> str:
    # Refused, never cut: the text stays in the form so that the juror can shorten it.
    return gettext("This is too long: at most {limit} characters.").format(limit=MAX_TEXT)


def submission_problems(sheet: sheets.SheetInput, criteria: tuple[Criterion, ...]) -> dict:
    problems: dict[str, str] = {}
    for criterion in criteria:
        scored = sheet.scores.get(criterion.key) or sheets.CriterionScore()
        if scored.score is None:
            problems[f"score-{criterion.key}"] = gettext("Choose a score for this criterion.")
        if not scored.justification:
            problems[f"justification-{criterion.key}"] = gettext(
                "Explain your score in a few sentences."
            )
    if sheet.harm_reported and not sheet.harm_note:
        problems["harm_note"] = gettext("Say in a few words what the risk of harm is.")
    return problems



async def score_sheet(request: Request) -> Response:
    entry, edition = await _readable_entry(request)
    app = request.app.state
    juror_id = request.state.user.id
    round_number = await _sheet_round(request, edition, entry)
    # A round 1 sheet stays readable in the final round, never changed again.
    past_round = round_number != edition.current_round
    open_for_scoring = edition.status in EditionStatus.SCORING and not past_round
    criteria = edition.criteria_of_round(round_number)

    async def stored() -> sheets.ScoreSheet | None:
        return await app.memo.get(
            ("jury sheet of", entry.id, juror_id, round_number),
            lambda: sheets.sheet_of(app.db, entry.id, juror_id, round_number))

    async def show(values: dict, errors: dict, status: int, version: int,
                   current: sheets.ScoreSheet | None, note: str = "") -> Response:
        if autosave.wants_json(request):
            return autosave.answer(version=version, errors=errors, status=status,
                                   now=app.clock())
        return render(request, "jury/sheet.html", {
            "entry": entry,
            "edition": edition,
            **await _entry_context(request, entry),
            "criteria": criteria,
            "values": values,
            "errors": errors,
            "note": note,
            **_round_context(edition, round_number),
            "version": version,
            "sheet": current,
            "locked": (current is not None and current.submitted) or not open_for_scoring,
            "others": await _others(request, entry, current),
        }, status_code=status)

    if request.method == "GET":
        own = await stored()
        return await show(_values_of(own), {}, 200, own.version if own else 0, own)

    form = request.state.form
    typed, values, errors = parse_sheet(form, criteria)
    expected = form_version(form)
    submit = str(form.get("action", "save")) == "submit"

    async def refused(own: sheets.ScoreSheet | None) -> Response | None:
        """Why the stored sheet takes no save from this form, if it does not."""
        current_version = own.version if own else 0
        if past_round:
            return await show(values, {"form": gettext(
                "Round 1 is over: its score sheets can be read, no longer changed."
            )}, 409, current_version, own)
        if not open_for_scoring:
            return await show(values, {"form": gettext(
                "Score sheets can be changed only while the edition is in judging."
            )}, 409, current_version, own)
        if own is not None and own.submitted:
            return await show(values, {"form": _locked_message()}, 409, current_version, own)
        if expected != current_version:
            # The text stays in the form; saving again (now on the newer version) is a
            # choice the juror makes knowingly, never a silent overwrite.
            stamp = local_datetime(own.updated_at, edition.timezone) if own else ""
            return await show(values, {"form": gettext(
                "Not saved: this sheet was saved in another tab or window ({time}) after "
                "you opened it. Your text is still below. Open the sheet in a new tab to "
                "compare; saving this form again will replace the other version."
            ).format(time=stamp)}, 409, current_version, own)
        return None

    # The stored sheet is read first only when the answer needs it; a save (the
    # autosave every few seconds) goes straight to the write, whose transaction checks
    # the version and the lock itself, and the sheet is read only if it refused.
    if errors or past_round or not open_for_scoring:
        own = await stored()
        refusal = await refused(own)
        if refusal is not None:
            return refusal
        return await show(values, errors, 422, own.version if own else 0, own)
    problems = submission_problems(typed, criteria) if submit else {}
    now = app.clock()

    async def save(conn) -> int:
        try:
            version = await sheets.save(
                conn, entry_id=entry.id, juror_id=juror_id, expected_version=expected,
                sheet=typed, now=now, submit=submit and not problems,
                round_number=round_number,
            )
        except (sheets.StaleSheet, sheets.SheetLocked):
            # Another tab saved or submitted since this form was opened.
            return -1
        if submit and not problems:
            await audit.record(
                conn, now=now, actor_id=juror_id, action="sheet.submitted",
                subject_type="entry", subject_id=entry.id, edition_id=edition.id,
            )
        return version

    # The whole transaction at once, not a trip through the event loop per statement
    # (prize/store/direct.py).
    version = await app.db.write(save)
    if version < 0:
        latest = await sheets.sheet_of(app.db, entry.id, juror_id, round_number)
        refusal = await refused(latest)
        if refusal is not None:
            return refusal
        # Saved elsewhere and put back as it was, between the write and this read.
        return await show(values, {"form": gettext(
            "Not saved: this sheet was saved in another tab or window a moment ago. "
            "Your text is still below; saving again will replace the other version."
        )}, 409, latest.version if latest else 0, latest)
    if autosave.wants_json(request):
        # Answered from what was just written: nothing to read again.
        return await show(values, problems, 422 if problems else 200, version, None)
    if problems:
        # The draft is kept; the juror sees what is missing, field by field.
        # The note is not a problem: the error summary counts only what is to be mended.
        return await show(values, problems, 422, version,
                          await sheets.sheet_of(app.db, entry.id, juror_id, round_number),
                          note=gettext(
            "Saved as a draft, not submitted yet: every criterion needs a score and a "
            "justification."
        ))
    flash(request, gettext("Your score sheet is submitted.") if submit
          else gettext("Your score sheet is saved as a draft."))
    target = f"/jury/entries/{entry.id}" if submit else f"/jury/entries/{entry.id}/sheet"
    if edition.rounds == 2:
        target += f"?round={round_number}"
    return RedirectResponse(target, status_code=303)


def _locked_message() -> str:
    return gettext(
        "This sheet is submitted and locked. Ask the secretariat to reopen it if you "
        "need to change it."
    )


# Reopening (the secretariat) --------------------------------------------------------------


async def _sheet_for_admin(request: Request) -> tuple[sheets.ScoreSheet, Entry, Edition]:
    app = request.app.state
    sheet = await sheets.get(app.db, request.path_params["sheet_id"])
    if sheet is None:
        raise HTTPException(404)
    entry = await entries.get(app.db, sheet.entry_id)
    return sheet, entry, await editions.get(app.db, entry.edition_id)


async def admin_sheet(request: Request) -> Response:
    sheet, entry, edition = await _sheet_for_admin(request)
    return await _admin_sheet_page(request, sheet, entry, edition, {}, {}, 200)


async def _admin_sheet_page(request: Request, sheet: sheets.ScoreSheet, entry: Entry,
                            edition: Edition, values: dict, errors: dict,
                            status: int) -> Response:
    db = request.app.state.db
    return render(request, "jury/sheet_admin.html", {
        "sheet": sheet, "entry": entry, "edition": edition,
        "criteria": edition.criteria_of_round(sheet.round),
        **_round_context(edition, sheet.round),
        "values": values, "errors": errors,
        "set_aside": await sheets.is_set_aside(db, sheet.id),
        "reinstatement": await sheets.reinstatement_of(db, sheet.id),
    }, status_code=status)


MAX_REASON_CHARS = 2000


async def reopen_sheet(request: Request) -> Response:
    sheet, entry, edition = await _sheet_for_admin(request)
    app = request.app.state
    reason = str(request.state.form.get("reason", "")).strip()
    values = {"reason": reason}
    if len(reason) > MAX_REASON_CHARS:
        return await _admin_sheet_page(request, sheet, entry, edition, values, {
            "reason": gettext("At most {n} characters.").format(n=MAX_REASON_CHARS)}, 422)
    if not sheet.submitted:
        return await _admin_sheet_page(request, sheet, entry, edition, values, {
            "form": gettext("This sheet is a draft already.")}, 409)
    if not reason:
        return await _admin_sheet_page(request, sheet, entry, edition, values, {
            "reason": gettext("Say why the sheet is reopened; it is kept in the audit log.")}, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        if not await sheets.reopen(conn, sheet.id, now):
            raise HTTPException(409)
        await audit.record(
            conn, now=now, actor_id=request.state.user.id, action="sheet.reopened",
            subject_type="score_sheet", subject_id=sheet.id, edition_id=edition.id,
            details={"entry_id": entry.id, "juror_id": sheet.juror_id, "reason": reason},
        )
    flash(request, gettext("The sheet is open again for its juror."))
    return RedirectResponse(f"/admin/sheets/{sheet.id}", status_code=303)


routes = [
    page("/jury/entries/{entry_id:id}", read_entry, roles=Role.JURY_READERS),
    page("/jury/entries/{entry_id:id}/sheet", score_sheet, methods=["GET", "POST"],
         roles=Role.JURY),
    page("/admin/sheets/{sheet_id:id}", admin_sheet, roles=Role.STAFF),
    page("/admin/sheets/{sheet_id:id}/reopen", reopen_sheet, methods=["POST"], roles=Role.STAFF),
]
