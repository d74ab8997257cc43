"""One word per concept: prize/glossary.toml is kept in the source and in the catalogue.

A rejected variant (e.g. "sign in" for "log in", « fiche publique » for « page publique ») fails
here when it appears in an English msgid extracted from the source (the way
tests/unit/test_translations.py extracts) or in a French msgstr of the catalogue.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = tomllib.loads((ROOT / "prize" / "glossary.toml").read_text(encoding="utf-8"))
PO = ROOT / "prize" / "locale" / "fr" / "LC_MESSAGES" / "messages.po"


def _pattern(variant: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(variant)}(?!\w)", re.IGNORECASE)


def _forms(value) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(form for form in value if form)
    return (value,) if value else ()


@pytest.fixture(scope="module")
def english_msgids() -> dict[str, str]:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        for form in _forms(message):
            found.setdefault(form, f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def french_msgstrs(english_msgids) -> list[tuple[str, str]]:
    """The French of every message the source still uses (an obsolete one is never shown)."""
    with PO.open("rb") as po:
        catalogue = read_po(po, locale="fr")
    return [(_forms(m.id)[0], form) for m in catalogue
            if m.id and _forms(m.id)[0] in english_msgids for form in _forms(m.string)]


def test_every_concept_has_both_terms_and_definitions():
    assert len(GLOSSARY) >= 15
    for key, concept in GLOSSARY.items():
        for field in ("en", "fr", "definition_en", "definition_fr"):
            assert concept.get(field, "").strip(), f"{key}: {field} is empty"
        assert isinstance(concept.get("rejected_en"), list), key
        assert isinstance(concept.get("rejected_fr"), list), key


def test_the_glossary_page_lists_every_concept():
    page = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for key, concept in GLOSSARY.items():
        assert f"`{key}`" in page, f"docs/glossary.md does not list {key}"
        assert concept["en"] in page and concept["fr"] in page, key


def test_no_rejected_english_variant_in_the_source(english_msgids):
    found = [
        f"{where}: {variant!r} (use {concept['en']!r}) in {msgid!r}"
        for concept in GLOSSARY.values()
        for variant in concept["rejected_en"]
        for msgid, where in english_msgids.items()
        if _pattern(variant).search(msgid)
    ]
    assert not found, "\n".join(found)


def test_no_rejected_french_variant_in_the_catalogue(french_msgstrs):
    found = []
    for concept in GLOSSARY.values():
        for variant in concept["rejected_fr"]:
            found += [
                f"{variant!r} (use {concept['fr']!r}) in {msgstr!r} (msgid {msgid!r})"
                for msgid, msgstr in french_msgstrs
                if _pattern(variant).search(msgstr)
            ]
        for whole in concept.get("rejected_fr_whole", []):
            found += [
                f"{whole!r} alone (use {concept['fr']!r}) for msgid {msgid!r}"
                for msgid, msgstr in french_msgstrs
                if msgstr.strip() == whole
            ]
    assert not found, "\n".join(sorted(set(found)))
