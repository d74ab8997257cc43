"""The jury meeting's minutes as a PDF, drawn by WeasyPrint from their HTML page.

WeasyPrint lays out HTML and CSS (print rules, page margins, running page numbers) as a
PDF with real text, so the minutes are one template, printed or downloaded alike. It is
synchronous and takes a noticeable time: call it off the event loop (asyncio.to_thread).

It is imported when a PDF is first made, not with the site: it needs Pango from the
system (see .ci/run), and a machine without it still serves everything else.
"""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here: its system libraries are missing."""


def _fetch_nothing(url: str, *args, **kwargs):
    # The minutes hold text people typed: never let the PDF reach a file or the network.
    raise ValueError(f"the minutes load nothing from outside ({url[:40]})")


def minutes_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (its styles inline, no outside files).

    Raises :class:`PdfUnavailable` when WeasyPrint's system libraries are missing."""
    try:
        from weasyprint import HTML
    except OSError as missing:
        raise PdfUnavailable(str(missing)) from missing
    return HTML(string=html, base_url=None, url_fetcher=_fetch_nothing).write_pdf()
