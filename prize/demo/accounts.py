"""Demo accounts: the secretariat, nine jurors from nine countries, one applicant."""

from __future__ import annotations

import json

from prize.clock import Clock, to_iso
from prize.store import users
from prize.store.db import Database
from prize.web.security import hash_password

PASSWORD = "demo-password"

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


async def load(db: Database, clock: Clock) -> None:
    now = clock()
    password_hash = hash_password(PASSWORD)
    people = [
        ("admin@demo.prize", "Secretariat (demo)", "admin"),
        ("applicant@demo.prize", "Maria Applicant (demo)", "applicant"),
    ]
    people += [(f"juror{n}@demo.prize", name, "juror") for n, name, *_ in JURORS]
    async with db.transaction() as conn:
        for email, name, role in people:
            cursor = await conn.execute("SELECT id FROM users WHERE email = ?", (email,))
            if await cursor.fetchone():
                continue
            await users.create(
                conn,
                email=email,
                name=name,
                role=role,
                password_hash=password_hash,
                now=now,
                verified=True,
            )
        for n, _name, country, languages, organisation, settings, groups, bio in JURORS:
            cursor = await conn.execute(
                "SELECT id FROM users WHERE email = ?", (f"juror{n}@demo.prize",)
            )
            user_id = (await cursor.fetchone())[0]
            await conn.execute(
                "INSERT OR IGNORE INTO juror_profiles (user_id, country, languages, organisation,"
                " expertise_settings, expertise_groups, bio, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    country,
                    json.dumps(languages),
                    organisation,
                    json.dumps(settings),
                    json.dumps(groups),
                    bio,
                    to_iso(now),
                ),
            )
