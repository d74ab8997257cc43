"""The secretariat's management of accounts: search, roles, deactivation."""

from __future__ import annotations

from prize.domain.statuses import Role
from prize.store.db import Database
from prize.store.users import User, _user


async def search(db: Database, *, q: str | None = None, role: str | None = None,
                 limit: int = 50, offset: int = 0) -> tuple[list[User], int]:
    """Accounts whose name or email contains `q`, by name; and how many match in all."""
    where, params = ["1 = 1"], []
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(email LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')")
        params += [like, like]
    if role in Role.ALL:
        where.append("role = ?")
        params.append(role)
    clause = " AND ".join(where)
    total = await db.fetch_value(f"SELECT COUNT(*) FROM users WHERE {clause}", params)
    rows = await db.fetch_all(
        f"SELECT * FROM users WHERE {clause} ORDER BY name COLLATE NOCASE, email LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [_user(row) for row in rows], total


async def set_role(conn, user_id: int, role: Role) -> None:
    # A new role changes what the person may see: their open sessions end.
    await conn.execute(
        "UPDATE users SET role = ?, session_epoch = session_epoch + 1 WHERE id = ?", (role, user_id)
    )


async def set_active(conn, user_id: int, active: bool) -> None:
    """Deactivation keeps the account and its past work; only signing in stops."""
    await conn.execute(
        "UPDATE users SET is_active = ?, session_epoch = session_epoch + 1 WHERE id = ?",
        (1 if active else 0, user_id),
    )
