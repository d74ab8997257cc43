"""Pages for everyone: home, the good-practice catalogue, editions, feed and sitemap.

Public pages carry an ETag built from the version of the public data
(`Database.public_version()`, read from SQLite only after a commit or every half
second), so a repeat visit costs a 304 and, most of the time, no query at all. Query
results are kept in memory (`VersionedCache`) for as long as that version does not
change; the whole responses of anonymous readers are kept by prize/web/page_cache.py,
under the same version.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from prize import i18n
from prize.domain import practices as catalogue
from prize.domain.practices import BadQuery, CatalogueQuery, parse_catalogue_query
from prize.domain.statuses import EditionStatus, Role
from prize.store import editions, entries
from prize.store import practices as store
from prize.web.params import paginate
from prize.web.routing import page
from prize.web.templating import render

PUBLIC_MAX_AGE = 60
PUBLIC_IMAGE_TYPES = ("image/png", "image/jpeg")


# Caching ----------------------------------------------------------------------------


# What a shared computation that failed hands to those who waited for it.
_FAILED = object()


class VersionedCache:
    """Values computed for one public version; a new version empties it.

    Concurrent misses of one key wait for one computation (no stampede of identical
    queries); if it fails, each of them computes on its own, so none waits forever.
    """

    def __init__(self, max_items: int = 512) -> None:
        self.version: int | None = None
        self.items: dict[Any, Any] = {}
        self.computing: dict[Any, asyncio.Future[Any]] = {}
        self.max_items = max_items
        self.computed = 0

    async def get_or_compute(self, version: int, key: Any,
                             compute: Callable[[], Awaitable[Any]]) -> Any:
        if version != self.version:
            self.version, self.items, self.computing = version, {}, {}
        if key in self.items:
            return self.items[key]
        pending = self.computing.get(key)
        if pending is not None:
            value = await asyncio.shield(pending)
            if value is not _FAILED:
                return value
            self.computed += 1
            return await compute()
        computing = self.computing[key] = asyncio.get_running_loop().create_future()
        try:
            self.computed += 1
            value = await compute()
        except BaseException:
            computing.set_result(_FAILED)
            raise
        finally:
            if self.computing.get(key) is computing:
                del self.computing[key]
        computing.set_result(value)
        # A write between reading the version and computing only ever leaves an entry
        # under the older version, which the next request's newer version discards.
        if self.version == version and len(self.items) < self.max_items:
            self.items[key] = value
        return value


def catalogue_cache(request: Request) -> VersionedCache:
    state = request.app.state
    cache = getattr(state, "catalogue_cache", None)
    if cache is None:
        cache = state.catalogue_cache = VersionedCache()
    return cache


def make_etag(*parts: object) -> str:
    return '"' + hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest() + '"'


def is_fresh(request: Request, etag: str) -> bool:
    """The client's copy (If-None-Match) is still the current one."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    given = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in given or "*" in given


def page_etag(request: Request, version: int, *extra: object) -> str:
    """An HTML page's ETag: the catalogue, the URL, the language and who is looking."""
    user = getattr(request.state, "user", None)
    session = request.scope.get("session", {})
    return make_etag(version, str(request.url), i18n.current_locale(),
                     user.id if user else None, session.get("csrf"), *extra)


def cache_headers(request: Request, etag: str, *, personal: bool) -> dict[str, str]:
    if personal and getattr(request.state, "user", None) is not None:
        control = "private, no-cache"
    else:
        control = f"public, max-age={PUBLIC_MAX_AGE}"
    headers = {"ETag": etag, "Cache-Control": control}
    if personal:
        headers["Vary"] = "Cookie, Accept-Language"
    return headers


def not_modified(headers: dict[str, str]) -> Response:
    return Response(status_code=304, headers=headers)


async def cached_page(
    request: Request, build: Callable[[int], Awaitable[Response]], *extra: object,
) -> Response:
    """An HTML page answered with 304 when the visitor's copy is current."""
    version = await request.app.state.db.public_version()
    etag = page_etag(request, version, *extra)
    headers = cache_headers(request, etag, personal=True)
    has_notes = bool(request.scope.get("session", {}).get("flash"))
    if is_fresh(request, etag) and not has_notes:
        return not_modified(headers)
    response = await build(version)
    if response.status_code == 200:
        response.headers.update(headers)
    return response


# Pages ------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    app = request.app.state
    now = app.clock()

    async def build(version: int) -> Response:
        open_calls = await editions.open_for_entries(app.db, now)
        winners = await catalogue_cache(request).get_or_compute(
            version, "featured", lambda: store.featured(app.db, 3)
        )
        return render(request, "public/home.html", {"open_calls": open_calls, "featured": winners})

    # The call disappears when its deadline passes: the minute is part of the ETag.
    return await cached_page(request, build, now.strftime("%Y%m%d%H%M"))


def _query_or_400(request: Request) -> CatalogueQuery:
    try:
        return parse_catalogue_query(request.query_params)
    except BadQuery as problem:
        raise HTTPException(400, detail=str(problem)) from None


async def search_catalogue(request: Request, version: int,
                           query: CatalogueQuery) -> store.CataloguePage:
    db = request.app.state.db
    return await catalogue_cache(request).get_or_compute(
        version, ("search", query), lambda: store.search(db, query)
    )


async def practice_list(request: Request) -> Response:
    query = _query_or_400(request)
    db = request.app.state.db

    async def build(version: int) -> Response:
        found = await search_catalogue(request, version, query)
        facets = await catalogue_cache(request).get_or_compute(
            version, "facets", lambda: store.facet_counts(db)
        )
        pages = paginate(found.total, query.page, query.per_page).last
        return render(request, "public/practices.html", {
            "query": query, "found": found, "facets": facets, "pages": pages,
            "link": lambda **changes: "/practices?" + urlencode(query.params(**changes)),
            "sorts": catalogue.SORTS,
        })

    return await cached_page(request, build)


async def _published(request: Request, version: int) -> store.Practice:
    slug = request.path_params["slug"]
    db = request.app.state.db
    practice = await catalogue_cache(request).get_or_compute(
        version, ("practice", slug), lambda: store.published_by_slug(db, slug)
    )
    if practice is None:
        raise HTTPException(404, detail=i18n.gettext(
            "This good practice does not exist or is no longer published."))
    return practice


def image_url(practice: store.Practice, attachment_id: int) -> str:
    return f"/practices/{practice.slug}/images/{attachment_id}"


async def practice_detail(request: Request) -> Response:
    async def build(version: int) -> Response:
        practice = await _published(request, version)
        settings = request.app.state.settings
        return render(request, "public/practice.html", {
            "practice": practice,
            "canonical": settings.url(f"/practices/{practice.slug}"),
            "images": [image_url(practice, image) for image in practice.image_attachment_ids],
        })

    return await cached_page(request, build)


async def practice_image(request: Request) -> Response:
    """An image the applicant allowed on the public page, and only such an image."""
    db = request.app.state.db
    version = await db.public_version()
    practice = await _published(request, version)
    attachment_id = request.path_params["attachment_id"]
    attachment = await entries.attachment(db, attachment_id)
    if (
        attachment is None
        or attachment_id not in practice.image_attachment_ids
        or attachment.entry_id != practice.entry_id
        or not attachment.public_allowed
        or attachment.content_type not in PUBLIC_IMAGE_TYPES
    ):
        raise HTTPException(404)
    path = request.app.state.settings.upload_dir / attachment.stored_name
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type=attachment.content_type, headers={
        "Cache-Control": "public, max-age=86400",
        "Content-Security-Policy": "default-src 'none'; sandbox; frame-ancestors 'none'",
    })


async def public_edition(request: Request, year: int) -> Any:
    """An edition the public may see (not a draft), or None."""
    edition = await editions.by_year(request.app.state.db, year)
    if edition is None or edition.status == "draft":
        return None
    return edition


async def edition_page(request: Request) -> Response:
    year = request.path_params["year"]
    app = request.app.state
    db = app.db
    now = app.clock()
    user = getattr(request.state, "user", None)
    # An applicant's own draft decides the button (resume, not start): part of the ETag,
    # since starting an entry changes no public data.
    draft = None
    if user is not None and user.role in Role.APPLICANTS:
        edition = await public_edition(request, year)
        if edition is not None:
            drafts = await entries.drafts_of_owner(db, user.id, edition.id)
            draft = drafts[0] if drafts else None

    async def build(version: int) -> Response:
        edition = await public_edition(request, year)
        if edition is None:
            raise HTTPException(404, detail=i18n.gettext("There is no edition of that year."))
        winners = await store.published_of_edition(db, edition.id)
        return render(request, "public/edition.html", {
            "edition": edition, "practices": winners,
            "jury_size": await store.jury_size(db, edition.id),
            "call_open": edition.is_open_for_entries(now), "draft": draft,
        })

    # The button goes when the deadline passes: the minute is part of the ETag.
    return await cached_page(request, build, now.strftime("%Y%m%d%H%M"),
                             draft.id if draft else None)


async def edition_list(request: Request) -> Response:
    """Every edition the public may see (not drafts), newest first."""
    db = request.app.state.db
    now = request.app.state.clock()

    async def build(version: int) -> Response:
        shown = [edition for edition in await editions.all_editions(db)
                 if edition.status != EditionStatus.DRAFT]
        return render(request, "public/editions.html", {"editions": shown, "now": now})

    return await cached_page(request, build, now.strftime("%Y%m%d%H%M"))


async def _cached_document(request: Request, template: str, media_type: str,
                           context: Callable[[], Awaitable[dict[str, Any]]]) -> Response:
    """A feed or sitemap: the same for everyone, so cached as one document."""
    version = await request.app.state.db.public_version()
    etag = make_etag(version, template)
    headers = cache_headers(request, etag, personal=False)
    if is_fresh(request, etag):
        return not_modified(headers)

    async def build() -> bytes:
        env = request.app.state.templates
        settings = request.app.state.settings
        return env.get_template(template).render(
            base_url=settings.base_url.rstrip("/"), **await context()
        ).encode()

    body = await catalogue_cache(request).get_or_compute(version, template, build)
    return Response(body, media_type=media_type, headers=headers)


async def atom_feed(request: Request) -> Response:
    db = request.app.state.db

    async def context() -> dict[str, Any]:
        items = await store.latest(db, 50)
        updated = max((p.updated_at for p in items), default=None)
        return {"practices": items, "updated": updated}

    return await _cached_document(request, "public/feed.xml",
                                  "application/atom+xml; charset=utf-8", context)


async def sitemap(request: Request) -> Response:
    db = request.app.state.db

    async def context() -> dict[str, Any]:
        return {"practices": await store.sitemap_entries(db),
                "years": await store.published_years(db)}

    return await _cached_document(request, "public/sitemap.xml",
                                  "application/xml; charset=utf-8", context)


async def healthz(request: Request) -> Response:
    await request.app.state.db.ping()
    return JSONResponse({"status": "ok"})


routes = [
    page("/", home),
    page("/healthz", healthz),
    page("/practices", practice_list),
    page("/practices/{slug}", practice_detail),
    page("/practices/{slug}/images/{attachment_id:id}", practice_image),
    page("/editions", edition_list),
    page("/editions/{year:id}", edition_page),
    page("/feed.atom", atom_feed),
    page("/sitemap.xml", sitemap),
]
