"""The discussion's pure rules: who reads a thread, what a comment may hold, editing,
and how its text becomes paragraphs and links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prize.domain.discussion import (
    EDIT_WINDOW,
    MAX_COMMENT,
    Piece,
    blocks,
    comment_problem,
    edit_refusal,
    may_read_discussion,
)
from prize.web.templating import comment_text


@pytest.mark.parametrize(("role", "reads", "submitted", "expected"), [
    ("admin", False, False, True),
    ("advisor", True, False, True),
    ("advisor", False, True, False),  # conflicted or not on the jury
    ("juror", True, False, False),  # blind until submitted
    ("juror", True, True, True),
    ("juror", False, True, False),  # conflicted
    ("applicant", True, True, False),
])
def test_who_reads_a_thread(role, reads, submitted, expected):
    assert may_read_discussion(role, reads_entry=reads, submitted_own_sheet=submitted) is expected


def test_a_comment_must_hold_text_and_not_too_much():
    assert comment_problem(" \n ") is not None
    assert comment_problem("x" * (MAX_COMMENT + 1)) is not None
    assert comment_problem("x" * MAX_COMMENT) is None


def test_only_the_author_edits_and_only_within_the_window():
    written = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert edit_refusal(author_id=1, editor_id=1, created_at=written,
                        now=written + EDIT_WINDOW) is None
    assert edit_refusal(author_id=1, editor_id=1, created_at=written,
                        now=written + EDIT_WINDOW + timedelta(seconds=1)) is not None
    assert edit_refusal(author_id=1, editor_id=2, created_at=written, now=written) is not None


def test_paragraphs_lines_and_links():
    assert blocks("One\ntwo\n\n\nThree (see https://example.org/a).") == [
        [[Piece("One")], [Piece("two")]],
        [[Piece("Three (see "), Piece("https://example.org/a", "https://example.org/a"),
          Piece(").")]],
    ]


def test_rendered_text_escapes_everything_but_the_links():
    html = comment_text('<b>bold</b> "quoted" www.example.org/x?a=1&b=2, javascript:alert(1)')
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert ('<a href="https://www.example.org/x?a=1&amp;b=2" rel="nofollow noopener">'
            "www.example.org/x?a=1&amp;b=2</a>,") in html
    assert 'href="javascript' not in html
