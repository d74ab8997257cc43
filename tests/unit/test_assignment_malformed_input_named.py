"""A malformed call to the solver says what is wrong and with which argument, and the
forms of input the docstrings promise are accepted (what the mutation run of
prize/domain/assignment.py found untested: the messages of the plain ValueErrors, whole
numbers as affinities, pairs given as a set or a generator)."""

from __future__ import annotations

import pytest

from prize.domain.assignment import (
    EntryForAssignment,
    Infeasible,
    JurorForAssignment,
    assign_edition,
    solve,
)


def value_error(call) -> str:
    with pytest.raises(ValueError) as error:
        call()
    assert not isinstance(error.value, Infeasible)
    return str(error.value)


def entry(entry_id: int) -> EntryForAssignment:
    return EntryForAssignment(id=entry_id, reference=f"EDPP-2026-{entry_id:04d}", countries=("FR",))


def juror(juror_id: int) -> JurorForAssignment:
    return JurorForAssignment(id=juror_id, name=f"Juror {juror_id}", country="DE")


def test_an_affinity_list_that_is_not_a_matrix_says_its_dimension():
    assert value_error(lambda: solve([0.5, 0.5], per_entry=1, max_load=1)) == (
        "affinity must be a 2-D jurors × entries matrix, not 1-D")


def test_an_affinity_outside_zero_to_one_is_refused_in_words():
    assert value_error(lambda: solve([[0.5, 1.5]], per_entry=1, max_load=2)) == (
        "every affinity must be a number between 0 and 1")


@pytest.mark.parametrize("name", ["per_entry", "max_load", "min_load"])
def test_a_negative_count_names_the_count(name):
    rules = {"per_entry": 1, "max_load": 1, "min_load": 0} | {name: -2}

    assert value_error(lambda: solve([[0.5]], **rules)) == f"{name} must not be negative, got -2"


def test_pairs_that_are_not_integer_indices_name_the_argument():
    assert value_error(lambda: solve([[0.5]], per_entry=1, max_load=1, forbidden=[(0.5, 0)])) == (
        "forbidden pairs must be (juror, entry) integer indices")


def test_a_pair_outside_the_matrix_is_named_with_the_matrix_shape():
    # 2 jurors × 3 entries; the first pair is fine, the second is outside.
    message = value_error(
        lambda: solve([[0.5] * 3] * 2, per_entry=1, max_load=3, pinned=[(0, 0), (2, 1)])
    )

    assert message == "pinned pair (2, 1) is outside 2 × 3"


def test_whole_numbers_are_affinities_too():
    assert solve([[1, 0], [0, 1]], per_entry=1, max_load=1) == [(0, 0), (1, 1)]


def test_pairs_may_be_given_as_a_set_or_a_generator():
    affinity = [[0.1, 0.1], [0.9, 0.9]]

    assert solve(affinity, per_entry=1, max_load=2, pinned={(0, 1)}) == [(0, 1), (1, 0)]
    assert solve(affinity, per_entry=1, max_load=2, forbidden=((1, e) for e in [0])) == [
        (0, 0), (1, 1)]


def test_assign_edition_names_the_kind_of_record_that_shares_an_id():
    assert value_error(lambda: assign_edition([entry(1), entry(1)], [juror(10)], per_entry=1)) == (
        "two entry records share an id")
    assert value_error(lambda: assign_edition([entry(1)], [juror(10), juror(10)], per_entry=1)) == (
        "two juror records share an id")


def test_assign_edition_names_the_list_and_the_unknown_id():
    def call(**pairs):
        return lambda: assign_edition([entry(1)], [juror(10)], per_entry=1, **pairs)

    assert value_error(call(pinned=[(99, 1)])) == "pinned pair names unknown juror id 99"
    assert value_error(call(forbidden=[(10, 5)])) == "forbidden pair names unknown entry id 5"
    assert value_error(call(forbidden=[(98, 1)])) == "forbidden pair names unknown juror id 98"


def test_assign_edition_names_a_negative_rule():
    def message(**rules):
        return value_error(lambda: assign_edition([entry(1)], [juror(10)], **rules))

    assert message(per_entry=-1) == "per_entry must not be negative, got -1"
    assert message(per_entry=1, slack=-1) == "slack must not be negative, got -1"
    assert message(per_entry=None, min_load=-1) == "min_load must not be negative, got -1"
    assert message(per_entry=1, min_load=-3) == "min_load must not be negative, got -3"


def test_labels_of_the_wrong_length_say_which_and_how_many():
    affinity = [[0.5] * 3] * 2  # 2 jurors × 3 entries

    assert value_error(
        lambda: solve(affinity, per_entry=1, max_load=3, juror_labels=["Ana"])
    ) == "1 juror labels given for 2 juror rows/columns"
    assert value_error(
        lambda: solve(affinity, per_entry=1, max_load=3, entry_labels=["A", "B"])
    ) == "2 entry labels given for 3 entry rows/columns"
