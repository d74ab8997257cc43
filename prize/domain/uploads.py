"""What an uploaded file really is, judged by its content and never by its name."""

from __future__ import annotations

import re
import unicodedata

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_ENTRY = 5
ALLOWED = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}

# Markup that a browser could run if it ever sniffed the file as HTML: a file that
# carries it in its first kilobytes is a polyglot, refused whatever its magic bytes say.
_ACTIVE_MARKUP = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed)\b", re.IGNORECASE)


def sniff(head: bytes) -> str | None:
    """The content type of a PDF, PNG or JPEG from its first bytes; None for anything else."""
    if head.startswith(b"%PDF-"):
        kind = "application/pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    else:
        return None
    if _ACTIVE_MARKUP.search(head[:4096]):
        return None
    return kind


def carries_markup(chunk: bytes) -> bool:
    """Whether a piece of a file holds markup a browser could run (see `sniff`)."""
    return _ACTIVE_MARKUP.search(chunk) is not None


def safe_filename(name: str, content_type: str) -> str:
    """A display name without paths or control characters, with the extension of its content."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    stem = base.rsplit(".", 1)[0].strip(" .") or "attachment"
    return stem[:100] + ALLOWED[content_type]
