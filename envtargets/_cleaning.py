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

from envtargets.problems import locations, problem
from envtargets.tables import LOCATION_COLUMNS, NUMERIC_COLUMNS, OPTIONAL_COLUMNS

_PLACEHOLDER = re.compile(r"^(?:[xX]+(?:\.[xX]+)?%?|—+|–+|-+|/|n/?a|null|none|无|暂无)$", re.I)


class DataCleaningWarning(UserWarning):
    """Input was normalised while reading (encoding, full-width digits, placeholders)."""


_COMPARATOR_SPELLINGS = {"≤": "<=", "≥": ">=", "=<": "<=", "=>": ">=", "=": "=="}


def prepare(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, list[dict]]:
    """Trim cells, fold full-width numbers, read placeholders as missing; note each change."""
    frame = frame.copy()
    frame.columns = [str(name).replace("\ufeff", "").strip() for name in frame.columns]
    for column in OPTIONAL_COLUMNS[table]:
        if column not in frame.columns:
            frame[column] = pd.NA
    notes: list[dict] = []
    for column in frame.columns:
        if column in LOCATION_COLUMNS or not _holds_text(frame[column]):
            continue
        series = frame[column].astype("object")
        stripped = _map_cells(series, _strip_cell)
        _note_trimmed(series, stripped, column, notes)
        if column in NUMERIC_COLUMNS[table]:
            stripped = _clean_numbers(stripped, column, notes)
        elif column == "comparator":
            stripped = _clean_comparators(stripped, notes)
        frame[column] = stripped
    if table == "indicators":
        measure = frame["measure"].astype("object")
        frame["measure"] = measure.where(measure.notna(), "level")
    if table == "targets":
        frame["kind"] = frame["kind"].astype("object").where(frame["kind"].notna(), "binding")
    return frame, notes


def _note_trimmed(before: pd.Series, after: pd.Series, column: str, notes: list[dict]) -> None:
    """Note each cell whose surrounding spaces were removed (all-blank cells read as empty)."""
    # An empty cell is just empty; only cells that held spaces were changed.
    spaced = _map_cells(before, lambda cell: isinstance(cell, str) and cell != cell.strip())
    is_text = spaced.fillna(False).astype(bool)
    changed = is_text & (before.astype("string") != after.astype("string")).fillna(True)
    for index in before.index[changed.to_numpy(dtype=bool)]:
        blank = pd.isna(after[index])
        message = "blank cell read as empty" if blank else "surrounding spaces removed"
        notes.append({"index": index, "column": column, "value": before[index], "message": message})


def _strip_cell(cell: object) -> object:
    if isinstance(cell, str):
        cell = cell.strip()
        return pd.NA if not cell else cell
    return cell


def _map_cells(series: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """Apply ``func`` once per distinct cell value and spread the results back."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(value) for value in uniques]
    mapped[-1] = pd.NA
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def _holds_text(series: pd.Series) -> bool:
    return series.dtype == object or isinstance(series.dtype, pd.StringDtype)


def _clean_numbers(series: pd.Series, column: str, notes: list[dict]) -> pd.Series:
    def clean(cell: object) -> object:
        if not isinstance(cell, str):
            return cell
        folded = unicodedata.normalize("NFKC", cell).strip()
        if _PLACEHOLDER.match(folded):
            return pd.NA
        return folded.rstrip("%").replace(",", "").strip()

    cleaned = _map_cells(series, clean)
    changed = series.notna() & (series.astype("string") != cleaned.astype("string")).fillna(True)
    for index in series.index[changed.to_numpy(dtype=bool)]:
        before, after = series[index], cleaned[index]
        what = "placeholder read as missing" if pd.isna(after) else f"read as {after}"
        notes.append({"index": index, "column": column, "value": before, "message": what})
    return cleaned


def _clean_comparators(series: pd.Series, notes: list[dict]) -> pd.Series:
    def clean(cell: object) -> object:
        if not isinstance(cell, str):
            return cell
        folded = unicodedata.normalize("NFKC", cell).strip().lower()
        return _COMPARATOR_SPELLINGS.get(folded, folded)

    cleaned = _map_cells(series, clean)
    for index in series.index[(series.astype("string") != cleaned.astype("string")).fillna(False)]:
        notes.append(
            {
                "index": index,
                "column": "comparator",
                "value": series[index],
                "message": f"read as {cleaned[index]}",
            }
        )
    return cleaned


def cleaning_table(notes: list[dict], frame: pd.DataFrame, label: str) -> list[dict]:
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
