"""The small helpers that word the assignment's refusals: plurals, lists of names and
"N more ... in the same case" (what the mutation run of
prize/domain/assignment_reasons.py found no direct test for)."""

from __future__ import annotations

from prize.domain.assignment_reasons import listing, plural, several


def test_plural_says_one_and_many():
    assert plural(1, "juror") == "1 juror"
    assert plural(0, "juror") == "0 jurors"
    assert plural(2, "entry", "entries") == "2 entries"
    assert plural(1, "entry", "entries") == "1 entry"


def test_listing_joins_names_as_a_sentence():
    assert listing([]) == ""
    assert listing(["Ana"]) == "Ana"
    assert listing(["Ana", "Ben"]) == "Ana and Ben"
    assert listing(["Ana", "Ben", "Cy"]) == "Ana, Ben and Cy"


def test_listing_cuts_a_long_list_and_counts_the_rest():
    names = ["A", "B", "C", "D", "E", "F", "G"]
    assert listing(names) == "A, B, C, D, E and 2 more"
    assert listing(names, limit=2) == "A, B and 5 more"
    assert listing(names[:5]) == "A, B, C, D and E"


def test_several_shows_three_sentences_then_counts_the_others():
    sentences = [f"Entry {n} is short." for n in range(1, 6)]
    assert several(sentences[:3], "entry", "entries") == (
        "Entry 1 is short. Entry 2 is short. Entry 3 is short.")
    assert several(sentences[:4], "entry", "entries") == (
        "Entry 1 is short. Entry 2 is short. Entry 3 is short. 1 more entry in the same case.")
    assert several(sentences, "entry", "entries") == (
        "Entry 1 is short. Entry 2 is short. Entry 3 is short. 2 more entries in the same case.")
