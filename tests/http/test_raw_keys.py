"""No page shows a stored key where a person should read a word, in English or in French.

The demo of ``prize demo`` is loaded once for the module, topped up so that every status,
role and audit action is somewhere (an edition in each status, an entry in each status, a
practice in each status, a juror in each status, an advisor, one audit record of each
action), and the site is crawled by following its links, as each kind of person, in both
languages. In the text a person sees (no tags, attributes, scripts, styles, URLs or email
addresses) there must be no key with an underscore (``special_mention``), no dotted audit
action (``entry.resubmitted``) and, on French pages, no English status or role word.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest
import pytest_asyncio

from prize.demo import load_demo
from prize.domain.labels import EVENT_LABELS, SUBJECT_LABELS
from prize.domain.statuses import (
    EditionStatus,
    EntryStatus,
    JurorStatus,
    PracticeStatus,
    Role,
    SheetStatus,
)
from prize.store import audit, users
from prize.store import jury as jury_store
from prize.web.app import create_app
from tests import factories

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
STATUS_ENUMS = (EditionStatus, EntryStatus, PracticeStatus, JurorStatus, SheetStatus, Role)
KEYS = {str(value) for enum in STATUS_ENUMS for value in enum} | set(SUBJECT_LABELS)
UNDERSCORED = sorted(key for key in KEYS if "_" in key)
# English words a French page must not show ("active" is French too, so it is left out),
# with the keys whose underscores a template replaced by spaces ("special mention").
ENGLISH_WORDS = sorted({key.replace("_", " ") for key in KEYS} - {"active"})
FAMILIES = sorted({action.split(".")[0] for action in EVENT_LABELS})
DOTTED = re.compile(r"\b(?:" + "|".join(FAMILIES) + r")\.[a-z_]+\b")
RAW_UNDERSCORED = re.compile(r"\b(?:" + "|".join(UNDERSCORED) + r")\b")
RAW_ENGLISH = re.compile(r"\b(?:" + "|".join(ENGLISH_WORDS) + r")\b", re.IGNORECASE)

START = {"anonymous": ["/", "/practices"], "applicant": ["/my"], "juror": ["/jury"],
         "advisor": ["/jury"], "admin": ["/admin", "/admin/practices", "/admin/audit"]}
SKIP = re.compile(r"^/(static|files|language|logout|verify|invitation|password/reset)\b"
                  r"|\.(csv|json|xml|atom|pdf|png|jpe?g)$|^/api/|/images/")
PAGES_PER_PATTERN = 4
HREF = re.compile(r'href="([^"#]*)"')


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class _EnglishParts(HTMLParser):
    """A French page without its parts marked lang="en" (and what they hold). Only tags of
    the marked element's own name are counted, so an unclosed <p> inside cannot hide the
    rest of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.kept: list[str] = []
        self.root: str | None = None  # the tag of the English part being skipped
        self.depth = 0  # open elements of that tag
        self.page_is_english = False

    def handle_starttag(self, tag, attrs):
        if self.root is not None:
            if tag == self.root:
                self.depth += 1
            return
        lang = (dict(attrs).get("lang") or "").lower()
        if tag == "html":
            self.page_is_english = lang.startswith("en")
        elif (tag not in VOID and lang.startswith("en") and not self.page_is_english):
            self.root, self.depth = tag, 1
            return
        self.kept.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if self.root is not None:
            if tag == self.root:
                self.depth -= 1
                if not self.depth:
                    self.root = None
            return
        self.kept.append(f"</{tag}>")

    def handle_data(self, data):
        if self.root is None:
            self.kept.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def without_english_parts(page: str) -> str:
    parser = _EnglishParts()
    parser.feed(page)
    parser.close()
    return "".join(parser.kept)


def visible_text(page: str) -> str:
    """What a reader sees: no scripts, styles, tags, URLs or email addresses."""
    # Scripts, styles and what people typed into a form (it may be in either language).
    # And <code>: a placeholder such as {{ edition }} is written as the secretariat types it.
    text = re.sub(r"<(script|style|textarea|code)\b.*?</\1>", " ", page, flags=re.S | re.I)
    # A part marked as English on purpose (the English preview of an email text, the
    # English column of a notice or a translation): its `lang` says so to readers too.
    text = without_english_parts(text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text)
    text = re.sub(r"\S+@\S+", " ", text)
    text = re.sub(r"https?://\S+|(?<!\w)/[\w\-./?=&%]+", " ", text)
    return text


def raw_keys(text: str, *, french: bool, typed: tuple[str, ...] = ()) -> list[str]:
    """The raw keys in a page's visible text; ``typed`` is what people wrote (not checked)."""
    for words in typed:
        text = text.replace(words, " ")
    found = RAW_UNDERSCORED.findall(text) + DOTTED.findall(text)
    if french:
        found += RAW_ENGLISH.findall(text)
    return found


def test_the_detector_finds_each_kind_of_raw_key():
    assert raw_keys("Statut : special_mention", french=False) == ["special_mention"]
    assert raw_keys("Journal : entry.resubmitted", french=False) == ["entry.resubmitted"]
    assert raw_keys("Statut : Shortlisted", french=True) == ["Shortlisted"]
    assert raw_keys("Statut : Shortlisted", french=False) == []
    link = visible_text('<a href="/admin/entries?status=not_selected">/admin/x_y</a>')
    assert raw_keys(link, french=False) == []
    assert raw_keys(visible_text("juror1@demo.prize"), french=True) == []


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    query = sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair)
    return re.sub(r"\d+", "{n}", parts.path) + "?" + "&".join(query)


async def _top_up(db) -> None:
    """Whatever the demo lacks so that every status, role and action is on some page."""
    admin = await users.by_email(db, "admin@demo.prize")
    owner = await factories.user(db, email="every-status@example.org", name="Every Status")
    await factories.user(db, role="advisor", email="advisor@example.org", name="Ada Advisor")
    present = {row[0] for row in await db.fetch_all("SELECT status FROM editions")}
    year = 2040
    for status in EditionStatus:
        if status not in present:
            await factories.edition(db, year=year, status=status)
            year += 1
    edition = await factories.edition(db, year=year, status=EditionStatus.DELIBERATION)
    for status in EntryStatus:
        await factories.entry(db, edition_id=edition.id, owner_id=owner.id, status=status)
    practice_ids = [row[0] for row in await db.fetch_all("SELECT id FROM practices ORDER BY id")]
    jurors = {status: await factories.juror(db, email=f"juror-{status}@example.org")
              for status in JurorStatus}
    async with db.transaction() as conn:
        for practice_id, status in zip(practice_ids, PracticeStatus, strict=False):
            await conn.execute("UPDATE practices SET status = ? WHERE id = ?",
                               (status, practice_id))
        for status, juror in jurors.items():
            await jury_store.invite(conn, edition.id, juror.id, NOW)
            await jury_store.set_status(conn, edition.id, juror.id, status)
        for action in EVENT_LABELS:
            await audit.record(conn, now=NOW, actor_id=admin.id, action=action,
                               subject_type="edition", subject_id=edition.id,
                               edition_id=edition.id)


async def _typed_texts(db) -> tuple[str, ...]:
    """What people typed (titles, names, texts of the demo): it may hold any English word."""
    texts: set[str] = set()

    def gather(value: object) -> None:
        if isinstance(value, str):
            if value[:1] in "[{":
                try:
                    return gather(json.loads(value))
                except ValueError:
                    pass
            if len(value) > 3:
                texts.add(value)
        elif isinstance(value, list):
            for item in value:
                gather(item)
        elif isinstance(value, dict):
            for item in value.values():
                gather(item)

    for table in ("entries", "users", "practices", "editions", "criteria", "score_sheets",
                  "scores", "juror_profiles", "conflicts"):
        for row in await db.fetch_all(f"SELECT * FROM {table}"):
            for value in row:
                gather(value)
    return tuple(sorted(texts - KEYS, key=len, reverse=True))


async def _crawl(app, person, locale: str, start: list[str]) -> dict[str, str]:
    csrf = secrets.token_urlsafe(16)
    cookie = factories.signed_session(app.state.settings.secret_key, person, csrf)
    pages: dict[str, str] = {}
    seen_patterns: Counter[str] = Counter()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver",
                                 cookies={"prize_session": cookie}) as client:
        await client.get("/language", params={"locale": locale})
        queue = list(start)
        while queue:
            url = queue.pop(0)
            if url in pages:
                continue
            response = await client.get(url)
            assert response.status_code < 500, f"{url}: {response.status_code}"
            if response.status_code != 200 or "text/html" not in response.headers.get(
                    "content-type", ""):
                pages[url] = ""
                continue
            pages[url] = response.text
            for href in HREF.findall(response.text):
                link = html.unescape(href)
                if not link.startswith("/") or link.startswith("//") or SKIP.search(link):
                    continue
                pattern = _pattern(link)
                if link not in pages and seen_patterns[pattern] < PAGES_PER_PATTERN:
                    seen_patterns[pattern] += 1
                    queue.append(link)
    return {url: text for url, text in pages.items() if text}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def crawled(tmp_path_factory):
    """(person, locale) → {url: page}, and what people typed, for the whole module."""
    folder = tmp_path_factory.mktemp("raw-keys")
    settings = factories.settings(folder)
    app = create_app(settings, clock=lambda: NOW)
    async with app.router.lifespan_context(app):
        db = app.state.db
        await load_demo(db, settings, lambda: NOW)
        await _top_up(db)
        people = {
            "anonymous": None,
            "applicant": await users.by_email(db, "applicant@demo.prize"),
            "juror": await users.by_email(db, "juror1@demo.prize"),
            "advisor": await users.by_email(db, "advisor@demo.prize"),
            "admin": await users.by_email(db, "admin@demo.prize"),
        }
        results = {}
        for who, person in people.items():
            for locale in ("en", "fr"):
                results[who, locale] = await _crawl(app, person, locale, START[who])
        return results, await _typed_texts(db)


@pytest.mark.parametrize("who", list(START))
@pytest.mark.parametrize("locale", ["en", "fr"])
def test_no_page_shows_a_raw_key(crawled, who, locale):
    results, typed = crawled
    pages = results[who, locale]
    assert pages, "nothing was crawled"
    found = {}
    for url, page in pages.items():
        text = " ".join(visible_text(page).split())
        # A page asked for in English on purpose (the form's English preview) says so.
        french = locale == "fr" and not re.search(r'<html[^>]*\blang="en', page)
        keys = raw_keys(text, french=french, typed=typed)
        if keys:
            # Each key with the words around it, to find the template that showed it.
            found[url] = sorted({text[max(text.find(key) - 60, 0):text.find(key) + 60]
                                 for key in keys})
    assert not found, f"raw keys on {len(found)} of {len(pages)} pages: {found}"


def test_the_crawl_reaches_every_status_role_and_action(crawled):
    # Without this the test above could pass by never meeting a status.
    results, _typed = crawled
    admin_text = " ".join(visible_text(page) for page in results["admin", "en"].values())
    from prize import i18n
    from prize.domain.labels import label

    with i18n.use_locale("en"):
        expected = {
            ("entry", status): label("entry", status) for status in EntryStatus
        } | {("edition", status): label("edition", status) for status in EditionStatus} | {
            ("practice", status): label("practice", status) for status in PracticeStatus
        } | {("juror", status): label("juror", status) for status in JurorStatus} | {
            ("role", role): label("role", role) for role in Role
        } | {("event", action): label("event", action) for action in EVENT_LABELS}
    missing = sorted(key for key, words in expected.items() if words not in admin_text)
    assert not missing, f"never shown to the secretariat: {missing}"
