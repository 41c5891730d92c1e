"""Normalising cells before validation, and saying what was normalised.

Surrounding spaces, full-width digits and percent signs (９５．２％), thousands
separators, ≤/≥ comparators and placeholders (xx, ——) are read for what they
mean; each change is reported with file, row and column, and the user's file
is never altered.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from envtargets._checks import distinct
from envtargets.problems import locations, problem
from envtargets.tables import LOCATION_COLUMNS, NUMERIC_COLUMNS, OPTIONAL_COLUMNS

_PLACEHOLDER = re.compile(r"^(?:[xX]+(?:\.[xX]+)?%?|—+|–+|-+|/|n/?a|null|none|无|暂无)$", re.I)


class DataCleaningWarning(UserWarning):
    """Input was normalised while reading (encoding, full-width digits, placeholders)."""


_COMPARATOR_SPELLINGS = {"≤": "<=", "≥": ">=", "=<": "<=", "=>": ">=", "=": "=="}


def prepare(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, list[dict], dict]:
    """Trim cells, fold full-width numbers, read placeholders as missing; note each change.

    Returns the cleaned frame (text columns as ``object``, missing cells as
    ``pd.NA``), the notes, and for each cleaned column its cells as codes into
    its distinct values (-1: missing), so that later steps need not read
    millions of cells again.
    """
    frame = frame.copy(deep=False)  # columns are replaced, never changed in place
    frame.columns = [str(name).replace("\ufeff", "").strip() for name in frame.columns]
    for column in OPTIONAL_COLUMNS[table]:
        if column not in frame.columns:
            frame[column] = pd.NA
    notes: list[dict] = []
    distinct_cells: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for column in frame.columns:
        if column in LOCATION_COLUMNS or not _holds_text(frame[column]):
            continue
        if column in NUMERIC_COLUMNS[table]:
            clean = _clean_number
        elif column == "comparator":
            clean = _clean_comparator
        else:
            clean = None
        frame[column], distinct_cells[column] = _clean_column(frame[column], column, clean, notes)
    if table == "indicators":
        _fill_missing(frame, "measure", "level", distinct_cells)
    if table == "targets":
        _fill_missing(frame, "kind", "binding", distinct_cells)
    return frame, notes, distinct_cells


def _fill_missing(frame: pd.DataFrame, column: str, default: str, distinct_cells: dict) -> None:
    frame[column] = frame[column].astype("object").where(frame[column].notna(), default)
    distinct_cells.pop(column, None)  # its codes no longer describe the column


def _clean_column(
    series: pd.Series,
    column: str,
    clean: Callable[[object], tuple[object, str | None]] | None,
    notes: list[dict],
) -> tuple[pd.Series, tuple[np.ndarray, np.ndarray]]:
    """Trim one text column, then ``clean`` it; note every changed cell, trims first.

    The work is done once per distinct value and spread back to the rows: a
    national panel has millions of rows but few distinct units or periods.
    Missing cells come back as ``pd.NA``, the column as ``object``, together
    with each row's code and the distinct cleaned values.
    """
    codes, uniques = distinct(series)
    stripped = [_strip_cell(cell) for cell in uniques]
    trims = [_trim_message(before, after) for before, after in zip(uniques, stripped, strict=True)]
    rows = _changed_rows(codes, trims)
    if len(rows):
        # Note the cell as the user wrote it (read from the row, not its distinct value).
        values = list(series.iloc[rows])
        _note(notes, series.index[rows], column, values, [trims[c] for c in codes[rows]])
    cleaned = stripped
    if clean is not None:
        changes = [clean(cell) for cell in stripped]
        cleaned = [after for after, _ in changes]
        messages = [message for _, message in changes]
        rows = _changed_rows(codes, messages)
        # Note the cell as trimmed: that is what the cleaning read.
        changed = codes[rows]
        values = [stripped[code] for code in changed]
        _note(notes, series.index[rows], column, values, [messages[code] for code in changed])
    values = np.empty(len(cleaned) + 1, dtype=object)
    values[:-1] = cleaned
    values[-1] = pd.NA  # code -1: a missing cell
    cells = pd.Series(values[codes], index=series.index, dtype=object, copy=False)
    return cells, (codes, values[:-1])


def _changed_rows(codes: np.ndarray, messages: list[str | None]) -> np.ndarray:
    """Positions of the rows whose distinct value has a message (None: left as it was)."""
    changed = np.array([message is not None for message in messages] + [False], dtype=bool)
    return np.flatnonzero(changed[codes])  # code -1 (missing) picks the last entry, False


def _note(notes: list[dict], index, column: str, values: list, messages: list[str]) -> None:
    for label, value, message in zip(index, values, messages, strict=True):
        notes.append({"index": label, "column": column, "value": value, "message": message})


def _strip_cell(cell: object) -> object:
    if isinstance(cell, str):
        cell = cell.strip()
        return pd.NA if not cell else cell
    return cell


def _trim_message(before: object, after: object) -> str | None:
    """Say what trimming did to a cell, or None when it held no surrounding spaces."""
    if not isinstance(before, str) or before == before.strip():
        return None
    return "blank cell read as empty" if after is pd.NA else "surrounding spaces removed"


def _holds_text(series: pd.Series) -> bool:
    return series.dtype == object or isinstance(series.dtype, pd.StringDtype)


def _clean_number(cell: object) -> tuple[object, str | None]:
    """Read a trimmed number cell (full-width, %, thousands separators, placeholders)."""
    if not isinstance(cell, str):
        return cell, None
    folded = unicodedata.normalize("NFKC", cell).strip()
    if _PLACEHOLDER.match(folded):
        return pd.NA, "placeholder read as missing"
    number = folded.rstrip("%").replace(",", "").strip()
    return number, (None if number == cell else f"read as {number}")


def _clean_comparator(cell: object) -> tuple[object, str | None]:
    """Read a trimmed comparator cell (≤, ≥, full-width forms, any case)."""
    if not isinstance(cell, str):
        return cell, None
    folded = unicodedata.normalize("NFKC", cell).strip().lower()
    comparator = _COMPARATOR_SPELLINGS.get(folded, folded)
    return comparator, (None if comparator == cell else f"read as {comparator}")


def cleaning_table(notes: list[dict], frame: pd.DataFrame, label: str) -> list[dict]:
    if not notes:  # the usual case; locating every row of a large frame takes time
        return []
    where = locations(frame, label)
    return [
        problem(
            where.at[n["index"], "file"],
            where.at[n["index"], "row"],
            n["column"],
            n["value"],
            n["message"],
        )
        for n in notes
    ]


def report_cleaning(notes: list[dict], frame: pd.DataFrame, label: str) -> None:
    """Say what was normalised, one warning per table; the input itself is never altered."""
    if not notes:
        return
    lines = [
        f"{n['file']} row {n['row']}, column {n['column']!r}: {n['value']!r} {n['message']}"
        for n in cleaning_table(notes, frame, label)
    ]
    shown = lines[:20] + ([f"... and {len(lines) - 20} more"] if len(lines) > 20 else [])
    warnings.warn(
        f"{len(lines)} cell(s) normalised while reading:\n  " + "\n  ".join(shown),
        DataCleaningWarning,
        stacklevel=4,
    )
