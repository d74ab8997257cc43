"""Unit tests of prize.domain.lifecycle: both state machines, their guards and their words.

The diagrams below are written out again here, independently of the module's tables, so that
a change to a table that the design did not intend shows up as a failing test.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prize.domain import lifecycle
from prize.domain.editions import default_edition
from prize.domain.lifecycle import (
    CriterionFacts,
    EditionFacts,
    EditionStatus,
    EntryStatus,
    TransitionRefused,
    available_entry_transitions,
    available_transitions,
    check_edition_transition,
    edition_status_label,
    edition_transition,
    edition_transition_label,
    entry_status_label,
    entry_transition,
    entry_transition_label,
    is_editable_by_applicant,
)

# --- the diagrams, as the design draws them ----------------------------------------------------

EDITION_DIAGRAM: dict[tuple[str, str], str] = {
    ("draft", "open_call"): "open",
    ("open", "close_call"): "screening",
    ("screening", "reopen_call"): "open",
    ("screening", "start_judging"): "judging",
    ("judging", "start_deliberation"): "deliberation",
    ("deliberation", "publish_results"): "published",
    ("published", "archive"): "archived",
}
EDITION_NAMES = sorted({name for _status, name in EDITION_DIAGRAM})

ENTRY_DIAGRAM: dict[tuple[str, str], str] = {
    ("draft", "submit"): "submitted",
    ("submitted", "submit"): "submitted",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "withdraw"): "withdrawn",
    ("submitted", "mark_eligible"): "eligible",
    ("ineligible", "mark_eligible"): "eligible",
    ("submitted", "mark_ineligible"): "ineligible",
    ("eligible", "mark_ineligible"): "ineligible",
    ("eligible", "shortlist"): "shortlisted",
    ("shortlisted", "unshortlist"): "eligible",
    ("eligible", "award_winner"): "winner",
    ("shortlisted", "award_winner"): "winner",
    ("eligible", "award_special_mention"): "special_mention",
    ("shortlisted", "award_special_mention"): "special_mention",
    ("eligible", "not_select"): "not_selected",
    ("shortlisted", "not_select"): "not_selected",
    ("winner", "revoke_award"): "shortlisted",
    ("special_mention", "revoke_award"): "shortlisted",
    ("not_selected", "reconsider"): "eligible",
}
ENTRY_NAMES = sorted({name for _status, name in ENTRY_DIAGRAM})
ENTRY_PHASE = {
    "submit": "open",
    "withdraw": "open",
    "mark_eligible": "screening",
    "mark_ineligible": "screening",
    "shortlist": "deliberation",
    "unshortlist": "deliberation",
    "award_winner": "deliberation",
    "award_special_mention": "deliberation",
    "not_select": "deliberation",
    "revoke_award": "deliberation",
    "reconsider": "deliberation",
}


def reachable(diagram: dict[tuple[str, str], str], start: str) -> set[str]:
    seen, frontier = {start}, [start]
    while frontier:
        status = frontier.pop()
        for (source, _name), target in diagram.items():
            if source == status and target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


# --- times and factories ----------------------------------------------------------------------

OPENS_AT = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 5, 30, 21, 59, tzinfo=UTC)  # 23:59 in Strasbourg (summer time)
BEFORE = DEADLINE - timedelta(seconds=1)
AFTER = DEADLINE + timedelta(days=1)
TIMES = [OPENS_AT, BEFORE, DEADLINE, AFTER]


def edition_facts(**changes) -> EditionFacts:
    """Facts under which every edition transition's preconditions hold (given the right now)."""
    ready = EditionFacts(
        title="European Prize for Drug Prevention 2026",
        opens_at=OPENS_AT,
        closes_at=DEADLINE,
        timezone="Europe/Paris",
        criteria=(
            CriterionFacts("youth_participation", 3, 0, 5),
            CriterionFacts("evaluation", 2, 0, 5),
        ),
        eligible_countries=("FR", "PL", "SI"),
        jurors_per_entry=3,
        submitted_entries=0,
        screened_entries=0,
        eligible_entries=12,
        undecided_entries=0,
        winners=2,
        assignment_released=True,
        entries_short_of_jurors=0,
        active_jurors=7,
        sheets_assigned=36,
        sheets_submitted=36,
    )
    return dataclasses.replace(ready, **changes)


# The time at which each step is normally taken: a call is opened before its deadline and
# closed after it.
USUAL_NOW = {
    "open_call": BEFORE,
    "close_call": AFTER,
    "reopen_call": BEFORE,
    "start_judging": AFTER,
    "start_deliberation": AFTER,
    "publish_results": AFTER,
    "archive": AFTER,
}


def refused_reasons(name: str, status: str, facts: EditionFacts, **kwargs) -> list[str]:
    with pytest.raises(TransitionRefused) as refused:
        edition_transition(name, status, facts, **kwargs)
    return refused.value.reasons


# --- edition: allowed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "source", "now", "target", "emails", "audit_action"),
    [
        ("open_call", "draft", BEFORE, "open", ("call_opened",), "edition.call_opened"),
        ("close_call", "open", AFTER, "screening", (), "edition.call_closed"),
        ("close_call", "open", DEADLINE, "screening", (), "edition.call_closed"),
        ("reopen_call", "screening", BEFORE, "open", (), "edition.call_reopened"),
        ("start_judging", "screening", AFTER, "judging", ("eligibility_results",),
         "edition.judging_started"),
        ("start_deliberation", "judging", AFTER, "deliberation", (),
         "edition.deliberation_started"),
        ("publish_results", "deliberation", AFTER, "published", ("results",),
         "edition.results_published"),
        ("archive", "published", AFTER, "archived", (), "edition.archived"),
    ],
)
def test_edition_transition_goes_ahead_when_its_preconditions_hold(
    name, source, now, target, emails, audit_action
):
    # given an edition ready for every step
    facts = edition_facts()

    # when
    result = edition_transition(name, source, facts, now=now)

    # then
    assert check_edition_transition(name, facts, now=now) == []
    assert result.name == name
    assert result.source == source
    assert result.target == target
    assert result.emails == emails
    assert result.audit_action == audit_action
    assert result.audit_description
    assert not result.forced
    assert result.audit_details == {"from": source, "to": target, "forced": False}


def test_only_three_steps_send_emails():
    sent = {
        name: edition_transition(name, source, edition_facts(), now=USUAL_NOW[name]).emails
        for (source, name) in EDITION_DIAGRAM
    }

    assert {name: emails for name, emails in sent.items() if emails} == {
        "open_call": ("call_opened",),
        "start_judging": ("eligibility_results",),
        "publish_results": ("results",),
    }


# --- edition: refused by status --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        (name, status)
        for name in EDITION_NAMES
        for status in EditionStatus
        if (status, name) not in EDITION_DIAGRAM
    ],
)
def test_edition_transition_is_refused_from_any_other_status(name, status):
    reasons = refused_reasons(name, status, edition_facts(), now=USUAL_NOW[name], force=True)

    assert len(reasons) == 1
    assert f"“{edition_transition_label(name)}” is possible only when the edition is" in reasons[0]
    assert reasons[0].endswith(f"it is “{edition_status_label(status)}”.")


def test_status_refusal_names_the_status_it_needs():
    reasons = refused_reasons("start_judging", "open", edition_facts(), now=AFTER)

    assert reasons == [
        "“Start judging” is possible only when the edition is “Screening”; "
        "it is “Open for entries”."
    ]


# --- edition: refused by preconditions --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "changes", "now", "expected"),
    [
        # open_call
        ("open_call", {"title": "  "}, BEFORE, "The edition has no title yet."),
        ("open_call", {"opens_at": None}, BEFORE, "The opening date is not set."),
        ("open_call", {"closes_at": None}, BEFORE, "The deadline is not set."),
        ("open_call", {"opens_at": DEADLINE}, BEFORE,
         "The deadline must come after the opening date."),
        ("open_call", {}, DEADLINE, "The deadline has already passed; set a later one."),
        ("open_call", {"criteria": ()}, BEFORE,
         "The edition has no criteria yet; add at least one."),
        ("open_call", {"criteria": (CriterionFacts("ethics", 0, 0, 5),)}, BEFORE,
         "The weight of criterion “ethics” must be above 0."),
        ("open_call", {"criteria": (CriterionFacts("ethics", 1, 5, 5),)}, BEFORE,
         "The scale of criterion “ethics” must have its top above its bottom (it is 5 to 5)."),
        ("open_call",
         {"criteria": (CriterionFacts("ethics", 1, 0, 5), CriterionFacts("ethics", 2, 0, 5))},
         BEFORE, "Two criteria share the key “ethics”."),
        ("open_call", {"eligible_countries": ()}, BEFORE,
         "No country is eligible yet; choose at least one."),
        ("open_call", {"jurors_per_entry": 0}, BEFORE, "Each entry needs at least 1 juror."),
        # reopen_call
        ("reopen_call", {"screened_entries": 1}, BEFORE,
         "1 entry has already been screened, so the call cannot be reopened."),
        ("reopen_call", {"screened_entries": 3}, BEFORE,
         "3 entries have already been screened, so the call cannot be reopened."),
        ("reopen_call", {}, DEADLINE,
         "The deadline has passed; set a later one before reopening the call."),
        ("reopen_call", {"closes_at": None}, BEFORE, "The deadline is not set."),
        # start_judging
        ("start_judging", {"submitted_entries": 1}, AFTER,
         "1 submitted entry is not screened yet."),
        ("start_judging", {"submitted_entries": 4}, AFTER,
         "4 submitted entries are not screened yet."),
        ("start_judging", {"eligible_entries": 0}, AFTER,
         "No entry is eligible, so there is nothing to score."),
        ("start_judging", {"assignment_released": False}, AFTER,
         "The jury's assignment has not been released yet."),
        ("start_judging", {"entries_short_of_jurors": 1}, AFTER,
         "1 eligible entry has fewer jurors assigned than it needs."),
        ("start_judging", {"entries_short_of_jurors": 2}, AFTER,
         "2 eligible entries have fewer jurors assigned than they need."),
        ("start_judging", {"active_jurors": 0}, AFTER,
         "No juror has accepted an invitation to this edition yet."),
        ("start_judging", {"active_jurors": 0, "jurors_per_entry": None}, AFTER,
         "No juror has accepted an invitation to this edition yet."),
        ("start_judging", {"active_jurors": 1}, AFTER,
         "The edition has 1 active juror; each entry needs 3."),
        ("start_judging", {"active_jurors": 2}, AFTER,
         "The edition has 2 active jurors; each entry needs 3."),
        # publish_results
        ("publish_results", {"winners": 0}, AFTER, "No winner has been recorded yet."),
        ("publish_results", {"undecided_entries": 1}, AFTER,
         "1 eligible entry has no decision yet; shortlist it, award it or mark it not selected."),
        ("publish_results", {"undecided_entries": 5}, AFTER,
         "5 eligible entries have no decision yet; shortlist, award or mark each one "
         "not selected."),
    ],
)
def test_edition_transition_is_refused_with_a_sentence_per_unmet_precondition(
    name, changes, now, expected
):
    # given an edition ready for the step but for one thing
    facts = edition_facts(**changes)
    source = next(status for (status, step) in EDITION_DIAGRAM if step == name)

    # when / then
    assert check_edition_transition(name, facts, now=now) == [expected]
    assert check_edition_transition(name, facts, now=now, force=True) == [expected]
    with pytest.raises(TransitionRefused) as refused:
        edition_transition(name, source, facts, now=now, force=True)
    assert refused.value.reasons == [expected]
    assert refused.value.can_force is False
    assert str(refused.value) == expected


def test_every_unmet_precondition_is_reported_at_once():
    facts = edition_facts(
        submitted_entries=4, eligible_entries=0, assignment_released=False, active_jurors=2
    )

    assert refused_reasons("start_judging", "screening", facts, now=AFTER) == [
        "4 submitted entries are not screened yet.",
        "No entry is eligible, so there is nothing to score.",
        "The jury's assignment has not been released yet.",
        "The edition has 2 active jurors; each entry needs 3.",
    ]


def test_all_jurors_without_a_conflict_needs_only_one_active_juror():
    facts = edition_facts(jurors_per_entry=None, active_jurors=1)

    assert check_edition_transition("start_judging", facts, now=AFTER) == []


def test_draft_entries_do_not_hold_up_judging():
    # Only submitted entries wait for screening; a draft left at the deadline is simply late.
    facts = edition_facts(submitted_entries=0, eligible_entries=1)

    assert edition_transition("start_judging", "screening", facts, now=AFTER).target == "judging"


def test_archive_has_no_precondition():
    facts = edition_facts(winners=0, undecided_entries=3, sheets_submitted=0)

    assert edition_transition("archive", "published", facts, now=AFTER).target == "archived"


# --- edition: force --------------------------------------------------------------------------


def test_closing_before_the_deadline_needs_force_and_says_when_the_deadline_is():
    facts = edition_facts()

    with pytest.raises(TransitionRefused) as refused:
        edition_transition("close_call", "open", facts, now=BEFORE)

    # 21:59 UTC on 30 May is 23:59 in Strasbourg (summer time).
    assert refused.value.reasons == [
        "The deadline has not passed yet: the call closes on 30 May 2026 at 23:59 "
        "(Strasbourg time). Confirm to close it early."
    ]
    assert refused.value.can_force is True


def test_the_secretariat_can_close_the_call_early_with_force_and_the_audit_says_so():
    result = edition_transition("close_call", "open", edition_facts(), now=BEFORE, force=True)

    assert result.target == "screening"
    assert result.forced
    assert result.overridden == (
        "The deadline has not passed yet: the call closes on 30 May 2026 at 23:59 "
        "(Strasbourg time). Confirm to close it early.",
    )
    assert result.audit_description == (
        "Closed the call for entries (forced: before the deadline of 2026-05-30T21:59:00+00:00)"
    )
    assert result.audit_details["forced"] is True
    assert check_edition_transition("close_call", edition_facts(), now=BEFORE, force=True) == []


def test_force_after_the_deadline_overrides_nothing():
    result = edition_transition("close_call", "open", edition_facts(), now=AFTER, force=True)

    assert not result.forced
    assert result.audit_description == "Closed the call for entries"


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (35, "1 score sheet is not submitted yet (35 of 36 submitted). "
             "Confirm to start deliberation without it."),
        (32, "4 score sheets are not submitted yet (32 of 36 submitted). "
             "Confirm to start deliberation without them."),
    ],
)
def test_deliberation_with_missing_sheets_needs_force_and_says_how_many(submitted, expected):
    facts = edition_facts(sheets_submitted=submitted)

    with pytest.raises(TransitionRefused) as refused:
        edition_transition("start_deliberation", "judging", facts, now=AFTER)
    forced = edition_transition("start_deliberation", "judging", facts, now=AFTER, force=True)

    assert refused.value.reasons == [expected]
    assert refused.value.can_force is True
    assert forced.target == "deliberation"
    assert forced.overridden == (expected,)
    missing = 36 - submitted
    assert forced.audit_description == (
        f"Started deliberation (forced: with {missing} of 36 score sheets not submitted)"
    )


def test_force_does_not_override_what_is_not_overridable():
    # given an edition where screening is unfinished
    facts = edition_facts(submitted_entries=2)

    # when / then
    with pytest.raises(TransitionRefused) as refused:
        edition_transition("start_judging", "screening", facts, now=AFTER, force=True)
    assert refused.value.reasons == ["2 submitted entries are not screened yet."]
    assert refused.value.can_force is False


def test_a_refusal_for_the_wrong_status_cannot_be_forced():
    with pytest.raises(TransitionRefused) as refused:
        edition_transition("close_call", "screening", edition_facts(), now=BEFORE)

    assert refused.value.can_force is False


# --- edition: deadline boundary ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "closes_without_force"),
    [(DEADLINE - timedelta(microseconds=1), False), (DEADLINE, True), (AFTER, True)],
)
def test_the_deadline_itself_counts_as_closed_for_closing_the_call(now, closes_without_force):
    problems = check_edition_transition("close_call", edition_facts(), now=now)

    assert (problems == []) is closes_without_force


# --- edition: lists, labels, misuse ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("draft", ["open_call"]),
        ("open", ["close_call"]),
        ("screening", ["reopen_call", "start_judging"]),
        ("judging", ["start_deliberation"]),
        ("deliberation", ["publish_results"]),
        ("published", ["archive"]),
        ("archived", []),
    ],
)
def test_available_transitions_follow_the_diagram(status, names):
    assert available_transitions(status) == names


@pytest.mark.parametrize(
    ("status", "label"),
    [
        ("draft", "Draft"),
        ("open", "Open for entries"),
        ("screening", "Screening"),
        ("judging", "Judging"),
        ("deliberation", "Deliberation"),
        ("published", "Results published"),
        ("archived", "Archived"),
    ],
)
def test_every_edition_status_has_a_label(status, label):
    assert edition_status_label(status) == label


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("open_call", "Open the call for entries"),
        ("close_call", "Close the call for entries"),
        ("reopen_call", "Reopen the call for entries"),
        ("start_judging", "Start judging"),
        ("start_deliberation", "Start deliberation"),
        ("publish_results", "Publish the results"),
        ("archive", "Archive the edition"),
    ],
)
def test_every_edition_transition_has_a_label(name, label):
    assert edition_transition_label(name) == label


def test_an_unknown_transition_is_a_bug_not_a_refusal():
    with pytest.raises(ValueError, match="unknown edition transition") as error:
        edition_transition("publish", "deliberation", edition_facts(), now=AFTER)
    assert not isinstance(error.value, TransitionRefused)
    with pytest.raises(ValueError, match="unknown entry transition"):
        entry_transition("accept", "submitted", edition_status="screening", now=AFTER,
                         closes_at=DEADLINE)


def test_a_time_without_a_time_zone_is_rejected():
    naive = datetime(2026, 6, 1, 12, 0)

    with pytest.raises(ValueError, match="time zone"):
        check_edition_transition("close_call", edition_facts(), now=naive)
    with pytest.raises(ValueError, match="time zone"):
        entry_transition("submit", "draft", edition_status="open", now=naive, closes_at=DEADLINE)


def test_facts_can_be_built_from_an_edition_and_the_stores_counts():
    edition = default_edition(2026).model_copy(update={
        "opens_at": OPENS_AT, "closes_at": DEADLINE, "assignment_released_at": AFTER,
    })
    counts = dict(
        submitted_entries=0, screened_entries=0, eligible_entries=0, undecided_entries=0,
        winners=0, entries_short_of_jurors=0, active_jurors=0, sheets_assigned=0,
        sheets_submitted=0,
    )

    facts = EditionFacts.from_edition(edition, **counts)

    assert facts.title == edition.title
    assert facts.closes_at == DEADLINE
    assert facts.assignment_released is True
    assert [c.key for c in facts.criteria] == [c.key for c in edition.criteria]
    assert check_edition_transition("open_call", facts, now=BEFORE) == []


# --- entry: allowed --------------------------------------------------------------------------

STATEMENT = "A youth-led project that others can learn from."
USUAL_EDITION_NOW = {"open": BEFORE, "screening": AFTER, "deliberation": AFTER}


@pytest.mark.parametrize(
    ("source", "name", "target"),
    [(source, name, target) for (source, name), target in ENTRY_DIAGRAM.items()],
)
def test_entry_transition_goes_ahead_in_its_phase(source, name, target):
    # given the edition in the phase of the step, before the deadline for the applicant's steps
    phase = ENTRY_PHASE[name]

    # when
    result = entry_transition(
        name, source, edition_status=phase, now=USUAL_EDITION_NOW[phase], closes_at=DEADLINE,
        reason="Not drug prevention.", statement=STATEMENT,
    )

    # then
    assert (result.name, result.source, result.target) == (name, source, target)
    assert result.audit_action.startswith("entry.")
    assert result.audit_description
    assert result.details["from"] == source
    assert result.details["to"] == target


@pytest.mark.parametrize(
    ("source", "audit_action"),
    [("draft", "entry.submitted"), ("submitted", "entry.resubmitted")],
)
def test_a_second_submission_is_audited_as_a_resubmission(source, audit_action):
    result = entry_transition("submit", source, edition_status="open", now=BEFORE,
                              closes_at=DEADLINE)

    assert result.audit_action == audit_action


def test_marking_ineligible_keeps_the_stripped_reason_for_the_applicant():
    result = entry_transition(
        "mark_ineligible", "submitted", edition_status="screening", now=AFTER,
        closes_at=DEADLINE, reason="  The project is about treatment only.  ",
    )

    assert result.reason == "The project is about treatment only."
    assert result.details["reason"] == "The project is about treatment only."


def test_correcting_to_eligible_clears_the_earlier_reason():
    result = entry_transition(
        "mark_eligible", "ineligible", edition_status="screening", now=AFTER, closes_at=DEADLINE,
    )

    assert result.target == "eligible"
    assert result.reason == ""


@pytest.mark.parametrize("name", ["award_winner", "award_special_mention"])
def test_an_award_keeps_the_jury_statement(name):
    result = entry_transition(
        name, "shortlisted", edition_status="deliberation", now=AFTER, closes_at=DEADLINE,
        statement=f"  {STATEMENT}\n",
    )

    assert result.statement == STATEMENT


def test_revoking_an_award_clears_its_statement():
    result = entry_transition(
        "revoke_award", "winner", edition_status="deliberation", now=AFTER, closes_at=DEADLINE,
    )

    assert result.target == "shortlisted"
    assert result.statement == ""


@pytest.mark.parametrize("name", ["submit", "withdraw", "shortlist", "not_select"])
def test_steps_without_reason_or_statement_leave_the_stored_ones_alone(name):
    source = "eligible" if ENTRY_PHASE[name] == "deliberation" else "draft"
    phase = ENTRY_PHASE[name]

    result = entry_transition(name, source, edition_status=phase,
                              now=USUAL_EDITION_NOW[phase], closes_at=DEADLINE)

    assert result.reason is None
    assert result.statement is None


# --- entry: refused --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        (name, status)
        for name in ENTRY_NAMES
        for status in EntryStatus
        if (status, name) not in ENTRY_DIAGRAM
    ],
)
def test_entry_transition_is_refused_from_any_other_entry_status(name, status):
    phase = ENTRY_PHASE[name]

    with pytest.raises(TransitionRefused) as refused:
        entry_transition(name, status, edition_status=phase, now=USUAL_EDITION_NOW[phase],
                         closes_at=DEADLINE, reason="A reason.", statement=STATEMENT)

    assert refused.value.reasons == [
        f"“{entry_transition_label(name)}” is not possible for an entry whose status is "
        f"“{entry_status_label(status)}”."
    ]


PHASE_REFUSALS = {
    "screening": "Eligibility is decided only while the edition is in screening; it is “{}”.",
    "deliberation": (
        "Decisions are recorded only while the edition is in deliberation; it is “{}”."
    ),
}


@pytest.mark.parametrize(
    ("name", "edition_status"),
    [
        (name, edition_status)
        for name in ENTRY_NAMES
        if ENTRY_PHASE[name] != "open"
        for edition_status in EditionStatus
        if edition_status != ENTRY_PHASE[name]
    ],
)
def test_screening_and_decisions_are_refused_outside_their_phase(name, edition_status):
    source = next(status for (status, step) in ENTRY_DIAGRAM if step == name)

    with pytest.raises(TransitionRefused) as refused:
        entry_transition(name, source, edition_status=edition_status, now=AFTER,
                         closes_at=DEADLINE, reason="A reason.", statement=STATEMENT)

    assert refused.value.reasons == [
        PHASE_REFUSALS[ENTRY_PHASE[name]].format(edition_status_label(edition_status))
    ]


@pytest.mark.parametrize("name", ["submit", "withdraw"])
@pytest.mark.parametrize(
    ("edition_status", "expected"),
    [
        ("draft", "The call for entries has not opened yet."),
        ("screening", "The call for entries is closed."),
        ("judging", "The call for entries is closed."),
        ("deliberation", "The call for entries is closed."),
        ("published", "The call for entries is closed."),
        ("archived", "The call for entries is closed."),
    ],
)
def test_applicants_steps_are_refused_unless_the_call_is_open(name, edition_status, expected):
    # Before the deadline, too: a call closed early is closed.
    with pytest.raises(TransitionRefused) as refused:
        entry_transition(name, "draft", edition_status=edition_status, now=BEFORE,
                         closes_at=DEADLINE)

    assert refused.value.reasons == [expected]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("submit", "The deadline has passed, so this entry can no longer be submitted. "
                   "Your saved text is kept."),
        ("withdraw", "The deadline has passed, so this entry can no longer be withdrawn."),
    ],
)
@pytest.mark.parametrize("now", [DEADLINE, AFTER])
def test_applicants_steps_are_refused_at_and_after_the_deadline(name, expected, now):
    with pytest.raises(TransitionRefused) as refused:
        entry_transition(name, "submitted", edition_status="open", now=now, closes_at=DEADLINE)

    assert refused.value.reasons == [expected]


@pytest.mark.parametrize("name", ["submit", "withdraw"])
def test_applicants_steps_are_allowed_until_the_last_moment(name):
    last_moment = DEADLINE - timedelta(microseconds=1)

    result = entry_transition(name, "submitted", edition_status="open", now=last_moment,
                              closes_at=DEADLINE)

    assert result.source == "submitted"


def test_an_open_edition_without_a_deadline_accepts_no_submission():
    with pytest.raises(TransitionRefused) as refused:
        entry_transition("submit", "draft", edition_status="open", now=BEFORE, closes_at=None)

    assert refused.value.reasons == ["The call for entries is closed."]


@pytest.mark.parametrize("reason", [None, "", "   \n"])
@pytest.mark.parametrize("source", ["submitted", "eligible"])
def test_marking_ineligible_needs_a_reason(reason, source):
    with pytest.raises(TransitionRefused) as refused:
        entry_transition("mark_ineligible", source, edition_status="screening", now=AFTER,
                         closes_at=DEADLINE, reason=reason)

    assert refused.value.reasons == [
        "Give the reason the entry is not eligible; the applicant will see it."
    ]


@pytest.mark.parametrize("statement", [None, "", "  "])
@pytest.mark.parametrize("name", ["award_winner", "award_special_mention"])
@pytest.mark.parametrize("source", ["eligible", "shortlisted"])
def test_an_award_needs_a_jury_statement(statement, name, source):
    with pytest.raises(TransitionRefused) as refused:
        entry_transition(name, source, edition_status="deliberation", now=AFTER,
                         closes_at=DEADLINE, statement=statement)

    assert refused.value.reasons == [
        "Write the jury's statement for this award; it is published with the result."
    ]


def test_an_entry_refusal_gives_every_reason_at_once():
    with pytest.raises(TransitionRefused) as refused:
        entry_transition("award_winner", "submitted", edition_status="judging", now=AFTER,
                         closes_at=DEADLINE)

    assert refused.value.reasons == [
        "“Award a prize” is not possible for an entry whose status is “Submitted”.",
        "Decisions are recorded only while the edition is in deliberation; it is “Judging”.",
        "Write the jury's statement for this award; it is published with the result.",
    ]
    assert refused.value.can_force is False
    assert isinstance(refused.value, ValueError)


# --- entry: editing, lists, labels -----------------------------------------------------------


@pytest.mark.parametrize(
    ("entry_status", "edition_status", "now", "closes_at", "editable"),
    [
        ("draft", "open", BEFORE, DEADLINE, True),
        ("submitted", "open", BEFORE, DEADLINE, True),
        ("draft", "open", DEADLINE, DEADLINE, False),
        ("submitted", "open", AFTER, DEADLINE, False),
        ("draft", "open", BEFORE, None, False),
        ("draft", "draft", BEFORE, DEADLINE, False),
        ("submitted", "screening", BEFORE, DEADLINE, False),
        ("withdrawn", "open", BEFORE, DEADLINE, False),
        *[(status, "open", BEFORE, DEADLINE, False)
          for status in ("eligible", "ineligible", "shortlisted", "winner", "special_mention",
                         "not_selected")],
    ],
)
def test_an_applicant_may_edit_only_drafts_and_submissions_while_the_call_is_open(
    entry_status, edition_status, now, closes_at, editable
):
    assert is_editable_by_applicant(entry_status, edition_status, now, closes_at) is editable


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("draft", ["submit", "withdraw"]),
        ("submitted", ["submit", "withdraw", "mark_eligible", "mark_ineligible"]),
        ("eligible", ["mark_ineligible", "shortlist", "award_winner", "award_special_mention",
                      "not_select"]),
        ("ineligible", ["mark_eligible"]),
        ("shortlisted", ["unshortlist", "award_winner", "award_special_mention", "not_select"]),
        ("winner", ["revoke_award"]),
        ("special_mention", ["revoke_award"]),
        ("not_selected", ["reconsider"]),
        ("withdrawn", []),
    ],
)
def test_available_entry_transitions_follow_the_diagram(status, names):
    assert available_entry_transitions(status) == names


def test_every_entry_status_and_transition_has_a_label():
    assert [entry_status_label(status) for status in EntryStatus] == [
        "Draft", "Submitted", "Eligible", "Not eligible", "Shortlisted", "Winner",
        "Special mention", "Not selected", "Withdrawn",
    ]
    assert all(entry_transition_label(name) for name in ENTRY_NAMES)
    assert lifecycle.N_("Shortlist") == "Shortlist"


# --- properties: no sequence leaves the diagram ------------------------------------------------

counts = st.integers(min_value=0, max_value=5)
random_facts = st.builds(
    edition_facts,
    title=st.sampled_from(["", "Prize 2026"]),
    opens_at=st.sampled_from([None, OPENS_AT, AFTER]),
    closes_at=st.sampled_from([None, DEADLINE]),
    criteria=st.sampled_from([(), (CriterionFacts("ethics", 1, 0, 5),),
                              (CriterionFacts("ethics", 0, 0, 5),)]),
    eligible_countries=st.sampled_from([(), ("FR",)]),
    jurors_per_entry=st.sampled_from([None, 1, 3]),
    submitted_entries=counts,
    screened_entries=counts,
    eligible_entries=counts,
    undecided_entries=counts,
    winners=counts,
    assignment_released=st.booleans(),
    entries_short_of_jurors=counts,
    active_jurors=counts,
    sheets_assigned=counts,
    sheets_submitted=counts,
)
# Ready facts half the time, so that sequences get far along the diagram.
any_facts = st.one_of(st.just(edition_facts()), random_facts)


def step_names(data, diagram: dict[tuple[str, str], str], names: list[str], status: str) -> str:
    """Half the time a step the diagram allows from ``status``, else any step at all."""
    allowed = sorted(name for (source, name) in diagram if source == status)
    if allowed and data.draw(st.booleans()):
        return data.draw(st.sampled_from(allowed))
    return data.draw(st.sampled_from(names))


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(min_value=0, max_value=30))
def test_no_sequence_of_edition_transitions_leaves_the_diagram(data, length):
    status = "draft"
    visited = {status}
    for _ in range(length):
        name = step_names(data, EDITION_DIAGRAM, EDITION_NAMES, status)
        facts = data.draw(any_facts)
        now = data.draw(st.sampled_from(TIMES))
        force = data.draw(st.booleans())
        facts_before = dataclasses.replace(facts)
        may_go = (status, name) in EDITION_DIAGRAM and not check_edition_transition(
            name, facts, now=now, force=force
        )
        try:
            result = edition_transition(name, status, facts, now=now, force=force)
        except TransitionRefused as refused:
            # A refusal says why and leaves the edition where it was.
            assert refused.reasons
            assert not may_go
        else:
            assert may_go
            assert result.source == status
            assert result.target == EDITION_DIAGRAM[(status, name)]
            status = result.target
        assert facts == facts_before
        visited.add(status)
    assert visited <= reachable(EDITION_DIAGRAM, "draft")


def entry_may_go(status, name, edition_status, now, reason, statement) -> bool:
    """The rules of the entry table, restated for the property test."""
    phase = ENTRY_PHASE[name]
    return (
        (status, name) in ENTRY_DIAGRAM
        and edition_status == phase
        and (phase != "open" or now < DEADLINE)
        and (name != "mark_ineligible" or bool((reason or "").strip()))
        and (not name.startswith("award_") or bool((statement or "").strip()))
    )


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(min_value=0, max_value=30))
def test_no_sequence_of_entry_transitions_leaves_the_diagram(data, length):
    status = "draft"
    visited = {status}
    for _ in range(length):
        name = step_names(data, ENTRY_DIAGRAM, ENTRY_NAMES, status)
        edition_status = data.draw(
            st.one_of(st.just(ENTRY_PHASE[name]), st.sampled_from(list(EditionStatus)))
        )
        now = data.draw(st.sampled_from(TIMES))
        reason = data.draw(st.sampled_from([None, "", "Not drug prevention."]))
        statement = data.draw(st.sampled_from([None, " ", STATEMENT]))
        may_go = entry_may_go(status, name, edition_status, now, reason, statement)
        try:
            result = entry_transition(name, status, edition_status=edition_status, now=now,
                                      closes_at=DEADLINE, reason=reason, statement=statement)
        except TransitionRefused as refused:
            assert refused.reasons
            assert not may_go
        else:
            assert may_go
            assert result.target == ENTRY_DIAGRAM[(status, name)]
            status = result.target
        visited.add(status)
    assert visited <= reachable(ENTRY_DIAGRAM, "draft")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(list(EntryStatus)),
    st.sampled_from(list(EditionStatus)),
    st.sampled_from(TIMES),
)
def test_editable_means_the_applicant_can_submit_and_withdraw(entry_status, edition_status, now):
    editable = is_editable_by_applicant(entry_status, edition_status, now, DEADLINE)

    for name in ("submit", "withdraw"):
        try:
            entry_transition(name, entry_status, edition_status=edition_status, now=now,
                             closes_at=DEADLINE)
            allowed = True
        except TransitionRefused:
            allowed = False
        assert allowed is editable
