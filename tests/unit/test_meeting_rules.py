"""The jury meeting's rules: its agenda, the number of awards, the vote and the guests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prize.domain.lifecycle import TransitionRefused
from prize.domain.meeting import (
    MAX_GUESTS,
    Vote,
    agenda,
    award_problems,
    neighbours,
    nominate,
    parse_guests,
    parse_held_at,
    parse_vote,
)


def test_the_agenda_is_the_shortlist_in_ranking_order():
    statuses = {1: "eligible", 2: "shortlisted", 3: "winner", 4: "special_mention"}
    assert agenda([4, 1, 3, 2], statuses) == [4, 3, 2]


def test_without_a_shortlist_the_agenda_is_every_ranked_entry():
    assert agenda([3, 1, 2], {1: "eligible", 2: "eligible", 3: "eligible"}) == [3, 1, 2]


def test_an_entry_decided_at_the_meeting_stays_on_its_agenda():
    statuses = {1: "shortlisted", 2: "not_selected"}
    assert agenda([2, 1], statuses, recorded=[2]) == [2, 1]


def test_neighbours_are_the_previous_and_next_entries():
    assert neighbours([5, 6, 7], 5) == (None, 6)
    assert neighbours([5, 6, 7], 6) == (5, 7)
    assert neighbours([5, 6, 7], 7) == (6, None)
    assert neighbours([5, 6, 7], 8) == (None, None)


def test_a_second_award_is_refused_when_the_edition_gives_one():
    [problem] = award_problems(1, {1: "winner", 2: "shortlisted"}, {2: "winner"})
    assert "at most 1 awards" in problem and "would make 2" in problem
    assert problem.endswith(".")


def test_awards_up_to_the_number_are_allowed():
    assert award_problems(3, {1: "winner", 2: "shortlisted", 3: "shortlisted"},
                          {2: "winner", 3: "winner"}) == []


def test_special_mentions_and_nominations_are_never_counted_as_awards():
    assert award_problems(1, {1: "winner", 2: "eligible", 3: "eligible"},
                          {2: "special_mention", 3: "shortlisted"}) == []


def test_an_edition_that_does_not_say_its_awards_has_no_limit():
    assert award_problems(None, {1: "winner", 2: "winner"}, {3: "winner"}) == []


def test_an_edition_above_its_limit_can_still_lower_or_keep_its_awards():
    statuses = {1: "winner", 2: "winner", 3: "shortlisted"}
    assert award_problems(1, statuses, {1: "shortlisted"}) == []
    assert award_problems(1, statuses, {1: "shortlisted", 3: "winner"}) == []


def test_moving_an_award_from_one_entry_to_another_is_allowed():
    assert award_problems(1, {1: "winner", 2: "shortlisted"},
                          {1: "shortlisted", 2: "winner"}) == []


def votes(for_: str = "", against: str = "", abstaining: str = "") -> dict[str, str]:
    return {"votes_for": for_, "votes_against": against, "votes_abstaining": abstaining}


def test_no_counts_means_the_jury_did_not_vote():
    assert parse_vote(votes(), jurors_present=5) == (None, {})


def test_counts_are_whole_numbers_and_empty_ones_count_as_zero():
    assert parse_vote(votes("4", "", "1"), jurors_present=5) == (Vote(4, 0, 1), {})


def test_a_count_that_is_not_a_whole_number_is_refused_beside_it():
    vote, errors = parse_vote(votes("-1", "2.5", "three"), jurors_present=7)
    assert vote is None
    assert set(errors) == {"votes_for", "votes_against", "votes_abstaining"}


def test_more_votes_than_jurors_present_are_refused():
    vote, errors = parse_vote(votes("3", "2", "1"), jurors_present=5)
    assert vote is None and "6 votes, but 5 jurors are present" in errors["votes_for"]


def test_advisors_alone_never_vote():
    vote, errors = parse_vote(votes("1"), jurors_present=0, advisors_present=2)
    assert vote is None and "advisors never vote" in errors["votes_for"]


def test_a_vote_before_any_attendance_asks_for_the_attendance():
    _, errors = parse_vote(votes("1"), jurors_present=0)
    assert "Record who attended first" in errors["votes_for"]


@given(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20), st.integers(0, 30))
def test_a_vote_is_accepted_exactly_when_it_fits_the_jurors_present(yes, no, abstain, present):
    vote, errors = parse_vote(votes(str(yes), str(no), str(abstain)), jurors_present=present)
    if yes + no + abstain <= present:
        assert vote == Vote(yes, no, abstain) and errors == {}
    else:
        assert vote is None and errors


def test_guests_are_one_a_line_and_blank_lines_are_ignored():
    assert parse_guests("Ana Silva, secretariat\n\n  Peter Gray \n") == (
        ["Ana Silva, secretariat", "Peter Gray"], None)


def test_too_many_guests_or_too_long_a_name_is_refused():
    _, problem = parse_guests("\n".join(f"Guest {n}" for n in range(MAX_GUESTS + 1)))
    assert problem and "At most 30 guests" in problem
    _, problem = parse_guests("x" * 121)
    assert problem and "at most 120 characters" in problem


def test_a_guest_with_a_control_character_is_refused():
    _, problem = parse_guests("Ana\tSilva")
    assert problem == "Write each guest on a line of plain text."


NOW = datetime(2027, 6, 20, 12, 0, tzinfo=UTC)


def test_the_meeting_time_is_read_in_the_edition_zone():
    held_at, problem = parse_held_at("2027-06-20T14:00", timezone="Europe/Paris", now=NOW)
    assert problem is None and held_at == datetime(2027, 6, 20, 12, 0, tzinfo=UTC)


def test_no_meeting_time_keeps_the_one_recorded():
    assert parse_held_at("  ", timezone="Europe/Paris", now=NOW) == (None, None)


def test_a_meeting_time_that_is_not_one_is_refused_in_words():
    for text in ("yesterday", "2027-13-01T10:00", "2027-06-20T14:00+02:00"):
        held_at, problem = parse_held_at(text, timezone="Europe/Paris", now=NOW)
        assert held_at is None and problem == "Enter a date and time like 2027-06-20 14:00."


def test_a_time_the_clocks_skip_is_refused():
    _, problem = parse_held_at("2027-03-28T02:30", timezone="Europe/Paris", now=NOW)
    assert problem and "clocks change" in problem


def test_a_meeting_in_the_future_is_refused():
    _, problem = parse_held_at("2027-06-25T10:00", timezone="Europe/Paris", now=NOW)
    assert problem and "cannot be in the future" in problem


STATUS = st.sampled_from(["eligible", "shortlisted", "winner", "special_mention",
                          "not_selected"])


@given(st.integers(1, 4), st.dictionaries(st.integers(1, 8), STATUS, max_size=8),
       st.dictionaries(st.integers(1, 8), STATUS, max_size=8))
def test_decisions_are_refused_exactly_when_they_raise_the_awards_above_the_limit(
        awards, statuses, planned):
    before = sum(1 for status in statuses.values() if status == "winner")
    after = sum(1 for status in {**statuses, **planned}.values() if status == "winner")
    refused = bool(award_problems(awards, statuses, planned))
    assert refused == (after > awards and after > before)


def test_a_nomination_keeps_a_shortlisted_entry_where_it_is():
    result = nominate("shortlisted", edition_status="deliberation", statement=" Bold. ")
    assert result.target == "shortlisted" and result.statement == "Bold."
    assert result.audit_action == "entry.nominated"


def test_a_nomination_outside_the_shortlist_or_deliberation_is_refused_in_words():
    with pytest.raises(TransitionRefused) as refused:
        nominate("eligible", edition_status="judging", statement="")
    assert len(refused.value.reasons) == 2
    assert "shortlist it first" in refused.value.reasons[0]
    assert "only while the edition is in deliberation" in refused.value.reasons[1]
