"""Export tables: the contract's columns, two decimals, ties sharing a rank."""

from __future__ import annotations

from types import SimpleNamespace

from prize.domain import exports
from prize.domain.scoring import ScoringCriterion, Sheet, aggregate

CRITERIA = [ScoringCriterion("a", 1, 0, 5), ScoringCriterion("b", 2, 0, 5)]


def entry(n: int) -> SimpleNamespace:
    return SimpleNamespace(reference=f"EDPP-2026-000{n}", title=f"Project {n}", country="IE")


def test_ranking_rows_share_ranks_on_ties_and_show_two_decimals():
    sheets = [
        Sheet(1, 1, {"a": 5, "b": 4}, True), Sheet(2, 1, {"a": 4, "b": 5}, True),
        Sheet(1, 2, {"a": 2, "b": 2}, True), Sheet(2, 2, {"a": 2, "b": 2}, True),
        Sheet(1, 3, {"a": 2, "b": 2}, True), Sheet(2, 3, {"a": 2, "b": 2}, True),
    ]
    results = aggregate(sheets, CRITERIA, spread_threshold=25, entry_ids=[4])
    table = exports.ranking_table(results, {n: entry(n) for n in (1, 2, 3, 4)})
    lines = exports.to_csv(table).splitlines()
    assert lines[0] == "rank,reference,title,country,sheets,mean,normalised,spread,discuss"
    assert lines[1].startswith("1,EDPP-2026-0001,Project 1,IE,2,90.00,")
    assert lines[2].split(",")[0] == lines[3].split(",")[0] == "2"
    assert lines[4] == ",EDPP-2026-0004,Project 4,IE,0,,,,no"


def test_scores_rows_follow_the_contract():
    line = SimpleNamespace(reference="EDPP-2026-0001", juror="Ana", criterion="a", score=None,
                           weight=3.0, status="draft", round=1)
    assert exports.to_csv(exports.scores_table([line])).splitlines() == [
        "reference,juror,criterion,score,weight,status,round", "EDPP-2026-0001,Ana,a,,3,draft,1"]


def test_bad_choices_are_named():
    assert exports.check_choice("ranking", "csv") == []
    assert len(exports.check_choice("prizes", "pdf")) == 2
