"""Jinja2 set-up: one environment, translations per request, formatting helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    nodes,
    pass_eval_context,
    select_autoescape,
)
from jinja2.ext import Extension
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from prize import i18n
from prize.domain import discussion, labels, screening, vocabulary
from prize.settings import DEFAULT_TIMEZONE
from prize.web.security import new_csrf_token

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"


def local_datetime(moment: datetime | None, tz: str = DEFAULT_TIMEZONE,
                   _pattern: str | None = None) -> str:
    """A UTC time in the edition's zone and the reader's language, always one way:
    "30 May 2027, 23:59 (Strasbourg time)" (see `prize.i18n.format_moment`).

    Some templates still pass a Babel format as a third argument; it is ignored, so that
    no page can show seconds, a UTC offset or a US-style date again.
    """
    return i18n.format_moment(moment, tz)


def local_date(value: date | datetime | None, tz: str = DEFAULT_TIMEZONE) -> str:
    """A date (or the day of a UTC time in the edition's zone): "30 May 2027"."""
    return i18n.format_day(value, tz)


def number(value: float | int | None, fmt: str | None = None) -> str:
    if value is None:
        return "–"
    return format_decimal(value, format=fmt, locale=i18n.current_locale())


def timezone_name(tz: str = DEFAULT_TIMEZONE) -> str:
    """The zone as people say it: "Strasbourg time" (see `prize.i18n.zone_name`)."""
    return i18n.zone_name(tz)


def paragraphs(text: str | None) -> Markup:
    """Plain text with blank lines shown as paragraphs, escaped."""
    if not text:
        return Markup("")
    parts = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(part.split("\n"))) for part in parts
    )


def comment_text(body: str | None) -> Markup:
    """A discussion comment: paragraphs, line breaks and web addresses as links, the rest
    escaped (see `prize.domain.discussion.blocks`)."""
    if not body:
        return Markup("")
    html = Markup("")
    for paragraph in discussion.blocks(body):
        lines = [
            Markup("").join(
                Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(piece.href, piece.text)
                if piece.href else escape(piece.text)
                for piece in line)
            for line in paragraph
        ]
        html += Markup("<p>{}</p>").format(Markup("<br>").join(lines))
    return html


class LazyCSRFToken:
    """The session's CSRF token, created the first time a template writes it out."""

    def __init__(self, session: dict) -> None:
        self.session = session

    def __str__(self) -> str:
        if "csrf" not in self.session:
            self.session["csrf"] = new_csrf_token()
        return self.session["csrf"]

    def __html__(self) -> str:
        return str(self)


# The translation functions of templates: `_()`, `gettext()`, `ngettext()`, `pgettext()`.
# They do what Jinja's own "newstyle" ones do around our `prize.i18n` functions (the
# message escaped in an HTML template and marked safe, then always formatted with the
# keyword arguments, `num` and `context` included), in one call instead of three
# (`_` → Jinja's alias → its wrapper → ours): a page makes a few dozen such calls, and
# the layers were a sixth of a signed-in page's time. Our messages hold no markup, so
# escaping costs nothing; and `_()` given text from the database (a criterion's title,
# say) can then never write HTML into a page. A message with no `%` needs no formatting:
# `text % variables` would give it back unchanged.


@pass_eval_context
def _gettext(eval_ctx: EvalContext, __string: str, **variables: Any) -> str:
    text: str = i18n.gettext(__string)
    if eval_ctx.autoescape:
        text = escape(text)
    return text % variables if "%" in text else text


@pass_eval_context
def _ngettext(eval_ctx: EvalContext, __singular: str, __plural: str, __num: int,
              **variables: Any) -> str:
    variables.setdefault("num", __num)
    text: str = i18n.ngettext(__singular, __plural, __num)
    if eval_ctx.autoescape:
        text = escape(text)
    return text % variables if "%" in text else text


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, __string_ctx: str, __string: str,
              **variables: Any) -> str:
    variables.setdefault("context", __string_ctx)
    text: str = i18n.pgettext(__string_ctx, __string)
    if eval_ctx.autoescape:
        text = escape(text)
    return text % variables if "%" in text else text


class FragmentCache(Extension):
    """`{% cached "name", key, ... %}...{% endcached %}`: a part of a page rendered once
    and kept until anyone commits to the database (`Environment.fragment_memo`, the app's
    prize.store.memo.DataMemo), for the page's language and the key.

    For parts that are the same for everyone who may see them and cost much to render
    (an entry's text beside each juror's sheet, the catalogue's cards): the key must name
    everything the part shows that does not come from the database, and nothing in it may
    depend on the person, the session or the clock. Without a memo (emails, tests that
    build the environment alone), the part is rendered every time.
    """

    tags = {"cached"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.extend(fragment_memo=None)

    def parse(self, parser: Any) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcached",), drop_needle=True)
        call = self.call_method("_cached", [nodes.List(key)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _cached(self, key: list, caller: Callable[[], str]) -> str:
        memo = self.environment.fragment_memo  # type: ignore[attr-defined]
        # Lists (what `dictsort` gives) as tuples, so that they can be a key.
        whole_key = ("fragment", i18n.current_locale(),
                     *(tuple(part) if isinstance(part, list) else part for part in key))
        try:
            hash(whole_key)
        except TypeError:  # a key of lists or dicts: rendered every time
            memo = None
        if memo is None:
            return caller()
        return memo.get_sync(whole_key, caller)


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=False),
        extensions=["jinja2.ext.i18n", FragmentCache],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext,
    )
    # In place of Jinja's wrappers (see `_gettext`), with the same meaning.
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext)
    env.filters.update(
        local_datetime=local_datetime,
        local_date=local_date,
        number=number,
        country=vocabulary.country_name,
        paragraphs=paragraphs,
        comment_text=comment_text,
        translate_choice=lambda pair: (pair[0], i18n.gettext(pair[1])),
    )
    env.globals.update(
        vocabulary=vocabulary,
        # label("entry", entry.status), label("role", person.role), label("event", action):
        # every status, role and event a person reads (prize.domain.labels).
        label=labels.label,
        # choice_label(vocabulary.SETTINGS, key): a key of the form vocabularies.
        choice_label=vocabulary.label,
        current_locale=i18n.current_locale,
        timezone_name=timezone_name,
        # eligibility_rules(edition): screening's rules in sentences (templates/_eligibility.html).
        eligibility_rules=lambda edition: screening.eligibility_rules(
            closes_at=edition.closes_at, eligible_countries=edition.eligible_countries,
            timezone=edition.timezone),
    )
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page with what every page needs: the user, the CSRF token, flashed notes."""
    env: Environment = request.app.state.templates
    # Error pages can be rendered outside the session middleware: no token, no notes then.
    session = request.scope.get("session")
    page_context = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "csrf_token": LazyCSRFToken(session) if session is not None else "",
        "flashes": session.pop("flash", []) if session is not None else [],
        "lang": i18n.current_locale(),
        "settings": request.app.state.settings,
    }
    page_context.update(context or {})
    html = env.get_template(template).render(page_context)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def flash(request: Request, message: str, category: str = "success") -> None:
    """A short note shown once on the next page (after a redirect)."""
    request.session.setdefault("flash", []).append({"message": message, "category": category})
