"""The `prize` command: a thin shell over the library."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import click

from prize.clock import system_clock
from prize.domain.statuses import Role
from prize.settings import Settings, SettingsError, load_settings
from prize.store.db import Database
from prize.store.postgres import backup_hint as postgres_backup_hint
from prize.web.forms import whole_number

#: The exit status of `prize serve` when the site cannot start (uvicorn's own).
STARTUP_FAILED = 3
#: `prize serve --workers N`: at most this many processes.
MAX_WORKERS = 64
UVICORN_OPTIONS: dict[str, Any] = {
    "log_level": "info",
    "proxy_headers": False,
    "server_header": False,
    # uvicorn's access log writes each visitor's IP address: personal data stays out
    # of our logs (a reverse proxy in front keeps its own, under its own rules).
    "access_log": False,
}


class CommandError(click.ClickException):
    """A one-line message on stderr and exit status 1, never a traceback."""

    def show(self, file: Any = None) -> None:
        click.echo(f"prize: {self.format_message()}", err=True)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        raise CommandError(str(error)) from None


def run_with_db(settings: Settings, work: Callable[[Database], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        db = Database(settings.database)
        try:
            await db.open()
            await db.migrate()
        except (sqlite3.DatabaseError, OSError, asyncpg.PostgresError,
                asyncpg.InterfaceError) as error:
            await db.close()
            raise CommandError(f"cannot use the database {settings.db_label}: {error}") from None
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(main())


@click.group()
@click.version_option(package_name="prize")
def main() -> None:
    """Run the European Prize for Drug Prevention platform."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=click.IntRange(1, 65535), show_default=True)
@click.option("--demo", is_flag=True, help="Load the demo data first.")
@click.option("--workers", "workers_text", default="1", show_default=True, metavar="N",
              help=f"Worker processes (1 to {MAX_WORKERS}), sharing the database.")
def serve(host: str, port: int, demo: bool, workers_text: str) -> None:
    """Migrate the database and serve the site."""
    import uvicorn

    workers = whole_number(workers_text.strip(), low=1, high=MAX_WORKERS)
    if workers is None:
        raise CommandError(
            f"--workers must be a whole number from 1 to {MAX_WORKERS}, not {workers_text!r}")
    settings = serve_settings(host, port)
    if demo:
        _load_demo(settings)
    if workers > 1:
        _serve_workers(settings, host, port, workers)
        return

    from prize.web.app import create_app

    click.echo(f"Serving on http://{host}:{port} (database {settings.db_label})")
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host=host, port=port,
                                           **UVICORN_OPTIONS))
    try:
        server.run()  # uvicorn raises SystemExit when the start-up fails
    finally:
        if not server.started:
            _exit_start_up_failed()


def _serve_workers(settings: Settings, host: str, port: int, workers: int) -> None:
    """N uvicorn worker processes on one socket, each with its own app and connections.

    The migrations run once, here, before any worker starts (each worker's start-up then
    finds nothing to apply). The workers are new processes (spawned, not forked): they
    build their app with `prize.web.app:create_worker_app`, from the environment, which
    therefore carries what this command decided (the base URL of --host and --port).
    """
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    run_with_db(settings, _nothing)
    os.environ["PRIZE_BASE_URL"] = settings.base_url
    # Without PRIZE_SECRET_KEY, the key file next to the database exists now (the settings
    # made it): every worker reads that one, so a session signed by one is good for all.
    click.echo(f"Serving on http://{host}:{port} with {workers} workers "
               f"(database {settings.db_label})")
    config = uvicorn.Config("prize.web.app:create_worker_app", factory=True, host=host,
                            port=port, workers=workers, **UVICORN_OPTIONS)
    supervisor = Multiprocess(config, sockets=[config.bind_socket()])
    supervisor.run()
    if any(worker.exitcode == STARTUP_FAILURE for worker in supervisor.processes):
        _exit_start_up_failed()


async def _nothing(db: Database) -> None:
    """For `run_with_db` when opening and migrating is all there is to do."""


def _exit_start_up_failed() -> None:
    click.echo("prize: the site could not start (the reason is logged above)", err=True)
    # os._exit, not sys.exit: a thread the failed start-up left behind (a database
    # connection, say) must not keep the process alive where a supervisor would
    # restart it.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(STARTUP_FAILED)


def serve_settings(host: str, port: int) -> Settings:
    """The settings of `prize serve`: without PRIZE_BASE_URL, the links in emails follow
    --host and --port, so that a verification link works on the port one is trying."""
    settings = _settings()
    if os.environ.get("PRIZE_BASE_URL"):
        return settings
    return replace(settings, base_url=local_base_url(host, port))


def local_base_url(host: str, port: int) -> str:
    """The address a browser on this machine uses for a server listening on host:port."""
    if host in ("", "0.0.0.0"):  # every IPv4 interface: this machine's is one of them
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema; safe to run again."""
    settings = _settings()

    async def work(db: Database) -> None:
        pass

    run_with_db(settings, work)
    click.echo(f"Database {settings.db_label} is up to date.")


@main.command()
def demo() -> None:
    """Load the demo data; running it twice changes nothing."""
    _load_demo(_settings())
    click.echo("Demo data loaded. Log in as admin@demo.prize with the password demo-password.")


def _load_demo(settings: Settings) -> None:
    from prize.demo import load_demo

    run_with_db(settings, lambda db: load_demo(db, settings, system_clock))


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("add")
@click.argument("email")
@click.option(
    "--role", type=click.Choice([str(role) for role in Role.ALL]), required=True
)
@click.option("--name", default="", help="The person's name.")
def user_add(email: str, role: str, name: str) -> None:
    """Create an account; the password comes from PRIZE_PASSWORD or a prompt."""
    from pydantic import TypeAdapter, ValidationError
    from pydantic.networks import EmailStr

    from prize.store import users
    from prize.web.security import MIN_PASSWORD_LENGTH, Passwords

    try:
        email = TypeAdapter(EmailStr).validate_python(email.strip())
    except ValidationError:
        raise CommandError(f"{email!r} is not an email address") from None
    if len(name) > 120:
        raise CommandError("the name may have 120 characters at most")
    password = os.environ.get("PRIZE_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError("set PRIZE_PASSWORD, or run in a terminal to be asked")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CommandError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    settings = _settings()

    async def work(db: Database) -> None:
        if await users.by_email(db, email):
            raise CommandError(f"an account for {email} exists already")
        async with db.transaction() as conn:
            await users.create(
                conn,
                email=email,
                name=name,
                role=role,
                password_hash=Passwords(settings).hash(password),
                now=system_clock(),
                verified=True,
            )

    run_with_db(settings, work)
    click.echo(f"Created {role} account {email}.")


async def _person_of(db: Database, email: str):
    from prize.store import users

    person = await users.by_email(db, email)
    if person is None:
        raise CommandError(f"there is no account for {email}")
    return person


@user.command("export")
@click.argument("email")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The ZIP file to write.")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def user_export(email: str, out: Path, force: bool) -> None:
    """Write everything the platform holds about EMAIL: data.json and their uploads."""
    from prize.store import audit, privacy

    if out.exists() and not force:
        raise CommandError(f"{out} exists already; choose a new file name or add --force")
    settings = _settings()

    async def work(db: Database) -> bytes:
        person = await _person_of(db, email)
        body = await privacy.export(db, person.id, settings.upload_dir)
        async with db.transaction() as conn:
            await audit.record(conn, now=system_clock(), actor_id=None, action="user.exported",
                               subject_type="user", subject_id=person.id)
        return body

    body = run_with_db(settings, work)
    try:
        out.write_bytes(body)
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror or error}") from None
    click.echo(f"Wrote the data of {email} to {out}.")


@user.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def user_erase(email: str, yes: bool) -> None:
    """Erase EMAIL's personal data, keeping the prize's record under a pseudonym."""
    from prize.domain import privacy as rules
    from prize.store import privacy

    settings = _settings()

    async def check(db: Database):
        person = await _person_of(db, email)
        refusal = rules.erasure_refusal(await privacy.erasure_facts(db, person.id))
        if refusal:
            raise CommandError(refusal)
        return person

    person = run_with_db(settings, check)
    if not yes:
        click.echo("This deletes: " + "; ".join(rules.what_goes()) + ".")
        click.echo("This keeps, anonymised: " + "; ".join(rules.what_stays()) + ".")
        try:
            confirmed = click.confirm(f"Erase {email}? This cannot be undone")
        except click.Abort:  # no answer (end of input): nothing happens
            confirmed = False
        if not confirmed:
            raise CommandError("nothing was erased (add --yes to skip this question)")

    async def work(db: Database):
        # Checked again: something may have changed while the question was asked.
        refusal = rules.erasure_refusal(await privacy.erasure_facts(db, person.id))
        if refusal:
            raise CommandError(refusal)
        return await privacy.erase_completely(db, person.id, upload_dir=settings.upload_dir,
                                              now=system_clock(), actor_id=None)

    report = run_with_db(settings, work)
    click.echo(f"Erased {email}: {_entries(report.entries_deleted)} deleted, "
               f"{report.entries_anonymised} anonymised, {report.files_deleted} files deleted, "
               f"{report.sheets_kept} score sheets kept under a pseudonym.")
    if not report.wal_emptied:
        click.echo("prize: another process was reading the database, so its write-ahead log "
                   "could not be emptied now; SQLite empties it at its next checkpoint", err=True)


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


@main.command()
@click.option("--apply", "apply_", is_flag=True,
              help="Erase what is due (without it: only list it).")
def retention(apply_: bool) -> None:
    """List (or with --apply, erase) the personal data whose retention period has ended."""
    from prize.i18n import format_moment
    from prize.store import privacy

    settings = _settings()
    now = system_clock()

    async def work(db: Database):
        return await privacy.run_retention(db, upload_dir=settings.upload_dir, now=now,
                                           actor_id=None, apply=apply_)

    due = run_with_db(settings, work)
    if not due:
        click.echo("Nothing is due.")
        return
    for item, report in due:
        ended = format_moment(item.ends_at, settings.timezone)
        if report is None:
            click.echo(f"{item.year}: {_entries(item.entries_left)} due since {ended}"
                       f" ({item.months} months after archiving)")
        else:
            click.echo(f"{item.year}: erased the personal data of "
                       f"{_entries(report.entries_deleted + report.entries_anonymised)}"
                       f" ({report.files_deleted} files)")
    if not apply_:
        click.echo("Nothing was changed; add --apply to erase it.")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write a consistent copy of the live database (SQLite online backup)."""
    settings = _settings()
    if settings.db_url is not None:
        # No copy through this process: pg_dump is PostgreSQL's consistent backup.
        raise CommandError(postgres_backup_hint(settings.db_label))
    if file.resolve() == settings.db_path:
        raise CommandError("the backup must not overwrite the live database")
    if file.exists():
        raise CommandError(f"{file} exists already; choose a new file name")

    async def work(db: Database) -> None:
        await db.backup(file)

    try:
        run_with_db(settings, work)
    except OSError as error:
        raise CommandError(f"cannot write {file}: {error.strerror or error}") from None
    click.echo(f"Backup written to {file}.")


@main.command()
@click.option("--show", "show_id", default=None, metavar="ID",
              help="Print the message ID in full (its headers and text, links included).")
def outbox(show_id: str | None) -> None:
    """List the kept emails, newest first, or print one (--show ID).

    Without PRIZE_SMTP_URL no email leaves the machine: this is how a person trying
    the demo opens their verification link."""
    from prize.i18n import format_moment
    from prize.store import outbox as store

    message_id = None
    if show_id is not None:
        message_id = whole_number(show_id.strip())
        if message_id is None:
            raise CommandError(f"{show_id!r} is not a message number (see prize outbox)")
    settings = _settings()

    async def work(db: Database) -> Any:
        if message_id is None:
            return await store.recent(db, limit=100)
        return await store.get(db, message_id)

    found = run_with_db(settings, work)
    if message_id is not None:
        if found is None:
            raise CommandError(f"there is no message #{message_id} (see prize outbox)")
        click.echo(f"Message #{found.id} ({found.kind}, {found.status})")
        click.echo(f"Date: {format_moment(found.created_at, settings.timezone)}")
        click.echo(f"To: {found.recipient}")
        click.echo(f"Subject: {found.subject}")
        click.echo()
        click.echo(found.body, nl=not found.body.endswith("\n"))
        return
    if not found:
        click.echo("The outbox is empty.")
        return
    for message in found:
        click.echo(f"#{message.id}  {format_moment(message.created_at, settings.timezone)}"
                   f"  {message.status}  {message.recipient}  {message.subject}")
    click.echo("Print one with: prize outbox --show ID")


@main.command()
@click.argument("year")
def remind(year: str) -> None:
    """Remind the late jurors of the edition YEAR (at most once a day each)."""
    from prize import notifications
    from prize.mail import Mailer
    from prize.store import editions
    from prize.web.templating import build_environment

    if whole_number(year, low=2000, high=2100) is None:
        raise CommandError(f"{year!r} is not a year (e.g. 2026)")
    settings = _settings()

    async def work(db: Database) -> tuple[list[str], list[str]]:
        edition = await editions.by_year(db, int(year))
        if edition is None:
            raise CommandError(f"there is no edition {year}")
        if edition.status != "judging":
            raise CommandError(f"the edition {year} is not in judging (it is {edition.status})")
        mailer = Mailer(db, settings, build_environment(), system_clock)
        await mailer.config.refresh()  # the prize's identity and the edition's email texts
        return await notifications.send_reminders(
            db, mailer, edition, now=system_clock(), actor_id=None, base_url=settings.base_url
        )

    reminded, skipped = run_with_db(settings, work)
    click.echo(f"Reminders sent: {len(reminded)}; already reminded today: {len(skipped)}.")


@main.command()
def digest() -> None:
    """Mail the daily digest of new discussion comments (meant for a daily cron)."""
    from prize import notifications
    from prize.mail import Mailer
    from prize.web.templating import build_environment

    settings = _settings()

    async def work(db: Database) -> tuple[list[str], list[str]]:
        mailer = Mailer(db, settings, build_environment(), system_clock)
        await mailer.config.refresh()  # the prize's identity, for the signature
        return await notifications.send_digests(
            db, mailer, now=system_clock(), base_url=settings.base_url,
            timezone=settings.timezone)

    sent, skipped = run_with_db(settings, work)
    click.echo(f"Digests sent: {len(sent)}; already sent today: {len(skipped)}.")


@main.command()
@click.argument("year")
@click.option("--what", required=True, help="entries, scores or ranking")
@click.option("--format", "fmt", default="csv", show_default=True, help="csv or xlsx")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (required for xlsx; csv goes to standard output).")
@click.option("--round", "round_text", default=None,
              help="The ranking's round: 1, or 2 for a final round (default: the last one).")
def export(year: str, what: str, fmt: str, out: Path | None, round_text: str | None) -> None:
    """Write the edition YEAR's entries, scores or ranking as CSV or XLSX."""
    from prize.domain import exports
    from prize.store import editions
    from prize.store.scoring import export_table

    if whole_number(year, low=2000, high=2100) is None:
        raise CommandError(f"{year!r} is not a year (e.g. 2026)")
    problems = exports.check_choice(what, fmt)
    if problems:
        raise CommandError("; ".join(problems))
    if fmt == "xlsx" and out is None:
        raise CommandError("xlsx needs a file: add --out FILE")
    settings = _settings()

    async def work(db: Database) -> exports.Table:
        edition = await editions.by_year(db, int(year))
        if edition is None:
            raise CommandError(f"there is no edition {year}")
        round_number = None
        if round_text is not None:
            round_number = whole_number(round_text, low=1, high=edition.rounds)
            if round_number is None:
                raise CommandError(
                    f"--round {round_text!r}: edition {year} has "
                    + ("one round (1)" if edition.rounds == 1 else "rounds 1 and 2"))
            if what != "ranking":
                raise CommandError("--round applies to --what ranking only")
        return await export_table(db, edition, what, round_number)

    table = run_with_db(settings, work)
    body = exports.to_csv(table).encode() if fmt == "csv" else exports.to_xlsx(table, what)
    if out is None:
        click.echo(body.decode(), nl=False)
        return
    try:
        out.write_bytes(body)
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror or error}") from None
    click.echo(f"Wrote {len(table.rows)} rows to {out}.", err=True)


@main.group("form")
def form_group() -> None:
    """An edition's application form, as JSON."""


def _edition_year(year: str) -> int:
    if whole_number(year, low=2000, high=2100) is None:
        raise CommandError(f"{year!r} is not a year (e.g. 2026)")
    return int(year)


@form_group.command("export")
@click.argument("year")
def form_export(year: str) -> None:
    """Write the edition YEAR's application form as JSON on standard output."""
    from prize.store import editions, forms

    wanted = _edition_year(year)

    async def work(db: Database) -> str:
        edition = await editions.by_year(db, wanted)
        if edition is None:
            raise CommandError(f"there is no edition {year}")
        return (await forms.stored(db, edition.id)).to_json()

    click.echo(run_with_db(_settings(), work))


@form_group.command("import")
@click.argument("year")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def form_import(year: str, file: Path) -> None:
    """Replace the edition YEAR's form with FILE, after the checks of the form screen."""
    import json

    from prize.domain.form_schema import FormProblem, parse_form
    from prize.i18n import use_locale
    from prize.store import editions, forms

    wanted = _edition_year(year)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"cannot read {file}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{file} is not JSON: {error}") from None
    with use_locale("en"):
        try:
            schema = parse_form(data)
        except FormProblem as problem:
            raise CommandError(f"{file}: {problem}") from None

    async def work(db: Database) -> list[str]:
        edition = await editions.by_year(db, wanted)
        if edition is None:
            raise CommandError(f"there is no edition {year}")
        with use_locale("en"):
            try:
                async with db.transaction() as conn:
                    return await forms.replace(
                        conn, edition.id, schema, now=system_clock(), actor_id=None)
            except FormProblem as problem:
                raise CommandError(f"{file}: {problem}") from None

    changed = run_with_db(_settings(), work)
    if not changed:
        click.echo(f"The form of {year} is unchanged.")
    else:
        click.echo(f"The form of {year} is replaced ({len(changed)} changes).")


@main.group("db")
def db_group() -> None:
    """Move an installation between databases."""


#: Test hook (docs/operator.md): exit abruptly, mid-transaction, after copying table N.
CRASH_AFTER_TABLE = "PRIZE_DB_COPY_CRASH_AFTER_TABLE"


@db_group.command("copy")
@click.argument("src")
@click.argument("dest")
@click.option("--verify-only", is_flag=True,
              help="Compare SRC and DEST table by table without copying.")
def db_copy(src: str, dest: str, verify_only: bool) -> None:
    """Copy every table of SRC into the new, empty database DEST, then compare them.

    SRC and DEST are file paths, sqlite:///path or postgresql://user:password@host/db
    URLs. DEST is migrated first and filled in one transaction.
    """
    from prize.store import db_copy as copying

    try:
        source = copying.parse_location(src)
        destination = copying.parse_location(dest)
    except copying.LocationError as error:
        raise CommandError(str(error)) from None
    try:
        report = asyncio.run(copying.copy_installation(
            source, destination, verify_only=verify_only, after_table=_crash_hook()))
    except (copying.CopyRefused, copying.LocationError) as error:
        raise CommandError(str(error)) from None
    width = max(len(table.name) for table in report.tables)
    click.echo(f"{'table':<{width}}  {'rows':>7}  checksum      ok")
    for table in report.tables:
        mark = "ok" if table.ok else (
            f"DIFFERS: DEST has {table.destination.rows} rows,"
            f" checksum {table.destination.short}")
        click.echo(f"{table.name:<{width}}  {table.source.rows:>7}  {table.source.short}  {mark}")
    wrong = report.mismatched
    if wrong:
        more = f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else ""
        raise CommandError(f"DEST differs from SRC in table {wrong[0].name}{more}")
    done = "Copied" if report.copied else "Compared"
    click.echo(f"{done} {len(report.tables)} tables: DEST matches SRC row for row.")
    if report.copied:
        uploads = _upload_dir_of(source)
        click.echo(f"The uploaded files ({report.uploads} in SRC) are not in the database:"
                   f" copy the folder {uploads} to DEST's PRIZE_UPLOAD_DIR,"
                   f" e.g. rsync -a {uploads}/ NEW_UPLOAD_DIR/")


def _upload_dir_of(source: Any) -> str:
    """PRIZE_UPLOAD_DIR as set, else where it is by default for SRC. Read here, not
    through load_settings(), which is about PRIZE_DB's installation (and would make a
    secret key file next to it): SRC and DEST are the arguments."""
    configured = os.environ.get("PRIZE_UPLOAD_DIR")
    if configured:
        return str(Path(configured).expanduser().resolve())
    if source.engine == "sqlite":
        return str(source.path.with_name(source.path.stem + "-uploads"))
    return str(Path("prize-uploads").resolve())


def _crash_hook() -> Callable[[int, str], None] | None:
    """With PRIZE_DB_COPY_CRASH_AFTER_TABLE=N, the process ends at once after copying
    the N-th table, inside the open transaction, as a kill would end it."""
    text = os.environ.get(CRASH_AFTER_TABLE, "")
    if not text.isdigit():
        return None
    stop_at = int(text)

    def crash(position: int, name: str) -> None:
        if position == stop_at:
            click.echo(f"prize: {CRASH_AFTER_TABLE}: stopping after table {name}", err=True)
            sys.stderr.flush()
            os._exit(70)

    return crash


if __name__ == "__main__":
    main()
