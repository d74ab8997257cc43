"""The edition's exports as tables (header + rows), written as CSV or XLSX.

Columns of ``scores`` and ``ranking`` are fixed by CONTRACTS.md. The ranking's ``rank``
is the rank by juror-normalised total (ties share a rank), the order the deliberation
screen proposes; entries without a submitted sheet come last with empty figures.

`to_csv` and `to_xlsx` are the one writer of every export (the console's downloads and
`prize export`). Titles, organisations and names come from people outside the
secretariat, so no cell may become a formula in a spreadsheet: in CSV a text beginning
with ``= + - @``, a tab or a carriage return gets a leading apostrophe (OWASP's advice
on CSV injection); in XLSX text is written as text, never as a formula. Numbers stay
numbers in both.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from prize.domain.entries import answer_of
from prize.domain.scoring import EditionResults, ranking

What = Literal["entries", "scores", "ranking"]
WHATS: tuple[str, ...] = ("entries", "scores", "ranking")
FORMATS: tuple[str, ...] = ("csv", "xlsx")

SCORES_HEADER = ("reference", "juror", "criterion", "score", "weight", "status", "round")
RANKING_HEADER = (
    "rank", "reference", "title", "country", "sheets", "mean", "normalised", "spread", "discuss",
)
ENTRIES_HEADER = (
    "reference", "title", "organisation", "country", "language", "status", "jury_statement",
)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _two(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _number(value: float) -> str:
    return f"{value:g}"


def ranking_table(results: EditionResults, entries: Mapping[int, Any]) -> Table:
    """``entries`` maps entry id to an object with ``reference``, ``title``, ``country``."""
    rows = []
    for result in ranking(results, by="normalised"):
        entry = entries[result.entry_id]
        rows.append((
            "" if result.rank_normalised is None else result.rank_normalised,
            entry.reference, entry.title, entry.country, result.count,
            _two(result.mean), _two(result.normalised), _two(result.spread),
            "yes" if result.discuss else "no",
        ))
    return Table(RANKING_HEADER, rows)


def scores_table(lines: Iterable[Any]) -> Table:
    """``lines`` have ``reference``, ``juror``, ``criterion``, ``score``, ``weight``,
    ``status`` and ``round`` (1, or 2 for the final round)."""
    return Table(SCORES_HEADER, [
        (line.reference, line.juror, line.criterion, "" if line.score is None else line.score,
         _number(line.weight), line.status, line.round)
        for line in lines
    ])


#: The working languages, in the order of the text columns (``summary_en``, ``summary_fr``).
TEXT_LANGUAGES = ("en", "fr")


def entries_table(entries: Iterable[Any], questions: Iterable[str] = (),
                  texts: Iterable[str] = (),
                  translations: Mapping[int, Mapping[str, Mapping[str, str]]] | None = None,
                  substances: Mapping[str, str] | None = None,
                  ) -> Table:
    """No contact details: the export goes to people who do not need them.

    ``questions``: the keys of the edition's own questions (custom, not secretariat-only),
    one column each after the fixed columns, holding ``entry.application.answers[key]``.
    ``texts``: the keys of the text answers a translation covers; after the questions,
    one column per key and working language (``summary_en``, ``summary_fr``): the
    original in its language's column, a complete translation (``translations[entry id]
    [language][key]``) in the other, empty when there is none.
    ``substances``: key → label of the edition's substances and behaviours (its own words
    included); when given, a last column ``substances`` names each entry's, "; " between.
    """
    keys = tuple(questions)
    text_keys = tuple(texts)
    translations = translations or {}
    header = ENTRIES_HEADER + keys + tuple(
        f"{key}_{language}" for key in text_keys for language in TEXT_LANGUAGES)
    if substances is not None:
        header += ("substances",)

    def substance_cells(entry: Any) -> list[Any]:
        if substances is None:
            return []
        return ["; ".join(substances.get(key, key) for key in entry.application.substances)]

    def text_cells(entry: Any) -> list[Any]:
        cells = []
        for key in text_keys:
            for language in TEXT_LANGUAGES:
                if language == entry.language:
                    original = answer_of(entry.application, key)
                    cells.append(original if isinstance(original, str) else "")
                else:
                    cells.append(translations.get(entry.id, {}).get(language, {}).get(key, ""))
        return cells

    return Table(header, [
        (entry.reference or "", entry.title, entry.organisation, entry.country, entry.language,
         entry.status, entry.jury_statement,
         *(answer_cell(entry.application.answers.get(key)) for key in keys),
         *text_cells(entry), *substance_cells(entry))
        for entry in entries
    ])


def answer_cell(answer: Any) -> Any:
    """A custom answer as one cell: lists joined with "; ", a grid as "stage: yes — how"."""
    if answer is None:
        return ""
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, list):
        return "; ".join(str(item) for item in answer)
    if isinstance(answer, dict):
        return "; ".join(
            f"{stage}: {'yes' if part.get('involved') else 'no'}"
            + (f" — {part['how']}" if part.get("how") else "")
            for stage, part in answer.items() if isinstance(part, dict))
    return answer


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A figure the tables write as text to keep its decimals ("12.50", "-0.25").
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")


def csv_cell(value: Any) -> Any:
    """`value` as a CSV cell: text a spreadsheet would run as a formula, neutralised."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _DECIMAL.fullmatch(
            value):
        return "'" + value
    return value


def to_csv(table: Table, *, lineterminator: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow([csv_cell(value) for value in table.header])
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue()


def to_xlsx(table: Table, sheet_title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append([_xlsx_cell(sheet, value) for value in table.header])
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    # Figures as numbers so a spreadsheet can sort and sum them.
    if _DECIMAL.fullmatch(value):
        return float(value)
    # openpyxl refuses control characters (a paste may bring some): a space instead.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub(" ", value))
    # openpyxl makes every text beginning with "=" a formula; this one stays text.
    cell.data_type = "s"
    return cell


def filename(year: int, what: str, fmt: str) -> str:
    return f"prize-{year}-{what}.{fmt}"


def check_choice(what: str, fmt: str) -> list[str]:
    problems = []
    if what not in WHATS:
        problems.append(f"--what must be one of {', '.join(WHATS)}, not {what!r}")
    if fmt not in FORMATS:
        problems.append(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return problems

