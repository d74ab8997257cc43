"""The rounds' rules (issue 15, part 3), without a server: the lifecycle's guards of their
order, each refusal's sentence, the final round's assignment and the reading of a round."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prize.domain.lifecycle import (
    TransitionRefused,
    available_transitions,
    edition_transition,
    entry_transition,
)
from prize.domain.rounds import (
    FinalAssignment,
    final_assignments,
    parse_round,
    round_label,
    rounds_change_problems,
    unknown_round_message,
)
from tests.unit.test_lifecycle import edition_facts

NOW = datetime(2026, 10, 1, tzinfo=UTC)
CLOSES = datetime(2026, 5, 30, tzinfo=UTC)


def round_1_done(**changes):
    """A two-round edition in round 1's deliberation, every entry decided, 6 shortlisted."""
    state = {"rounds": 2, "current_round": 1, "undecided_entries": 0, "winners": 0,
             "shortlisted_entries": 6, **changes}
    return dataclasses.replace(edition_facts(), **state)


def refusal(name: str, state, status: str = "deliberation") -> list[str]:
    with pytest.raises(TransitionRefused) as refused:
        edition_transition(name, status, state, now=NOW)
    return refused.value.reasons


def decide(name: str, current: str, *, current_round: int, in_final_round: bool = False,
           edition_status: str = "deliberation", rounds: int = 2):
    return entry_transition(name, current, edition_status=edition_status, now=NOW,
                            closes_at=CLOSES, statement="The jury's words.", rounds=rounds,
                            current_round=current_round, in_final_round=in_final_round)


def decision_refusal(*args, **kwargs) -> list[str]:
    with pytest.raises(TransitionRefused) as refused:
        decide(*args, **kwargs)
    return refused.value.reasons


# The edition's steps -------------------------------------------------------------------------


def test_the_final_round_opens_from_round_1_deliberation_into_judging_round_2():
    result = edition_transition("open_final_round", "deliberation", round_1_done(), now=NOW)
    assert (str(result.target), result.opens_round) == ("judging", 2)
    assert result.audit_action == "edition.final_round_opened"


def test_the_final_round_waits_for_every_round_1_decision():
    assert refusal("open_final_round", round_1_done(undecided_entries=2)) == [
        "2 entries have no round 1 decision yet; shortlist each one or mark it not selected "
        "before the final round."]
    assert refusal("open_final_round", round_1_done(undecided_entries=1)) == [
        "1 entry has no round 1 decision yet; shortlist it or mark it not selected before the "
        "final round."]


def test_the_final_round_needs_a_shortlist():
    assert refusal("open_final_round", round_1_done(shortlisted_entries=0)) == [
        "No entry is shortlisted, so the final round would have nothing to score."]


def test_the_final_round_opens_once_and_only_for_an_edition_that_has_one():
    assert refusal("open_final_round", round_1_done(current_round=2)) == [
        "The final round has already begun."]
    assert refusal("open_final_round", round_1_done(rounds=1)) == [
        "This edition has no final round; add one on the edition's settings page first."]


def test_the_final_round_opens_only_after_round_1_is_closed():
    reasons = refusal("open_final_round", round_1_done(), status="judging")
    assert reasons[0].startswith("“Open the final round” is possible only when the edition is")


def test_no_results_before_the_final_round():
    assert refusal("publish_results", round_1_done(winners=1)) == [
        "This edition has a final round: awards are decided after it. Open the final round "
        "first."]
    done = edition_transition("publish_results", "deliberation",
                              round_1_done(current_round=2, winners=1), now=NOW)
    assert str(done.target) == "published"


@pytest.mark.parametrize(("rounds", "current_round", "listed"), [
    (1, 1, ["publish_results"]),
    (2, 1, ["open_final_round", "publish_results"]),
    (2, 2, ["publish_results"]),
])
def test_the_final_round_is_offered_only_while_it_is_ahead(rounds, current_round, listed):
    assert available_transitions("deliberation", rounds=rounds,
                                 current_round=current_round) == listed


# Decisions in each round ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["award_winner", "award_special_mention"])
def test_round_1_awards_nothing(name):
    for status in ("eligible", "shortlisted"):
        assert decision_refusal(name, status, current_round=1) == [
            "This edition has a final round: awards are decided after it."]


def test_round_1_decides_the_shortlist_and_who_is_not_selected():
    assert str(decide("shortlist", "eligible", current_round=1).target) == "shortlisted"
    assert str(decide("not_select", "eligible", current_round=1).target) == "not_selected"
    assert str(decide("unshortlist", "shortlisted", current_round=1).target) == "eligible"


def test_a_shortlisted_entry_is_not_decided_in_round_1():
    assert decision_refusal("not_select", "shortlisted", current_round=1) == [
        "A shortlisted entry is decided after the final round; remove it from the shortlist "
        "first if the jury changed its mind."]


def test_no_decision_while_the_final_round_is_judged():
    reasons = decision_refusal("award_winner", "shortlisted", current_round=2,
                               in_final_round=True, edition_status="judging")
    assert reasons == ["Decisions are recorded only while the edition is in deliberation; it "
                       "is “Judging”."]


def test_the_final_round_awards_its_own_entries_only():
    assert str(decide("award_winner", "shortlisted", current_round=2,
                      in_final_round=True).target) == "winner"
    assert decision_refusal("award_winner", "eligible", current_round=2) == [
        "Only the entries of the final round can be decided now."]


@pytest.mark.parametrize(("name", "status"), [("shortlist", "eligible"),
                                              ("unshortlist", "shortlisted")])
def test_the_shortlist_is_fixed_once_the_final_round_opened(name, status):
    assert decision_refusal(name, status, current_round=2, in_final_round=True) == [
        "The shortlist was fixed when the final round opened."]


def test_reconsidering_in_the_final_round_goes_back_to_the_shortlist():
    result = decide("reconsider", "not_selected", current_round=2, in_final_round=True)
    assert str(result.target) == "shortlisted"
    assert decision_refusal("reconsider", "not_selected", current_round=2) == [
        "This entry was not selected in round 1; the final round is only for the shortlist."]


def test_a_one_round_edition_decides_as_before():
    assert str(decide("award_winner", "eligible", current_round=1, rounds=1).target) == "winner"


# The final round's assignment ------------------------------------------------------------


def test_every_juror_without_a_conflict_scores_every_shortlisted_entry():
    conflicts = {(2, 11)}
    pairs = final_assignments([12, 11], [3, 1, 2],
                              lambda juror, entry: (juror, entry) not in conflicts)
    assert pairs == [FinalAssignment(11, 1), FinalAssignment(11, 3), FinalAssignment(12, 1),
                     FinalAssignment(12, 2), FinalAssignment(12, 3)]


def test_no_shortlist_or_no_juror_gives_no_final_assignment():
    assert final_assignments([], [1, 2], lambda juror, entry: True) == []
    assert final_assignments([1], [], lambda juror, entry: True) == []


@given(st.sets(st.integers(1, 30)), st.sets(st.integers(1, 10)),
       st.sets(st.tuples(st.integers(1, 10), st.integers(1, 30))))
def test_the_final_assignment_is_the_product_less_the_conflicts(entries, jurors, conflicts):
    pairs = final_assignments(entries, jurors, lambda j, e: (j, e) not in conflicts)
    assert {(p.juror_id, p.entry_id) for p in pairs} == {
        (j, e) for j in jurors for e in entries} - conflicts
    assert len(pairs) == len(set(pairs))


# Reading a round, labels, and changing the rounds ------------------------------------------


@pytest.mark.parametrize(("text", "rounds", "expected"), [
    ("1", 1, 1), ("1", 2, 1), ("2", 2, 2), ("2", 1, None), ("3", 2, None), ("0", 2, None),
    ("", 2, None), ("two", 2, None), ("-1", 2, None), ("²", 2, None), ("01", 2, 1),
    ("1" * 40, 2, None),
])
def test_a_round_is_read_only_when_the_edition_has_it(text, rounds, expected):
    assert parse_round(text, rounds) == expected


def test_the_rounds_have_labels_and_a_sentence_for_an_unknown_one():
    assert (round_label(1), round_label(2)) == ("Round 1", "Final round")
    assert unknown_round_message(1) == "This edition has one round only: round 1."
    assert unknown_round_message(2) == "This edition has two rounds: 1 and 2 (the final round)."


def test_the_final_round_is_added_or_removed_only_before_it_begins():
    ok = {"rounds": 1, "current_round": 1, "published": False, "final_sheets": False}
    assert rounds_change_problems(wanted=2, **ok) == []
    assert rounds_change_problems(wanted=1, **{**ok, "rounds": 2}) == []
    assert rounds_change_problems(wanted=2, **{**ok, "published": True}) == [
        "The results are published: the rounds can no longer change."]
    assert rounds_change_problems(wanted=1, **{**ok, "rounds": 2, "current_round": 2}) == [
        "The final round has begun: the rounds can no longer change."]
    assert rounds_change_problems(wanted=1, **{**ok, "rounds": 2, "final_sheets": True}) == [
        "Jurors have started score sheets in the final round, so it cannot be removed."]
    # Saving the same choice again is never refused.
    assert rounds_change_problems(wanted=2, **{**ok, "rounds": 2, "current_round": 2}) == []
