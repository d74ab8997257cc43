"""Demo accounts: the secretariat, nine jurors from nine countries, one applicant with a
draft, and the applicant behind the judging edition's entries. Every one takes the demo
password and is in the README's table, so the demo can be taken to its end (an entry of
the judging edition prepared, approved by its applicant and published)."""

from __future__ import annotations

from prize.clock import Clock
from prize.domain.notices import Document
from prize.store import consent, jury, users
from prize.store.db import Database
from prize.web.security import Passwords

PASSWORD = "demo-password"
#: The applicant of every entry of the judging edition (see prize.demo.judging_edition).
ENTRANTS_EMAIL = "entrants@demo.prize"

# (number, name, country, languages, organisation, settings, target groups, bio)
JURORS = (
    (
        1,
        "Camille Laurent",
        "FR",
        ["fr", "en"],
        "Lycée Jean Monnet youth council",
        ["school", "online"],
        ["adolescents"],
        "Student and peer educator in Strasbourg.",
    ),
    (
        2,
        "Jonas Becker",
        "DE",
        ["de", "en"],
        "Jugendring Leipzig",
        ["community", "sport"],
        ["adolescents", "young_adults"],
        "Youth worker in training.",
    ),
    (
        3,
        "Sara Jónsdóttir",
        "IS",
        ["is", "en"],
        "Reykjavík Youth Forum",
        ["community", "family"],
        ["young_adolescents", "parents"],
        "Member of a municipal youth council.",
    ),
    (
        4,
        "Noa Levi",
        "IL",
        ["he", "en"],
        "Tel Aviv University student union",
        ["nightlife", "health_care"],
        ["young_adults"],
        "Psychology student.",
    ),
    (
        5,
        "Yasmine El Amrani",
        "MA",
        ["ar", "fr", "en"],
        "Association Jeunes Rabat",
        ["community", "school"],
        ["adolescents", "children"],
        "Volunteer in youth clubs.",
    ),
    (
        6,
        "Piotr Nowak",
        "PL",
        ["pl", "en"],
        "Kraków Student Volunteers",
        ["online", "nightlife"],
        ["young_adults"],
        "Computer science student and volunteer.",
    ),
    (
        7,
        "Ana Kovač",
        "SI",
        ["sl", "en"],
        "Ljubljana Youth Centre",
        ["school", "sport"],
        ["young_adolescents", "adolescents"],
        "Secondary school student.",
    ),
    (
        8,
        "Inês Ferreira",
        "PT",
        ["pt", "en", "fr"],
        "Lisbon Youth Health Network",
        ["health_care", "community"],
        ["young_adults", "professionals"],
        "Nursing student and peer supporter.",
    ),
    (
        9,
        "Eleni Papadopoulou",
        "GR",
        ["el", "en"],
        "Thessaloniki Scouts",
        ["community", "criminal_justice"],
        ["adolescents", "young_adults"],
        "Scout leader and law student.",
    ),
)


async def load(db: Database, passwords: Passwords, clock: Clock) -> None:
    now = clock()
    # One hash for every demo account: they share the password, and argon2 is slow on purpose.
    password_hash = passwords.hash(PASSWORD)
    people = [
        ("admin@demo.prize", "Secretariat (demo)", "admin"),
        ("applicant@demo.prize", "Maria Applicant (demo)", "applicant"),
        (ENTRANTS_EMAIL, "Demo entrants", "applicant"),
    ]
    people += [(f"juror{n}@demo.prize", name, "juror") for n, name, *_ in JURORS]
    # Earlier demos made the entrants' account without a password: it takes the demo
    # password now, like every other (once: then it has one).
    without_password = set()
    for email, _name, _role in people:
        person = await users.by_email(db, email)
        if person is not None and not person.password_hash:
            without_password.add(person.id)
    async with db.transaction() as conn:
        for email, name, role in people:
            existing = await users.id_of_email(conn, email)
            if existing is not None:
                if existing in without_password:
                    await users.set_password(conn, existing, password_hash)
                    await consent.record(conn, user_id=existing, document=Document.PRIVACY,
                                         language="en", occasion="operator", now=now)
                continue
            user_id = await users.create(
                conn,
                email=email,
                name=name,
                role=role,
                password_hash=password_hash,
                now=now,
                verified=True,
            )
            # As if each had accepted the privacy notice on signing up: the demo's people
            # go straight in (a new version of the notice asks them again).
            await consent.record(conn, user_id=user_id, document=Document.PRIVACY,
                                 language="en", occasion="operator", now=now)
            if role == "juror":
                # The demo's jurors are adults; a real one confirms it on the profile.
                await consent.record(conn, user_id=user_id, document=Document.AGE_16,
                                     language="en", occasion="operator", now=now)
        for n, _name, country, languages, organisation, settings, groups, bio in JURORS:
            user_id = await users.id_of_email(conn, f"juror{n}@demo.prize")
            await jury.add_profile_if_missing(conn, jury.JurorProfile(
                user_id=user_id,
                country=country,
                languages=languages,
                organisation=organisation,
                expertise_settings=settings,
                expertise_groups=groups,
                bio=bio,
            ), now)

