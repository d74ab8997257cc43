"""The edition open for entries, where the demo applicant has one draft."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prize.clock import Clock
from prize.domain.editions import default_edition, vocabulary_items
from prize.domain.entries import Application, Participation
from prize.store import editions, entries, users
from prize.store import identity as identity_store
from prize.store.db import Database


def _deadline(now: datetime) -> datetime:
    # The call closes at the end of the next May 30th in Strasbourg (22:00 UTC in summer)
    # that is at least two months away, so the demo call is always open.
    year = now.year if now < datetime(now.year, 3, 30, tzinfo=UTC) else now.year + 1
    return datetime(year, 5, 30, 21, 59, tzinfo=UTC)


async def load(db: Database, clock: Clock) -> None:
    now = clock()
    closes_at = _deadline(now)
    year = closes_at.year
    if await editions.by_year(db, year):
        return
    edition = default_edition(year, identity=await identity_store.get(db)).model_copy(
        update={
            "status": "open",
            "opens_at": now - timedelta(days=30),
            "closes_at": closes_at,
            "theme_fr": "La jeunesse innove dans la prévention des drogues",
            # The 2025 call widened the scope to behavioural and digital addictions.
            "scope": "Projects on behavioural and digital addictions (gambling, gaming, "
                     "social media and screens) are particularly encouraged, as are projects "
                     "using new digital technologies and projects for people under 18.",
            "scope_fr": "Les projets sur les addictions comportementales et numériques (jeux "
                        "d’argent, jeux vidéo, réseaux sociaux et écrans) sont particulièrement "
                        "encouragés, de même que ceux qui utilisent les nouvelles technologies "
                        "numériques et ceux destinés aux moins de 18 ans.",
            "prize_money": 6000,
            "awards": 3,
            "substances_extra": vocabulary_items(
                "Gambling\nGaming\nSocial media\nScreens",
                "Jeux d’argent\nJeux vidéo\nRéseaux sociaux\nÉcrans"),
        }
    )
    applicant = await users.by_email(db, "applicant@demo.prize")
    draft = Application(
        org_name="Youth Voices Network (demo)",
        org_type="youth_group",
        country="IE",
        city="Cork",
        contact_name=applicant.name,
        contact_email=applicant.email,
        title="Peer Talk: young people lead drug education in Cork schools (demo example)",
        language="en",
        running="yes",
        summary=(
            "A demo example. Trained secondary-school students run short, honest sessions "
            "about alcohol and cannabis for younger pupils, using scenarios they wrote "
            "themselves."
        ),
        target_groups=["young_adolescents", "adolescents"],
        settings=["school"],
        levels=["universal"],
        substances=["alcohol", "cannabis"],
        youth_participation=(
            "Students chose the topics through a survey they designed, wrote the scenarios, "
            "and deliver every session in pairs."
        ),
        participation_grid={
            "needs": Participation(involved=True, how="Students designed the survey."),
            "delivery": Participation(involved=True, how="Students lead the sessions."),
        },
    )
    async with db.transaction() as conn:
        edition_id = await editions.insert(conn, edition, now)
        await entries.create(
            conn, edition_id=edition_id, owner_id=applicant.id, application=draft, now=now
        )
