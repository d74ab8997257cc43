"""Test data made by small factories instead of long literal fixtures."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prize.domain.editions import default_edition
from prize.domain.entries import Application, Participation
from prize.domain.notices import Document
from prize.settings import Settings
from prize.store import consent, editions, entries, users
from prize.web.security import Passwords
from tests import pg

PASSWORD = "correct horse battery"
# argon2's cheapest valid cost: hashing is tested for what it does, not for how slow it is.
CHEAP_PASSWORD_COST = {"password_time_cost": 1, "password_memory_cost": 8,
                       "password_parallelism": 1}


def settings(folder: Path, **changes: Any) -> Settings:
    """Settings for an app under test whose files live in `folder`; its database is a
    PostgreSQL one of its own when PRIZE_TEST_DB names a server (tests/pg.py)."""
    if pg.ENABLED and "db_path" not in changes and "db_url" not in changes:
        changes = {"db_path": None, "db_url": pg.database_for(folder), **changes}
    return Settings(**{
        "db_path": folder / "prize.db",
        "secret_key": "test-secret-key-not-for-production",
        "base_url": "http://testserver",
        "smtp_url": None,
        "upload_dir": folder / "uploads",
        **CHEAP_PASSWORD_COST,
        **changes,
    })


_counter = itertools.count(1)
# The hasher reads only the cost from the settings; the folder is never used.
_HASH = Passwords(settings(Path("unused"))).hash(PASSWORD)


async def user(db, *, role: str = "applicant", email: str | None = None, name: str = "",
               verified: bool = True, now: datetime | None = None,
               accepted_notice: bool = True) -> users.User:
    """An account; `accepted_notice`: it accepted the privacy notice in force, as a person
    who signed up did (otherwise signing in first asks for it)."""
    n = next(_counter)
    email = email or f"{role}{n}@example.org"
    now = now or datetime(2026, 1, 1, tzinfo=UTC)
    async with db.transaction() as conn:
        user_id = await users.create(
            conn, email=email, name=name or f"{role.title()} {n}", role=role,
            password_hash=_HASH, now=now, verified=verified,
        )
        if accepted_notice:
            await consent.record(conn, user_id=user_id, document=Document.PRIVACY,
                                 language="en", occasion="signup", now=now)
    return await users.get(db, user_id)


async def edition(db, *, year: int = 2026, status: str = "open",
                  closes_at: datetime | None = None, now: datetime | None = None, **changes):
    now = now or datetime(2026, 1, 1, tzinfo=UTC)
    model = default_edition(year).model_copy(update={
        "status": status,
        "opens_at": now - timedelta(days=10),
        "closes_at": closes_at or datetime(year, 5, 30, 21, 59, tzinfo=UTC),
        **changes,
    })
    async with db.transaction() as conn:
        edition_id = await editions.insert(conn, model, now)
    return await editions.get(db, edition_id)


def complete_application(**changes) -> Application:
    """An application that passes every submission check."""
    words = "Young people plan and run every session together with the youth workers."
    values = dict(
        org_name="Youth Voices", org_type="youth_group", country="IE", city="Cork",
        website="https://example.org", contact_name="Maria Example",
        contact_email="maria@example.org", contact_phone="+353 21 000 0000",
        title="Peer Talk", language="en", start_date="2024-09-01", running="yes",
        summary=words, goals=words, target_groups=["adolescents"], settings=["school"],
        levels=["universal"], substances=["alcohol"], young_people=40, adults=3,
        people_reached=900, needs_assessment=words, aims=words, activities=words,
        youth_participation=words,
        participation_grid={"needs": Participation(involved=True, how="They ran the survey.")},
        evaluation=words, sustainability=words, ethics=words, consent_publication=True,
        declaration=True,
    )
    values.update(changes)
    return Application.model_validate(values)


async def entry(db, *, edition_id: int, owner_id: int, application: Application | None = None,
                status: str = "draft", now: datetime | None = None):
    now = now or datetime(2026, 1, 2, tzinfo=UTC)
    application = application or complete_application()
    async with db.transaction() as conn:
        entry_id = await entries.create(
            conn, edition_id=edition_id, owner_id=owner_id, application=application, now=now
        )
        if status != "draft":
            cursor = await conn.execute("SELECT year FROM editions WHERE id = ?", (edition_id,))
            year = (await cursor.fetchone())[0]
            await entries.assign_reference(conn, entry_id, year)
            await entries.set_status(conn, entry_id, status, now=now, submitted=True)
    return await entries.get(db, entry_id)


def application_form(application: Application) -> list[tuple[str, str]]:
    """The application as the form fields a browser would post."""
    from prize.domain.entries import form_values

    pairs: list[tuple[str, str]] = []
    for name, value in form_values(application).items():
        if isinstance(value, list):
            pairs += [(name, item) for item in value]
        elif value:
            pairs.append((name, value))
    return pairs


async def assignment(db, *, edition_id: int, entry_id: int, juror_id: int,
                     sheet: str | None = None, now: datetime | None = None) -> None:
    """Assign a juror to an entry, with a score sheet in `sheet` status ('draft', 'submitted')."""
    from prize.clock import to_iso

    stamp = to_iso(now or datetime(2026, 6, 1, tzinfo=UTC))
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT OR IGNORE INTO edition_jurors (edition_id, user_id, status, invited_at)"
            " VALUES (?, ?, 'active', ?)", (edition_id, juror_id, stamp))
        await conn.execute(
            "INSERT INTO assignments (entry_id, juror_id, edition_id, created_at)"
            " VALUES (?, ?, ?, ?)",
            (entry_id, juror_id, edition_id, stamp))
        if sheet:
            await conn.execute(
                "INSERT INTO score_sheets (entry_id, juror_id, status, created_at, updated_at,"
                " submitted_at) VALUES (?, ?, ?, ?, ?, ?)",
                (entry_id, juror_id, sheet, stamp, stamp, stamp if sheet == "submitted" else None))


async def published_demo(db, now: datetime | None = None) -> None:
    """The demo's published editions and their public practices (no accounts needed)."""
    from prize.demo import published_edition

    await published_edition.load(db, lambda: now or datetime(2026, 1, 5, tzinfo=UTC))


async def juror(db, *, edition_id: int | None = None, country: str = "FR", organisation: str = "",
                languages: tuple[str, ...] = ("en",), email: str | None = None, name: str = "",
                now: datetime | None = None, role: str = "juror") -> users.User:
    """A juror (or, with `role="advisor"`, an advisor) with a profile, active on the
    edition's jury when `edition_id` is given."""
    from prize.store import jury

    now = now or datetime(2026, 1, 1, tzinfo=UTC)
    person = await user(db, role=role, email=email, name=name)
    async with db.transaction() as conn:
        await jury.save_profile(conn, jury.JurorProfile(
            user_id=person.id, country=country, organisation=organisation,
            languages=list(languages)), now)
        # As on a profile saved through the form: confirmed being at least 16.
        await consent.record(conn, user_id=person.id, document=Document.AGE_16,
                             language="en", occasion="profile", now=now)
        if edition_id is not None:
            await jury.add_active_juror(conn, edition_id, person.id, now)
    return person


async def release_assignment(db, edition_id: int, now: datetime | None = None) -> None:
    from prize.store import jury

    async with db.transaction() as conn:
        await jury.release(conn, edition_id, now or datetime(2026, 6, 1, tzinfo=UTC))


# A world for security tests: one of every kind of object, and everyone who may or may
# not see it. ----------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class SecurityWorld:
    """Ids of the seeded objects and people (see :func:`security_world`)."""

    edition_id: int
    year: int
    entry_id: int            # E, owned by applicant A, in judging, assigned to juror J
    other_entry_id: int      # applicant B's own entry in the same edition
    attachment_id: int       # E's attachment (a PDF on disk)
    sheet_id: int            # juror J's score sheet on E
    practice_id: int         # A's awarded entry, its public record awaiting A's approval
    published_year: int
    public_slug: str         # a published practice anyone may read
    criterion_key: str
    people: dict[str, Any] = field(default_factory=dict)  # role name → users.User
    comment_id: int = 0      # the advisor's comment in E's discussion


def _write_upload(upload_dir: Path, name: str, content: bytes) -> None:
    upload_dir.mkdir(parents=True, exist_ok=True)
    (upload_dir / name).write_bytes(content)


async def security_world(db, upload_dir: Path) -> SecurityWorld:
    """A judging edition whose entry E (applicant A, Ireland) is assigned to a juror from
    France (released) and to a juror from Ireland (conflicted); applicant B has an entry
    of their own; a published past edition holds A's winning entry, whose public record
    awaits A's approval, and one published practice."""
    from prize.domain.practices import PublicText
    from prize.store import practices

    admin = await user(db, role="admin", email="admin@example.org")
    applicant_a = await user(db, email="a@example.org")
    applicant_b = await user(db, email="b@example.org")
    judging = await edition(db, year=2026, status="judging",
                            closes_at=datetime(2026, 2, 1, tzinfo=UTC))
    juror_ok = await juror(db, edition_id=judging.id, country="FR", email="juror@example.org")
    juror_conflicted = await juror(db, edition_id=judging.id, country="IE",
                                   email="conflicted@example.org")
    entry_e = await entry(db, edition_id=judging.id, owner_id=applicant_a.id, status="eligible",
                          application=complete_application(title="Entry E", country="IE"))
    entry_b = await entry(db, edition_id=judging.id, owner_id=applicant_b.id, status="eligible",
                          application=complete_application(title="Entry of B", country="PT"))
    await assignment(db, edition_id=judging.id, entry_id=entry_e.id, juror_id=juror_ok.id,
                     sheet="draft")
    await assignment(db, edition_id=judging.id, entry_id=entry_e.id,
                     juror_id=juror_conflicted.id, sheet="draft")
    await release_assignment(db, judging.id)
    advisor = await juror(db, edition_id=judging.id, country="DE", email="advisor@example.org",
                          role="advisor")
    async with db.transaction() as conn:
        from prize.store import discussion

        comment_id = await discussion.add(conn, entry_id=entry_e.id, author_id=advisor.id,
                                          body="A first thought.",
                                          now=datetime(2026, 3, 2, 9, 25, tzinfo=UTC))

    # A translator to whom E is handed (and nothing else).
    translator = await user(db, role="translator", email="translator@example.org")
    async with db.transaction() as conn:
        from prize.store import translations

        await translations.hand(conn, entry_id=entry_e.id, translator_id=translator.id,
                                by=admin.id, now=datetime(2026, 3, 1, tzinfo=UTC))

    _write_upload(upload_dir, "entry-e.pdf", PDF_BYTES)
    async with db.transaction() as conn:
        await entries.add_attachment(conn, entry_id=entry_e.id, stored_name="entry-e.pdf",
                                     filename="plan.pdf", content_type="application/pdf",
                                     size=len(PDF_BYTES), sha256="0", description="",
                                     now=datetime(2026, 1, 3, tzinfo=UTC))
    (attachment,) = await entries.attachments_of(db, entry_e.id)
    sheet = await db.fetch_one("SELECT id FROM score_sheets WHERE entry_id = ? AND juror_id = ?",
                               (entry_e.id, juror_ok.id))

    past = await edition(db, year=2025, status="published",
                         closes_at=datetime(2025, 5, 30, tzinfo=UTC))
    winner = await entry(db, edition_id=past.id, owner_id=applicant_a.id, status="winner",
                         application=complete_application(title="Night Owls"))
    now = datetime(2026, 1, 5, tzinfo=UTC)
    text = PublicText(title="Night Owls", organisation="Youth Voices", summary="Youth-led.")
    public_text = PublicText(title="Open Doors", organisation="Open Doors", summary="Public.")
    async with db.transaction() as conn:
        practice_id = await practices.create(
            conn, entry_id=winner.id, edition_id=past.id, year=2025, award="winner", text=text,
            country="IE", countries=["IE"], substances=[], now=now,
            status="awaiting_applicant")
        await practices.create(
            conn, edition_id=past.id, year=2025, award="shortlisted", text=public_text,
            country="PT", countries=["PT"], substances=[], now=now, status="published",
            slug="open-doors-2025")
    return SecurityWorld(
        edition_id=judging.id, year=2026, entry_id=entry_e.id, other_entry_id=entry_b.id,
        attachment_id=attachment.id, sheet_id=sheet[0], practice_id=practice_id,
        published_year=2025, public_slug="open-doors-2025",
        criterion_key=judging.criteria[0].key,
        people={"applicant_a": applicant_a, "applicant_b": applicant_b, "juror": juror_ok,
                "conflicted_juror": juror_conflicted, "advisor": advisor,
                "translator": translator, "secretariat": admin},
        comment_id=comment_id,
    )


def signed_session(secret_key: str, person: users.User | None, csrf: str) -> str:
    """The session cookie Starlette's SessionMiddleware sets once `person` has logged in
    (anonymous when None), holding `csrf` as its form token.

    Made here so that tests visiting many pages as many people need no password hashing
    per visit; logging in itself is tested through the login form.
    """
    import json
    from base64 import b64encode

    from itsdangerous import TimestampSigner

    session: dict[str, Any] = {"csrf": csrf}
    if person is not None:
        session.update(uid=person.id, epoch=person.session_epoch)
    payload = b64encode(json.dumps(session).encode())
    return TimestampSigner(secret_key).sign(payload).decode()
