"""Which of an edition's words may go: those no entry chose."""

from __future__ import annotations

from prize.domain.edition_words import dropped_words_in_use
from prize.domain.editions import vocabulary_items

OLD = vocabulary_items("Gambling\nGaming\nScreens", "Jeux d’argent\nJeux vidéo\nÉcrans")


def test_keeping_every_chosen_word_is_fine_whatever_its_french():
    new = vocabulary_items("Gaming\nGambling", "Jeux\nParis")
    assert dropped_words_in_use(OLD, new, {"gaming": ["EDPP-2026-0001"],
                                           "gambling": ["#4"]}) is None


def test_an_unchosen_word_may_go():
    assert dropped_words_in_use(OLD, OLD[:2], {"gaming": ["#3"], "alcohol": ["#3"]}) is None


def test_a_chosen_word_that_goes_or_changes_its_english_is_named_with_its_entries():
    new = vocabulary_items("Video games\nScreens", "Jeux vidéo\nÉcrans")
    problem = dropped_words_in_use(OLD, new, {"gaming": ["EDPP-2026-0001", "#7"],
                                              "gambling": ["#9"], "screens": ["#9"]})
    assert problem is not None
    assert "“Gambling”, chosen by #9" in problem
    assert "“Gaming”, chosen by EDPP-2026-0001, #7" in problem
    assert "Screens" not in problem
