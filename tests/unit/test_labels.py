"""Every status, role and event a person reads has a label, in English and in French.

The audit actions are collected from the code itself: every ``action=`` the code passes,
every string of an action's family (``entry.…``, ``jury.…``) and every f-string family,
expanded from the values it can take. A new action without a label fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from prize import i18n
from prize.domain import labels, practices
from prize.domain.labels import KINDS, label
from prize.domain.lifecycle import ENTRY_TRANSITIONS
from prize.domain.statuses import (
    EditionStatus,
    EntryStatus,
    JurorStatus,
    PracticeStatus,
    Role,
    SheetStatus,
)

PACKAGE = Path(__file__).resolve().parents[2] / "prize"
EVENT = re.compile(r"^([a-z][a-z_]*)\.[a-z_]+$")

# What the placeholder of each f-string family of actions can be, and where that is decided.
FSTRING_FAMILIES: dict[str, tuple[str, ...]] = {
    # prize/web/applicant.py: "resubmitted" if the entry was submitted, else "submitted".
    "entry.": ("submitted", "resubmitted"),
    # prize/web/publication.py: the workflow's step names.
    "practice.": tuple(practices.PRACTICE_TRANSITIONS),
    # prize/web/admin jury: RuleForm.rule and ConflictForm.action.
    "assignment.rule_": ("pin", "forbid", "clear"),
    "conflict.secretariat_": ("set", "remove"),
}


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in PACKAGE.rglob("*.py")]


def _constants(node: ast.AST) -> list[str]:
    """The string constants an expression can be: a literal, or either branch of an `if`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def _fstring_prefix(node: ast.AST) -> str | None:
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def _action_expressions(tree: ast.Module) -> list[ast.AST]:
    """Expressions given as an action: `action=…` arguments and `action = …`, `done = …`."""
    names = ("action", "done", "audit_action")
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in names:
            found.append(node.value)
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id in names for target in node.targets
        ):
            found.append(node.value)
    return found


def written_actions() -> set[str]:
    """Every audit action the code can write."""
    trees = _trees()
    families: set[str] = set()
    actions: set[str] = set()
    unknown_fstrings: list[str] = []
    for path, tree in trees:
        for expression in _action_expressions(tree):
            for value in _constants(expression):
                if EVENT.match(value):
                    families.add(value.split(".")[0])
            prefix = _fstring_prefix(expression)
            if prefix is not None:
                if prefix not in FSTRING_FAMILIES:
                    unknown_fstrings.append(f"{path.relative_to(PACKAGE)}: {prefix}…")
                    continue
                families.add(prefix.split(".")[0])
                actions |= {prefix + value for value in FSTRING_FAMILIES[prefix]}
    assert not unknown_fstrings, (
        f"f-string actions whose values this test does not know: {unknown_fstrings}; "
        "add them to FSTRING_FAMILIES")
    # Any string of a family counts: step tables and helpers pass actions around by value.
    for _path, tree in trees:
        # The literal pieces of an f-string are not actions of their own.
        pieces = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                  for part in node.values}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in pieces):
                match = EVENT.match(node.value)
                if match and match.group(1) in families:
                    actions.add(node.value)
    return actions


WRITTEN = written_actions()


def test_the_scan_finds_actions_of_every_kind_of_writer():
    # A literal, an f-string family, a step table's action and a helper's argument.
    assert {"edition.created", "entry.resubmitted", "practice.request_changes",
            "entry.award_revoked", "criterion.moved", "jurors.reminded"} <= WRITTEN
    assert {step.audit_action for step in ENTRY_TRANSITIONS.values()} <= WRITTEN


def test_every_audit_action_the_code_writes_has_a_label():
    assert sorted(WRITTEN - labels.EVENT_LABELS.keys()) == []


def test_no_label_waits_for_an_action_nobody_writes():
    assert sorted(labels.EVENT_LABELS.keys() - WRITTEN) == []


def test_every_subject_of_an_audit_record_has_a_label():
    subjects = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "subject_type":
                subjects |= set(_constants(node.value))
    assert subjects and sorted(subjects - labels.SUBJECT_LABELS.keys()) == []


@pytest.mark.parametrize(("kind", "values"), [
    ("edition", EditionStatus), ("entry", EntryStatus), ("practice", PracticeStatus),
    ("juror", JurorStatus), ("sheet", SheetStatus), ("role", Role),
])
def test_every_status_and_role_has_a_label_of_its_own(kind, values):
    for value in values:
        assert labels.is_known(kind, value), (kind, value)
        assert label(kind, value) != value


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_an_unknown_key_reads_as_a_translated_fallback_not_as_itself(kind, locale):
    with i18n.use_locale(locale):
        shown = label(kind, "mystery_key.never_written")
    assert "mystery" not in shown and shown.strip()
    if locale == "fr":
        with i18n.use_locale("en"):
            assert shown != label(kind, "mystery_key.never_written")


def test_french_labels_are_french():
    with i18n.use_locale("fr"):
        assert label("entry", "special_mention") == "Mention spéciale"
        assert label("role", "juror") != "Juror"
        assert label("event", "entry.resubmitted") != "Entry submitted again"
