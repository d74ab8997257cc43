"""Single-line fields fold the line separators a paste brings (U+2028, NEL, form feed…)."""

from __future__ import annotations

import pytest

from prize.domain.editions import Criterion, default_edition
from prize.domain.entries import parse_draft
from prize.domain.practices import PublicText
from prize.domain.text import one_line

SEPARATORS = ["\u2028", "\u2029", "\r", "\n", "\r\n", "\x0b", "\x0c", "\x85", "\x1c", "\x00"]


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
def test_one_line_folds_each_separator_and_the_spaces_around_it(separator):
    assert one_line(f" Peer {separator} Talk{separator}") == "Peer Talk"
    assert one_line(f"Peer{separator}Talk").splitlines() == ["Peer Talk"]


def test_an_applicants_title_organisation_and_city_are_saved_on_one_line():
    application, errors = parse_draft({
        "title": "Peer\u2028Talk", "org_name": "Youth\r\nVoices", "city": "Cork\x0c",
        "contact_name": "Maria\x85Example", "summary": "First line.\nSecond line."})

    assert errors == {}
    assert (application.title, application.org_name, application.city,
            application.contact_name) == ("Peer Talk", "Youth Voices", "Cork", "Maria Example")
    assert application.summary == "First line.\nSecond line."  # a text area keeps its lines


def test_edition_criterion_and_practice_titles_are_kept_on_one_line():
    edition = default_edition(2026).model_validate(
        {**default_edition(2026).model_dump(), "title": "Prize\u20292026", "theme": "A\nB"})
    criterion = Criterion(key="reach", title="Reach\u2028and depth", weight=1,
                          guidance="Line one.\nLine two.")
    practice = PublicText(title="Night\x0bOwls", organisation="Youth\rVoices", summary="S.")

    assert (edition.title, edition.theme) == ("Prize 2026", "A B")
    assert (criterion.title, criterion.guidance) == ("Reach and depth", "Line one.\nLine two.")
    assert (practice.title, practice.organisation) == ("Night Owls", "Youth Voices")
