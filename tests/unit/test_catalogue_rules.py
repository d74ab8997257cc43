"""Pure rules of the catalogue and the publication workflow (issue 13)."""

from __future__ import annotations

import pytest

from prize import i18n
from prize.domain import country_map, vocabulary
from prize.domain.practices import (
    MAX_QUERY_CHARS,
    BadQuery,
    PublicPhotoChoice,
    TransitionRefused,
    bad_query_message,
    next_status,
    parse_catalogue_query,
)


@pytest.fixture
def french():
    token = i18n.set_locale("fr")
    yield
    i18n._current.reset(token)


def test_countries_sort_by_their_french_names_accents_as_plain_letters(french):
    codes = ["EG", "ES", "DE", "AT", "DK", "EE"]
    names = [vocabulary.country_name(code) for code in vocabulary.countries_by_name(codes)]
    assert names == ["Allemagne", "Autriche", "Danemark", "Égypte", "Espagne", "Estonie"]


def test_countries_sort_by_their_english_names():
    names = [vocabulary.country_name(c) for c in vocabulary.countries_by_name(["DE", "AT", "ES"])]
    assert names == ["Austria", "Germany", "Spain"]


def test_every_country_sorts_in_each_language():
    for locale in i18n.LOCALES:
        order = vocabulary.all_countries_by_name(locale)
        assert set(order) == vocabulary.COUNTRY_CODES and len(order) == len(set(order))


@pytest.mark.parametrize(("params", "field"), [
    ({"q": "x" * (MAX_QUERY_CHARS + 1)}, "q"),
    ({"page": "0"}, "page"),
    ({"page": "two"}, "page"),
    ({"country": "Atlantis"}, "country"),
    ({"year": "1200"}, "year"),
    ({"sort": "random"}, "sort"),
    ({"per_page": "1000"}, "per_page"),
])
def test_a_bad_parameter_names_its_field(params, field):
    with pytest.raises(BadQuery) as raised:
        parse_catalogue_query(params)
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")
    sentence = bad_query_message(raised.value)
    assert sentence.endswith(".") and not sentence.startswith(field + ":")


def test_the_long_search_message_says_the_limit():
    with pytest.raises(BadQuery) as raised:
        parse_catalogue_query({"q": "x" * 500})
    assert bad_query_message(raised.value) == (
        "Your search is too long: use at most 200 characters.")


def test_the_secretariat_recalls_and_resends_only_what_is_with_the_applicant():
    assert next_status("awaiting_applicant", "recall") == "draft"
    assert next_status("awaiting_applicant", "resend") == "awaiting_applicant"
    for status in ("draft", "approved", "published", "unpublished"):
        for action in ("recall", "resend"):
            with pytest.raises(TransitionRefused):
                next_status(status, action)


@pytest.mark.parametrize(("attachment_id", "alt", "problem"), [
    (7, "", "image_alt"),
    (7, "   \n ", "image_alt"),
    (7, "x" * 301, "image_alt"),
    (8, "A mural", "photo"),
    (-1, "A mural", "photo"),
])
def test_a_photo_choice_is_refused_with_the_field_to_mend(attachment_id, alt, problem):
    choice, errors = PublicPhotoChoice.check(attachment_id, alt, {7})
    assert choice is None and list(errors) == [problem]


def test_a_photo_choice_keeps_one_line_of_description_and_none_means_no_photo():
    choice, errors = PublicPhotoChoice.check(7, "  Four young\npeople  ", {7})
    assert not errors and choice.alt == "Four young people" and choice.attachment_id == 7
    none, errors = PublicPhotoChoice.check(None, "ignored", {7})
    assert not errors and none.attachment_id is None and none.alt == ""


def test_the_map_draws_every_eligible_country_once_and_lists_those_with_practices():
    assert set(country_map.GRID) >= set(vocabulary.ELIGIBLE_COUNTRIES)
    assert len(set(country_map.GRID.values())) == len(country_map.GRID)
    drawn = country_map.tiles({"PT": 1, "ES": 2, "US": 1})
    assert {t.code for t in drawn.tiles if t.count} == {"PT", "ES"}
    # A country with practices but no tile is still in the list beside the map
    assert [t.name for t in drawn.listed] == ["Portugal", "Spain", "United States"]
    assert not country_map.tiles({})
