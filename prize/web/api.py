"""The read-only public JSON API v1 (CONTRACTS.md): practices and editions.

Every parameter is validated (pydantic, in prize.domain.practices); a bad one is a
400 `{"error": …}`, an unknown thing a 404, never a 500. Responses carry the
catalogue's ETag and may be cached for a minute.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from prize.domain.practices import BadQuery, parse_catalogue_query
from prize.store import editions
from prize.store import practices as store
from prize.web import translations
from prize.web.params import year_of
from prize.web.public import (
    cache_headers,
    catalogue_cache,
    check_substance,
    is_fresh,
    make_etag,
    not_modified,
    photo_url,
    public_edition,
    search_catalogue,
)
from prize.web.routing import page

# Parameters of /api/v1/practices (CONTRACTS.md), plus the HTML page's extra facets.
PRACTICE_PARAMS = ("q", "country", "year", "setting", "level", "target_group", "substance",
                   "award", "sort", "page", "per_page")


def practice_json(card: store.PracticeCard, base_url: str) -> dict[str, Any]:
    """PRACTICE of CONTRACTS.md: public fields only, never contact data nor scores."""
    return {
        "slug": card.slug,
        "title": card.title,
        "organisation": card.organisation,
        "country": card.country,
        "countries": card.countries or [card.country],
        "city": card.city,
        "year": card.year,
        "award": card.award,
        "summary": card.summary,
        "setting": card.settings,
        "level": card.levels,
        "target_group": card.target_groups,
        "substances": card.substances,
        "url": f"{base_url}/practices/{card.slug}",
        "published_at": card.published_at.isoformat().replace("+00:00", "Z")
        if card.published_at else None,
    }


def practice_detail_json(practice: store.Practice, base_url: str) -> dict[str, Any]:
    return {
        **practice_json(practice, base_url),
        "key_facts": practice.key_facts,
        "activities": practice.activities,
        "youth_participation": practice.youth_participation,
        "evaluation": practice.evaluation,
        "jury_statement": practice.jury_statement,
        "website": practice.website,
        "links": practice.links,
        "images": [base_url + url] if (url := photo_url(practice)) else [],
        "image": {"url": base_url + url, "alt": practice.image_alt,
                  "width": practice.image_width, "height": practice.image_height}
        if url else None,
        "figures": practice.figures.model_dump(),
    }


async def cached_json(request: Request, compute: Callable[[int], Awaitable[Any]]) -> Response:
    """JSON that is the same for everyone: ETag from the catalogue version and the URL."""
    version = await request.app.state.db.public_version()
    etag = make_etag(version, str(request.url))
    headers = cache_headers(request, etag, personal=False)
    if is_fresh(request, etag):
        return not_modified(headers)
    body = await compute(version)
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json",
                    headers=headers)


def base_url(request: Request) -> str:
    return request.app.state.settings.base_url.rstrip("/")


async def list_practices(request: Request) -> Response:
    params = {key: value for key, value in request.query_params.items() if key in PRACTICE_PARAMS}
    try:
        query = parse_catalogue_query(params)
        await check_substance(request, query)
    except BadQuery as problem:
        raise HTTPException(400, detail=str(problem)) from None

    async def compute(version: int) -> dict[str, Any]:
        found = await search_catalogue(request, version, query)
        root = base_url(request)
        return {
            "items": [practice_json(card, root) for card in found.items],
            "total": found.total,
            "page": query.page,
            "per_page": query.per_page,
        }

    return await cached_json(request, compute)


async def show_practice(request: Request) -> Response:
    slug = request.path_params["slug"]
    db = request.app.state.db

    async def compute(version: int) -> dict[str, Any]:
        practice = await catalogue_cache(request).get_or_compute(
            version, ("practice", slug), lambda: store.published_by_slug(db, slug)
        )
        if practice is None:
            raise HTTPException(404, detail=f"no published practice {slug!r}")
        body = practice_detail_json(practice, base_url(request))
        # Published in both working languages (CONTRACTS.md): the other one's public fields.
        if other := await translations.practice_translations_json(db, practice):
            body["translations"] = other
        return body

    return await cached_json(request, compute)


async def list_editions(request: Request) -> Response:
    async def compute(version: int) -> list[dict[str, Any]]:
        return [
            {"year": edition.year, "title": edition.title, "status": edition.status}
            for edition in await editions.all_editions(request.app.state.db)
            if edition.status != "draft"
        ]

    return await cached_json(request, compute)


async def show_edition(request: Request) -> Response:
    year = year_of(request.path_params["year"])
    if year is None:
        raise HTTPException(400, detail="year: must be a year such as 2024")

    async def compute(version: int) -> dict[str, Any]:
        edition = await public_edition(request, year)
        if edition is None:
            raise HTTPException(404, detail=f"no edition in {year}")
        practices = await store.published_of_edition(request.app.state.db, edition.id)
        root = base_url(request)
        return {
            "year": edition.year,
            "title": edition.title,
            "theme": edition.theme,
            "status": edition.status,
            "criteria": [
                {"key": criterion.key, "title": criterion.title, "weight": criterion.weight}
                for criterion in edition.criteria
            ],
            "winners": [practice_json(card, root) for card in practices
                        if card.award == "winner"],
        }

    return await cached_json(request, compute)


routes = [
    page("/api/v1/practices", list_practices),
    page("/api/v1/practices/{slug}", show_practice),
    page("/api/v1/editions", list_editions),
    page("/api/v1/editions/{year}", show_edition),
]
