"""Unit tests of prize.domain.assignment.

Property tests draw small random instances and hold ``solve`` to an independent exact
method: scipy's MILP solver (HiGHS) on the same model, and plain enumeration of every
subset of pairs on the tiniest instances. Example tests pin down the prize's rules and
the sentences the secretariat reads.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from prize.domain.assignment import (
    EntryForAssignment,
    Infeasible,
    JurorForAssignment,
    affinity_between,
    assign_edition,
    conflict_between,
    solve,
)

# The sentence solve() falls back on when it finds no specific reason; by Hoffman's
# theorem it never should, so the property tests check that it does not appear.
GENERIC_REASON = "No assignment meets all the rules at once"

# --- factories ---------------------------------------------------------------------------


def entry(entry_id: int, country: str = "FR", **fields) -> EntryForAssignment:
    """An entry with a reference derived from its id; other fields as given."""
    return EntryForAssignment(
        id=entry_id,
        reference=f"EDPP-2026-{entry_id:04d}",
        countries=fields.pop("countries", (country,)),
        organisation=fields.pop("organisation", f"Project {entry_id}"),
        **fields,
    )


def juror(juror_id: int, country: str = "DE", **fields) -> JurorForAssignment:
    """A juror named after their id; other fields as given."""
    return JurorForAssignment(
        id=juror_id,
        name=fields.pop("name", f"Juror {juror_id}"),
        country=country,
        organisation=fields.pop("organisation", f"School {juror_id}"),
        **fields,
    )


def jury_of(countries: list[str], start: int = 100) -> list[JurorForAssignment]:
    return [juror(start + k, country) for k, country in enumerate(countries)]


# --- an independent exact method ----------------------------------------------------------


def reference_optimum(
    weights: np.ndarray,
    per_entry: int,
    max_load: int,
    min_load: int,
    forbidden: set[tuple[int, int]],
    pinned: set[tuple[int, int]],
) -> float | None:
    """The greatest total weight under the same rules (scipy MILP), or None if none exists."""
    n_jurors, n_entries = weights.shape
    if pinned & forbidden:
        return None
    lower = np.zeros((n_jurors, n_entries))
    upper = np.ones((n_jurors, n_entries))
    for j, e in pinned:
        lower[j, e] = 1
    for j, e in forbidden:
        upper[j, e] = 0
    # Variable j * n_entries + e is the pair (juror j, entry e).
    per_entry_rows = sp.kron(np.ones((1, n_jurors)), sp.identity(n_entries))
    per_juror_rows = sp.kron(sp.identity(n_jurors), np.ones((1, n_entries)))
    result = milp(
        -weights.ravel(),
        integrality=np.ones(weights.size),
        bounds=Bounds(lower.ravel(), upper.ravel()),
        constraints=[
            LinearConstraint(per_entry_rows, per_entry, per_entry),
            LinearConstraint(per_juror_rows, min_load, max_load),
        ],
    )
    if result.status == 2:
        return None
    assert result.status == 0, result.message
    return -result.fun


def brute_force_optimum(
    weights: np.ndarray,
    per_entry: int,
    max_load: int,
    min_load: int,
    forbidden: set[tuple[int, int]],
    pinned: set[tuple[int, int]],
) -> float | None:
    """The same by trying every set of pairs (tiny instances only)."""
    n_jurors, n_entries = weights.shape
    cells = list(itertools.product(range(n_jurors), range(n_entries)))
    best = None
    for picks in itertools.product((False, True), repeat=len(cells)):
        chosen = {cell for cell, pick in zip(cells, picks, strict=True) if pick}
        if chosen & forbidden or not pinned <= chosen:
            continue
        if any(
            sum((j, e) in chosen for j in range(n_jurors)) != per_entry for e in range(n_entries)
        ):
            continue
        loads = [sum((j, e) in chosen for e in range(n_entries)) for j in range(n_jurors)]
        if any(not min_load <= load <= max_load for load in loads):
            continue
        total = sum(weights[cell] for cell in chosen)
        best = total if best is None else max(best, total)
    return best


def assert_valid(
    pairs: list[tuple[int, int]],
    shape: tuple[int, int],
    per_entry: int,
    max_load: int,
    min_load: int,
    forbidden: set[tuple[int, int]],
    pinned: set[tuple[int, int]],
) -> None:
    n_jurors, n_entries = shape
    assert len(set(pairs)) == len(pairs), "a pair appears twice"
    assert all(0 <= j < n_jurors and 0 <= e < n_entries for j, e in pairs)
    per_entry_counts = np.bincount([e for _, e in pairs], minlength=n_entries)
    loads = np.bincount([j for j, _ in pairs], minlength=n_jurors)
    assert np.all(per_entry_counts == per_entry)
    assert np.all((loads >= min_load) & (loads <= max_load))
    assert not set(pairs) & forbidden
    assert pinned <= set(pairs)


# --- random instances -----------------------------------------------------------------------


@st.composite
def instances(draw, max_jurors: int = 7, max_entries: int = 8, exact: bool = True) -> dict:
    """A small assignment problem; often feasible, sometimes not, for many reasons."""
    n_jurors = draw(st.integers(1, max_jurors))
    n_entries = draw(st.integers(1, max_entries))
    if exact:
        # Three decimals, as in the benchmark: integer weights make comparisons exact.
        milli = draw(
            st.lists(
                st.integers(0, 1000), min_size=n_jurors * n_entries, max_size=n_jurors * n_entries
            )
        )
        weights = np.array(milli, dtype=np.float64).reshape(n_jurors, n_entries) / 1000
    else:
        values = draw(
            st.lists(st.floats(0, 1), min_size=n_jurors * n_entries, max_size=n_jurors * n_entries)
        )
        weights = np.array(values, dtype=np.float64).reshape(n_jurors, n_entries)
    per_entry = draw(st.integers(0, min(n_jurors, 3) + 1))
    balanced = math.ceil(n_entries * per_entry / n_jurors)
    max_load = max(0, balanced + draw(st.integers(-1, 2)))
    min_load = draw(st.integers(0, 2))
    cell = st.tuples(st.integers(0, n_jurors - 1), st.integers(0, n_entries - 1))
    forbidden = draw(st.sets(cell, max_size=(n_jurors * n_entries) // 3))
    pinned = draw(st.sets(cell, max_size=3))
    return {
        "weights": weights,
        "per_entry": per_entry,
        "max_load": max_load,
        "min_load": min_load,
        "forbidden": forbidden,
        "pinned": pinned,
    }


@st.composite
def instances_by_country(draw) -> dict:
    """Jurors and entries from two or three countries, a conflict within each country.

    Unlike :func:`instances`, these often pass every check made before solving and still
    fail in the flow (a country's entries outnumber the readings its foreign jurors can
    give), which exercises the explanation of a failed flow.
    """
    n_jurors = draw(st.integers(2, 7))
    n_entries = draw(st.integers(2, 8))
    countries = st.integers(0, draw(st.integers(1, 2)))
    juror_country = np.array(draw(st.lists(countries, min_size=n_jurors, max_size=n_jurors)))
    entry_country = np.array(draw(st.lists(countries, min_size=n_entries, max_size=n_entries)))
    per_entry = draw(st.integers(1, 3))
    balanced = math.ceil(n_entries * per_entry / n_jurors)
    conflicts = np.argwhere(juror_country[:, None] == entry_country[None, :])
    allowed = np.argwhere(juror_country[:, None] != entry_country[None, :])
    pinned = (
        draw(st.sets(st.sampled_from([tuple(pair) for pair in allowed.tolist()]), max_size=2))
        if len(allowed)
        else set()
    )
    milli = draw(
        st.lists(st.integers(0, 1000), min_size=n_jurors * n_entries, max_size=n_jurors * n_entries)
    )
    return {
        "weights": np.array(milli, dtype=np.float64).reshape(n_jurors, n_entries) / 1000,
        "per_entry": per_entry,
        "max_load": balanced + draw(st.integers(0, 2)),
        "min_load": draw(st.integers(0, max(0, balanced - 1))),
        "forbidden": {tuple(pair) for pair in conflicts.tolist()},
        "pinned": pinned,
    }


def assert_refusal_names_a_group_that_cannot_be_served(instance: dict, refusal: Infeasible):
    """When the flow failed, the group named must truly be short (Hall's condition)."""
    n_jurors, n_entries = instance["weights"].shape
    pinned = np.zeros((n_jurors, n_entries), dtype=bool)
    for j, e in instance["pinned"]:
        pinned[j, e] = True
    free = np.ones((n_jurors, n_entries), dtype=bool) & ~pinned
    for j, e in instance["forbidden"]:
        free[j, e] = False
    demand = instance["per_entry"] - pinned.sum(axis=0)
    upper = instance["max_load"] - pinned.sum(axis=1)
    lower = np.maximum(instance["min_load"] - pinned.sum(axis=1), 0)
    if "can take them" in refusal.message:
        group = list(refusal.entries)
        links = free[:, group].sum(axis=1)
        assert demand[group].sum() > np.minimum(upper, links).sum()
    elif "the minimum load" in refusal.message:
        group = list(refusal.jurors)
        links = free[group, :].sum(axis=0)
        assert lower[group].sum() > np.minimum(demand, links).sum()


def run_solve(instance: dict) -> list[tuple[int, int]]:
    return solve(
        instance["weights"],
        per_entry=instance["per_entry"],
        max_load=instance["max_load"],
        min_load=instance["min_load"],
        forbidden=sorted(instance["forbidden"]),
        pinned=sorted(instance["pinned"]),
    )


def rules(instance: dict) -> tuple:
    return (
        instance["per_entry"],
        instance["max_load"],
        instance["min_load"],
        instance["forbidden"],
        instance["pinned"],
    )


# --- properties of solve() -------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(instances())
def test_solve_is_valid_and_optimal_or_says_why_not(instance):
    weights = instance["weights"]
    milli = np.rint(weights * 1000)
    optimum = reference_optimum(milli, *rules(instance))
    if optimum is None:
        with pytest.raises(Infeasible) as refusal:
            run_solve(instance)
        assert refusal.value.message.strip()
        assert GENERIC_REASON not in refusal.value.message
    else:
        pairs = run_solve(instance)
        assert_valid(pairs, weights.shape, *rules(instance))
        assert sum(milli[j, e] for j, e in pairs) == optimum


@settings(max_examples=100, deadline=None)
@given(instances(max_jurors=3, max_entries=3))
def test_solve_matches_enumeration_of_every_assignment_on_tiny_instances(instance):
    milli = np.rint(instance["weights"] * 1000)
    optimum = brute_force_optimum(milli, *rules(instance))
    if optimum is None:
        with pytest.raises(Infeasible):
            run_solve(instance)
    else:
        assert sum(milli[j, e] for j, e in run_solve(instance)) == optimum


@settings(max_examples=100, deadline=None)
@given(instances(exact=False))
def test_solve_optimises_arbitrary_float_affinities_within_a_millionth_per_pair(instance):
    weights = instance["weights"]
    optimum = reference_optimum(weights, *rules(instance))
    if optimum is None:
        with pytest.raises(Infeasible):
            run_solve(instance)
    else:
        pairs = run_solve(instance)
        assert_valid(pairs, weights.shape, *rules(instance))
        total = sum(weights[j, e] for j, e in pairs)
        assert total >= optimum - len(pairs) * 1e-6 - 1e-9


@settings(max_examples=300, deadline=None)
@given(instances_by_country())
def test_a_refusal_after_solving_names_a_group_that_truly_cannot_be_served(instance):
    milli = np.rint(instance["weights"] * 1000)
    optimum = reference_optimum(milli, *rules(instance))
    if optimum is None:
        with pytest.raises(Infeasible) as refusal:
            run_solve(instance)
        assert GENERIC_REASON not in refusal.value.message
        assert_refusal_names_a_group_that_cannot_be_served(instance, refusal.value)
    else:
        pairs = run_solve(instance)
        assert_valid(pairs, milli.shape, *rules(instance))
        assert sum(milli[j, e] for j, e in pairs) == optimum


# --- solve(): examples and messages -------------------------------------------------------


def test_solve_prefers_the_best_fitting_jurors():
    affinity = [[0.9, 0.1], [0.8, 0.2], [0.1, 0.7]]

    pairs = solve(affinity, per_entry=1, max_load=1)

    assert pairs == [(0, 0), (2, 1)]


@pytest.mark.parametrize("better", [0, 1])
def test_affinities_finer_than_a_thousandth_still_decide(better):
    affinity = [[0.5001], [0.5001]]
    affinity[better] = [0.5004]

    assert solve(affinity, per_entry=1, max_load=1) == [(better, 0)]


def test_solve_accepts_a_numpy_array_and_honours_pinned_and_forbidden_pairs():
    affinity = np.array([[0.9, 0.9], [0.1, 0.1], [0.5, 0.5]])

    pairs = solve(affinity, per_entry=1, max_load=2, forbidden=[(0, 1)], pinned=[(1, 0)])

    assert pairs == [(1, 0), (2, 1)]


def test_solve_gives_each_juror_at_least_the_minimum_load():
    affinity = [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]

    pairs = solve(affinity, per_entry=1, max_load=3, min_load=1)

    assert sorted(j for j, _ in pairs) == [0, 0, 1]


def test_pinning_a_pair_twice_counts_once():
    pairs = solve([[0.1], [0.9]], per_entry=1, max_load=1, pinned=[(0, 0), (0, 0)])

    assert pairs == [(0, 0)]


def test_an_entry_without_enough_jurors_is_named_with_its_reference():
    affinity = np.full((3, 2), 0.5)

    with pytest.raises(Infeasible) as refusal:
        solve(
            affinity,
            per_entry=3,
            max_load=2,
            forbidden=[(0, 1)],
            entry_labels=["EDPP-2026-0006", "EDPP-2026-0007"],
        )

    assert str(refusal.value) == (
        "Entry 'EDPP-2026-0007' has only 2 jurors without a conflict; it needs 3."
    )
    assert refusal.value.entries == (1,)


def test_too_many_readings_for_the_jury_is_explained_with_the_numbers():
    with pytest.raises(Infeasible) as refusal:
        solve(np.full((10, 12), 0.5), per_entry=3, max_load=3)

    assert str(refusal.value) == (
        "12 entries need 36 readings but the 10 jurors can take at most 30 (3 each at most)."
    )


def test_a_minimum_load_too_high_for_the_readings_is_explained():
    with pytest.raises(Infeasible) as refusal:
        solve(np.full((10, 12), 0.5), per_entry=3, max_load=5, min_load=4)

    assert str(refusal.value) == (
        "The 10 jurors must take at least 4 entries each (40 readings) "
        "but the 12 entries need only 36 readings (3 each)."
    )


def test_more_jurors_per_entry_than_the_jury_has_is_refused():
    with pytest.raises(Infeasible) as refusal:
        solve(np.full((2, 4), 0.5), per_entry=3, max_load=6)

    assert str(refusal.value) == "Each entry needs 3 jurors but the jury has only 2."


def test_a_minimum_load_above_the_maximum_is_refused():
    with pytest.raises(Infeasible, match="at least 3 entries but at most 2"):
        solve(np.full((2, 2), 0.5), per_entry=1, max_load=2, min_load=3)


def test_a_pair_both_pinned_and_forbidden_is_refused_by_name():
    with pytest.raises(Infeasible) as refusal:
        solve(
            np.full((2, 1), 0.5),
            per_entry=1,
            max_load=1,
            pinned=[(1, 0)],
            forbidden=[(1, 0)],
            juror_labels=["Ana", "Ben"],
            entry_labels=["EDPP-2026-0001"],
        )

    assert str(refusal.value) == (
        "Ben is both pinned to and forbidden from entry 'EDPP-2026-0001'."
    )


def test_more_pinned_jurors_than_an_entry_needs_is_refused():
    with pytest.raises(Infeasible, match="has 2 pinned jurors but needs only 1"):
        solve(np.full((2, 1), 0.5), per_entry=1, max_load=1, pinned=[(0, 0), (1, 0)])


def test_a_juror_pinned_beyond_the_maximum_load_is_refused():
    with pytest.raises(Infeasible, match="is pinned to 2 entries but may take at most 1"):
        solve(np.full((2, 2), 0.5), per_entry=1, max_load=1, pinned=[(0, 0), (0, 1)])


def test_a_group_of_entries_short_of_jurors_is_named_even_when_each_has_enough():
    # Entries 0-3 may only go to jurors 0 and 1, who take 3 entries at most: each entry
    # alone has the 2 jurors it needs, but together they need 8 readings and get 6.
    affinity = np.full((5, 6), 0.5)
    forbidden = [(j, e) for j in (2, 3, 4) for e in range(4)]

    with pytest.raises(Infeasible) as refusal:
        solve(
            affinity,
            per_entry=2,
            max_load=3,
            forbidden=forbidden,
            juror_labels=["Ana", "Ben", "Cy", "Dee", "Eve"],
        )

    assert str(refusal.value) == (
        "The 4 entries #0, #1, #2 and #3 need 8 readings but only 2 jurors without a "
        "conflict (Ana and Ben) can take them, 3 each at most."
    )
    assert refusal.value.entries == (0, 1, 2, 3)
    assert refusal.value.jurors == (0, 1)


def test_jurors_who_cannot_reach_their_minimum_load_are_named():
    # Jurors 0 and 1 may only read entry 0, which needs one juror: one of them must
    # fall short of the minimum load of 1.
    forbidden = [(j, e) for j in (0, 1) for e in (1, 2, 3)]

    with pytest.raises(Infeasible) as refusal:
        solve(
            np.full((3, 4), 0.5),
            per_entry=1,
            max_load=4,
            min_load=1,
            forbidden=forbidden,
            juror_labels=["Ana", "Ben", "Cy"],
        )

    assert str(refusal.value) == (
        "2 jurors (Ana and Ben) must take at least 2 entries between them (the minimum "
        "load), but the entries without a conflict can give them only 1."
    )


@pytest.mark.parametrize(
    ("affinity", "options"),
    [
        ([[1.5]], {"per_entry": 1, "max_load": 1}),
        ([[float("nan")]], {"per_entry": 1, "max_load": 1}),
        ([0.5, 0.5], {"per_entry": 1, "max_load": 1}),
        ([[0.5]], {"per_entry": -1, "max_load": 1}),
        ([[0.5]], {"per_entry": 1, "max_load": 1, "pinned": [(1, 0)]}),
        ([[0.5]], {"per_entry": 1, "max_load": 1, "forbidden": [(0.5, 0)]}),
    ],
)
def test_malformed_input_is_a_plain_value_error_not_infeasible(affinity, options):
    with pytest.raises(ValueError) as error:
        solve(affinity, **options)

    assert not isinstance(error.value, Infeasible)


# --- the prize's rules: conflicts and affinity -----------------------------------------------


def test_a_juror_from_any_of_the_entrys_countries_has_a_conflict():
    project = entry(1, countries=("BE", "MT"))

    assert conflict_between(juror(1, "MT"), project) == "same country: Malta"
    assert conflict_between(juror(2, "mt"), project) == "same country: Malta"
    assert conflict_between(juror(3, "PL"), project) is None
    assert conflict_between(juror(4, ""), project) is None  # country not known yet


def test_the_same_organisation_is_a_conflict_whatever_the_case_and_spaces():
    project = entry(1, organisation="Youth  Action Network ")

    member = juror(1, organisation=" youth action NETWORK")

    assert conflict_between(member, project) == "same organisation: Youth  Action Network"
    assert conflict_between(juror(2, organisation=""), entry(2, organisation="")) is None


def test_a_declared_conflict_is_a_conflict():
    assert conflict_between(juror(1, declared_conflicts=frozenset({7})), entry(7)) == (
        "declared conflict of interest"
    )


def test_affinity_adds_language_expertise_and_preference():
    project = entry(1, language="fr", settings=("school", "online"), target_groups=("adolescents",))
    expert = juror(
        1,
        languages=("en", "FR"),
        expertise_settings=("school",),
        expertise_groups=("adolescents", "parents"),
        preferences={1: +1},
    )

    # 0.35 language + 0.25 × 1/2 settings + 0.20 × 1 groups + 0.20 liked
    assert affinity_between(expert, project) == pytest.approx(0.875)
    assert affinity_between(replace(expert, preferences={1: -1}), project) == (pytest.approx(0.675))
    assert affinity_between(replace(expert, preferences={}), project) == pytest.approx(0.775)
    assert affinity_between(juror(2, languages=("de",)), entry(2)) == pytest.approx(0.1)


# --- assign_edition() -----------------------------------------------------------------------


def test_assign_edition_never_gives_a_juror_an_entry_they_are_conflicted_with():
    entries = [entry(k, country) for k, country in enumerate(["FR", "DE", "PL", "FR", "IT"])]
    jurors = [
        juror(10, "FR"),
        juror(11, "DE", organisation="Project 2"),
        juror(12, "PL", declared_conflicts=frozenset({4})),
        juror(13, "IT"),
    ]

    result = assign_edition(entries, jurors, per_entry=2)

    assert sorted(result.jurors_of(2)) == [10, 13]  # not Polish, not of "Project 2"
    assert sorted(result.jurors_of(4)) == [10, 11]  # not Italian, not declared
    for juror_id, entry_id in result.pairs:
        the_juror = next(j for j in jurors if j.id == juror_id)
        the_entry = next(e for e in entries if e.id == entry_id)
        assert conflict_between(the_juror, the_entry) is None
    assert all(len(result.jurors_of(e.id)) == 2 for e in entries)
    assert result.max_load == math.ceil(5 * 2 / 4) + 1
    assert max(result.loads.values()) <= result.max_load


def test_assign_edition_keeps_an_organisations_own_juror_away():
    entries = [entry(1, organisation="Jugend Hilft e.V.")]
    jurors = [juror(10, organisation="jugend hilft e.v."), juror(11), juror(12)]

    result = assign_edition(entries, jurors, per_entry=2)

    assert sorted(result.jurors_of(1)) == [11, 12]


def test_preferences_decide_between_otherwise_equal_jurors():
    entries = [entry(1)]
    keen, reluctant = juror(10, preferences={1: +1}), juror(11, preferences={1: -1})

    assert assign_edition(entries, [reluctant, keen], per_entry=1).pairs == ((10, 1),)
    swapped = [replace(keen, preferences={1: -1}), replace(reluctant, preferences={1: +1})]
    assert assign_edition(entries, swapped, per_entry=1).pairs == ((11, 1),)


def test_assign_edition_reports_objective_affinities_and_every_jurors_load():
    entries = [entry(1, language="fr")]
    jurors = [juror(10, languages=("fr",)), juror(11, languages=("en",))]

    result = assign_edition(entries, jurors, per_entry=1)

    assert result.pairs == ((10, 1),)
    assert result.affinity == {(10, 1): pytest.approx(0.45)}
    assert result.objective == pytest.approx(0.45)
    assert result.loads == {10: 1, 11: 0}


def test_assign_edition_honours_pinned_and_forbidden_pairs_by_id():
    entries = [entry(1, language="fr"), entry(2, language="fr")]
    jurors = [
        juror(10, languages=("fr",)),
        juror(11, languages=("en",)),
        juror(12, languages=("fr",)),
    ]

    result = assign_edition(
        entries, jurors, per_entry=1, max_load=2, pinned=[(11, 1)], forbidden=[(10, 2)]
    )

    assert (11, 1) in result.pairs
    assert (10, 2) not in result.pairs
    assert result.pairs == ((11, 1), (12, 2))


def test_a_pinned_pair_with_a_conflict_is_refused_with_the_reason():
    with pytest.raises(Infeasible) as refusal:
        assign_edition(
            [entry(1, "MT")],
            [juror(10, "MT", name="Maria Borg"), juror(11)],
            per_entry=1,
            pinned=[(10, 1)],
        )

    assert str(refusal.value) == (
        "Maria Borg is pinned to entry 'EDPP-2026-0001' but has a conflict with it "
        "(same country: Malta)."
    )
    assert refusal.value.jurors == (10,)
    assert refusal.value.entries == (1,)


def test_entries_from_one_country_short_of_jurors_are_explained_by_country():
    # Four Maltese entries need 12 readings; only the three non-Maltese jurors may read
    # them, 3 entries each at most.
    entries = [entry(k, "MT") for k in range(1, 5)] + [entry(k, "PL") for k in range(5, 9)]
    jurors = jury_of(["MT"] * 5) + [
        juror(200, "FR", name="Anne"),
        juror(201, "IT", name="Luca"),
        juror(202, "SI", name="Nika"),
    ]

    with pytest.raises(Infeasible) as refusal:
        assign_edition(entries, jurors, per_entry=3, max_load=3)

    assert str(refusal.value) == (
        "4 entries from Malta need 12 readings but only 3 jurors without a conflict "
        "(Anne, Luca and Nika) can take them, 3 each at most."
    )
    assert refusal.value.entries == (1, 2, 3, 4)
    assert refusal.value.jurors == (200, 201, 202)


def test_assign_edition_names_an_entry_short_of_jurors_by_its_reference():
    entries = [entry(7, "PL")]
    jurors = jury_of(["PL", "PL", "FR", "DE"])

    with pytest.raises(
        Infeasible,
        match=r"^Entry 'EDPP-2026-0007' has only 2 jurors without a "
        r"conflict; it needs 3\.$",
    ):
        assign_edition(entries, jurors, per_entry=3)


def test_with_no_fixed_number_every_juror_without_a_conflict_reads_every_entry():
    # The real prize: a jury of seven young people, each scoring every entry they may.
    jury = jury_of(["FR", "DE", "IS", "IL", "MA", "PL", "SI"])
    entries = [entry(1, "PL"), entry(2, "BE"), entry(3, countries=("FR", "DE"))]

    result = assign_edition(entries, jury, per_entry=None)

    assert len(result.jurors_of(1)) == 6
    assert len(result.jurors_of(2)) == 7
    assert len(result.jurors_of(3)) == 5
    assert result.loads[100] == 2 and result.loads[102] == 3
    assert result.per_entry is None and result.max_load is None


def test_with_no_fixed_number_an_entry_nobody_may_read_is_refused():
    with pytest.raises(Infeasible, match="Entry 'EDPP-2026-0001' has no juror without a conflict"):
        assign_edition([entry(1, "PL")], jury_of(["PL", "PL"]), per_entry=None)


def test_with_no_fixed_number_an_explicit_maximum_load_is_checked():
    with pytest.raises(Infeasible, match="more than the maximum load of 1"):
        assign_edition([entry(1), entry(2)], jury_of(["DE"]), per_entry=None, max_load=1)


def test_assign_edition_rejects_unknown_ids():
    with pytest.raises(ValueError, match="unknown juror id 99"):
        assign_edition([entry(1)], [juror(10)], per_entry=1, pinned=[(99, 1)])
