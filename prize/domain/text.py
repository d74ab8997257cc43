"""Text that must stay on one line: titles, names, email headers.

A paste from a word processor or a PDF brings line separators that are invisible in a
form (U+2028, U+2029, NEL, vertical tab, form feed…). In an email header they are
refused by Python's email package; in a title they break lists and exports. Every
single-line field folds them to a space when it is saved, and every header is built
through `one_line` as well, for text saved before that rule.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

# Every character str.splitlines() breaks on (\n \r \x0b \x0c \x1c-\x1e \x85 U+2028
# U+2029), and every other C0 and C1 control character, with the spaces around them.
_BREAKS = re.compile(r" *[\x00-\x1f\x7f-\x9f\u2028\u2029]+ *")


def one_line(text: str) -> str:
    """`text` with each run of line breaks and control characters folded to one space."""
    return _BREAKS.sub(" ", text).strip()


def _one_line_value(value: Any) -> Any:
    return one_line(value) if isinstance(value, str) else value


#: A str field of a pydantic model that keeps to one line (see `one_line`).
OneLine = Annotated[str, BeforeValidator(_one_line_value)]
