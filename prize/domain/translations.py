"""Translations of an entry into the other working language: which answers, which checks.

An entry is written in English or French (the prize's working languages); the jury works
mostly in English. A translation holds, for every text answer the jury reads (text and
long text questions, not choices, whose labels exist in both languages, and not the
questions only the secretariat sees), the answer in the other language. Word limits do
not apply to a translation; only a size bound stops abuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from prize.domain.entries import MAX_LINE_CHARS, MAX_TEXT_CHARS, FormField, count_words
from prize.i18n import N_, gettext

#: The prize's working languages: an entry is translated from one into the other.
WORKING_LANGUAGES = ("en", "fr")
TRANSLATED_KINDS = ("text", "textarea")
#: Text answers that are names, never translated: the contact person's name.
NOT_TRANSLATED = frozenset({"contact_name"})

DRAFT = "draft"
COMPLETE = "complete"

STATUS_LABELS = {DRAFT: N_("Draft"), COMPLETE: N_("Complete")}


def other_language(language: str | None) -> str:
    """The working language an entry in ``language`` is translated into."""
    return "fr" if (language or "en") == "en" else "en"


def translated_fields(fields: Iterable[FormField]) -> list[FormField]:
    """The questions a translation covers: the jury's text answers, in form order."""
    return [
        field for field in fields
        if field.kind in TRANSLATED_KINDS and field.visible_to != "secretariat"
        and field.name not in NOT_TRANSLATED
    ]


@dataclass(frozen=True)
class FieldToTranslate:
    """One answer beside its translation, with the original's word count."""

    field: FormField
    original: str
    translation: str

    @property
    def words(self) -> int:
        return count_words(self.original)


def pairs(fields: Iterable[FormField], answers: Mapping[str, Any],
          texts: Mapping[str, str]) -> list[FieldToTranslate]:
    """Each translated question with its original answer and its translation so far."""
    result = []
    for field in translated_fields(fields):
        original = answers.get(field.name)
        result.append(FieldToTranslate(
            field, original if isinstance(original, str) else "", texts.get(field.name, "")))
    return result


def clean_texts(values: Mapping[str, Any], fields: Iterable[FormField]
                ) -> tuple[dict[str, str], dict[str, str]]:
    """The translation's texts from a form (``t-<key>`` names) and a message per bad one.

    No word limit; a one-line answer stays one line. Unknown names are ignored, so a
    question removed from the form never blocks the translation.
    """
    texts: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in translated_fields(fields):
        raw = values.get(f"t-{field.name}", "")
        text = raw if isinstance(raw, str) else ""
        text = text.replace("\r\n", "\n").strip()
        limit = MAX_TEXT_CHARS if field.kind == "textarea" else MAX_LINE_CHARS
        if field.kind != "textarea":
            text = " ".join(text.split())
        if len(text) > limit:
            errors[f"t-{field.name}"] = gettext(
                "This is too long: at most {limit} characters.").format(limit=limit)
        if text:
            texts[field.name] = text
    return texts, errors


def missing(fields: Iterable[FormField], answers: Mapping[str, Any],
            texts: Mapping[str, str]) -> list[str]:
    """Keys of answered questions whose translation is still empty (before completion)."""
    return [pair.field.name for pair in pairs(fields, answers, texts)
            if pair.original.strip() and not pair.translation.strip()]


def readable_languages(entry_language: str | None, translated: Iterable[str]) -> frozenset[str]:
    """The languages an entry can be read in: its own and its complete translations'."""
    return frozenset({(entry_language or "").casefold(),
                      *(language.casefold() for language in translated)}) - {""}


def can_read(juror_languages: Iterable[str], readable: Iterable[str]) -> bool:
    """Whether a juror reading ``juror_languages`` can read an entry readable in ``readable``."""
    return bool({language.casefold() for language in juror_languages} & set(readable))


def jurors_without_a_language(jurors_languages: Iterable[Iterable[str]],
                              readable: Iterable[str]) -> int:
    """How many of these jurors read none of the languages the entry can be read in."""
    languages = set(readable)
    return sum(not can_read(each, languages) for each in jurors_languages)
