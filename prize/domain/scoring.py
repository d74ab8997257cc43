"""Scores to results: weighted totals, per-entry aggregates, rankings, jury agreement.

Pure functions over plain dataclasses: no database, no request. The heavy lifting is
done on numpy arrays so that a large edition (thousands of entries) aggregates in
well under a second; see ``bench/ranking.py``.

Statistical choices, in one place:

* Every standard deviation here is a **population** standard deviation (``ddof=0``).
  A juror's sheets, and the edition's sheets, are the whole set being rescaled, not a
  sample from a larger one; with ``ddof=0`` a juror's z-scores have exactly mean 0 and
  standard deviation 1, so after mapping they have exactly the edition's mean and
  standard deviation.
* Krippendorff's alpha uses its own ``n - 1`` terms (``1/(m_u - 1)`` within a unit,
  ``1/(n - 1)`` for the expected disagreement), as Krippendorff defines it.
* Values are compared as displayed (rounded to :data:`DISPLAY_DECIMALS`) wherever a
  person would compare them: ties in a ranking and the "discuss" threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

#: Totals are displayed and exported with this many decimals; ties and the discuss
#: threshold are decided on values rounded to it, so what people see agrees with them.
DISPLAY_DECIMALS = 2

# Weighted totals are sums of floats, so two sheets whose totals are mathematically
# equal can differ in the last bits (e.g. 0.2 + 0.4 + 0.6 vs 0.6 + 0.4 + 0.2). A real
# difference between totals is at least 100 / (scale width * sum of weights), far above
# this, so a juror whose totals' standard deviation is this or less has no spread at all.
_ZERO_STD = 1e-9

RankKey = Literal["mean", "normalised"]


@dataclass(frozen=True, slots=True)
class ScoringCriterion:
    """A criterion as scoring sees it: its key, weight and integer scale."""

    key: str
    weight: float
    scale_min: int
    scale_max: int

    def __post_init__(self) -> None:
        if not math.isfinite(self.weight) or self.weight < 0:
            raise ValueError(f"criterion {self.key!r}: weight must be finite and >= 0")
        if self.scale_max <= self.scale_min:
            raise ValueError(f"criterion {self.key!r}: scale_max must exceed scale_min")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One juror's scores for one entry; only submitted sheets count in results.

    ``set_aside`` marks a submitted sheet that is kept but counts in no figure: the
    prize's rule for a juror who has a conflict with the entry (the store decides which
    sheets those are; see ``prize.store.scoring``).
    """

    juror_id: int
    entry_id: int
    scores: Mapping[str, int | None]
    submitted: bool
    set_aside: bool = False

    @property
    def counts(self) -> bool:
        """Whether the sheet enters the results: submitted and not set aside."""
        return self.submitted and not self.set_aside


@dataclass(frozen=True, slots=True)
class EntryResult:
    """The aggregate of one entry's submitted sheets.

    ``totals`` maps juror id to that juror's weighted total (0-100), ordered by juror
    id. With no submitted sheet, ``count`` is 0, ``totals`` is empty, ``discuss`` is
    False and every other value is None.
    """

    entry_id: int
    totals: dict[int, float]
    mean: float | None
    median: float | None
    spread: float | None
    count: int
    normalised: float | None
    discuss: bool
    rank_mean: int | None
    rank_normalised: int | None


@dataclass(frozen=True, slots=True)
class JurorLeniency:
    """How far a juror's totals sit, on average, from the mean total of the same entries.

    ``offset`` = mean over the juror's submitted sheets of (sheet total - mean total of
    that entry over all its submitted sheets, this one included). Positive: lenient;
    negative: harsh. Because the juror's own sheet is part of the entry's mean, a sheet
    on an entry nobody else has scored contributes 0, and offsets shrink by (n - 1)/n on
    entries with n sheets. ``sheets`` is the number of submitted sheets behind it.
    """

    juror_id: int
    offset: float
    sheets: int


@dataclass(frozen=True, slots=True)
class EditionResults:
    """Everything the deliberation page and the ranking export need.

    ``entries`` are ordered by entry id (use :func:`ranking` for ranked order);
    ``jurors`` by juror id. ``alpha_by_criterion`` and ``distributions`` are keyed by
    criterion key in the order the criteria were given; ``distributions[key][i]`` counts
    counted scores equal to ``scale_min + i``. ``overall_mean`` and ``overall_std``
    (population) are over all counted sheet totals, None when there are none. Wherever
    "submitted sheets" is said here and below, a set-aside sheet is not one of them.
    """

    entries: list[EntryResult]
    jurors: list[JurorLeniency]
    alpha_overall: float | None
    alpha_by_criterion: dict[str, float | None]
    distributions: dict[str, list[int]]
    overall_mean: float | None
    overall_std: float | None


def weighted_total(scores: Mapping[str, int | None], criteria: Sequence[ScoringCriterion]) -> float:
    """Return the weighted total of one complete sheet on 0-100.

    ``100 * sum(w_i * (s_i - min_i) / (max_i - min_i)) / sum(w_i)``. Raises ValueError
    if a criterion has no score (missing or None), a score is not an integer of its
    criterion's scale, or ``scores`` names a criterion not in ``criteria``.
    """
    _check_criteria(criteria)
    matrix = _score_matrix([scores], criteria, lambda _: f"scores {dict(scores)!r}")
    return float(_weighted_totals(matrix, criteria)[0])


def aggregate(
    sheets: Iterable[Sheet],
    criteria: Sequence[ScoringCriterion],
    *,
    spread_threshold: float,
    entry_ids: Iterable[int] = (),
) -> EditionResults:
    """Aggregate an edition's score sheets into per-entry, per-juror and edition results.

    Only submitted sheets that are not set aside count (:attr:`Sheet.counts`); the others
    are never validated nor used in any figure, but an entry that has only such sheets is
    still listed (unranked). ``entry_ids`` adds entries that have no
    sheet at all, so that every eligible entry appears.

    Per entry: each juror's weighted total, their mean, median, spread (max - min, 0
    with one sheet), count, the juror-normalised total, ``discuss`` when the spread
    (rounded as displayed) exceeds ``spread_threshold``, and its competition rank by
    mean and by normalised total (see :func:`competition_ranks`).

    Juror-normalised total: each juror's totals become z-scores over the entries that
    juror scored (population std); a juror with a single sheet, or whose totals are all
    equal, gets z = 0 on every sheet, i.e. their sheets sit at the juror's own mean and
    say nothing about the entry's standing, since such a juror's scale cannot be told
    from their judgement. Each z is mapped back to ``overall_mean + z * overall_std``
    and an entry's normalised total is the mean of its mapped values.

    Raises ValueError on a submitted sheet that is incomplete, out of scale or names an
    unknown criterion, on two submitted sheets by the same juror for the same entry, on
    invalid criteria, or on a negative threshold.
    """
    _check_criteria(criteria)
    if not math.isfinite(spread_threshold) or spread_threshold < 0:
        raise ValueError("spread_threshold must be a finite number >= 0")

    all_entry_ids = set(entry_ids)
    counted: list[Sheet] = []
    for sheet in sheets:
        all_entry_ids.add(sheet.entry_id)
        if sheet.counts:
            counted.append(sheet)

    scores = _score_matrix(
        [sheet.scores for sheet in counted],
        criteria,
        lambda row: f"sheet of juror {counted[row].juror_id} for entry {counted[row].entry_id}",
    )
    jurors = np.array([sheet.juror_id for sheet in counted], dtype=np.int64)
    entries = np.array([sheet.entry_id for sheet in counted], dtype=np.int64)
    _check_one_sheet_per_pair(jurors, entries)
    totals = _weighted_totals(scores, criteria)

    per_entry = _entry_statistics(entries, jurors, totals)
    if len(totals):
        overall_mean = float(totals.mean())
        overall_std = float(totals.std())
        normalised = _normalised_by_entry(
            per_entry.entry_index, jurors, totals, overall_mean, overall_std
        )
    else:
        overall_mean = overall_std = None
        normalised = np.empty(0)

    entry_results = _entry_results(sorted(all_entry_ids), per_entry, normalised, spread_threshold)
    return EditionResults(
        entries=entry_results,
        jurors=_leniency(jurors, totals - per_entry.mean[per_entry.entry_index]),
        alpha_overall=interval_alpha(per_entry.entry_index, totals),
        alpha_by_criterion={
            criterion.key: interval_alpha(per_entry.entry_index, scores[:, column])
            for column, criterion in enumerate(criteria)
        },
        distributions={
            criterion.key: np.bincount(
                (scores[:, column] - criterion.scale_min).astype(np.int64),
                minlength=criterion.scale_max - criterion.scale_min + 1,
            ).tolist()
            for column, criterion in enumerate(criteria)
        },
        overall_mean=overall_mean,
        overall_std=overall_std,
    )


def competition_ranks(values: Sequence[float | None]) -> list[int | None]:
    """Rank values from highest to lowest with standard competition ranking ("1, 2, 2, 4").

    Values equal once rounded to :data:`DISPLAY_DECIMALS` share a rank, the next value
    skips the places they took. None (nothing to rank) gets rank None. The result is
    aligned with ``values``.
    """
    shown = sorted(
        (
            (round(value, DISPLAY_DECIMALS), index)
            for index, value in enumerate(values)
            if value is not None
        ),
        key=lambda pair: -pair[0],
    )
    ranks: list[int | None] = [None] * len(values)
    rank, previous = 0, math.nan  # NaN equals nothing, so the first value opens rank 1
    for place, (value, index) in enumerate(shown, start=1):
        if value != previous:
            rank, previous = place, value
        ranks[index] = rank
    return ranks


def ranking(results: EditionResults, by: RankKey = "mean") -> list[EntryResult]:
    """Return the entries in rank order by ``mean`` or ``normalised``.

    Tied entries follow each other by entry id; entries without a submitted sheet come
    last, by entry id.
    """
    if by not in ("mean", "normalised"):
        raise ValueError(f"cannot rank by {by!r}: use 'mean' or 'normalised'")
    attribute = "rank_mean" if by == "mean" else "rank_normalised"

    def order(entry: EntryResult) -> tuple[bool, int, int]:
        rank = getattr(entry, attribute)
        return (rank is None, rank or 0, entry.entry_id)

    return sorted(results.entries, key=order)


def interval_alpha(units: npt.ArrayLike, values: npt.ArrayLike) -> float | None:
    """Krippendorff's alpha with the interval metric for values grouped into units.

    ``units[k]`` names the unit (e.g. entry) that ``values[k]`` was given to; who gave
    it does not matter for this metric. NaN values are missing and ignored; units with
    fewer than two values are not pairable and are dropped. Returns None when alpha is
    undefined: fewer than two pairable values, or no variation among them (expected
    disagreement 0; a standard deviation of 1e-9 or less counts as none, being float noise).

    With n pairable values, m_u in unit u and squared differences as the metric:
    ``D_o = (1/n) sum_u 2 m_u SS_u / (m_u - 1)`` and ``D_e = 2 SS / (n - 1)``, where
    SS_u and SS are sums of squared deviations from the unit mean and from the mean of
    all pairable values; this is the pairwise definition, since the sum of (v_i - v_j)^2
    over ordered pairs within a group of m values equals 2 m SS. alpha = 1 - D_o / D_e.
    """
    unit_ids = np.asarray(units)
    observed = np.asarray(values, dtype=float)
    if unit_ids.shape != observed.shape or observed.ndim != 1:
        raise ValueError("units and values must be one-dimensional and of equal length")
    # A juror who did not score an entry is a missing value: it simply adds nothing.
    present = ~np.isnan(observed)
    _, unit_index = np.unique(unit_ids[present], return_inverse=True)
    observed = observed[present]

    counts = np.bincount(unit_index)
    pairable = counts[unit_index] >= 2
    unit_index, observed = unit_index[pairable], observed[pairable]
    n = observed.size
    if n < 2:
        return None

    counts = np.bincount(unit_index)
    unit_mean = np.bincount(unit_index, weights=observed) / np.maximum(counts, 1)
    ss_units = np.bincount(unit_index, weights=(observed - unit_mean[unit_index]) ** 2)
    ss_total = float(((observed - observed.mean()) ** 2).sum())
    if math.sqrt(ss_total / n) <= _ZERO_STD:
        return None
    expected = 2.0 * ss_total / (n - 1)
    # Units emptied by the filter above have count 0 and SS 0; the max() only keeps
    # their (zero) term from dividing by -1.
    observed_disagreement = float((2.0 * counts * ss_units / np.maximum(counts - 1, 1)).sum()) / n
    return 1.0 - observed_disagreement / expected


# --- internals ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _EntryStatistics:
    """Per-entry arrays over entries that have at least one submitted sheet."""

    entry_ids: npt.NDArray[np.int64]
    entry_index: npt.NDArray[np.int64]  # for each sheet, its row in the arrays below
    mean: npt.NDArray[np.float64]
    median: npt.NDArray[np.float64]
    spread: npt.NDArray[np.float64]
    count: npt.NDArray[np.int64]
    totals: list[dict[int, float]]


def _check_criteria(criteria: Sequence[ScoringCriterion]) -> None:
    if not criteria:
        raise ValueError("at least one criterion is needed")
    keys = [criterion.key for criterion in criteria]
    if len(set(keys)) != len(keys):
        raise ValueError("criterion keys must be unique")
    if sum(criterion.weight for criterion in criteria) <= 0:
        raise ValueError("the criteria's weights must not all be zero")


def _score_matrix(
    score_maps: Sequence[Mapping[str, int | None]],
    criteria: Sequence[ScoringCriterion],
    describe: Callable[[int], str],
) -> npt.NDArray[np.float64]:
    """Scores as a (sheets x criteria) float array, every one checked against its scale.

    ``describe(row)`` names the offending sheet in error messages; it is only called
    on error, so a large edition does not pay for formatting thousands of labels.
    """
    keys = [criterion.key for criterion in criteria]
    known = set(keys)
    rows = []
    for row, score_map in enumerate(score_maps):
        if score_map.keys() != known:
            unknown = sorted(set(score_map) - known)
            if unknown:
                raise ValueError(f"{describe(row)}: unknown criteria {unknown}")
            raise ValueError(f"{describe(row)}: no score for {sorted(known - set(score_map))}")
        rows.append([score_map[key] for key in keys])
    # None becomes NaN here, so incompleteness is caught by the same check as the scale.
    matrix = np.array(rows, dtype=float).reshape(len(rows), len(keys))
    low = np.array([criterion.scale_min for criterion in criteria], dtype=float)
    high = np.array([criterion.scale_max for criterion in criteria], dtype=float)
    valid = (matrix >= low) & (matrix <= high) & (matrix == np.floor(matrix))
    if not valid.all():
        row, column = np.argwhere(~valid)[0]
        raise ValueError(
            f"{describe(row)}: score {rows[row][column]!r} for {keys[column]!r} is not "
            f"an integer from {criteria[column].scale_min} to {criteria[column].scale_max}"
        )
    return matrix


def _weighted_totals(
    scores: npt.NDArray[np.float64], criteria: Sequence[ScoringCriterion]
) -> npt.NDArray[np.float64]:
    low = np.array([criterion.scale_min for criterion in criteria], dtype=float)
    width = np.array(
        [criterion.scale_max - criterion.scale_min for criterion in criteria], dtype=float
    )
    weights = np.array([criterion.weight for criterion in criteria], dtype=float)
    return 100.0 * (((scores - low) / width) @ weights) / weights.sum()


def _check_one_sheet_per_pair(
    jurors: npt.NDArray[np.int64], entries: npt.NDArray[np.int64]
) -> None:
    # Sorted by (entry, juror), a duplicate pair sits next to its twin.
    order = np.lexsort((jurors, entries))
    same = (jurors[order][1:] == jurors[order][:-1]) & (entries[order][1:] == entries[order][:-1])
    if same.any():
        twin = order[np.argmax(same)]
        raise ValueError(
            f"juror {jurors[twin]} has more than one submitted sheet for entry {entries[twin]}"
        )


def _entry_statistics(
    entries: npt.NDArray[np.int64], jurors: npt.NDArray[np.int64], totals: npt.NDArray[np.float64]
) -> _EntryStatistics:
    entry_ids, entry_index = np.unique(entries, return_inverse=True)
    count = np.bincount(entry_index, minlength=len(entry_ids))
    mean = np.bincount(entry_index, weights=totals, minlength=len(entry_ids)) / np.maximum(count, 1)
    # Sorting by (entry, total) puts each entry's totals in one ascending run, from which
    # median and spread are read off by position, without a Python loop per entry.
    by_total = np.lexsort((totals, entry_index))
    sorted_totals = totals[by_total]
    first = np.cumsum(count) - count
    last = first + count - 1
    median = (sorted_totals[first + (count - 1) // 2] + sorted_totals[first + count // 2]) / 2
    spread = sorted_totals[last] - sorted_totals[first]

    by_juror = np.lexsort((jurors, entry_index))
    entry_totals: list[dict[int, float]] = [{} for _ in entry_ids]
    for row, juror, total in zip(
        entry_index[by_juror].tolist(),
        jurors[by_juror].tolist(),
        totals[by_juror].tolist(),
        strict=True,
    ):
        entry_totals[row][juror] = total
    return _EntryStatistics(entry_ids, entry_index, mean, median, spread, count, entry_totals)


def _normalised_by_entry(
    entry_index: npt.NDArray[np.int64],
    jurors: npt.NDArray[np.int64],
    totals: npt.NDArray[np.float64],
    overall_mean: float,
    overall_std: float,
) -> npt.NDArray[np.float64]:
    _, juror_index = np.unique(jurors, return_inverse=True)
    sheets = np.bincount(juror_index)
    juror_mean = np.bincount(juror_index, weights=totals) / sheets
    deviation = totals - juror_mean[juror_index]
    juror_std = np.sqrt(np.bincount(juror_index, weights=deviation**2) / sheets)
    # A juror with one sheet has std 0 as well, so one test covers both documented cases.
    scales = juror_std[juror_index] > _ZERO_STD
    z = np.divide(deviation, juror_std[juror_index], out=np.zeros_like(totals), where=scales)
    mapped = overall_mean + z * overall_std
    return np.bincount(entry_index, weights=mapped) / np.bincount(entry_index)


def _leniency(
    jurors: npt.NDArray[np.int64], offsets: npt.NDArray[np.float64]
) -> list[JurorLeniency]:
    juror_ids, juror_index = np.unique(jurors, return_inverse=True)
    sheets = np.bincount(juror_index, minlength=len(juror_ids))
    mean_offset = np.bincount(juror_index, weights=offsets, minlength=len(juror_ids)) / sheets
    return [
        JurorLeniency(juror_id=juror, offset=offset, sheets=count)
        for juror, offset, count in zip(
            juror_ids.tolist(), mean_offset.tolist(), sheets.tolist(), strict=True
        )
    ]


def _entry_results(
    all_entry_ids: list[int],
    per_entry: _EntryStatistics,
    normalised: npt.NDArray[np.float64],
    spread_threshold: float,
) -> list[EntryResult]:
    row_of = {entry_id: row for row, entry_id in enumerate(per_entry.entry_ids.tolist())}
    mean, median = per_entry.mean.tolist(), per_entry.median.tolist()
    spread, count, normal = per_entry.spread.tolist(), per_entry.count.tolist(), normalised.tolist()

    rows = [row_of.get(entry_id) for entry_id in all_entry_ids]
    means = [None if row is None else mean[row] for row in rows]
    normals = [None if row is None else normal[row] for row in rows]
    ranks_mean = competition_ranks(means)
    ranks_normalised = competition_ranks(normals)

    results = []
    for position, (entry_id, row) in enumerate(zip(all_entry_ids, rows, strict=True)):
        if row is None:
            results.append(
                EntryResult(
                    entry_id=entry_id,
                    totals={},
                    mean=None,
                    median=None,
                    spread=None,
                    count=0,
                    normalised=None,
                    discuss=False,
                    rank_mean=None,
                    rank_normalised=None,
                )
            )
            continue
        results.append(
            EntryResult(
                entry_id=entry_id,
                totals=per_entry.totals[row],
                mean=mean[row],
                median=median[row],
                spread=spread[row],
                count=count[row],
                normalised=normal[row],
                # Compared as displayed, so "spread 20.00, threshold 20" is never flagged
                # because of float noise in the last bits.
                discuss=round(spread[row], DISPLAY_DECIMALS) > spread_threshold,
                rank_mean=ranks_mean[position],
                rank_normalised=ranks_normalised[position],
            )
        )
    return results
