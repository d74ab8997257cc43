"""The jury's discussion of an entry: who may read it, what a comment may hold, editing.

One thread per entry and round (round 1 until rounds exist). The rules are pure
functions of facts the caller reads (the reader's role, whether they may read the entry
at all, whether they have submitted their own sheet for it in the current round), so a
round can plug in by passing its own facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from prize.domain.statuses import Role
from prize.i18n import gettext

#: An author may change a comment for this long after writing it; the change is marked.
EDIT_WINDOW = timedelta(minutes=15)
#: A comment's length, in characters: room for a considered paragraph or five.
MAX_COMMENT = 5000

# A web address as people paste it: http(s):// or www., up to a space or a character
# that rarely ends one (closing punctuation is trimmed below).
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def may_read_discussion(role: str, *, reads_entry: bool, submitted_own_sheet: bool) -> bool:
    """Whether a person sees (and may write in) an entry's thread.

    ``reads_entry`` is the conflict rule's answer for this person and entry
    (:func:`prize.store.access.juror_may_read` or its advisor twin; always true for the
    secretariat). ``submitted_own_sheet`` is the blind rule's fact: the juror has
    submitted their own sheet for the entry in the current round. Advisors score
    nothing, so the blind rule does not apply to them; applicants never see a thread.
    """
    if role in Role.STAFF:
        return True
    if role == Role.ADVISOR:
        return reads_entry
    if role in Role.JURY:
        return reads_entry and submitted_own_sheet
    return False


def blind_refusal() -> str:
    return gettext(
        "You will see the jury's discussion of this entry once you have submitted your own "
        "score sheet for it.")


def comment_problem(body: str) -> str | None:
    """The sentence refusing a comment's text, or None when it may be saved."""
    if not body.strip():
        return gettext("Write your comment first.")
    if len(body) > MAX_COMMENT:
        return gettext("This is too long: at most {limit} characters.").format(
            limit=MAX_COMMENT)
    return None


def edit_refusal(*, author_id: int | None, editor_id: int, created_at: datetime,
                 now: datetime) -> str | None:
    """Only the author, and only within :data:`EDIT_WINDOW` of writing the comment."""
    if author_id != editor_id:
        return gettext("Only the author of a comment can change it.")
    if now - created_at > EDIT_WINDOW:
        return gettext(
            "A comment can be changed for {minutes} minutes after it is written; this one "
            "can no longer be changed. Write a new comment instead.").format(
                minutes=int(EDIT_WINDOW.total_seconds() // 60))
    return None


def may_edit(*, author_id: int | None, editor_id: int, created_at: datetime,
             now: datetime) -> bool:
    return edit_refusal(author_id=author_id, editor_id=editor_id, created_at=created_at,
                        now=now) is None


@dataclass(frozen=True)
class Piece:
    """A run of a comment's text: plain, or a link (``href`` set)."""

    text: str
    href: str = ""


#: A comment as paragraphs, each a list of lines, each a list of pieces.
Blocks = list[list[list[Piece]]]


def _pieces(line: str) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(url)
        if len(url) <= len("www."):
            continue
        if start > position:
            pieces.append(Piece(line[position:start]))
        href = url if url.lower().startswith("http") else "https://" + url
        pieces.append(Piece(url, href))
        position = end
    if position < len(line):
        pieces.append(Piece(line[position:]))
    return pieces


def blocks(body: str) -> Blocks:
    """The comment's paragraphs (blank lines apart), lines and links, for a template to
    write out escaped: the text is never markup, only web addresses become links."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", text) if part.strip()]
    return [[_pieces(line) for line in paragraph.split("\n")] for paragraph in paragraphs]
