"""The application factory: tests call `create_app(settings)` directly."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from prize.clock import Clock, system_clock
from prize.configuration import Configuration
from prize.mail import Mailer
from prize.settings import Settings
from prize.store import minimise
from prize.store.db import Database, DatabaseBusy
from prize.store.memo import DataMemo
from prize.web import (
    accounts,
    admin,
    api,
    applicant,
    deliberation,
    discussion,
    jury,
    notices,
    privacy,
    public,
    publication,
    scoring,
    translations,
)
from prize.web.auth import THROTTLE_WINDOW, CurrentUser
from prize.web.busy import database_busy
from prize.web.commit_look import LookForCommits
from prize.web.errors import exception_handlers
from prize.web.page_cache import PageCache
from prize.web.security import BodyLimit, ForwardedClient, Passwords, SecurityHeaders, Sessions
from prize.web.site_config import RefreshConfiguration
from prize.web.templating import build_environment

log = logging.getLogger("prize")
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
# Five attachments of 10 MB and the form around them.
MAX_BODY_BYTES = 52 * 1024 * 1024


_start_up_frozen = False


def _freeze_start_up_objects() -> None:
    """Leave what start-up made (modules, compiled templates, Babel's and the catalogue's
    data: some 70,000 objects, none of them ever garbage) out of the garbage collector's
    passes. A full pass over them took 30 to 70 ms, a pause of every request on the way,
    a few times a minute under load: the signed-in pages' p99. Once per process (the
    first app: a worker's only one), after a collection, so nothing garbage is kept."""
    global _start_up_frozen
    if not _start_up_frozen:
        _start_up_frozen = True
        gc.collect()
        gc.freeze()


async def _flush_leftover_mail(mailer: Mailer) -> None:
    try:
        await mailer.flush()
    except Exception:  # noqa: BLE001 (nothing awaits this task: its error would be lost)
        log.exception("mail left from before the start could not be sent")


def create_app(settings: Settings, *, clock: Clock = system_clock) -> Starlette:
    db = Database(settings.database)
    # The signed-in pages' reads, kept until anyone commits (prize/store/memo.py).
    memo = DataMemo(settings.db_path, commits=lambda: db.commits,
                    watch=getattr(db, "commit_stamp", None))
    templates = build_environment()
    templates.fragment_memo = memo  # {% cached %} parts of pages (prize.web.templating)
    # The prize's identity and email texts, read by every page (`site`) and every email.
    config = Configuration(db)
    templates.globals["site"] = config

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Closed whatever happens: a connection left open by a failed start-up would keep
        # its thread, and with it the process, alive.
        try:
            await db.open()
            applied = await db.migrate()
            if applied:
                log.info("applied migrations: %s", ", ".join(applied))
            memo.open()
            # Personal data no longer of use goes (prize.store.minimise): client addresses
            # past the throttle's window, long-expired links, old account mail's text.
            await minimise.at_start_up(db, clock(), THROTTLE_WINDOW)
            await config.reload()
            settings.upload_dir.mkdir(parents=True, exist_ok=True)
            # Mail that could not go out before a restart goes now, beside the site: the
            # site starts whether or not the mail server answers.
            leftover_mail = asyncio.create_task(_flush_leftover_mail(app.state.mailer))
            _freeze_start_up_objects()
            try:
                yield
            finally:
                leftover_mail.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await leftover_mail
        finally:
            memo.close()
            await db.close()

    routes = [
        *public.routes,
        *accounts.routes,
        *notices.routes,
        *applicant.routes,
        *jury.routes,
        *scoring.routes,
        *discussion.routes,
        *translations.routes,
        *admin.routes,
        *deliberation.routes,
        *publication.routes,
        *privacy.routes,
        *api.routes,
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    middleware = [
        # First, so that everything after it sees the client a trusted proxy reports.
        Middleware(ForwardedClient, trusted=settings.trusted_proxies),
        # Outermost, so that even the body limit's own 413 carries the headers.
        Middleware(SecurityHeaders, hsts=settings.secure_cookies),
        Middleware(BodyLimit, max_bytes=MAX_BODY_BYTES),
        # PostgreSQL: whether anyone committed, read once before any cache is asked.
        *([Middleware(LookForCommits, db=db)] if hasattr(db, "commit_stamp") else []),
        Middleware(PageCache, db=db, clock=clock),
        Middleware(RefreshConfiguration, config=config),
        Middleware(
            Sessions,
            secret_key=settings.secret_key,
            session_cookie="prize_session",
            max_age=14 * 24 * 3600,
            same_site="lax",
            https_only=settings.secure_cookies,
        ),
        Middleware(CurrentUser),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        # Another process's write held SQLite's lock too long: 503, nothing typed lost.
        exception_handlers={**exception_handlers(), DatabaseBusy: database_busy},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.memo = memo
    app.state.passwords = Passwords(settings)
    app.state.clock = clock
    app.state.templates = templates
    app.state.config = config
    app.state.mailer = Mailer(db, settings, templates, clock, config)
    return app


def create_worker_app() -> Starlette:
    """The app of one `prize serve --workers N` process (uvicorn's factory, called with
    no argument in each new worker): the settings come from the environment, which the
    parent set for it (prize/cli.py)."""
    from prize.settings import load_settings

    # A new process: the parent's logging set-up did not come with it.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return create_app(load_settings())
