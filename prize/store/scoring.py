"""Score sheets: one juror's scores for one entry, saved as drafts, submitted, reopened.

Every write takes the caller's connection so that the change and its audit record land
in one transaction. Saves name the version they started from (optimistic locking): a
save from a stale tab is refused instead of silently overwriting a newer one.

A submitted sheet whose juror has a conflict with the entry (any conflict that
:func:`prize.store.access.juror_may_read` knows: declared, set by the secretariat or
automatic) is *set aside*: kept for the audit, counted in no figure and shown to no
colleague, until the secretariat reinstates it (:func:`reinstate`) or the conflict goes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain import exports
from prize.domain.editions import Edition
from prize.domain.scoring import EditionResults, ScoringCriterion, Sheet, aggregate
from prize.domain.statuses import EntryStatus, SheetStatus
from prize.domain.translations import translated_fields
from prize.i18n import current_locale
from prize.store import access, forms, translations
from prize.store import entries as entries_store
from prize.store.db import Database


def set_aside_sql(sheet: str = "s") -> str:
    """SQL true when the score sheet aliased ``sheet`` is set aside: submitted, its juror
    has a conflict with its entry, and the secretariat has not reinstated it."""
    return (
        f"({sheet}.status = 'submitted'"
        f" AND {access.conflict_sql(f'{sheet}.juror_id', f'{sheet}.entry_id')}"
        " AND NOT EXISTS (SELECT 1 FROM sheet_reinstatements sa_r"
        f" WHERE sa_r.sheet_id = {sheet}.id))"
    )


def work_set_aside_sql(juror: str, entry: str) -> str:
    """SQL true when a juror's work on an entry (an assignment) does not count: they have a
    conflict with it and no submitted sheet of theirs on it was reinstated.

    Progress and the "every sheet submitted" check leave such pairs out: a conflicted
    juror's sheet neither counts nor is waited for.
    """
    return (
        f"({access.conflict_sql(juror, entry)}"
        " AND NOT EXISTS (SELECT 1 FROM score_sheets sa_s"
        " JOIN sheet_reinstatements sa_r ON sa_r.sheet_id = sa_s.id"
        f" WHERE sa_s.juror_id = {juror} AND sa_s.entry_id = {entry}"
        " AND sa_s.status = 'submitted'))"
    )


class StaleSheet(Exception):
    """The sheet was saved elsewhere (another tab or device) since this form was opened."""


class SheetLocked(Exception):
    """The sheet is submitted: only the secretariat may reopen it."""


class CriterionScore(BaseModel):
    score: int | None = None
    justification: str = ""


class ScoreSheet(BaseModel):
    id: int
    entry_id: int
    juror_id: int
    juror_name: str
    status: str
    overall_comment: str
    version: int
    updated_at: datetime
    submitted_at: datetime | None
    scores: dict[str, CriterionScore]
    harm_reported: bool = False  # the juror reports a risk of harm in the entry (ethics)
    harm_note: str = ""
    round: int = 1

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"


@dataclass(frozen=True)
class SheetInput:
    """What a juror typed: per criterion key a score (or None) and a justification."""

    scores: Mapping[str, CriterionScore] = field(default_factory=dict)
    overall_comment: str = ""
    harm_reported: bool = False
    harm_note: str = ""


async def _sheets(db: Database, where: str, params: tuple) -> list[ScoreSheet]:
    rows = await db.fetch_all(
        "SELECT s.*, COALESCE(NULLIF(u.name, ''), u.email) AS juror_name FROM score_sheets s"
        f" JOIN users u ON u.id = s.juror_id WHERE {where} ORDER BY s.juror_id",
        params,
    )
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ", ".join("?" for _ in ids)
    score_rows = await db.fetch_all(
        f"SELECT * FROM scores WHERE sheet_id IN ({marks})", ids
    )
    by_sheet: dict[int, dict[str, CriterionScore]] = {sheet_id: {} for sheet_id in ids}
    for row in score_rows:
        by_sheet[row["sheet_id"]][row["criterion_key"]] = CriterionScore(
            score=row["score"], justification=row["justification"]
        )
    return [
        ScoreSheet(
            id=row["id"], entry_id=row["entry_id"], juror_id=row["juror_id"],
            juror_name=row["juror_name"], status=row["status"],
            overall_comment=row["overall_comment"], version=row["version"],
            updated_at=from_iso(row["updated_at"]), submitted_at=from_iso(row["submitted_at"]),
            scores=by_sheet[row["id"]],
            harm_reported=bool(row["harm_reported"]), harm_note=row["harm_note"],
            round=row["round"],
        )
        for row in rows
    ]


async def sheet_of(db: Database, entry_id: int, juror_id: int, round_number: int = 1
                   ) -> ScoreSheet | None:
    found = await _sheets(db, "s.entry_id = ? AND s.juror_id = ? AND s.round = ?",
                          (entry_id, juror_id, round_number))
    return found[0] if found else None


async def sheets_of_juror_on_entry(db: Database, entry_id: int, juror_id: int
                                   ) -> list[ScoreSheet]:
    """The juror's sheets on the entry, one per round they scored it in, round 1 first."""
    found = await _sheets(db, "s.entry_id = ? AND s.juror_id = ?", (entry_id, juror_id))
    return sorted(found, key=lambda sheet: sheet.round)


async def get(db: Database, sheet_id: int) -> ScoreSheet | None:
    found = await _sheets(db, "s.id = ?", (sheet_id,))
    return found[0] if found else None


async def sheet_statuses_of_juror(db: Database, edition_id: int, juror_id: int,
                                  round_number: int = 1) -> dict[int, SheetStatus]:
    """Per entry of the edition, the status of the juror's own sheet in that round (no row:
    not started)."""
    rows = await db.fetch_all(
        "SELECT s.entry_id, s.status FROM score_sheets s JOIN entries e ON e.id = s.entry_id"
        " WHERE e.edition_id = ? AND s.juror_id = ? AND s.round = ?",
        (edition_id, juror_id, round_number))
    return {row["entry_id"]: SheetStatus(row["status"]) for row in rows}


async def counted_sheets_of_entry(db: Database, entry_id: int, round_number: int = 1
                                  ) -> list[ScoreSheet]:
    """The entry's submitted sheets of that round that count: set-aside ones are left out."""
    return await _sheets(
        db, f"s.entry_id = ? AND s.round = ? AND s.status = 'submitted' AND NOT {set_aside_sql()}",
        (entry_id, round_number))


async def save(
    conn, *, entry_id: int, juror_id: int, expected_version: int, sheet: SheetInput,
    now: datetime, submit: bool = False, round_number: int = 1,
) -> int:
    """Store the sheet as a draft (or submitted); returns its new version.

    A sheet that does not exist yet has version 0. Raises :class:`StaleSheet` when the
    stored version is not ``expected_version`` and :class:`SheetLocked` when it is
    submitted already.
    """
    stamp = to_iso(now)
    status = "submitted" if submit else "draft"
    sheet_key = (entry_id, juror_id, round_number)
    if expected_version:
        # Checked and changed in one statement (a writer holding the lock waits for each
        # round trip); why it changed nothing is asked only then.
        cursor = await conn.execute(
            "UPDATE score_sheets SET status = ?, overall_comment = ?, version = version + 1,"
            " updated_at = ?, submitted_at = ?, harm_reported = ?, harm_note = ?"
            " WHERE entry_id = ? AND juror_id = ? AND round = ? AND version = ?"
            " AND status != 'submitted' RETURNING id, version",
            (status, sheet.overall_comment, stamp, stamp if submit else None,
             int(sheet.harm_reported), sheet.harm_note, *sheet_key, expected_version),
        )
        row = await cursor.fetchone()
        if row is None:
            raise await _refusal(conn, sheet_key) or StaleSheet()
        sheet_id, version = row[0], row[1]
    else:
        refusal = await _refusal(conn, sheet_key)
        if refusal is not None:
            raise refusal
        cursor = await conn.execute(
            "INSERT INTO score_sheets (entry_id, juror_id, round, status, overall_comment,"
            " version, created_at, updated_at, submitted_at, harm_reported, harm_note)"
            " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
            (*sheet_key, status, sheet.overall_comment, stamp, stamp,
             stamp if submit else None, int(sheet.harm_reported), sheet.harm_note),
        )
        sheet_id, version = cursor.lastrowid, 1
    await conn.executemany(
        "INSERT INTO scores (sheet_id, criterion_key, score, justification) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (sheet_id, criterion_key) DO UPDATE SET score = excluded.score,"
        " justification = excluded.justification",
        [(sheet_id, key, value.score, value.justification) for key, value in sheet.scores.items()],
    )
    return version


async def _refusal(conn, sheet_key: tuple[int, int, int]) -> Exception | None:
    """Why the stored sheet takes no save from a form on another version: it is submitted
    (`SheetLocked`) or on another version (`StaleSheet`); None when there is no sheet."""
    cursor = await conn.execute(
        "SELECT status FROM score_sheets WHERE entry_id = ? AND juror_id = ? AND round = ?",
        sheet_key)
    row = await cursor.fetchone()
    if row is None:
        return None
    return SheetLocked() if row[0] == "submitted" else StaleSheet()


async def reopen(conn, sheet_id: int, now: datetime) -> bool:
    """A submitted sheet becomes a draft again (its scores kept); False if it was not submitted."""
    cursor = await conn.execute(
        "UPDATE score_sheets SET status = 'draft', submitted_at = NULL, version = version + 1,"
        " updated_at = ? WHERE id = ? AND status = 'submitted'",
        (to_iso(now), sheet_id),
    )
    return cursor.rowcount == 1


# Edition-wide reads, for deliberation and exports ---------------------------------------


class RankedEntry(BaseModel):
    """What the ranking shows of an entry besides its figures."""

    id: int
    reference: str
    title: str
    country: str
    status: str
    jury_statement: str


def in_round_sql(entry: str, round_number: int) -> str:
    """SQL true when the entry ``entry`` (an id expression) is judged in that round: every
    judged entry in round 1, the entries given final-round assignments in round 2."""
    if round_number == 1:
        return "1 = 1"  # a boolean on PostgreSQL too (a bare 1 is an integer there)
    return (f"EXISTS (SELECT 1 FROM assignments ir_a WHERE ir_a.entry_id = {entry}"
            f" AND ir_a.round = {int(round_number)})")


async def judged_entries(db: Database, edition_id: int, round_number: int = 1
                         ) -> list[RankedEntry]:
    """The entries judged in that round (round 2: the shortlist the final round opened with)."""
    judged = EntryStatus.PASSED_SCREENING
    marks = ", ".join("?" for _ in judged)
    rows = await db.fetch_all(
        "SELECT id, reference, title, country, status, jury_statement FROM entries"
        f" WHERE edition_id = ? AND status IN ({marks})"
        f" AND {in_round_sql('entries.id', round_number)} ORDER BY reference_number, id",
        (edition_id, *judged),
    )
    return [
        RankedEntry(id=row["id"], reference=row["reference"] or f"#{row['id']}",
                    title=row["title"], country=row["country"], status=row["status"],
                    jury_statement=row["jury_statement"])
        for row in rows
    ]


async def sheets_for_aggregation(db: Database, edition_id: int, round_number: int = 1
                                 ) -> list[Sheet]:
    """Every sheet of the round on the edition's judged entries, as the scoring maths wants
    them (set-aside ones marked, so that they count in no figure)."""
    judged = EntryStatus.PASSED_SCREENING
    marks = ", ".join("?" for _ in judged)
    # One row per sheet with its scores as a JSON object: a tenth of the rows of a join.
    rows = await db.fetch_all(
        "SELECT s.entry_id, s.juror_id, s.status,"
        " (SELECT json_group_object(sc.criterion_key, sc.score) FROM scores sc"
        "   WHERE sc.sheet_id = s.id) AS scores,"
        f" {set_aside_sql()} AS set_aside"
        " FROM score_sheets s JOIN entries e ON e.id = s.entry_id"
        f" WHERE e.edition_id = ? AND e.status IN ({marks}) AND s.round = ? ORDER BY s.id",
        (edition_id, *judged, round_number),
    )
    return [
        Sheet(juror_id=row[1], entry_id=row[0], scores=json.loads(row[3]),
              submitted=row[2] == "submitted", set_aside=bool(row[4]))
        for row in rows
    ]


async def juror_names(db: Database, edition_id: int) -> dict[int, str]:
    rows = await db.fetch_all(
        "SELECT DISTINCT u.id, COALESCE(NULLIF(u.name, ''), u.email) AS name FROM users u"
        " JOIN score_sheets s ON s.juror_id = u.id JOIN entries e ON e.id = s.entry_id"
        " WHERE e.edition_id = ?",
        (edition_id,),
    )
    return {row["id"]: row["name"] for row in rows}


async def submitted_comments(
    db: Database, entry_ids: list[int], round_number: int = 1
) -> dict[int, list[tuple[int, str, str]]]:
    """(sheet id, juror name, overall comment) of the counted sheets of each entry in the
    round."""
    if not entry_ids:
        return {}
    marks = ", ".join("?" for _ in entry_ids)
    rows = await db.fetch_all(
        "SELECT s.id, s.entry_id, COALESCE(NULLIF(u.name, ''), u.email) AS name,"
        " s.overall_comment"
        f" FROM score_sheets s JOIN users u ON u.id = s.juror_id WHERE s.entry_id IN ({marks})"
        f" AND s.status = 'submitted' AND s.round = ? AND NOT {set_aside_sql()}"
        " ORDER BY s.entry_id, s.juror_id",
        (*entry_ids, round_number),
    )
    comments: dict[int, list[tuple[int, str, str]]] = {}
    for row in rows:
        comments.setdefault(row["entry_id"], []).append(
            (row["id"], row["name"], row["overall_comment"]))
    return comments


class ScoreLine(BaseModel):
    reference: str
    juror: str
    criterion: str
    score: int | None
    weight: float
    status: str
    round: int = 1


async def score_lines(db: Database, edition_id: int) -> list[ScoreLine]:
    """One line per (sheet, criterion) of the edition, drafts included (their status says so).

    Set-aside sheets are left out: the export's figures are the ones that count, and its
    columns (a contract) have no room to say that a submitted sheet does not. Such a
    sheet stays in the database, on its page and in the deliberation's notice.
    """
    rows = await db.fetch_all(
        "SELECT COALESCE(e.reference, '#' || e.id) AS reference,"
        " COALESCE(NULLIF(u.name, ''), u.email) AS juror, c.key AS criterion, sc.score,"
        " c.weight, s.status, s.round"
        " FROM score_sheets s JOIN entries e ON e.id = s.entry_id"
        " JOIN users u ON u.id = s.juror_id"
        # A final-round sheet is scored on the final criteria, or round 1's when it has none.
        " JOIN criteria c ON c.edition_id = e.edition_id AND c.round = CASE WHEN s.round = 2"
        "  AND EXISTS (SELECT 1 FROM criteria fc WHERE fc.edition_id = e.edition_id"
        "  AND fc.round = 2) THEN 2 ELSE 1 END"
        " LEFT JOIN scores sc ON sc.sheet_id = s.id AND sc.criterion_key = c.key"
        f" WHERE e.edition_id = ? AND NOT {set_aside_sql()}"
        " ORDER BY s.round, e.reference_number, e.id, u.id, c.position",
        (edition_id,),
    )
    return [ScoreLine(**dict(row)) for row in rows]


class SetAsideSheet(BaseModel):
    """A submitted sheet that counts in no figure, and since when its juror is conflicted.

    ``conflict_since`` is when the conflict was recorded (declared or set by the
    secretariat); for an automatic conflict (country, organisation), when the juror's
    profile was last saved, the moment the profile started to say so at the latest.
    """

    sheet_id: int
    entry_id: int
    juror_id: int
    juror_name: str
    conflict_since: datetime


async def set_aside_sheets(db: Database, edition_id: int, round_number: int = 1
                           ) -> dict[int, list[SetAsideSheet]]:
    """The set-aside sheets of the round on the edition's judged entries by entry id, by
    juror id."""
    judged = EntryStatus.PASSED_SCREENING
    marks = ", ".join("?" for _ in judged)
    rows = await db.fetch_all(
        "SELECT s.id, s.entry_id, s.juror_id, COALESCE(NULLIF(u.name, ''), u.email) AS name,"
        " COALESCE((SELECT c.created_at FROM conflicts c WHERE c.entry_id = s.entry_id"
        "   AND c.juror_id = s.juror_id),"
        "  (SELECT p.updated_at FROM juror_profiles p WHERE p.user_id = s.juror_id))"
        " AS conflict_since"
        " FROM score_sheets s JOIN entries e ON e.id = s.entry_id"
        " JOIN users u ON u.id = s.juror_id"
        f" WHERE e.edition_id = ? AND e.status IN ({marks}) AND s.round = ?"
        f" AND {set_aside_sql()} ORDER BY s.entry_id, s.juror_id",
        (edition_id, *judged, round_number),
    )
    found: dict[int, list[SetAsideSheet]] = {}
    for row in rows:
        found.setdefault(row["entry_id"], []).append(SetAsideSheet(
            sheet_id=row["id"], entry_id=row["entry_id"], juror_id=row["juror_id"],
            juror_name=row["name"], conflict_since=from_iso(row["conflict_since"])))
    return found


async def is_set_aside(db: Database, sheet_id: int) -> bool:
    return bool(await db.fetch_value(
        f"SELECT {set_aside_sql()} FROM score_sheets s WHERE s.id = ?", (sheet_id,)))


class Reinstatement(BaseModel):
    reason: str
    reinstated_by: int | None
    reinstated_at: datetime


async def reinstatement_of(db: Database, sheet_id: int) -> Reinstatement | None:
    row = await db.fetch_one(
        "SELECT reason, reinstated_by, reinstated_at FROM sheet_reinstatements"
        " WHERE sheet_id = ?", (sheet_id,))
    if row is None:
        return None
    return Reinstatement(reason=row["reason"], reinstated_by=row["reinstated_by"],
                         reinstated_at=from_iso(row["reinstated_at"]))


async def reinstate(conn, sheet_id: int, *, reason: str, by: int, now: datetime) -> bool:
    """The set-aside sheet counts again, for the reason given; False if it was not set aside
    (it counts already, or is a draft), in which case nothing is written."""
    cursor = await conn.execute(
        "INSERT INTO sheet_reinstatements (sheet_id, reason, reinstated_by, reinstated_at)"
        f" SELECT s.id, ?, ?, ? FROM score_sheets s WHERE s.id = ? AND {set_aside_sql()}",
        (reason, by, to_iso(now), sheet_id),
    )
    return cursor.rowcount == 1


# Results and exports ----------------------------------------------------------------------


def scoring_criteria(edition: Edition, round_number: int = 1) -> list[ScoringCriterion]:
    return [ScoringCriterion(c.key, c.weight, c.scale_min, c.scale_max)
            for c in edition.criteria_of_round(round_number)]


async def edition_results(
    db: Database, edition: Edition, round_number: int | None = None
) -> tuple[EditionResults, list[RankedEntry]]:
    """The aggregate of the round's submitted sheets (default: the current round), and the
    entries judged in it."""
    round_number = edition.current_round if round_number is None else round_number
    judged = await judged_entries(db, edition.id, round_number)
    results = aggregate(
        await sheets_for_aggregation(db, edition.id, round_number),
        scoring_criteria(edition, round_number),
        spread_threshold=edition.spread_threshold, entry_ids=[entry.id for entry in judged],
    )
    return results, judged


async def export_table(db: Database, edition: Edition, what: str,
                       round_number: int | None = None) -> exports.Table:
    """An export of the edition; ``round_number`` picks the ranking's round (default: the
    last one, the edition's current round)."""
    if what == "scores":
        return exports.scores_table(await score_lines(db, edition.id))
    if what == "ranking":
        results, judged = await edition_results(db, edition, round_number)
        return exports.ranking_table(results, {entry.id: entry for entry in judged})
    if what == "entries":
        form = await forms.of_edition(db, edition.id)
        found = await entries_store.of_edition(db, edition.id)
        # A column per text answer and working language: the original and a complete
        # translation (prize.store.translations).
        complete = {}
        for entry_id, versions in (await translations.of_edition(db, edition.id)).items():
            complete[entry_id] = {t.language: t.texts for t in versions if t.complete}
        return exports.entries_table(
            found, [q.key for q in form.custom_questions() if q.visible_to == "jury"],
            texts=[field.name for field in translated_fields(form.fields("en"))],
            translations=complete,
            # By name in the reader's language, the edition's own words included.
            substances=next((question.choices or {} for question in form.fields(current_locale())
                             if question.name == "substances"), {}))
    raise ValueError(f"unknown export {what!r}")


@dataclass(frozen=True)
class HarmReport:
    """A juror's report of a risk of harm in an entry, for the secretariat."""

    entry_id: int
    reference: str
    title: str
    juror_name: str
    note: str
    status: str  # of the sheet: draft or submitted
    updated_at: datetime


async def harm_reports(db: Database, *, edition_id: int | None = None,
                       entry_id: int | None = None) -> list[HarmReport]:
    """The risks of harm jurors reported, on drafts and submitted sheets alike: of one edition
    or of one entry, oldest entry first."""
    where, params = ("e.edition_id = ?", (edition_id,)) if entry_id is None else (
        "s.entry_id = ?", (entry_id,))
    rows = await db.fetch_all(
        "SELECT s.entry_id, COALESCE(e.reference, '') AS reference, e.title, s.harm_note,"
        " s.status, s.updated_at, COALESCE(NULLIF(u.name, ''), u.email) AS juror_name"
        " FROM score_sheets s JOIN entries e ON e.id = s.entry_id"
        f" JOIN users u ON u.id = s.juror_id WHERE s.harm_reported = 1 AND {where}"
        " ORDER BY s.entry_id, s.juror_id", params)
    return [HarmReport(entry_id=row["entry_id"], reference=row["reference"],
                       title=row["title"] or "", juror_name=row["juror_name"],
                       note=row["harm_note"], status=row["status"],
                       updated_at=from_iso(row["updated_at"])) for row in rows]
