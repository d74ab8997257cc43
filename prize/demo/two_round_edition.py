"""Demo: an edition with a final round, its final round in judging (issue 15).

Two years before the open call (or the first earlier year no other demo edition takes):
sixteen invented projects, round 1 judged by three of the nine demo jurors each and
closed, six entries shortlisted and the others not selected; the final round gives every
demo juror without a conflict every shortlisted entry, and about a third of its sheets are
submitted. Scores come from a fixed seed; the edition is created once, with everything in
it, so loading the demo twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from prize.clock import Clock
from prize.demo.judging_edition import OVERALL, OWNER_EMAIL, PROJECTS, _application, _justification
from prize.demo.open_edition import _deadline
from prize.demo.published_edition import EDITIONS as PUBLISHED_YEARS
from prize.domain.assignment import assign_edition
from prize.domain.editions import DEFAULT_CRITERIA, default_edition
from prize.store import editions, entries, jury, scoring, users
from prize.store import identity as identity_store
from prize.store.db import Database

#: The projects of this edition: every other one of the judging edition's list.
TWO_ROUND_PROJECTS = PROJECTS[1::2]
SHORTLIST_SIZE = 6
#: Share of the final round's sheets already submitted.
FINAL_SUBMITTED = 0.35


def demo_year(now: datetime) -> int:
    """Two years before the open call, or the first earlier year no demo edition takes."""
    year = _deadline(now).year - 2
    while year in PUBLISHED_YEARS:
        year -= 1
    return year


async def load(db: Database, clock: Clock) -> None:
    now = clock()
    year = demo_year(now)
    if await editions.by_year(db, year) is not None:
        return
    owner = await users.by_email(db, OWNER_EMAIL)
    if owner is None:
        raise RuntimeError(f"load the demo accounts first: {OWNER_EMAIL} is missing")
    rng = random.Random(2024)
    async with db.transaction() as conn:
        identity = await identity_store.get(db)
        edition = default_edition(year, identity=identity).model_copy(update={
            "status": "judging",
            "rounds": 2,
            "opens_at": now - timedelta(days=300),
            "closes_at": now - timedelta(days=150),
            "judging_ends_at": now - timedelta(days=40),
            "final_judging_ends_at": now + timedelta(days=20),
        })
        edition_id = await editions.insert(conn, edition, now)
        entry_ids = []
        for number, project in enumerate(TWO_ROUND_PROJECTS, start=101):
            entry_id = await entries.create(conn, edition_id=edition_id, owner_id=owner.id,
                                            application=_application(number, project), now=now)
            await entries.assign_reference(conn, entry_id, year)
            await entries.set_status(conn, entry_id, "eligible", now=now, submitted=True)
            entry_ids.append(entry_id)
        for juror_id in await users.juror_ids_matching(conn, "juror_@demo.prize"):
            await jury.add_active_juror(conn, edition_id, juror_id, now)
    judged, jurors = await jury.for_assignment(db, edition_id)
    if len(jurors) < 3:
        return
    quality = {entry_id: rng.uniform(-1.2, 1.2) for entry_id in entry_ids}
    bias = {juror.id: rng.uniform(-0.6, 0.6) for juror in jurors}
    assignment = assign_edition(judged, jurors, per_entry=3)
    shortlist = sorted(entry_ids, key=lambda entry_id: -quality[entry_id])[:SHORTLIST_SIZE]
    async with db.transaction() as conn:
        await jury.replace_assignment(conn, edition_id, dict(
            ((juror_id, entry_id), assignment.affinity[(juror_id, entry_id)])
            for juror_id, entry_id in assignment.pairs), now)
        await jury.release(conn, edition_id, now)
        # Round 1: every sheet submitted, then the shortlist decided.
        for place, (juror_id, entry_id) in enumerate(sorted(assignment.pairs)):
            await _sheet(conn, rng, entry_id, juror_id, quality[entry_id] + bias[juror_id],
                         place, now, round_number=1, submitted=True)
        for entry_id in entry_ids:
            await entries.set_status(conn, entry_id,
                                     "shortlisted" if entry_id in shortlist else "not_selected",
                                     now=now)
        # The final round: every juror without a conflict × the shortlist.
        await editions.set_current_round(conn, edition_id, 2, now)
        await jury.assign_final_round(conn, edition_id, now)
    final = await jury.assignment_of(db, edition_id, 2)
    async with db.transaction() as conn:
        for place, pair in enumerate(final):
            roll = rng.random()
            if roll > FINAL_SUBMITTED + 0.1:
                continue  # not started yet
            await _sheet(conn, rng, pair.entry_id, pair.juror_id,
                         quality[pair.entry_id] + bias[pair.juror_id], place, now,
                         round_number=2, submitted=roll < FINAL_SUBMITTED)


async def _sheet(conn, rng: random.Random, entry_id: int, juror_id: int, level: float,
                 place: int, now: datetime, *, round_number: int, submitted: bool) -> None:
    criteria = DEFAULT_CRITERIA if submitted else DEFAULT_CRITERIA[:3]
    scores: dict[str, scoring.CriterionScore] = {}
    for criterion in criteria:
        score = max(0, min(5, round(2.8 + level + rng.gauss(0, 0.6))))
        scores[criterion.key] = scoring.CriterionScore(
            score=score, justification=_justification(criterion.key, score))
    await scoring.save(
        conn, entry_id=entry_id, juror_id=juror_id, expected_version=0,
        sheet=scoring.SheetInput(
            scores=scores, overall_comment=OVERALL[place % len(OVERALL)] if submitted else ""),
        now=now, submit=submitted, round_number=round_number)
