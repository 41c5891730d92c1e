"""Writing tables to files, all or nothing.

Every writer renders into a temporary file beside the destination and moves it
into place only when complete, so an interrupted run or a failure never leaves
a half-written file (and an existing file stays as it was).

Every file opens as written in Excel on Chinese Windows: CSV is UTF-8 with a
byte-order mark (without one Excel reads it as GBK), and a workbook's text
cells are text cells, so a quote beginning with ``=`` is shown, never run as a
formula.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from envtargets.errors import OutputError

FORMATS = (".csv", ".xlsx", ".json")

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark, which Excel takes as UTF-8 instead of the system's GBK."""


@contextlib.contextmanager
def atomic_path(destination: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; move it there on success.

    Parameters
    ----------
    destination : str or path-like
        The file to create or replace.

    Yields
    ------
    pathlib.Path
        Where to write. It is renamed to ``destination`` when the block ends
        without an exception and removed otherwise.
    """
    destination = Path(destination)
    if not destination.parent.is_dir():
        raise OutputError(f"cannot write {destination}: folder {destination.parent} does not exist")
    handle, temporary_name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent
    )
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        yield temporary
        # mkstemp makes the file private (0600); give it the permissions an
        # ordinary new file gets under the user's umask.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_table(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table as CSV (UTF-8 with a byte-order mark, one header row), XLSX or JSON.

    The format follows the file's suffix. In XLSX, text cells stay text (see
    :func:`xlsx_writer`).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, e.g. the evaluation table.
    path : str or path-like
        Destination ending in ``.csv``, ``.xlsx`` or ``.json``.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    OutputError
        For another suffix or a folder that does not exist; nothing is written.
    """
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise OutputError(
            f"cannot write {path.name}: use a file name ending in {', '.join(FORMATS)}"
        )
    with atomic_path(path) as temporary:
        writer(frame, temporary)
    return path


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``frame`` to ``path`` as CSV: UTF-8 with a byte-order mark, one header row, no index.

    The file is written in place; :func:`write_table` adds the all-or-nothing move.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    path : str or path-like
        The ``.csv`` file to write.
    """
    frame.to_csv(path, index=False, encoding=CSV_ENCODING, lineterminator="\n")


@contextlib.contextmanager
def xlsx_writer(path: str | os.PathLike) -> Iterator[pd.ExcelWriter]:
    """Yield a pandas ``ExcelWriter`` (openpyxl) whose text cells are saved as text.

    openpyxl saves a text that begins with ``=`` as a formula, which Excel runs
    (``=cmd|' /C calc'!A0``, ``=HYPERLINK(…)``), and a text such as ``#N/A``
    as an error. Before the workbook is saved, every cell holding text is
    marked as a string cell, so it reads back exactly as written; numbers stay
    numeric cells. The file is written in place; wrap it in :func:`atomic_path`
    for an all-or-nothing write.

    Parameters
    ----------
    path : str or path-like
        The ``.xlsx`` file to write.

    Yields
    ------
    pandas.ExcelWriter
        Write sheets with ``frame.to_excel(writer, …)`` and style them through
        ``writer.sheets``.
    """
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        yield writer
        for sheet in writer.book.worksheets:
            _store_text_as_text(sheet)


def _store_text_as_text(sheet) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type != "s":
                cell.data_type = "s"


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    with xlsx_writer(path) as writer:
        frame.to_excel(writer, index=False, sheet_name="evaluation", freeze_panes=(1, 0))


def _write_json(frame: pd.DataFrame, path: Path) -> None:
    records = [
        {key: _json_value(value) for key, value in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _json_value(value: object) -> object:
    """Plain JSON values: missing as null, numpy scalars as Python numbers."""
    # A cell may hold any object; the stubs of np.ndim and pd.isna list only arrays and scalars.
    cell = cast(Any, value)
    if value is None or (np.ndim(cell) == 0 and pd.isna(cell)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


_WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    ".csv": write_csv,
    ".xlsx": _write_xlsx,
    ".json": _write_json,
}
