"""Plain language (issue 19 §2): the score sheet explains its 0–5 scale, what "counts ×3" means
and five hard words; the form explains the levels of prevention and tells goals from aims."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests import factories
from tests.http.test_entry_autosave import start
from tests.http.test_scoring import judging, sheet_path  # noqa: F401, F811 (fixture)


async def test_the_sheet_explains_the_scale_the_coefficients_and_five_hard_words(
    client, judging  # noqa: F811
):
    _, entry, _, _ = judging
    await client.log_in("j1@example.org")
    page = (await client.get(sheet_path(entry))).text
    assert ("0 = missing · 1 = very weak · 2 = weak · 3 = good · 4 = very good · 5 = excellent"
            in page)
    assert "(counts ×3)" in page and "weight 3" not in page
    assert "counts three times as much as one that counts ×1" in page
    for word in ("Evidence", "Stigma", "Consent", "Confidentiality", "Sustainability"):
        assert f"<dt>{word}</dt>" in page
    assert "Labelling or shaming people" in page
    assert "Back to the entries I score" in page


@pytest.fixture
async def open_edition(db):
    return await factories.edition(db, year=2027, status="open",
                                   closes_at=datetime(2099, 5, 30, 21, 59, tzinfo=UTC))


async def test_the_form_explains_the_levels_of_prevention_and_tells_goals_from_aims(
    applicant_client, open_edition
):
    entry_id = await start(applicant_client, open_edition)
    page = (await applicant_client.get(f"/my/entries/{entry_id}/edit")).text
    assert "Universal: for everyone in a group (a class, a town)." in page
    assert "Indicated: for people already showing early signs." in page
    assert "Your detailed objectives go under “Aims and objectives”." in page
    assert "60 pupils trained by June" in page
