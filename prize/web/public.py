"""Pages for everyone: home, the good-practice catalogue, editions, feed and sitemap.

Public pages carry an ETag built from the version of the public data
(`Database.public_version()`, whose row is read again only after someone, in any
process, committed), so a repeat visit costs a 304 and, most of the time, no query. Query
results are kept in memory (`VersionedCache`) for as long as that version does not
change; the whole responses of anonymous readers are kept by prize/web/page_cache.py,
under the same version.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from prize import i18n
from prize.domain import country_map, vocabulary
from prize.domain import practices as catalogue
from prize.domain.editions import substance_label
from prize.domain.practices import BadQuery, CatalogueQuery, parse_catalogue_query
from prize.domain.statuses import EditionStatus, Role
from prize.store import editions, entries
from prize.store import practices as store
from prize.store import translations as translation_store
from prize.web import translations
from prize.web.params import paginate
from prize.web.routing import page
from prize.web.templating import render

PUBLIC_MAX_AGE = 60


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
        facets = await whole_catalogue_facets(request, version)
        return render(request, "public/home.html", {
            "open_calls": open_calls, "featured": winners,
            "country_map": country_map.tiles(map_counts(facets)),
        })

    # The call disappears when its deadline passes: the minute is part of the ETag.
    return await cached_page(request, build, now.strftime("%Y%m%d%H%M"))


async def search_catalogue(request: Request, version: int, query: CatalogueQuery, *,
                           with_facets: bool = False) -> store.CataloguePage:
    """A page of results (and, for the HTML page, the facets that go with it), cached.

    Sorting by country follows the countries' names in the page's language, so that
    order, and only that one, is kept per language.
    """
    db = request.app.state.db
    order: tuple[str, ...] = ()
    if query.effective_sort == "country":
        order = vocabulary.all_countries_by_name(i18n.current_locale())
    key = ("search", query, with_facets, i18n.current_locale() if order else None)
    return await catalogue_cache(request).get_or_compute(
        version, key,
        lambda: store.search(db, query, country_order=order, with_facets=with_facets),
    )


async def whole_catalogue_facets(request: Request, version: int) -> dict[str, list]:
    db = request.app.state.db
    return await catalogue_cache(request).get_or_compute(
        version, "facets", lambda: store.facet_counts(db)
    )


async def substance_words(request: Request, version: int) -> list:
    """The editions that add words to substances and behaviours (`substance_label`)."""
    db = request.app.state.db
    return await catalogue_cache(request).get_or_compute(
        version, "substance words", lambda: editions.substances_vocabulary(db)
    )


async def substance_labels(request: Request, version: int, keys) -> dict[str, str]:
    """Key → label in the page's language of the substances and behaviours `keys`: the
    platform's words and those editions added (an unknown key stays itself)."""
    words = await substance_words(request, version)
    return {key: substance_label(key, words) for key in keys}


async def check_substance(request: Request, query: CatalogueQuery) -> None:
    """BadQuery when the query asks for a substance or behaviour nobody knows: neither the
    platform's nor an edition's word, nor a value a published practice uses."""
    if query.substance is None or query.substance in vocabulary.SUBSTANCES:
        return
    version = await request.app.state.db.public_version()
    known = {item.key for edition in await substance_words(request, version)
             for item in edition.substances_extra}
    known |= {value for value, _ in
              (await whole_catalogue_facets(request, version)).get("substance", [])}
    if query.substance not in known:
        raise BadQuery("substance: must be a substance or behaviour the catalogue knows,"
                       " for example alcohol", field="substance", kind="value_error")


def shown_facets(facets: dict[str, list[tuple[str, int]]],
                 query: CatalogueQuery) -> dict[str, list[tuple[str, int]]]:
    """The facets as the filters list them: countries by name in the page's language, and
    the chosen value of each filter kept (with 0) when the search leaves none of it."""
    shown = {name: list(values) for name, values in facets.items()}
    for name in store.FACETS:
        chosen = getattr(query, name)
        values = shown.setdefault(name, [])
        if chosen is not None and str(chosen) not in {value for value, _ in values}:
            values.append((str(chosen), 0))
    counts = dict(shown["country"])
    shown["country"] = [(code, counts[code]) for code in vocabulary.countries_by_name(counts)]
    shown["year"].sort(reverse=True)
    return shown


def map_counts(facets: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    return dict(facets.get("country", []))


async def _catalogue_page(request: Request, version: int, query: CatalogueQuery,
                          found: store.CataloguePage,
                          facets: dict, all_facets: dict, *, problem: str = "",
                          typed_q: str | None = None, status_code: int = 200) -> Response:
    pages = paginate(found.total, query.page, query.per_page).last
    active = sum(1 for name in store.FACETS if getattr(query, name) is not None)
    shown = shown_facets(facets, query)
    labels = await substance_labels(request, version, [key for key, _ in shown["substance"]])
    # Substances and behaviours by their names in the page's language (the words editions
    # added among the platform's).
    shown["substance"].sort(key=lambda pair: vocabulary.name_order(labels[pair[0]]))
    return render(request, "public/practices.html", {
        "query": query, "found": found, "facets": shown, "substance_labels": labels,
        "pages": pages, "past_end": found.total > 0 and query.page > pages,
        "link": lambda **changes: "/practices?" + urlencode(query.params(**changes)),
        "sorts": catalogue.SORTS, "problem": problem, "active_filters": active,
        "typed_q": query.q if typed_q is None else typed_q,
        "country_map": country_map.tiles(map_counts(all_facets)),
    }, status_code=status_code)


async def practice_list(request: Request) -> Response:
    try:
        query = parse_catalogue_query(request.query_params)
        await check_substance(request, query)
    except BadQuery as problem:
        return await _bad_catalogue_query(request, problem)

    async def build(version: int) -> Response:
        found = await search_catalogue(request, version, query, with_facets=True)
        all_facets = await whole_catalogue_facets(request, version)
        return await _catalogue_page(request, version, query, found, found.facets, all_facets)

    return await cached_page(request, build)


async def _bad_catalogue_query(request: Request, problem: BadQuery) -> Response:
    """The catalogue page with a sentence saying what is wrong, the typed search and the
    right filters kept, no results and the whole catalogue's counts: status 400."""
    version = await request.app.state.db.public_version()
    all_facets = await whole_catalogue_facets(request, version)
    empty = store.CataloguePage(items=[], total=0)
    # The filters keep what was right in the address; only the wrong values are left out.
    params = dict(request.query_params)
    params.pop(problem.field, None)
    kept = CatalogueQuery()
    while params:
        try:
            kept = parse_catalogue_query(params)
            await check_substance(request, kept)
            break
        except BadQuery as another:
            if params.pop(another.field, None) is None:
                break
    return await _catalogue_page(
        request, version, kept.model_copy(update={"page": 1}), empty, all_facets, all_facets,
        problem=catalogue.bad_query_message(problem),
        typed_q=str(request.query_params.get("q", "")), status_code=400,
    )


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


def photo_url(practice: store.PracticeCard, size: str = "") -> str | None:
    """The address of the practice's public photo (``size="card"``: the small one)."""
    if not practice.image_card_name:
        return None
    return f"/practices/{practice.slug}/photo" + (f"/{size}" if size else "")


async def practice_detail(request: Request) -> Response:
    async def build(version: int) -> Response:
        practice = await _published(request, version)
        settings = request.app.state.settings
        # Published in both working languages: ?text=<language> shows the other one, the
        # applicant having approved it (prize.web.translations), with a switch.
        other = await translation_store.approved_practice_translation(
            request.app.state.db, practice.id)
        shown = (translations.translated_practice(practice, other) if other is not None
                 and request.query_params.get("text") == other.language else practice)
        return render(request, "public/practice.html", {
            "practice": shown,
            "original": practice,
            "other_language": other.language if other else None,
            "substance_labels": await substance_labels(request, version, practice.substances),
            "canonical": settings.url(f"/practices/{practice.slug}"),
            "photo": photo_url(practice),
        })

    return await cached_page(request, build)


async def practice_photo(request: Request) -> Response:
    """The photo the applicant chose for the public page: the re-encoded copy (no
    metadata), never the uploaded file; only while the practice is published."""
    return await _photo(request, card=False)


async def practice_card_photo(request: Request) -> Response:
    """The same photo, small, for the catalogue's cards."""
    return await _photo(request, card=True)


async def _photo(request: Request, *, card: bool) -> Response:
    db = request.app.state.db
    version = await db.public_version()
    practice = await _published(request, version)
    name = practice.image_card_name if card else practice.image_name
    if not name:
        raise HTTPException(404)
    path = request.app.state.settings.upload_dir / name
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="image/jpeg", headers={
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


FAVICON = Path(__file__).resolve().parents[2] / "static" / "favicon.svg"


async def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico whatever the page says: give them the site's mark."""
    return FileResponse(FAVICON, media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})


async def healthz(request: Request) -> Response:
    await request.app.state.db.ping()
    return JSONResponse({"status": "ok"})


routes = [
    page("/", home),
    page("/healthz", healthz),
    page("/favicon.ico", favicon),
    page("/practices", practice_list),
    page("/practices/{slug}", practice_detail),
    page("/practices/{slug}/photo", practice_photo),
    page("/practices/{slug}/photo/card", practice_card_photo),
    page("/editions", edition_list),
    page("/editions/{year:id}", edition_page),
    page("/feed.atom", atom_feed),
    page("/sitemap.xml", sitemap),
]
