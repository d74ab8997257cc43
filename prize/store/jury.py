"""The jury of an edition: invitations, profiles, conflicts, preferences, assignment rules
and the assignment itself.

Every function that writes takes the caller's connection, so that the change, its
audit record and its email land in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from prize.clock import from_iso, to_iso
from prize.domain.assignment import EntryForAssignment, JurorForAssignment
from prize.domain.entries import Application
from prize.domain.rounds import final_assignments
from prize.domain.statuses import EntryStatus, JurorStatus, Role
from prize.store import access
from prize.store.db import Database

ConflictSource = Literal["declared", "secretariat"]
Rule = Literal["pin", "forbid"]


class JurorProfile(BaseModel):
    user_id: int
    country: str = ""
    languages: list[str] = []
    organisation: str = ""
    expertise_settings: list[str] = []
    expertise_groups: list[str] = []
    bio: str = ""


class EditionJuror(BaseModel):
    """A person on (or invited to) an edition's jury, with their profile's key facts."""

    user_id: int
    email: str
    name: str
    locale: str
    status: JurorStatus
    invited_at: datetime
    accepted_at: datetime | None
    country: str
    organisation: str
    #: juror or advisor: the account's role says which seat the person holds.
    role: str = "juror"


class JuryEntry(BaseModel):
    """What a juror may see of an entry before assignment: title, organisation, country."""

    id: int
    reference: str
    title: str
    organisation: str
    country: str
    countries: list[str]


class Conflict(BaseModel):
    entry_id: int
    juror_id: int
    source: ConflictSource
    reason: str


class AssignedPair(BaseModel):
    entry_id: int
    juror_id: int
    affinity: float
    started: bool


# Profiles ------------------------------------------------------------------------------


def _profile(row) -> JurorProfile:
    return JurorProfile(
        user_id=row["user_id"],
        country=row["country"],
        languages=json.loads(row["languages"]),
        organisation=row["organisation"],
        expertise_settings=json.loads(row["expertise_settings"]),
        expertise_groups=json.loads(row["expertise_groups"]),
        bio=row["bio"],
    )


async def profile(db: Database, user_id: int) -> JurorProfile | None:
    row = await db.fetch_one("SELECT * FROM juror_profiles WHERE user_id = ?", (user_id,))
    return _profile(row) if row else None


async def save_profile(conn, juror_profile: JurorProfile, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO juror_profiles (user_id, country, languages, organisation,"
        " expertise_settings, expertise_groups, bio, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET country = excluded.country,"
        " languages = excluded.languages, organisation = excluded.organisation,"
        " expertise_settings = excluded.expertise_settings,"
        " expertise_groups = excluded.expertise_groups, bio = excluded.bio,"
        " updated_at = excluded.updated_at",
        (juror_profile.user_id, juror_profile.country, json.dumps(juror_profile.languages),
         juror_profile.organisation.strip(), json.dumps(juror_profile.expertise_settings),
         json.dumps(juror_profile.expertise_groups), juror_profile.bio, to_iso(now)),
    )


async def add_profile_if_missing(conn, juror_profile: JurorProfile, now: datetime) -> None:
    """Store a profile unless the person has one already, which is left as it is."""
    await conn.execute(
        "INSERT OR IGNORE INTO juror_profiles (user_id, country, languages, organisation,"
        " expertise_settings, expertise_groups, bio, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (juror_profile.user_id, juror_profile.country, json.dumps(juror_profile.languages),
         juror_profile.organisation, json.dumps(juror_profile.expertise_settings),
         json.dumps(juror_profile.expertise_groups), juror_profile.bio, to_iso(now)),
    )


async def set_name(conn, user_id: int, name: str) -> None:
    await conn.execute("UPDATE users SET name = ? WHERE id = ?", (name.strip(), user_id))


# Membership of an edition's jury ----------------------------------------------------------


_JUROR_SELECT = (
    "SELECT ej.*, u.email, u.name, u.locale, u.role, COALESCE(p.country, '') AS country,"
    " COALESCE(p.organisation, '') AS organisation"
    " FROM edition_jurors ej JOIN users u ON u.id = ej.user_id"
    " LEFT JOIN juror_profiles p ON p.user_id = ej.user_id"
)


def _edition_juror(row) -> EditionJuror:
    return EditionJuror(
        user_id=row["user_id"], email=row["email"], name=row["name"], locale=row["locale"],
        status=row["status"], invited_at=from_iso(row["invited_at"]),
        accepted_at=from_iso(row["accepted_at"]), country=row["country"],
        organisation=row["organisation"], role=row["role"],
    )


async def jurors_of(db: Database, edition_id: int, statuses: tuple[str, ...] = (),
                    roles: tuple[str, ...] = (Role.JUROR,)) -> list[EditionJuror]:
    """The edition's jury by name; by default its jurors only (advisors sit on it too,
    but are never assigned, scored or counted as jurors)."""
    sql = (f"{_JUROR_SELECT} WHERE ej.edition_id = ?"
           f" AND u.role IN ({', '.join('?' for _ in roles)})")
    params: list = [edition_id, *roles]
    if statuses:
        sql += f" AND ej.status IN ({', '.join('?' for _ in statuses)})"
        params += list(statuses)
    rows = await db.fetch_all(sql + " ORDER BY u.name COLLATE NOCASE, u.id", params)
    return [_edition_juror(row) for row in rows]


async def edition_juror(db: Database, edition_id: int, user_id: int) -> EditionJuror | None:
    row = await db.fetch_one(
        f"{_JUROR_SELECT} WHERE ej.edition_id = ? AND ej.user_id = ?", (edition_id, user_id)
    )
    return _edition_juror(row) if row else None


async def memberships(db: Database, user_id: int) -> list[tuple[int, JurorStatus]]:
    """(edition_id, status) of every jury this person belongs or was invited to."""
    rows = await db.fetch_all(
        "SELECT edition_id, status FROM edition_jurors WHERE user_id = ?", (user_id,)
    )
    return [(row["edition_id"], row["status"]) for row in rows]


async def invite(conn, edition_id: int, user_id: int, now: datetime) -> None:
    """An 'invited' row; a revoked or withdrawn juror invited again starts over."""
    await conn.execute(
        "INSERT INTO edition_jurors (edition_id, user_id, status, invited_at)"
        " VALUES (?, ?, 'invited', ?) ON CONFLICT (edition_id, user_id) DO UPDATE"
        " SET status = 'invited', invited_at = excluded.invited_at, accepted_at = NULL",
        (edition_id, user_id, to_iso(now)),
    )


async def add_active_juror(conn, edition_id: int, user_id: int, now: datetime) -> None:
    """Put a person on the edition's jury as active, as if they had accepted; idempotent."""
    await conn.execute(
        "INSERT INTO edition_jurors (edition_id, user_id, status, invited_at, accepted_at)"
        " VALUES (?, ?, 'active', ?, ?) ON CONFLICT (edition_id, user_id) DO NOTHING",
        (edition_id, user_id, to_iso(now), to_iso(now)),
    )


async def set_status(conn, edition_id: int, user_id: int, status: JurorStatus) -> None:
    await conn.execute(
        "UPDATE edition_jurors SET status = ? WHERE edition_id = ? AND user_id = ?",
        (status, edition_id, user_id),
    )


async def status_in(conn, edition_id: int, user_id: int) -> str | None:
    """A person's status on an edition's jury (None: not on it), read inside the caller's
    transaction, so that a check and the write after it see the same state."""
    cursor = await conn.execute(
        "SELECT status FROM edition_jurors WHERE edition_id = ? AND user_id = ?",
        (edition_id, user_id),
    )
    row = await cursor.fetchone()
    return row[0] if row else None


async def accept_invitations(conn, user_id: int, now: datetime) -> list[int]:
    """Every pending invitation of this person becomes active; returns the edition ids."""
    cursor = await conn.execute(
        "UPDATE edition_jurors SET status = 'active', accepted_at = ?"
        " WHERE user_id = ? AND status = 'invited' RETURNING edition_id",
        (to_iso(now), user_id),
    )
    return [row[0] for row in await cursor.fetchall()]


async def has_pending_invitation(db: Database, user_id: int) -> bool:
    return bool(await db.fetch_value(
        "SELECT 1 FROM edition_jurors WHERE user_id = ? AND status = 'invited'", (user_id,)
    ))


# Entries as the jury sees them before assignment -------------------------------------------


async def judged_entries(db: Database, edition_id: int) -> list[JuryEntry]:
    """The edition's entries that take part in judging, with their countries of activity."""
    judged = EntryStatus.PASSED_SCREENING
    marks = ", ".join("?" for _ in judged)
    rows = await db.fetch_all(
        "SELECT e.id, e.reference, e.title, e.organisation, e.country,"
        " (SELECT json_group_array(country) FROM entry_countries ec WHERE ec.entry_id = e.id)"
        " AS countries FROM entries e"
        f" WHERE e.edition_id = ? AND e.status IN ({marks})"
        " ORDER BY e.reference_number, e.id",
        (edition_id, *judged),
    )
    return [
        JuryEntry(id=row["id"], reference=row["reference"] or f"#{row['id']}", title=row["title"],
                  organisation=row["organisation"], country=row["country"],
                  countries=json.loads(row["countries"]) or [row["country"]])
        for row in rows
    ]


def automatic_conflict(juror: JurorProfile | None, entry: JuryEntry) -> str | None:
    """'country' or 'organisation' when the profile alone rules the juror out."""
    if juror is None:
        return None
    if juror.country and juror.country.upper() in {c.upper() for c in entry.countries}:
        return "country"
    mine = " ".join(juror.organisation.split()).casefold()
    if mine and mine == " ".join(entry.organisation.split()).casefold():
        return "organisation"
    return None


# Conflicts and preferences ---------------------------------------------------------------


async def conflicts_of(db: Database, edition_id: int,
                       juror_id: int | None = None) -> dict[tuple[int, int], Conflict]:
    """Declared and secretariat conflicts by (juror_id, entry_id)."""
    sql = ("SELECT c.* FROM conflicts c JOIN entries e ON e.id = c.entry_id"
           " WHERE e.edition_id = ?")
    params: list[int] = [edition_id]
    if juror_id is not None:
        sql += " AND c.juror_id = ?"
        params.append(juror_id)
    rows = await db.fetch_all(sql, params)
    return {
        (row["juror_id"], row["entry_id"]): Conflict(
            entry_id=row["entry_id"], juror_id=row["juror_id"], source=row["source"],
            reason=row["reason"])
        for row in rows
    }


async def set_conflict(conn, *, entry_id: int, juror_id: int, source: ConflictSource,
                       reason: str, created_by: int, now: datetime) -> None:
    """Record a conflict; the secretariat's word replaces a juror's declaration, not the reverse."""
    await conn.execute(
        "INSERT INTO conflicts (entry_id, juror_id, source, reason, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, juror_id) DO UPDATE"
        " SET reason = excluded.reason, source = excluded.source,"
        " created_by = excluded.created_by, created_at = excluded.created_at"
        " WHERE conflicts.source = 'declared' OR excluded.source = 'secretariat'",
        (entry_id, juror_id, source, reason, created_by, to_iso(now)),
    )


async def remove_conflict(conn, *, entry_id: int, juror_id: int, source: ConflictSource) -> bool:
    cursor = await conn.execute(
        "DELETE FROM conflicts WHERE entry_id = ? AND juror_id = ? AND source = ?",
        (entry_id, juror_id, source),
    )
    return cursor.rowcount > 0


async def preferences_of(db: Database, edition_id: int,
                         juror_id: int | None = None) -> dict[tuple[int, int], int]:
    """+1 (would like) or −1 (rather not) by (juror_id, entry_id)."""
    sql = ("SELECT p.* FROM preferences p JOIN entries e ON e.id = p.entry_id"
           " WHERE e.edition_id = ?")
    params: list[int] = [edition_id]
    if juror_id is not None:
        sql += " AND p.juror_id = ?"
        params.append(juror_id)
    return {(row["juror_id"], row["entry_id"]): row["preference"]
            for row in await db.fetch_all(sql, params)}


async def set_preference(conn, *, entry_id: int, juror_id: int, preference: int | None,
                         now: datetime) -> None:
    if preference is None:
        await conn.execute("DELETE FROM preferences WHERE entry_id = ? AND juror_id = ?",
                           (entry_id, juror_id))
        return
    await conn.execute(
        "INSERT INTO preferences (entry_id, juror_id, preference, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (entry_id, juror_id) DO UPDATE SET preference = excluded.preference,"
        " updated_at = excluded.updated_at",
        (entry_id, juror_id, preference, to_iso(now)),
    )


# Pins and forbids --------------------------------------------------------------------------


async def rules_of(db: Database, edition_id: int) -> dict[tuple[int, int], Rule]:
    rows = await db.fetch_all(
        "SELECT r.* FROM assignment_rules r JOIN entries e ON e.id = r.entry_id"
        " WHERE e.edition_id = ?", (edition_id,))
    return {(row["juror_id"], row["entry_id"]): row["rule"] for row in rows}


async def set_rule(conn, *, entry_id: int, juror_id: int, rule: Rule | None, created_by: int,
                   now: datetime) -> None:
    if rule is None:
        await conn.execute("DELETE FROM assignment_rules WHERE entry_id = ? AND juror_id = ?",
                           (entry_id, juror_id))
        return
    await conn.execute(
        "INSERT INTO assignment_rules (entry_id, juror_id, rule, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (entry_id, juror_id) DO UPDATE"
        " SET rule = excluded.rule, created_by = excluded.created_by,"
        " created_at = excluded.created_at",
        (entry_id, juror_id, rule, created_by, to_iso(now)),
    )


# The assignment ------------------------------------------------------------------------------


async def assignment_of(db: Database, edition_id: int, round_number: int = 1
                        ) -> list[AssignedPair]:
    """Every assigned pair of the round, and whether its juror has started a score sheet
    for it in that round."""
    rows = await db.fetch_all(
        "SELECT a.entry_id, a.juror_id, a.affinity, s.id IS NOT NULL AS started"
        " FROM assignments a LEFT JOIN score_sheets s"
        " ON s.entry_id = a.entry_id AND s.juror_id = a.juror_id AND s.round = a.round"
        " WHERE a.edition_id = ? AND a.round = ? ORDER BY a.entry_id, a.juror_id",
        (edition_id, round_number))
    return [AssignedPair(entry_id=row["entry_id"], juror_id=row["juror_id"],
                         affinity=row["affinity"], started=bool(row["started"])) for row in rows]


async def replace_assignment(conn, edition_id: int, pairs: dict[tuple[int, int], float],
                             now: datetime) -> None:
    """Make the edition's round 1 assignment exactly `pairs` ((juror_id, entry_id) →
    affinity); the final round's is made by :func:`assign_final_round`.

    Pairs that stay keep their row (and their creation time); the caller has pinned
    every pair on which scoring started, so none of those goes away here.
    """
    cursor = await conn.execute(
        "SELECT juror_id, entry_id FROM assignments WHERE edition_id = ? AND round = 1",
        (edition_id,))
    current = {(row[0], row[1]) for row in await cursor.fetchall()}
    await conn.executemany(
        "DELETE FROM assignments WHERE juror_id = ? AND entry_id = ? AND round = 1",
        [pair for pair in current if pair not in pairs])
    await conn.executemany(
        "INSERT INTO assignments (entry_id, juror_id, edition_id, affinity, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (entry_id, juror_id, round) DO UPDATE"
        " SET affinity = excluded.affinity",
        [(entry_id, juror_id, edition_id, affinity, to_iso(now))
         for (juror_id, entry_id), affinity in pairs.items()])


async def assigned_entry_ids(db: Database, edition_id: int, juror_id: int,
                             round_number: int = 1) -> list[int]:
    rows = await db.fetch_all(
        "SELECT a.entry_id FROM assignments a JOIN entries e ON e.id = a.entry_id"
        " WHERE a.edition_id = ? AND a.juror_id = ? AND a.round = ?"
        " ORDER BY e.reference_number, e.id",
        (edition_id, juror_id, round_number))
    return [row[0] for row in rows]


async def assign_final_round(conn, edition_id: int, now: datetime) -> int:
    """Give every active juror without a conflict every shortlisted entry in the final
    round (round 2), inside the caller's transaction; returns the number of pairs.

    The conflict rule is round 1's (:func:`prize.store.access.conflict_sql`), read here in
    one query and applied by :func:`prize.domain.rounds.final_assignments`.
    """
    cursor = await conn.execute(
        "SELECT id FROM entries WHERE edition_id = ? AND status = ?",
        (edition_id, EntryStatus.SHORTLISTED))
    shortlisted = [row[0] for row in await cursor.fetchall()]
    cursor = await conn.execute(
        "SELECT ej.user_id FROM edition_jurors ej JOIN users u ON u.id = ej.user_id"
        " WHERE ej.edition_id = ? AND ej.status = ? AND u.is_active = 1 AND u.role = ?",
        (edition_id, JurorStatus.ACTIVE, Role.JUROR))
    jurors = [row[0] for row in await cursor.fetchall()]
    cursor = await conn.execute(
        "SELECT j.user_id, e.id FROM edition_jurors j JOIN entries e"
        " ON e.edition_id = j.edition_id AND e.status = ?"
        f" WHERE j.edition_id = ? AND {access.conflict_sql('j.user_id', 'e.id')}",
        (EntryStatus.SHORTLISTED, edition_id))
    conflicted = {(row[0], row[1]) for row in await cursor.fetchall()}
    pairs = final_assignments(shortlisted, jurors,
                              lambda juror, entry: (juror, entry) not in conflicted)
    await conn.executemany(
        "INSERT INTO assignments (entry_id, juror_id, edition_id, round, affinity, created_at)"
        " VALUES (?, ?, ?, 2, 0, ?) ON CONFLICT (entry_id, juror_id, round) DO NOTHING",
        [(pair.entry_id, pair.juror_id, edition_id, to_iso(now)) for pair in pairs])
    return len(pairs)


async def release(conn, edition_id: int, now: datetime) -> None:
    """The assignment is visible to the jurors from now on (the first release time is kept)."""
    await conn.execute(
        "UPDATE editions SET assignment_released_at = COALESCE(assignment_released_at, ?),"
        " updated_at = ? WHERE id = ?", (to_iso(now), to_iso(now), edition_id))


async def for_assignment(
    db: Database, edition_id: int
) -> tuple[list[EntryForAssignment], list[JurorForAssignment]]:
    """The edition's judged entries and active jurors as the assignment solver wants them.

    Conflicts set by the secretariat count as declared ones.
    """
    judged = EntryStatus.PASSED_SCREENING
    marks = ", ".join("?" for _ in judged)
    rows = await db.fetch_all(
        "SELECT e.id, e.reference, e.organisation, e.language, e.application,"
        " (SELECT json_group_array(country) FROM entry_countries ec WHERE ec.entry_id = e.id)"
        " AS countries, (SELECT json_group_array(language) FROM entry_translations t"
        " WHERE t.entry_id = e.id AND t.status = 'complete') AS translated"
        f" FROM entries e WHERE e.edition_id = ? AND e.status IN ({marks})"
        " ORDER BY e.reference_number, e.id", (edition_id, *judged))
    entries = []
    for row in rows:
        application = Application.model_validate_json(row["application"])
        entries.append(EntryForAssignment(
            id=row["id"], reference=row["reference"] or f"#{row['id']}",
            countries=tuple(json.loads(row["countries"])), organisation=row["organisation"],
            language=row["language"], settings=tuple(application.settings),
            target_groups=tuple(application.target_groups),
            translated=tuple(json.loads(row["translated"]))))
    conflicts = await conflicts_of(db, edition_id)
    preferences = await preferences_of(db, edition_id)
    members = await jurors_of(db, edition_id, ("active",))
    profiles = await profiles_of(db, (member.user_id for member in members))
    jurors = []
    for member in members:
        juror_profile = profiles.get(member.user_id) or JurorProfile(user_id=member.user_id)
        jurors.append(JurorForAssignment(
            id=member.user_id, name=member.name or member.email, country=juror_profile.country,
            organisation=juror_profile.organisation,
            languages=tuple(juror_profile.languages) or ("en",),
            expertise_settings=tuple(juror_profile.expertise_settings),
            expertise_groups=tuple(juror_profile.expertise_groups),
            preferences={entry: value for (juror, entry), value in preferences.items()
                         if juror == member.user_id},
            declared_conflicts=frozenset(entry for juror, entry in conflicts
                                         if juror == member.user_id)))
    return entries, jurors


async def profiles_of(db: Database, user_ids: Iterable[int]) -> dict[int, JurorProfile]:
    """The profiles of these people by user id, in one query; who has none is left out."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = await db.fetch_all(f"SELECT * FROM juror_profiles WHERE user_id IN ({marks})", ids)
    return {row["user_id"]: _profile(row) for row in rows}
