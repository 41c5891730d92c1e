"""Normalise: read what each cell means, note what was read, mark what cannot be read.

The second step of the pass (read → normalise → check → typed frame), after
the headers (:mod:`.headers`). Column by column: text is trimmed, numbers are
parsed as a whole column and only the cells that fail are looked at one by
one, and periods, years, comparators and vocabulary words are read once per
distinct value through the written forms of
:mod:`envtargets.tables.forms`. Every change is noted
(:class:`~envtargets.tables.notes.CellNotes`); a cell that cannot be read is
left missing and marked with the reason, for the check step to report with
file, row and column. Nothing is ever changed in magnitude: ``12,5`` is not a
number here, it is an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from envtargets.errors import EnvTargetsError
from envtargets.tables import forms
from envtargets.tables.columns import (
    LOCATION_COLUMNS,
    NUMBER_COLUMNS,
    OPTIONAL_COLUMNS,
    WORD_COLUMNS,
    YEAR_COLUMNS,
)
from envtargets.tables.notes import CellNotes
from envtargets.tables.read import number_text
from envtargets.units import is_percent, parse_unit

# Cells that hold no number and say so: never read as a number, never zero.
PLACEHOLDER = re.compile(
    r"^(?:[xX]+(?:\.[xX]+)?%?|—+|–+|-+|/|n/?a|nan|null|none|无|暂无|未统计|空)$", re.I
)
# A comma is a thousands separator only between groups of three digits.
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
DISTINCT_VALUES_NOTED = 20  # beyond this, a kind of change is noted without each value

DEFAULTS = {"kind": "binding", "measure": "level"}


@dataclass
class Normalised:
    """A table after normalising.

    Attributes
    ----------
    frame : pandas.DataFrame
        Numbers as float64 (years too; whole numbers), every other column as
        text (``str``), missing cells missing, unreadable cells missing.
    notes : list of CellNotes
        What was read as something else, by row position.
    unreadable : dict of str to (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Per column, the positions of the cells that could not be read, the
        cells as written and why.
    """

    frame: pd.DataFrame
    notes: list[CellNotes] = field(default_factory=list)
    unreadable: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)

    def mark(
        self, column: str, positions: np.ndarray, written: npt.ArrayLike, reasons: npt.ArrayLike
    ) -> None:
        """Add unreadable cells of ``column`` (a cell is marked once, first reason kept)."""
        if not len(positions):
            return
        written = np.asarray(written, dtype=object)
        reasons = np.asarray(reasons, dtype=object)
        if column in self.unreadable:
            old_positions, old_written, old_reasons = self.unreadable[column]
            new = ~np.isin(positions, old_positions)
            positions = np.concatenate([old_positions, positions[new]])
            written = np.concatenate([old_written, written[new]])
            reasons = np.concatenate([old_reasons, reasons[new]])
        self.unreadable[column] = (positions, written, reasons)


# ---------------------------------------------------------------- cells


def normalise(frame: pd.DataFrame, table: str) -> Normalised:
    """Read every cell of a table for what it means.

    Parameters
    ----------
    frame : pandas.DataFrame
        The cells, as text from a file or typed from code, with canonical
        column names.
    table : {"indicators", "targets", "observations"}

    Returns
    -------
    Normalised
    """
    frame = frame.reset_index(drop=True).copy(deep=False)  # columns are replaced, not changed
    for column in OPTIONAL_COLUMNS[table]:
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="str")
    result = Normalised(frame)
    percent_rows: dict[str, np.ndarray] = {}
    readers = _readers(table)
    for column in list(frame.columns):
        if column in LOCATION_COLUMNS:
            continue
        if column in NUMBER_COLUMNS[table]:
            percent_rows[column] = _numbers(result, column)
        elif column in YEAR_COLUMNS[table]:
            _years(result, column)
        else:
            if column == "period":
                _fractional_numbers(result, column)
            _text(result, column)
            reader = readers.get(column)
            if reader is not None:
                _read_distinct(result, column, reader)
    for column, default in DEFAULTS.items():
        if column in frame.columns and column in OPTIONAL_COLUMNS[table]:
            result.frame[column] = result.frame[column].fillna(default)
    if percent_rows:
        _percent_needs_percent_unit(result, percent_rows)
    return result


def _readers(table: str) -> dict[str, Callable[[str], str]]:
    readers: dict[str, Callable[[str], str]] = {
        "period": forms.canonical_period,
        "comparator": forms.canonical_comparator,
        "unit": _unit_as_written,
    }
    for column in WORD_COLUMNS[table]:
        readers[column] = _word_reader(column)
    return readers


def _word_reader(column: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        return forms.canonical_word(column, text)

    return read


def _unit_as_written(text: str) -> str:
    parse_unit(text)  # raises UnitError with the reason
    return text


# --- text


def _text(result: Normalised, column: str) -> None:
    """Make a column text, trimmed; blank cells missing. Notes the trimmed cells."""
    text = as_text(result.frame[column])
    positions = _cells_to_trim(text)
    if len(positions):
        written = text.iloc[positions]
        stripped = written.str.strip()
        blank = (stripped == "").to_numpy(dtype=bool)
        noted = (written != "").to_numpy(dtype=bool)  # an empty cell is just empty
        messages = np.where(blank, "blank cell read as empty", "surrounding spaces removed")
        written_cells = written.to_numpy(object)
        _note(result, column, positions[noted], written_cells[noted], messages[noted])
        text = text.copy()
        text.iloc[positions] = stripped.mask(blank).to_numpy(object)
    result.frame[column] = text


def _cells_to_trim(text: pd.Series) -> np.ndarray:
    """Return the positions of the cells that are empty or begin or end with white space."""
    arrow = getattr(text.array, "_pa_array", None)
    if arrow is None:
        trimmed = text.str.strip()
        changed = ((trimmed != text) | (trimmed == "")) & text.notna()
        return np.flatnonzero(changed.to_numpy(dtype=bool))
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(arrow)
    changed = pc.or_(pc.not_equal(trimmed, arrow), pc.equal(trimmed, ""))
    return np.flatnonzero(changed.to_numpy(zero_copy_only=False) == True)  # noqa: E712 (nulls)


def as_text(series: pd.Series) -> pd.Series:
    """Give a column the ``str`` type; numbers written as digits (2022, not 2022.0)."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.na_value is np.nan:
        return series
    if series.dtype != object and pd.api.types.infer_dtype(series, skipna=True) == "string":
        return series.astype("str")
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) == "string":
        # Built, not cast: astype("str") writes None as 'None' without the str dtype.
        return pd.Series(series.to_numpy(object), index=series.index, dtype="str", name=series.name)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = np.array([_cell_text(value) for value in uniques] + [None], dtype=object)
    return pd.Series(texts[codes], index=series.index, dtype="str", name=series.name)


def _cell_text(value: object) -> str | None:
    # pd.isna takes any object; its stubs list only arrays and scalars.
    if value is None or (not isinstance(value, str) and bool(pd.isna(cast(Any, value)))):
        return None
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return number_text(float(value))
    return str(value)


def _fractional_numbers(result: Normalised, column: str) -> None:
    """Refuse a period given as a fractional number: 2024.10 and 2024.1 are one number."""
    series = result.frame[column]
    if isinstance(series.dtype, pd.StringDtype) or series.dtype.kind not in "fO":
        return  # text, or whole numbers
    cells = series.to_numpy(object)
    bad = np.flatnonzero(
        [isinstance(c, float | np.floating) and np.isfinite(c) and c != int(c) for c in cells]
    )
    reasons = [
        f"{cells[i]!r} is a number, so October (2024.10) and January (2024.1) look alike; "
        "write the period as text, such as 2024-10"
        for i in bad
    ]
    result.mark(column, bad, cells[bad], np.array(reasons, dtype=object))
    if len(bad):
        series = series.astype(object).copy()
        series.iloc[bad] = None
        result.frame[column] = series


# --- per distinct value


def _read_distinct(result: Normalised, column: str, reader: Callable[[str], str]) -> None:
    """Read each distinct cell once with ``reader`` (canonical text, or an error's reason)."""
    series = result.frame[column]
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    canonical = np.empty(len(uniques) + 1, dtype=object)
    reasons = np.full(len(uniques) + 1, None, dtype=object)
    for position, written in enumerate(uniques):
        try:
            canonical[position] = reader(str(written))
        except (EnvTargetsError, ValueError) as error:
            canonical[position], reasons[position] = None, str(error)
    canonical[-1] = None
    rows_canonical = canonical[codes]
    written = np.asarray(uniques, dtype=object)
    rewritten = np.array(
        [c is not None and c != u for c, u in zip(canonical[:-1], written, strict=True)] + [False]
    )
    positions = np.flatnonzero(rewritten[codes])
    if len(positions):
        messages = np.array([f"read as {c}" for c in rows_canonical[positions]], dtype=object)
        _note(result, column, positions, written[codes[positions]], messages)
    failed = np.flatnonzero(pd.notna(reasons)[codes] & (codes >= 0))
    result.mark(column, failed, written[codes[failed]], reasons[codes[failed]])
    result.frame[column] = pd.Series(rows_canonical, index=series.index, dtype="str")


def _note(
    result: Normalised,
    column: str,
    positions: np.ndarray,
    written: np.ndarray,
    messages: np.ndarray,
    generic: str | None = None,
) -> None:
    """Note changed cells; many distinct changes of one kind become one note without values."""
    messages = np.asarray(messages, dtype=object)
    written = np.asarray(written, dtype=object)
    if len(pd.unique(written)) > DISTINCT_VALUES_NOTED:
        written = np.full(len(positions), None, dtype=object)
        if generic is not None:
            messages = np.full(len(positions), generic, dtype=object)
    result.notes.append(CellNotes(column, positions, written, messages))


# --- numbers


def _numbers(result: Normalised, column: str) -> np.ndarray:
    """Read a number column; return the positions of cells written with a % sign."""
    series = result.frame[column]
    if series.dtype.kind in "iuf" and series.dtype != bool:
        values = np.array(series.to_numpy(dtype="float64", na_value=np.nan))  # writable
        bad = np.flatnonzero(np.isinf(values))
        reasons = np.full(len(bad), "is not a finite number", dtype=object)
        result.mark(column, bad, values[bad], reasons)
        values[bad] = np.nan
        result.frame[column] = values
        return np.array([], dtype=np.int64)
    _text(result, column)
    text = result.frame[column]
    values, failed = _fast_floats(text)
    percent = np.array([], dtype=np.int64)
    if len(failed):
        percent = _numbers_one_by_one(result, column, text, values, failed)
    result.frame[column] = values
    return percent


def _fast_floats(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse a whole text column as floats; return the values and the cells that failed.

    Plain numbers (``95.2``, ``-3``, ``1e3``) are parsed in one pass; the rest
    (missing cells aside) are returned for reading one by one, and so are
    ``nan`` and ``inf``, which are no measurements.
    """
    missing = text.isna().to_numpy(dtype=bool)
    arrow = getattr(text.array, "_pa_array", None)
    values = None
    if arrow is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            values = pc.cast(arrow, pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            values = None
    if values is None:
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    values = np.array(values, dtype="float64")  # writable
    failed = np.flatnonzero(~np.isfinite(values) & ~missing)
    return values, failed


def _numbers_one_by_one(
    result: Normalised, column: str, text: pd.Series, values: np.ndarray, failed: np.ndarray
) -> np.ndarray:
    """Read the cells that are not plain numbers, once per distinct text."""
    cells = text.iloc[failed]
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    readings = [_number_cell(str(cell)) for cell in uniques]
    numbers = np.array([r[0] for r in readings], dtype="float64")
    values[failed] = numbers[codes]
    written = np.asarray(uniques, dtype=object)[codes]
    messages = np.array([r[1] for r in readings], dtype=object)[codes]
    noted = pd.notna(messages)
    _note(result, column, failed[noted], written[noted], messages[noted], "read as a number")
    reasons = np.array([r[2] for r in readings], dtype=object)[codes]
    bad = pd.notna(reasons)
    result.mark(column, failed[bad], written[bad], reasons[bad])
    with_percent = np.array([r[3] for r in readings], dtype=bool)[codes]
    return failed[with_percent & ~bad]


def _number_cell(cell: str) -> tuple[float, str | None, str | None, bool]:
    """Read one number cell: (value, note, error reason, written with a % sign)."""
    folded = unicodedata.normalize("NFKC", cell).replace("\u2212", "-").strip()
    if PLACEHOLDER.match(folded):
        return np.nan, "placeholder read as missing", None, False
    percent = folded.endswith("%")
    digits = folded[:-1].strip() if percent else folded
    if "," in digits:
        if not THOUSANDS.match(digits):
            return (
                np.nan,
                None,
                f"{cell!r} has a comma that is not a thousands separator; a decimal comma is "
                "not accepted: write the number with a decimal point (12.5, not 12,5)",
                False,
            )
        digits = digits.replace(",", "")
    try:
        number = float(digits) if "_" not in digits else None  # Python reads 1_000 as 1000
    except ValueError:
        number = None
    if number is None:
        return np.nan, None, f"{cell!r} is not a number", False
    if not np.isfinite(number):
        return np.nan, None, f"{cell!r} is not a finite number", False
    note = None if digits == cell else f"read as {digits}"
    return number, note, None, percent


def _percent_needs_percent_unit(result: Normalised, percent_rows: dict[str, np.ndarray]) -> None:
    """Require the unit % of a number written with %; an empty unit becomes %, noted."""
    frame = result.frame
    rows = np.unique(np.concatenate(list(percent_rows.values())))
    if not len(rows) or "unit" not in frame:
        return
    units = frame["unit"]
    empty = rows[units.iloc[rows].isna().to_numpy(dtype=bool)]
    if len(empty):
        unreadable_units = result.unreadable.get("unit", (np.array([], dtype=np.int64), None))[0]
        empty = empty[~np.isin(empty, unreadable_units)]
        filled = units.copy()
        filled.iloc[empty] = "%"
        frame["unit"] = filled
        messages = np.full(len(empty), "unit % taken from the value's % sign", dtype=object)
        result.notes.append(CellNotes("unit", empty, np.full(len(empty), None), messages))
    verdict = {unit: _percent_or_none(unit) for unit in pd.unique(frame["unit"].iloc[rows])}
    for column, positions in percent_rows.items():
        is_share = np.array([verdict.get(u) for u in frame["unit"].iloc[positions]], dtype=object)
        wrong = positions[is_share == False]  # noqa: E712  (None: the unit check reports it)
        reasons = np.array(
            [
                f"{value:g}% is written with a % sign but the row's unit is {unit!r}; "
                "write the number without % or give the unit %"
                for value, unit in zip(
                    frame[column].iloc[wrong], frame["unit"].iloc[wrong], strict=True
                )
            ],
            dtype=object,
        )
        result.mark(column, wrong, [f"{v:g}%" for v in frame[column].iloc[wrong]], reasons)
        frame.loc[wrong, column] = np.nan


def _percent_or_none(unit: object) -> bool | None:
    # pd.isna takes any object; its stubs list only arrays and scalars.
    if unit is None or (not isinstance(unit, str) and pd.isna(cast(Any, unit))):
        return None
    try:
        return is_percent(str(unit))
    except EnvTargetsError:
        return None


# --- years


def _years(result: Normalised, column: str) -> None:
    _text(result, column)  # a year from code (2025, 2025.0) is written as its digits
    _read_distinct(result, column, forms.canonical_year)
    texts = result.frame[column]
    result.frame[column] = pd.to_numeric(texts, errors="coerce").astype("Int64")
