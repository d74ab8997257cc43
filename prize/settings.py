"""One settings object, built from the environment at start-up and passed down."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Strasbourg, seat of the Council of Europe, keeps the time of the IANA zone Europe/Paris
# ("Europe/Strasbourg" is not a zone name).
DEFAULT_TIMEZONE = "Europe/Paris"

# argon2id's cost, as argon2-cffi's default (RFC 9106's second recommendation): 3 passes
# over 64 MiB in 4 lanes. Every hash records the cost it was made with, so hashes made at
# another cost still verify.
PASSWORD_TIME_COST = 3
PASSWORD_MEMORY_COST = 64 * 1024  # KiB
PASSWORD_PARALLELISM = 4


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class SettingsError(ValueError):
    """A setting from the environment is unusable; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    #: The SQLite file; None when the database is PostgreSQL's (`db_url`).
    db_path: Path | None
    secret_key: str
    base_url: str
    smtp_url: str | None
    upload_dir: Path
    timezone: str = DEFAULT_TIMEZONE
    mail_from: str = "European Prize for Drug Prevention <no-reply@prize.invalid>"
    #: The reverse proxies whose `X-Forwarded-For` is believed (none by default).
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # Not read from the environment: production keeps the strong cost, tests lower it.
    password_time_cost: int = PASSWORD_TIME_COST
    password_memory_cost: int = PASSWORD_MEMORY_COST
    password_parallelism: int = PASSWORD_PARALLELISM
    #: A postgresql:// URL when PRIZE_DB is one (then db_path is None).
    db_url: str | None = None

    @property
    def database(self) -> str | Path:
        """What `Database(...)` opens: the PostgreSQL URL or the SQLite file."""
        return self.db_url or self.db_path  # type: ignore[return-value]

    @property
    def db_label(self) -> str:
        """The database as messages name it (a URL without its password)."""
        if self.db_url is None:
            return str(self.db_path)
        parts = urlsplit(self.db_url)
        if parts.password is None:
            return self.db_url
        host = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        return parts._replace(netloc=f"{user}@{host}").geturl()

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def url(self, path: str) -> str:
        """An absolute URL for links in emails."""
        return self.base_url.rstrip("/") + path


def _secret_next_to(db_path: Path) -> str:
    # Kept next to the database so that sessions survive restarts without any set-up.
    key_file = db_path.with_name(db_path.name + ".secret")
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _secret_in_database(url: str) -> str:
    """PostgreSQL: the secret kept in the database, so that every worker and machine
    signs alike. Asked on a thread of its own: settings are loaded inside and outside an
    event loop alike."""
    from concurrent.futures import ThreadPoolExecutor

    from prize.store.postgres import shared_secret

    try:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, shared_secret(url, secrets.token_urlsafe(48))).result()
    except Exception as error:  # noqa: BLE001 (any failure: one clear message)
        raise SettingsError(
            f"PRIZE_DB: cannot reach the PostgreSQL database to read its secret key ({error});"
            " set PRIZE_SECRET_KEY or check the URL") from None


def parse_trusted_proxies(text: str) -> tuple[IPNetwork, ...]:
    """`PRIZE_TRUSTED_PROXIES`: addresses or networks separated by commas, e.g.
    `127.0.0.1, 10.0.0.0/8, ::1`; an empty text trusts no one."""
    networks = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError as error:
            raise SettingsError(
                f"PRIZE_TRUSTED_PROXIES: {item!r} is not an IP address or network ({error});"
                " write them like 127.0.0.1, 10.0.0.0/8 or ::1, separated by commas"
            ) from None
    return tuple(networks)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the PRIZE_* variables of CONTRACTS.md; every one is optional."""
    env = os.environ if environ is None else environ
    from prize.store.db import describe

    engine, where = describe(env.get("PRIZE_DB") or "prize.db")
    db_url: str | None = str(where) if engine == "postgresql" else None
    db_path: Path | None = None if db_url else Path(where).expanduser().resolve()
    base_url = (env.get("PRIZE_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    if urlsplit(base_url).scheme not in ("http", "https"):
        raise SettingsError(f"PRIZE_BASE_URL must start with http:// or https://, not {base_url!r}")
    smtp_url = env.get("PRIZE_SMTP_URL") or None
    if smtp_url and urlsplit(smtp_url).scheme not in ("smtp", "smtps", "smtp+starttls"):
        raise SettingsError("PRIZE_SMTP_URL must look like smtp://user:password@host:port")
    mail_from = env.get("PRIZE_MAIL_FROM") or Settings.mail_from
    if "@" not in mail_from or "\n" in mail_from or "\r" in mail_from:
        raise SettingsError("PRIZE_MAIL_FROM must be an address like Prize <prize@example.org>")
    # On PostgreSQL there is no file to put them next to: ./prize-uploads.
    default_uploads = (Path("prize-uploads") if db_path is None
                       else db_path.with_name(db_path.stem + "-uploads"))
    upload_dir = Path(env.get("PRIZE_UPLOAD_DIR") or default_uploads)
    trusted_proxies = parse_trusted_proxies(env.get("PRIZE_TRUSTED_PROXIES") or "")
    secret_key = env.get("PRIZE_SECRET_KEY") or (
        _secret_next_to(db_path) if db_path is not None else _secret_in_database(db_url))
    return Settings(
        db_path=db_path,
        secret_key=secret_key,
        base_url=base_url,
        smtp_url=smtp_url,
        upload_dir=upload_dir.expanduser().resolve(),
        mail_from=mail_from,
        trusted_proxies=trusted_proxies,
        db_url=db_url,
    )
