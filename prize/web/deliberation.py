"""The secretariat's deliberation: the ranking with each entry's decision in one row, and
a second tab with the agreement figures, both rankings, entries to discuss and the charts.

An entry with fewer than two submitted sheets is marked in both: its figures rest on one
juror (no spread) or none, and it may rank above fully judged entries only with that mark.

Decisions change entry statuses only through the lifecycle's guarded entry transitions;
all decisions posted together are checked first and written in one transaction with
their audit records, or none is written.

A sheet set aside because its juror has a conflict with the entry (see
``prize.store.scoring``) is named beside its entry here; the secretariat may reinstate it
with a reason, which is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import exports, lifecycle
from prize.domain.editions import Edition
from prize.domain.meeting import award_problems
from prize.domain.rounds import round_label
from prize.domain.scoring import EditionResults, ranking
from prize.domain.statuses import EditionStatus, Role
from prize.i18n import gettext
from prize.store import audit, discussion, editions, entries
from prize.store import scoring as sheets
from prize.web.params import database_id, edition_of, edition_path
from prize.web.rounds import requested_round, round_switcher
from prize.web.routing import page
from prize.web.templating import flash, render

#: Rows of each ranking shown on the page; the full ranking is in the downloads.
RANKING_ROWS = 200
DECISIONS = ("shortlist", "award_winner", "award_special_mention", "not_select",
             "unshortlist", "revoke_award", "reconsider")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


#: Left margin of a distribution chart, where its count axis is written.
AXIS = 28
#: Width of the names column of the leniency chart.
NAMES = 150


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


def count_ticks(top: int, height: int = 60) -> list[Tick]:
    """Whole-number marks of a count axis from 0 to `top` (at most three above 0)."""
    top = max(top, 1)
    step = max(1, -(-top // 3))
    marks = list(range(0, top + 1, step))
    if marks[-1] != top:
        marks.append(top)
    return [Tick(y=round(height - mark / top * height, 1), label=str(mark)) for mark in marks]


def distribution_bars(counts: list[int], scale_min: int, width: int = 180,
                      height: int = 60) -> list[Bar]:
    """Vertical bars, one per level, scaled to the largest count, right of the axis."""
    top = max(counts) or 1
    step = width / max(len(counts), 1)
    return [
        Bar(x=round(AXIS + i * step + 2, 1), y=round(height - count / top * height, 1) + 4,
            width=round(step - 4, 1), height=round(count / top * height, 1),
            label=str(scale_min + i), value=str(count))
        for i, count in enumerate(counts)
    ]


def leniency_bars(offsets: list[tuple[str, float]], width: int = 300,
                  row: int = 22) -> list[Bar]:
    """Horizontal bars from the middle of the bars' area (right of the names column):
    right for lenient, left for harsh."""
    reach = max((abs(offset) for _, offset in offsets), default=0) or 1
    middle = NAMES + width / 2
    bars = []
    for i, (name, offset) in enumerate(offsets):
        length = abs(offset) / reach * (width / 2 - 40)
        bars.append(Bar(x=round(middle if offset >= 0 else middle - length, 1), y=i * row + 4,
                        width=round(length, 1), height=row - 8, label=name,
                        value=f"{offset:+.2f}"))
    return bars


def short_name(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


async def deliberation(request: Request) -> Response:
    edition = await edition_of(request)
    return await _page(request, edition, {}, {}, 200, requested_round(request, edition))


def _coverage(results: EditionResults) -> dict[str, int]:
    """How many entries have two or more submitted sheets, only one, or none."""
    counts = [result.count for result in results.entries]
    return {"full": sum(1 for n in counts if n >= 2), "one": counts.count(1),
            "none": counts.count(0)}


def _round_context(request: Request, edition: Edition, round_number: int) -> dict:
    return {
        "round_number": round_number,
        "round_title": round_label(round_number) if edition.rounds == 2 else "",
        "round_links": round_switcher(request, edition, round_number),
        # Decisions belong to the current round; an earlier round's page is for reading.
        "round_is_current": round_number == edition.current_round,
    }


async def _page(request: Request, edition: Edition, values: dict, errors: dict,
                status: int, round_number: int | None = None) -> Response:
    """Ranking and decisions: one row per entry, in the order of the normalised total."""
    app = request.app.state
    round_number = edition.current_round if round_number is None else round_number
    results, judged = await sheets.edition_results(app.db, edition, round_number)
    by_id = {entry.id: entry for entry in judged}
    rows = ranking(results, by="normalised")[:RANKING_ROWS]
    return render(request, "admin/deliberation/page.html", {
        "edition": edition,
        "results": results,
        "entries": by_id,
        "rows": rows,
        "ranking_rows": RANKING_ROWS,
        "total": len(results.entries),
        "coverage": _coverage(results),
        "sheets_of": await sheets.submitted_comments(app.db, [r.entry_id for r in rows],
                                                     round_number),
        # Each entry's thread and its number of comments (the jury's discussion).
        "comment_counts": await discussion.comment_counts(app.db, edition.id),
        "decisions": [(name, lifecycle.entry_transition_label(name)) for name in DECISIONS],
        "set_aside": await sheets.set_aside_sheets(app.db, edition.id, round_number),
        "may_reinstate": edition.status not in EditionStatus.RESULTS_OUT,
        "values": values,
        "errors": errors,
        **_round_context(request, edition, round_number),
    }, status_code=status)


async def charts(request: Request) -> Response:
    """Agreement, both rankings side by side, entries to discuss, distributions, leniency."""
    edition = await edition_of(request)
    app = request.app.state
    round_number = requested_round(request, edition)
    results, judged = await sheets.edition_results(app.db, edition, round_number)
    flagged = [result for result in ranking(results, by="normalised") if result.discuss]
    names = await sheets.juror_names(app.db, edition.id)
    leniency = [(names.get(j.juror_id, f"#{j.juror_id}"), j.offset, j.sheets)
                for j in sorted(results.jurors, key=lambda j: j.offset)]
    criteria = {criterion.key: criterion for criterion in edition.criteria_of_round(round_number)}
    return render(request, "admin/deliberation/charts.html", {
        **_round_context(request, edition, round_number),
        "edition": edition,
        "results": results,
        "entries": {entry.id: entry for entry in judged},
        "by_mean": ranking(results, by="mean")[:RANKING_ROWS],
        "by_normalised": ranking(results, by="normalised")[:RANKING_ROWS],
        "ranking_rows": RANKING_ROWS,
        "total": len(results.entries),
        "coverage": _coverage(results),
        "flagged": flagged[:50],
        "flagged_total": len(flagged),
        "comments": await sheets.submitted_comments(
            app.db, [r.entry_id for r in flagged[:50]], round_number),
        "distributions": [
            (criteria[key], counts, distribution_bars(counts, criteria[key].scale_min),
             count_ticks(max(counts) if counts else 0))
            for key, counts in results.distributions.items() if key in criteria
        ],
        "axis": AXIS,
        "names_width": NAMES,
        "leniency": leniency,
        "leniency_bars": [(bar, short_name(bar.label)) for bar in
                          leniency_bars([(name, offset) for name, offset, _ in leniency])],
    })


async def decide(request: Request) -> Response:
    """Apply every decision of the form, or none: refused ones are said in words."""
    edition = await edition_of(request)
    app = request.app.state
    form = request.state.form
    judged = {entry.id: entry for entry in await sheets.judged_entries(app.db, edition.id)}
    # The entries the final round judged (its shortlist), once it has begun.
    final_round = {entry.id for entry in await sheets.judged_entries(
        app.db, edition.id, 2)} if edition.current_round == 2 else set()
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    planned = []
    now = app.clock()
    for name in form:
        if not name.startswith("decision-"):
            continue
        decision = str(form.get(name, "")).strip()
        entry_id = name.removeprefix("decision-")
        statement = str(form.get(f"statement-{entry_id}", ""))[:5000]
        values[name], values[f"statement-{entry_id}"] = decision, statement
        if not decision:
            continue
        entry = judged.get(database_id(entry_id))
        if decision not in DECISIONS or entry is None:
            errors[name] = gettext("Choose a decision from the list.")
            continue
        try:
            result = lifecycle.entry_transition(
                decision, entry.status, edition_status=edition.status, now=now,
                closes_at=edition.closes_at, statement=statement, rounds=edition.rounds,
                current_round=edition.current_round, in_final_round=entry.id in final_round)
        except lifecycle.TransitionRefused as refused:
            errors[name] = f"{entry.reference}: " + " ".join(refused.reasons)
            continue
        planned.append((entry, result))
    if planned and not errors:
        # The number of awards, as at the jury meeting (prize.domain.meeting).
        problems = award_problems(edition.awards,
                                  {entry.id: entry.status for entry in judged.values()},
                                  {entry.id: str(result.target) for entry, result in planned})
        if problems:
            errors["form"] = " ".join(problems)
    if errors:
        return await _page(request, edition, values, errors, 409)
    if not planned:
        return await _page(request, edition, values, {"form": gettext(
            "Choose a decision for at least one entry.")}, 422)
    async with app.db.transaction() as conn:
        for entry, result in planned:
            if await entries.status_of(conn, entry.id) != entry.status:
                raise HTTPException(409, gettext("An entry changed meanwhile; nothing was saved."))
            await entries.set_status(conn, entry.id, str(result.target), now=now,
                                     statement=result.statement)
            await audit.record(
                conn, now=now, actor_id=request.state.user.id, action=result.audit_action,
                subject_type="entry", subject_id=entry.id, edition_id=edition.id,
                details={**result.details, "statement": result.statement or ""},
            )
    flash(request, gettext("Decisions recorded: {n}.").format(n=len(planned)))
    return RedirectResponse(edition_path(edition, "/deliberation"), status_code=303)


MAX_REASON_CHARS = 2000


async def reinstate(request: Request) -> Response:
    """Count a set-aside sheet again, for the reason the secretariat gives (audited)."""
    app = request.app.state
    sheet = await sheets.get(app.db, request.path_params["sheet_id"])
    if sheet is None:
        raise HTTPException(404)
    entry = await entries.get(app.db, sheet.entry_id)
    edition = await editions.get(app.db, entry.edition_id)
    field = f"reason-{sheet.id}"
    reason = str(request.state.form.get(field, ""))
    values = {field: reason}
    reason = reason.strip()
    if edition.status in EditionStatus.RESULTS_OUT:
        return await _page(request, edition, values, {"form": gettext(
            "The results are published: the sheets that count can no longer change.")}, 409)
    if not await sheets.is_set_aside(app.db, sheet.id):
        return await _page(request, edition, values, {"form": gettext(
            "This sheet is not set aside: it counts already.")}, 409)
    if not reason:
        return await _page(request, edition, values, {field: gettext(
            "Say why the sheet counts despite the conflict; it is kept in the audit log.")}, 422)
    if len(reason) > MAX_REASON_CHARS:
        return await _page(request, edition, values, {
            field: gettext("At most {n} characters.").format(n=MAX_REASON_CHARS)}, 422)
    now = app.clock()
    async with app.db.transaction() as conn:
        if not await sheets.reinstate(conn, sheet.id, reason=reason,
                                      by=request.state.user.id, now=now):
            raise HTTPException(409, gettext("The sheet changed meanwhile; nothing was saved."))
        await audit.record(
            conn, now=now, actor_id=request.state.user.id, action="sheet.reinstated",
            subject_type="score_sheet", subject_id=sheet.id, edition_id=edition.id,
            details={"entry_id": entry.id, "juror_id": sheet.juror_id, "reason": reason},
        )
    flash(request, gettext("The sheet counts again."))
    return RedirectResponse(edition_path(edition, "/deliberation#set-aside"), status_code=303)


async def download(request: Request) -> Response:
    edition = await edition_of(request)
    what, fmt = request.path_params["what"], request.path_params["fmt"]
    if exports.check_choice(what, fmt):
        raise HTTPException(404)
    # `?round=` picks the ranking's round (default: the last one, the current round).
    round_number = requested_round(request, edition) if what == "ranking" else None
    table = await sheets.export_table(request.app.state.db, edition, what, round_number)
    body = exports.to_csv(table).encode() if fmt == "csv" else exports.to_xlsx(table, what)
    name = exports.filename(edition.year, what, fmt)
    return Response(body, media_type=CONTENT_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store",
    })


routes = [
    page("/admin/editions/{year:id}/deliberation", deliberation, roles=Role.STAFF),
    page("/admin/editions/{year:id}/deliberation/charts", charts, roles=Role.STAFF),
    page("/admin/editions/{year:id}/deliberation/decisions", decide, methods=["POST"],
         roles=Role.STAFF),
    page("/admin/editions/{year:id}/exports/{what}.{fmt}", download, roles=Role.STAFF),
    page("/admin/sheets/{sheet_id:id}/reinstate", reinstate, methods=["POST"], roles=Role.STAFF),
]
