"""The pages' scripts show no sentence of their own in French: every message they show in
the page's language comes from the page (data-msg-* attributes written through the
catalogue), so translators see and fix it in prize/locale like every other string."""

from __future__ import annotations

import re
from pathlib import Path

SCRIPTS = sorted((Path(__file__).parents[2] / "static").glob("*.js"))


def test_there_are_scripts_to_check():
    assert any(path.name == "autosave.js" for path in SCRIPTS)


def test_no_script_chooses_words_by_the_page_language():
    for path in SCRIPTS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""lang\s*===?\s*["']fr""", text), path.name


def test_no_script_holds_french_words():
    french = re.compile(r"[àâçéèêëîïôûùüÿœ]|\\u00a0:|\b(?:enregistr|mots sur)", re.IGNORECASE)
    for path in SCRIPTS:
        code = re.sub(r"//[^\n]*", "", path.read_text(encoding="utf-8"))
        assert not french.search(code), path.name


def test_the_word_counter_gets_its_words_from_the_page():
    macros = (Path(__file__).parents[2] / "templates" / "macros" / "forms.html").read_text()
    assert "data-msg-count=\"{{ _('{n} of at most {limit} words') }}\"" in macros
