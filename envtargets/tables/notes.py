"""Notes: what reading and normalising interpreted, said once per kind of change.

A national file may write the same period the same Chinese way in a million
rows; the user needs to hear once that ``2025年1-9月`` was read as
``2025-01/2025-09``, with where it occurs, not a million times. Notes are
grouped by file, column, written value and message, and each group names its
first rows and how many there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from envtargets.tables.problems import locations

ROWS_SHOWN = 5  # rows named per group of notes
GROUPS_SHOWN = 30  # groups listed in one warning

NOTE_COLUMNS = ["file", "rows", "count", "column", "value", "message"]


class DataCleaningWarning(UserWarning):
    """Input was interpreted while reading: encoding, written forms, placeholders, Excel cells."""


@dataclass(frozen=True)
class Note:
    """One interpreted cell (or file, when ``row`` and ``column`` are None).

    Attributes
    ----------
    file : str
        The file name.
    row : int or None
        The spreadsheet row (the header being row 1).
    column : str or None
        The column, as the table names it.
    value : object
        The cell as written.
    message : str
        What was read, e.g. ``read as 2025-01/2025-09``.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    message: str


@dataclass(frozen=True)
class CellNotes:
    """The same message for many cells of one column, located by row positions.

    Normalising works on whole columns, so its notes come as arrays: the rows
    (positions in the frame) where a written value was read as something else.
    """

    column: str
    positions: np.ndarray
    written: np.ndarray
    messages: np.ndarray


def note_table(
    notes: Iterable[Note], cell_notes: Iterable[CellNotes] = (), frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Group notes into one row per file, column, written value and message.

    Parameters
    ----------
    notes : iterable of Note
        Notes that already know their file and row (from reading a file).
    cell_notes : iterable of CellNotes
        Notes by row position in ``frame`` (from normalising it).
    frame : pandas.DataFrame, optional
        The frame ``cell_notes`` point into (required with them), located as
        :func:`~envtargets.tables.problems.locations` locates its rows.

    Returns
    -------
    pandas.DataFrame
        Columns ``file, rows`` (the first few spreadsheet rows, a list),
        ``count`` (how many cells), ``column``, ``value`` and ``message``.
    """
    parts = [
        pd.DataFrame(
            {
                "file": [n.file for n in notes],
                "row": [n.row for n in notes],
                "column": [n.column for n in notes],
                "value": [n.value for n in notes],
                "message": [n.message for n in notes],
            }
        )
    ]
    where = None  # every row's file and spreadsheet row, worked out once for all groups
    for group in cell_notes:
        if not len(group.positions):
            continue
        if where is None:
            where = locations(cast(pd.DataFrame, frame), "")
        located = where.iloc[group.positions]
        parts.append(
            pd.DataFrame(
                {
                    "file": located["file"].to_numpy(),
                    "row": located["row"].to_numpy(),
                    "column": group.column,
                    "value": group.written,
                    "message": group.messages,
                }
            )
        )
    parts = [part for part in parts if len(part)]
    if not parts:
        return pd.DataFrame(columns=NOTE_COLUMNS)
    cells = pd.concat(parts, ignore_index=True)
    keys = ["file", "column", "value", "message"]
    # Values and columns may be missing (a note about a whole file): group them as text.
    key_text = cells[keys].astype("object").where(cells[keys].notna(), "\0").astype(str)
    grouped = cells.groupby([key_text[k] for k in keys], sort=False, dropna=False)
    # Each group's first rows, as a list: the stubs allow agg to return scalars only.
    first_rows: pd.Series = grouped["row"].agg(  # type: ignore[type-var]
        lambda r: [int(x) for x in r.dropna().head(ROWS_SHOWN)]
    )
    first = grouped[keys].first()
    table = first.assign(rows=first_rows.to_numpy(), count=grouped.size().to_numpy())
    return table.reset_index(drop=True)[NOTE_COLUMNS]


def describe_notes(notes: Iterable[Note] | pd.DataFrame) -> str:
    """Write grouped notes as the lines of one warning.

    Parameters
    ----------
    notes : iterable of Note, or the frame of :func:`note_table`

    Returns
    -------
    str
        A first line that counts the cells, then one line per group.
    """
    table = notes if isinstance(notes, pd.DataFrame) else note_table(notes)
    lines = [_line(group) for group in table.itertuples(index=False)]
    shown = lines[:GROUPS_SHOWN]
    if len(lines) > GROUPS_SHOWN:
        shown.append(f"... and {len(lines) - GROUPS_SHOWN} more kinds of change")
    cells = int(table["count"].sum()) if len(table) else 0
    head = f"{cells} cell(s) normalised while reading:" if cells else "while reading:"
    return head + "\n  " + "\n  ".join(shown)


def _line(group) -> str:
    where = [group.file] if isinstance(group.file, str) and group.file else []
    if group.rows:
        rows = ", ".join(str(r) for r in group.rows)
        more = f" … ({group.count:,} rows)" if group.count > len(group.rows) else ""
        where.append(
            f"row {rows}{more}" if len(group.rows) == 1 and not more else f"rows {rows}{more}"
        )
    if isinstance(group.column, str) and group.column:
        where.append(f"column {group.column!r}")
    prefix = ", ".join(where)
    value = "" if _missing(group.value) else f"{group.value!r} "
    return f"{prefix}: {value}{group.message}" if prefix else f"{value}{group.message}"


def _missing(value: object) -> bool:
    # pd.isna takes any object; its stubs list only arrays and scalars.
    return value is None or (not isinstance(value, str) and bool(pd.isna(cast(Any, value))))
