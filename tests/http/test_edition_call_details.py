"""An edition's call beyond its title: the scope in both languages, the prize money, the
number of awards and the words it adds to "substances and behaviours" (2025 added
gambling, gaming, social media and screens). Set on the settings page, shown on the
call at once; bad input refused in place with nothing saved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prize.domain.editions import substance_label, vocabulary_items
from prize.i18n import use_locale
from prize.store import audit, editions
from tests import factories

SCOPE = "Projects on behavioural and digital addictions are particularly encouraged."
SCOPE_FR = ("Les projets sur les addictions comportementales et numériques sont "
            "particulièrement encouragés.")


def settings_form(edition, **changes) -> list[tuple[str, str]]:
    values = {
        "title": edition.title, "title_fr": edition.title_fr, "theme": edition.theme,
        "theme_fr": edition.theme_fr, "opens_at": "2025-12-01T09:00",
        "closes_at": "2026-05-30T23:59", "judging_ends_at": "2026-09-15T23:59",
        "jurors_per_entry": "3", "spread_threshold": "25",
        "scope": SCOPE, "scope_fr": SCOPE_FR, "prize_money": "6 000", "awards": "3",
        "substances_en": "Gambling\nGaming\nSocial media\nScreens",
        "substances_fr": "Jeux d’argent\nJeux vidéo\nRéseaux sociaux\nÉcrans",
        **changes,
    }
    return [*values.items(), ("eligible_countries", "FR"), ("eligible_countries", "PT")]


@pytest.fixture
async def edition(db):
    return await factories.edition(db, year=2026, status="open",
                                   closes_at=datetime(2026, 5, 30, 21, 59, tzinfo=UTC))


async def test_scope_money_awards_and_words_are_saved_and_shown_on_the_call(
        admin_client, client, db, edition):
    path = f"/admin/editions/{edition.year}/edit"
    before = await client.get(f"/editions/{edition.year}")  # cached for anonymous readers
    assert SCOPE not in before.text
    response = await admin_client.submit(path, settings_form(edition))
    assert response.status_code == 303, response.text
    saved = await editions.by_year(db, edition.year)
    assert (saved.prize_money, saved.awards) == (6000, 3)
    assert [item.key for item in saved.substances_extra] == [
        "gambling", "gaming", "social_media", "screens"]
    with use_locale("fr"):
        assert saved.substance_choices()["social_media"] == "Réseaux sociaux"

    page = await client.get(f"/editions/{edition.year}")
    assert SCOPE in page.text and "Up to 3 prizes" in page.text
    assert "EUR 6,000 for each prize" in page.text
    french = await client.get(f"/editions/{edition.year}", headers={"Accept-Language": "fr"})
    assert SCOPE_FR in french.text
    home = await client.get("/")
    assert SCOPE in home.text

    form_page = await admin_client.get(path)
    assert "Social media\nScreens</textarea>" in form_page.text
    assert 'value="6000"' in form_page.text
    (record,) = await audit.search(db, action="edition.updated")
    assert "prize_money" in record.details and "substances_extra" in record.details


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"prize_money": "six thousand"}, "prize_money", "Enter a whole number."),
    ({"prize_money": "-5"}, "prize_money", "at least 0"),
    ({"awards": "0"}, "awards", "at least 1"),
    ({"substances_fr": "Jeux vidéo"}, "substances_en", "4 in English, 1 in French"),
    ({"substances_en": "Alcohol\nGaming", "substances_fr": "Alcool\nJeux vidéo"},
     "substances_en", "in the list already"),
    ({"scope": "x" * 3001}, "scope", "At most 3000 characters."),
])
async def test_bad_input_is_refused_in_place_and_nothing_is_saved(admin_client, db, edition,
                                                                  changes, field, message):
    path = f"/admin/editions/{edition.year}/edit"
    response = await admin_client.submit(path, settings_form(edition, **changes))
    assert response.status_code == 422
    assert message in response.text
    assert f'id="error-{field}"' in response.text
    assert "Réseaux sociaux" in response.text or field == "substances_en"  # typed text kept
    saved = await editions.by_year(db, edition.year)
    assert saved.prize_money is None and saved.substances_extra == () and saved.scope == ""


def test_a_practices_substance_is_labelled_from_the_edition_that_added_it():
    from prize.domain.editions import default_edition

    edition = default_edition(2025).model_copy(update={
        "substances_extra": vocabulary_items("Screens", "Écrans")})
    with use_locale("fr"):
        assert substance_label("screens", [edition]) == "Écrans"
        assert substance_label("alcohol", [edition]) != "alcohol"
    with use_locale("en"):
        assert substance_label("screens", [edition]) == "Screens"
        assert substance_label("unknown_key", [edition]) == "unknown_key"


async def test_the_store_lists_the_editions_that_add_words(db, edition):
    other = await factories.edition(db, year=2027, status="draft")
    assert await editions.substances_vocabulary(db) == []
    changed = other.model_copy(update={"substances_extra": vocabulary_items("Gaming",
                                                                            "Jeux vidéo")})
    async with db.transaction() as conn:
        await editions.update_settings(conn, other.id, changed, datetime.now(UTC))
    (found,) = await editions.substances_vocabulary(db)
    assert found.year == 2027 and found.substances_extra[0].key == "gaming"
