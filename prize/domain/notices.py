"""Texts people accept, versioned: the privacy notice, the entry's declaration and its
consent to publication, a juror's confirmation of their age. Pure rules: what a new
version must hold, and how its text is laid out on a page.

A text is written one block per line: a line starting with `# ` is a heading, one
starting with `- ` an item of a list, any other line a paragraph; blank lines are
ignored. Nothing else is markup, so a text shows exactly as typed (escaped) and needs
no HTML from the secretariat.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, field_validator

from prize.i18n import gettext

# Long enough for a thorough notice (the default is about 4,000 characters), short
# enough that a page of it stays a page.
MAX_BODY_CHARS = 20_000
MAX_NOTE_CHARS = 500


class Document(StrEnum):
    """What a person accepts; a consent record names one and its version."""

    PRIVACY = "privacy"
    DECLARATION = "declaration"
    PUBLICATION = "publication"
    AGE_16 = "age_16"


#: The texts the secretariat edits on its console. The declaration's and the consent to
#: publication's words are those of each edition's application form (a new wording makes
#: a new version at the first submission in it); the age confirmation's are the label
#: of its checkbox on the juror's profile (a new version comes with a migration).
EDITABLE = (Document.PRIVACY,)


class NoticeDraft(BaseModel):
    """A new version as the secretariat typed it."""

    body_en: str
    body_fr: str
    change_note: str

    @field_validator("body_en", "body_fr", mode="before")
    @classmethod
    def _body(cls, value: object) -> str:
        text = normalise(value)
        if not text:
            raise ValueError(gettext("Write the text: it cannot be empty."))
        if len(text) > MAX_BODY_CHARS:
            raise ValueError(gettext("At most {n} characters.").format(n=f"{MAX_BODY_CHARS:,}"))
        return text

    @field_validator("change_note", mode="before")
    @classmethod
    def _note(cls, value: object) -> str:
        text = " ".join(str(value or "").split())
        if not text:
            raise ValueError(gettext("Say in a sentence what changed."))
        if len(text) > MAX_NOTE_CHARS:
            raise ValueError(gettext("At most {n} characters.").format(n=MAX_NOTE_CHARS))
        return text


def normalise(value: object) -> str:
    """The text with Windows line ends, trailing spaces and blank lines around it removed."""
    lines = str(value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "heading", "paragraph" or "list" (then `items`)
    text: str = ""
    items: tuple[str, ...] = ()


def blocks(body: str) -> list[Block]:
    """The text laid out: headings, paragraphs, and consecutive items joined into lists."""
    laid_out: list[Block] = []
    items: list[str] = []
    for line in body.split("\n"):
        line = line.strip()
        if line.startswith("- "):
            items.append(line[2:].strip())
            continue
        if items:
            laid_out.append(Block("list", items=tuple(items)))
            items = []
        if not line:
            continue
        if line.startswith("# "):
            laid_out.append(Block("heading", line[2:].strip()))
        else:
            laid_out.append(Block("paragraph", line))
    if items:
        laid_out.append(Block("list", items=tuple(items)))
    return laid_out


def needs_acceptance(accepted_version: int | None, current_version: int | None) -> bool:
    """Whether a person must accept the current version (never accepted, or an older one)."""
    if current_version is None:
        return False
    return (accepted_version or 0) < current_version
