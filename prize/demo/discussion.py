"""Demo: the jury's advisor (`advisor@demo.prize`) and a few discussions.

The advisor, a prevention expert, sits on the judging edition's jury and has written in
the threads of a few entries, beside jurors who submitted their own sheet for those
entries (so the demo keeps the blind rule). Loading it twice changes nothing: the
account is made once, and the comments only while the edition has none.
"""

from __future__ import annotations

from datetime import timedelta

from prize.clock import Clock
from prize.demo.open_edition import _deadline
from prize.domain.notices import Document
from prize.domain.statuses import Role
from prize.store import consent, discussion, editions, jury, scoring, users
from prize.store.db import Database
from prize.web.security import Passwords

ADVISOR_EMAIL = "advisor@demo.prize"
ADVISOR_NAME = "Dr Hélène Moreau (demo)"
PASSWORD = "demo-password"

ADVISOR_SAYS = (
    "The needs assessment is the strongest I have read this year: the young people wrote "
    "the survey themselves. Ask how the results changed the plan.",
    "Look closely at the evaluation: the before-and-after questionnaire has no comparison "
    "group, so the results say little about effects.\n\nThe EMCDDA's Xchange registry has "
    "similar programmes for comparison: https://www.euda.europa.eu/best-practice/xchange_en",
    "Participation is real in delivery but thin in the design stage. Worth discussing "
    "whether that matters for this prize's main criterion.",
)
JUROR_SAYS = (
    "I agree on participation. I scored it high because the steering group is run by "
    "the young people themselves.",
    "My sheet is lower on sustainability: the funding ends next year and the application "
    "does not say what comes after.",
)


async def load(db: Database, settings, clock: Clock) -> None:
    now = clock()
    advisor_id = await _advisor(db, Passwords(settings), now)
    edition = await editions.by_year(db, _deadline(now).year - 1)
    if edition is None or edition.status != "judging":
        return
    async with db.transaction() as conn:
        await jury.add_active_juror(conn, edition.id, advisor_id, now)
    if await discussion.comment_counts(db, edition.id):
        return
    submitted: dict[int, list[int]] = {}
    for sheet in await scoring.sheets_for_aggregation(db, edition.id):
        if sheet.submitted:
            submitted.setdefault(sheet.entry_id, []).append(sheet.juror_id)
    discussed = [entry_id for entry_id, jurors in sorted(submitted.items()) if jurors][:3]
    async with db.transaction() as conn:
        for place, entry_id in enumerate(discussed):
            written = now - timedelta(days=3 - place, hours=2)
            await discussion.add(conn, entry_id=entry_id, author_id=advisor_id,
                                 body=ADVISOR_SAYS[place], now=written)
            juror_id = submitted[entry_id][0]
            if place < len(JUROR_SAYS):
                await discussion.add(conn, entry_id=entry_id, author_id=juror_id,
                                     body=JUROR_SAYS[place], now=written + timedelta(hours=5))


async def _advisor(db: Database, passwords: Passwords, now) -> int:
    existing = await users.by_email(db, ADVISOR_EMAIL)
    if existing is not None:
        return existing.id
    password_hash = passwords.hash(PASSWORD)
    async with db.transaction() as conn:
        advisor_id = await users.create(conn, email=ADVISOR_EMAIL, name=ADVISOR_NAME,
                                        role=Role.ADVISOR, password_hash=password_hash,
                                        now=now, verified=True)
        await consent.record(conn, user_id=advisor_id, document=Document.PRIVACY,
                             language="en", occasion="operator", now=now)
        await jury.add_profile_if_missing(conn, jury.JurorProfile(
            user_id=advisor_id, country="FR", languages=["fr", "en"],
            organisation="Prevention research institute (demo)",
            expertise_settings=["school", "community"], expertise_groups=["adolescents"],
            bio="Prevention scientist; advises the jury, never votes."), now)
    return advisor_id
