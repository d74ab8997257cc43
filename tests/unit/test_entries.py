"""The application form's rules, without a server."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prize.domain.entries import (
    Application,
    count_words,
    form_values,
    parse_draft,
    submission_problems,
)
from prize.domain.uploads import safe_filename, sniff
from tests.factories import complete_application

TODAY = date(2026, 3, 1)


def test_an_empty_draft_is_valid_but_cannot_be_submitted():
    application, errors = parse_draft({})
    assert errors == {}
    problems = submission_problems(application, today=TODAY)
    assert {"title", "summary", "youth_participation", "declaration"} <= problems.keys()


def test_a_complete_application_has_no_problems():
    assert submission_problems(complete_application(), today=TODAY) == {}


def test_zero_adults_is_an_answer_not_a_gap():
    assert "adults" not in submission_problems(complete_application(adults=0), today=TODAY)


def test_word_limits_count_words_not_characters():
    assert count_words("  one two\nthree\tfour  ") == 4
    problems = submission_problems(complete_application(goals="word " * 101), today=TODAY)
    assert problems["goals"] == "At most 100 words: this has 101."
    assert "goals" not in submission_problems(
        complete_application(goals="word " * 100), today=TODAY
    )


def test_a_finished_project_needs_an_end_date_after_its_start():
    problems = submission_problems(complete_application(running="no"), today=TODAY)
    assert "end_date" in problems
    problems = submission_problems(
        complete_application(running="no", end_date="2024-01-01"), today=TODAY
    )
    assert problems["end_date"] == "The end date is before the start date."


def test_a_project_that_has_not_started_is_refused():
    problems = submission_problems(complete_application(start_date="2027-01-01"), today=TODAY)
    assert "start_date" in problems


def test_youth_participation_grid_needs_a_stage_and_says_how():
    problems = submission_problems(complete_application(participation_grid={}), today=TODAY)
    assert "participation_grid" in problems
    application, _ = parse_draft({"grid_design": "on"})
    assert (
        "Design and planning" in submission_problems(application, today=TODAY)["participation_grid"]
    )


def test_malformed_values_are_reported_per_field_and_left_out():
    application, errors = parse_draft(
        {
            "title": "Kept",
            "young_people": "forty",
            "website": "ftp://x",
            "countries": ["FR", "ZZ"],
            "settings": ["school", "moon"],
            "contact_email": "nope",
        }
    )
    assert set(errors) == {"young_people", "website", "countries", "settings", "contact_email"}
    assert application.title == "Kept" and application.young_people is None


def test_the_base_country_is_not_repeated_among_the_other_countries():
    application, _ = parse_draft({"country": "be", "countries": ["BE", "NL", "NL"]})
    assert application.country == "BE" and application.countries == ["NL"]
    assert application.all_countries() == ["BE", "NL"]


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "title",
                "summary",
                "young_people",
                "start_date",
                "countries",
                "settings",
                "website",
                "declaration",
                "grid_needs",
                "grid_needs_how",
                "org_type",
            ]
        ),
        st.one_of(st.text(max_size=50), st.lists(st.text(max_size=10), max_size=3)),
    )
)
def test_any_form_input_parses_without_crashing(values):
    application, errors = parse_draft(values)
    assert isinstance(application, Application)
    assert all(isinstance(message, str) and message for message in errors.values())


def test_form_values_show_an_application_again_unchanged():
    original = complete_application()
    values = form_values(original)
    again, errors = parse_draft(values)
    assert errors == {} and again == original


def test_files_are_recognised_by_content_not_name():
    assert sniff(b"%PDF-1.7\n...") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0....") == "image/jpeg"
    assert sniff(b"<html>%PDF-") is None
    assert sniff(b"GIF89a") is None
    assert sniff(b"%PDF-1.4 <script>alert(1)</script>") is None  # polyglot


def test_file_names_lose_their_paths_and_get_the_true_extension():
    assert safe_filename("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert safe_filename("C:\\Users\\me\\plan.exe", "image/png") == "plan.png"
    assert safe_filename("...", "image/jpeg") == "attachment.jpg"
