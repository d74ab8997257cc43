"""The words an edition adds to "substances and behaviours" once entries chose them.

A word's key is made from its English (`domain.editions.vocabulary_items`) and is what an
entry stores. So a word an entry of the edition chose stays, with its English as it is:
removing it, or changing its English (a new key), would leave that entry with a choice
the form no longer offers (the applicant's next save refused, readers shown a bare key).
Its French may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from prize.i18n import gettext


def dropped_words_in_use(old: Iterable[Any], new: Iterable[Any],
                         chosen: Mapping[str, Sequence[str]]) -> str | None:
    """A sentence for the secretariat when `new` (the edition's words as typed) loses a
    word of `old` that entries chose (`chosen`: key → the entries that chose it, named as
    the secretariat knows them); None when every chosen word is kept.

    `old` and `new` hold items with `key` and `en` (`domain.editions.VocabularyItem`)."""
    kept = {item.key for item in new}
    lost = [(item, chosen[item.key]) for item in old
            if item.key not in kept and chosen.get(item.key)]
    if not lost:
        return None
    words = "; ".join(
        gettext("“{word}”, chosen by {entries}").format(word=item.en, entries=", ".join(entries))
        for item, entries in lost)
    return gettext(
        "Entries of this edition chose these words, so they stay, with their English as it "
        "is (their French may change): {words}.").format(words=words)
