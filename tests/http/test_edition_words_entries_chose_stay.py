"""A word an edition added to substances and behaviours stays once an entry chose it: the
secretariat may not remove it or change its English (its key), only its French; refused in
place, naming the entries, with what was typed kept and nothing saved."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from prize.domain.editions import vocabulary_items
from prize.store import editions
from tests import factories
from tests.factories import complete_application
from tests.http.test_edition_call_details import settings_form

WORDS = vocabulary_items("Gambling\nGaming\nSocial media\nScreens",
                         "Jeux d’argent\nJeux vidéo\nRéseaux sociaux\nÉcrans")


@pytest.fixture
async def edition(db):
    edition = await factories.edition(db, year=2026, status="open", substances_extra=WORDS,
                                      closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))
    owner = await factories.user(db)
    draft = await factories.entry(db, edition_id=edition.id, owner_id=owner.id,
                                  application=complete_application(substances=["gaming"]))
    submitted = await factories.entry(
        db, edition_id=edition.id, owner_id=owner.id, status="submitted",
        application=complete_application(substances=["alcohol", "gaming"]))
    return SimpleNamespace(year=edition.year, title=edition.title, title_fr=edition.title_fr,
                           theme=edition.theme, theme_fr=edition.theme_fr,
                           draft_id=draft.id, reference=submitted.reference)


async def test_a_chosen_word_cannot_be_removed(admin_client, db, edition):
    path = f"/admin/editions/{edition.year}/edit"
    response = await admin_client.submit(path, settings_form(
        edition, substances_en="Gambling\nSocial media\nScreens",
        substances_fr="Jeux d’argent\nRéseaux sociaux\nÉcrans", scope="Kept as typed"))
    assert response.status_code == 422
    assert 'id="error-substances_en"' in response.text
    assert "“Gaming”, chosen by" in response.text
    assert edition.reference in response.text and f"#{edition.draft_id}" in response.text
    assert "Kept as typed" in response.text and "Social media\nScreens</textarea>" in response.text
    saved = await editions.by_year(db, edition.year)
    assert saved.substances_extra == WORDS and saved.scope == ""


async def test_a_chosen_words_english_cannot_change(admin_client, db, edition):
    path = f"/admin/editions/{edition.year}/edit"
    response = await admin_client.submit(path, settings_form(
        edition, substances_en="Gambling\nVideo games\nSocial media\nScreens"))
    assert response.status_code == 422
    assert "with their English as it is" in response.text
    assert (await editions.by_year(db, edition.year)).substances_extra == WORDS


async def test_its_french_may_change_and_an_unchosen_word_may_go(admin_client, db, edition):
    path = f"/admin/editions/{edition.year}/edit"
    response = await admin_client.submit(path, settings_form(
        edition, substances_en="Gaming\nSocial media",
        substances_fr="Jeux vidéo et en ligne\nRéseaux sociaux"))
    assert response.status_code == 303, response.text
    saved = await editions.by_year(db, edition.year)
    assert [(item.key, item.fr) for item in saved.substances_extra] == [
        ("gaming", "Jeux vidéo et en ligne"), ("social_media", "Réseaux sociaux")]
