"""Pure catalogue logic: slugs, search terms, FTS quoting, query validation, workflow."""

from __future__ import annotations

import pytest

from prize.domain.practices import (
    BadQuery,
    TransitionRefused,
    fts_match,
    next_status,
    parse_catalogue_query,
    search_terms,
    slugify,
)


def test_slug_folds_diacritics_and_punctuation():
    assert slugify("Évasion: la prévention à l'école!") == "evasion-la-prevention-a-l-ecole"
    assert slugify("***") == "practice"


def test_search_terms_fold_and_drop_stop_words():
    assert search_terms("An APP for drug-checking") == ["app", "drug", "checking"]
    assert search_terms("prévention") == ["prevention"]
    assert search_terms("AND") == ["and"]


def test_every_term_is_quoted_so_fts_syntax_is_plain_text():
    assert fts_match(["near", "and"]) == '"near"* "and"*'
    assert fts_match(["a", "b"], any_term=True) == '"a"* OR "b"*'
    assert fts_match(['x"y']) == '"x""y"*'


def test_query_defaults_and_sort():
    query = parse_catalogue_query({})
    assert (query.page, query.per_page, query.effective_sort) == (1, 20, "newest")
    assert parse_catalogue_query({"q": "app"}).effective_sort == "relevance"
    assert parse_catalogue_query({"country": "pl", "q": " "}).country == "PL"


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"per_page": "500"}, {"country": "XX"}, {"setting": "bar"},
    {"year": "soon"}, {"award": "gold"}, {"sort": "random"},
])
def test_bad_query_names_the_parameter(params):
    with pytest.raises(BadQuery, match=list(params)[0]):
        parse_catalogue_query(params)


def test_workflow_transitions():
    assert next_status("draft", "send") == "awaiting_applicant"
    assert next_status("awaiting_applicant", "approve") == "approved"
    assert next_status("awaiting_applicant", "request_changes") == "draft"
    assert next_status("approved", "publish") == "published"
    assert next_status("published", "unpublish") == "unpublished"
    with pytest.raises(TransitionRefused):
        next_status("draft", "publish")


def test_a_refused_workflow_step_says_why_in_the_readers_language():
    from prize import i18n
    from prize.domain import lifecycle

    with pytest.raises(lifecycle.TransitionRefused) as refused:
        next_status("published", "send")
    assert refused.value.reasons == [
        "“Send to the applicant for approval” is possible only when the practice is “Draft”;"
        " it is “Published”."
    ]
    with i18n.use_locale("fr"), pytest.raises(TransitionRefused) as refused:
        next_status("draft", "publish")
    assert str(refused.value).startswith("«\u00a0Publier\u00a0» n’est possible que")
    assert "au statut “Brouillon”" in str(refused.value)
