"""The French catalogue is complete, compiled, and keeps every placeholder.

Extraction runs in-process on the current source with babel.cfg, so a string added
anywhere (Python, templates, emails) without its French translation fails here.
To fix a failure, run the command in README.md, "Translations", and translate what
`pybabel update` left empty or marked fuzzy in prize/locale/fr/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from prize import i18n
from prize.domain.editions import DEFAULT_CRITERIA

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "prize" / "locale"
PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po"
MO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.mo"
README_COMMAND = (
    "pybabel extract -F babel.cfg -o prize/locale/messages.pot . && "
    "pybabel update -i prize/locale/messages.pot -d prize/locale && "
    "pybabel compile -d prize/locale"
)
# %(name)s and %(num)d (Jinja's newstyle gettext and %-formatting), %% (a literal per
# cent sign once formatted), {name} (str.format in Python code).
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%%|%[sd]|\{\w*\}")


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.fixture(scope="module")
def extracted() -> dict[tuple[str | None, str], tuple[str | tuple[str, ...], list[str]]]:
    """Every (msgctxt, msgid) in the source today, with the message and where it is used."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[tuple[str | None, str], tuple[str | tuple[str, ...], list[str]]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        entry = found.setdefault((context, _key(message)), (message, []))
        entry[1].append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def french():
    with PO.open("rb") as po:
        return read_po(po, locale="fr")


def test_extraction_finds_the_strings_of_python_templates_and_emails(extracted):
    places = {place.split(":")[0] for _message, where in extracted.values() for place in where}
    assert any(place.startswith("prize/") for place in places)
    assert any(place.endswith(".html") for place in places)
    assert any(place.startswith("templates/email/") for place in places)
    # The prize's name is data now (prize.domain.identity), no longer a message.
    assert (None, "Good practices") in extracted
    assert (None, "Youth participation") in extracted  # N_() in prize/domain/editions.py


def test_every_string_has_a_french_translation(extracted, french):
    problems = []
    for (context, key), (message_id, where) in sorted(
        extracted.items(), key=lambda item: (item[0][0] or "", item[0][1])
    ):
        if context:
            key = f"{context}|{key}"
        translated = french.get(message_id, context)
        if translated is None:
            problems.append(f"missing: {key!r} ({where[0]})")
            continue
        if translated.fuzzy:
            problems.append(f"fuzzy: {key!r} ({where[0]})")
        forms = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        if not all(form.strip() for form in forms):
            problems.append(f"empty: {key!r} ({where[0]})")
        if isinstance(message_id, tuple) != translated.pluralizable:
            problems.append(f"plural forms differ from the source: {key!r} ({where[0]})")
    assert not problems, (
        f"{len(problems)} French translations to fix; run the command in README.md "
        "(Translations) and translate:\n" + "\n".join(problems)
    )


def test_french_plural_rule_is_declared(french):
    assert french.plural_forms == "nplurals=2; plural=(n > 1);"


def test_translations_keep_every_placeholder(french):
    wrong = []
    for message in french:
        if not message.id or not message.string:
            continue
        if message.pluralizable:
            # French uses its "singular" for 0 and 1, so each form needs the plural's placeholders.
            expected = sorted(PLACEHOLDER.findall(message.id[1]))
            forms = message.string
        else:
            expected = sorted(PLACEHOLDER.findall(message.id))
            forms = (message.string,)
        for form in forms:
            if form and sorted(PLACEHOLDER.findall(form)) != expected:
                wrong.append(f"{_key(message.id)!r}: {form!r} should have {expected}")
    assert not wrong, "\n".join(wrong)


def test_compiled_catalogue_matches_the_po_file(french):
    """The .mo shipped with the code is the .po compiled: no stale build on a fresh clone."""
    compiled = BytesIO()
    write_mo(compiled, french)
    compiled.seek(0)
    expected = {(_key(m.id), str(m.string)) for m in read_mo(compiled) if m.id}
    with MO.open("rb") as shipped:
        actual = {(_key(m.id), str(m.string)) for m in read_mo(shipped) if m.id}
    assert actual == expected, (
        "prize/locale/fr/LC_MESSAGES/messages.mo is out of date: run `pybabel compile -d "
        f"prize/locale` ({len(expected - actual)} translations differ)"
    )


def test_runtime_loads_the_french_catalogue():
    with i18n.use_locale("fr"):
        assert i18n.gettext("Log in") == "Se connecter"
        assert i18n.ngettext("%(num)d entry", "%(num)d entries", 2) % {"num": 2} == (
            "2 candidatures"
        )
    assert i18n.gettext("Log in") == "Log in"


def test_default_criteria_in_french_match_the_catalogue(french):
    """Criteria stored before their French fields existed are translated the same way."""
    for criterion in DEFAULT_CRITERIA:
        assert criterion.title_fr and criterion.guidance_fr
        assert len(criterion.rubric_fr) == len(criterion.rubric)
        pairs = [(criterion.title, criterion.title_fr), (criterion.guidance, criterion.guidance_fr),
                 *zip(criterion.rubric, criterion.rubric_fr, strict=True)]
        for english, in_french in pairs:
            assert french.get(english).string == in_french


def test_readme_documents_the_command():
    assert README_COMMAND in (ROOT / "README.md").read_text()
