"""Read CSV and Excel files as text cells, each with its file and spreadsheet row.

The first step of the pass (read → normalise → check → typed frame). A reader
only turns a file into a table of text: it recognises the encoding (UTF-8 with
or without a byte-order mark, or GB18030/GBK as Excel on Chinese Windows saves
CSV) and the delimiter (comma, semicolon or tab), and it writes Excel cells as
the text they show where the stored value differs from it — a percent cell
stores 0.952 and shows 95.2% — saying so in a note. Reading what the text
means is :mod:`envtargets.tables.normalise`'s job.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from envtargets.errors import ValidationError
from envtargets.tables.notes import DataCleaningWarning, Note, describe_notes
from envtargets.tables.problems import problem

PathLike = str | os.PathLike
SUFFIXES = (".csv", ".xlsx")
DELIMITERS = (",", ";", "\t")


@dataclass
class TextTable:
    """One file's cells as text, and what reading it had to interpret.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every cell as text, empty cells missing, plus ``source_file`` (the file
        name) and ``row`` (the spreadsheet row, the header being row 1).
    notes : list of Note
        What the reader interpreted: the encoding, Excel percent and date cells.
    """

    frame: pd.DataFrame
    notes: list[Note] = field(default_factory=list)


def read_table(path: PathLike) -> pd.DataFrame:
    """Read one CSV or .xlsx file as text cells, with each row's location.

    CSV files may be UTF-8 (with or without a byte-order mark) or GB18030/GBK,
    separated by commas, semicolons or tabs. What the reader interprets (the
    encoding, Excel percent and date cells) is reported with a
    :class:`~envtargets.DataCleaningWarning`.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` or ``.xlsx`` file (the first sheet is read).

    Returns
    -------
    pandas.DataFrame
        Every cell as text (empty cells as missing), plus ``source_file`` (the
        file name) and ``row`` (the spreadsheet row, the header being row 1).

    Raises
    ------
    ValidationError
        When the file is missing, empty, not UTF-8 or GB18030 text, or not a
        well-formed table.
    """
    table = read_text_table(path)
    if table.notes:
        warnings.warn(describe_notes(table.notes), DataCleaningWarning, stacklevel=2)
    return table.frame


def read_text_table(path: PathLike) -> TextTable:
    """Read one file into a :class:`TextTable` (see :func:`read_table`)."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise file_error(name, f"unsupported file type {path.suffix!r}; use .csv or .xlsx")
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise file_error(name, f"file not found: {path}") from None
    except OSError as error:
        raise file_error(name, f"cannot read the file: {error.strerror}") from None
    if not content or content.isspace():  # isspace stops at the first character that is not
        raise file_error(name, "the file is empty")
    table = _read_xlsx(content, name) if suffix == ".xlsx" else _read_csv(content, name)
    frame = table.frame
    if frame.empty:
        raise file_error(name, "the file has a header row but no data rows")
    frame["source_file"] = name
    return table


def file_error(name: str, message: str) -> ValidationError:
    """Return the error for a problem with a whole file (no row, no column)."""
    return ValidationError([problem(name, None, None, None, message)])


def _not_utf8(content: bytes, name: str) -> tuple[str, list[Note]]:
    """Tell the encoding of a CSV file that is not UTF-8: GB18030, or an error."""
    try:
        content.decode("gb18030")
    except UnicodeDecodeError:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            position = utf8_error.start
        else:  # pragma: no cover - the parser refused bytes that decode
            position = 0
        raise file_error(
            name,
            f"the file is neither UTF-8 nor GB18030/GBK text (undecodable byte at position "
            f"{position}); save it as 'CSV UTF-8'",
        ) from None
    note = Note(name, None, None, None, "read as GB18030 (Chinese Windows encoding), not UTF-8")
    return "gb18030", [note]


def _delimiter(header: str) -> str:
    """Return the delimiter that splits the header line into most columns (comma on a tie)."""
    return max(DELIMITERS, key=header.count)


def _read_csv(content: bytes, name: str) -> TextTable:
    if b"\x00" in content:
        raise file_error(name, "the file is not text (it holds NUL bytes); save it as CSV")
    # UTF-8 first; the parser checks every byte, so the file is not decoded twice.
    try:
        return _parse_csv(content, name, "utf-8-sig", [])
    except UnicodeDecodeError:
        encoding, notes = _not_utf8(content, name)
    return _parse_csv(content, name, encoding, notes)


def _parse_csv(content: bytes, name: str, encoding: str, notes: list[Note]) -> TextTable:
    """Parse CSV bytes in one encoding; a wrong encoding raises UnicodeDecodeError."""
    end = content.find(b"\n")
    header = content[: end if end >= 0 else len(content)].decode(encoding, errors="replace")
    delimiter = _delimiter(header)
    if delimiter != ",":
        label = "semicolons" if delimiter == ";" else "tabs"
        notes = [*notes, Note(name, None, None, None, f"columns separated by {label}")]
    # From bytes, not decoded text: pandas reads a text buffer through an
    # adapter that copies its growing buffer on every read of non-ASCII text.
    # Only truly empty cells are missing; spaces are kept so that normalising
    # can trim them and say so.
    options: dict[str, object] = {"sep": delimiter, "encoding": encoding, "dtype": "str"}
    options |= {"keep_default_na": False, "na_values": [""]}
    try:
        frame = _parse(content, options)
        # A blank line is a row as Excel numbers them: when the file has more
        # lines than rows, read it again keeping them, to number every row right.
        lines = content.count(b"\n") + (not content.endswith(b"\n"))
        if lines > len(frame) + 1:
            frame = _parse(content, options, keep_blank_lines=True)
    except pd.errors.EmptyDataError:
        raise file_error(name, "the file is empty") from None
    except UnicodeDecodeError:
        raise
    except (pd.errors.ParserError, ValueError) as error:
        raise file_error(name, _malformed(error)) from None
    frame["row"] = range(2, len(frame) + 2)
    # Only rows whose first cell is empty can be empty rows (",,,," as Excel saves them).
    candidates = np.flatnonzero(frame.iloc[:, 0].isna().to_numpy(dtype=bool))
    if len(candidates):
        cells = frame.iloc[candidates].drop(columns="row")
        empty = candidates[cells.isna().all(axis="columns").to_numpy(dtype=bool)]
        # The stubs refuse an array for index=; pandas takes any list-like of labels.
        frame = frame.drop(index=empty).reset_index(drop=True)  # type: ignore[call-overload]
    return TextTable(frame, notes)


def _malformed(error: Exception) -> str:
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if fields:
        expected, line, saw = fields.groups()
        return (
            f"not a well-formed CSV table: line {line} has {saw} cells but the header {expected} "
            "(a comma inside a cell needs quotes around the cell)"
        )
    return f"not a well-formed CSV table: {error}"


def _parse(content: bytes, options: dict, keep_blank_lines: bool = False) -> pd.DataFrame:
    """Parse CSV bytes with pyarrow's reader (several threads), else pandas' own.

    pyarrow's reader is several times quicker on a national file; pandas' C
    reader is the fallback when pyarrow is missing, and the judge of a file
    pyarrow refuses, so that messages about malformed files read the same.
    """
    # index_col=False: a row with one field too many is an error, never an index.
    c_options = options | {"index_col": False, "skip_blank_lines": not keep_blank_lines}
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return pd.read_csv(io.BytesIO(content), **c_options)
    if keep_blank_lines:  # pyarrow's reader always skips them
        return pd.read_csv(io.BytesIO(content), **c_options)
    try:
        return pd.read_csv(io.BytesIO(content), engine="pyarrow", **options)
    except Exception:  # noqa: BLE001 - any refusal is judged again by the C reader below
        return pd.read_csv(io.BytesIO(content), **c_options)


def _read_xlsx(content: bytes, name: str) -> TextTable:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
        raise file_error(name, f"not a readable .xlsx workbook: {error}") from None
    try:
        rows = workbook.worksheets[0].iter_rows()
        header = next(rows, None)
        if header is None or all(cell.value is None for cell in header):
            raise file_error(name, "the file is empty")
        columns = [_header_text(cell.value, position) for position, cell in enumerate(header)]
        records, numbers, notes = [], [], []
        for number, cells in enumerate(rows, start=2):
            texts: list[str | None] = [None] * len(columns)
            for position, cell in enumerate(cells[: len(columns)]):
                texts[position], note = cell_text(cell.value, cell.number_format)
                if note is not None:
                    notes.append(Note(name, number, columns[position], None, note))
            # An empty row is left out; the others keep the number Excel shows.
            if any(text is not None for text in texts):
                records.append(texts)
                numbers.append(number)
    finally:
        workbook.close()
    frame = pd.DataFrame(records, columns=columns, dtype="str")
    frame["row"] = numbers
    _refuse_unsaved_formulas(content, name, frame, columns)
    return TextTable(frame, notes)


def _refuse_unsaved_formulas(
    content: bytes, name: str, frame: pd.DataFrame, columns: list[str]
) -> None:
    """Refuse formula cells that have no saved result (a workbook no spreadsheet has saved).

    Such a cell reads as empty, and an observation would silently lose its
    value. Only a workbook whose sheets hold formulas is read a second time.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        if not any(_holds_formulas(archive.read(n)) for n in sheets):
            return
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    problems = []
    try:
        rows = workbook.worksheets[0].iter_rows(min_row=2)
        saved = {row: position for position, row in enumerate(frame["row"])}
        for number, cells in enumerate(rows, start=2):
            here = saved.get(number)
            for position, cell in enumerate(cells[: len(columns)]):
                formula = isinstance(cell.value, str) and cell.value.startswith("=")
                # cast: the stubs' isna takes fewer kinds of scalar than iat gives.
                if formula and (here is None or pd.isna(cast(Any, frame.iat[here, position]))):
                    problems.append(
                        problem(
                            name,
                            number,
                            columns[position],
                            cell.value,
                            "a formula without a saved result; open the workbook in a "
                            "spreadsheet and save it, or write the value itself",
                        )
                    )
    finally:
        workbook.close()
    if problems:
        raise ValidationError(problems)


def _holds_formulas(sheet_xml: bytes) -> bool:
    return b"<f>" in sheet_xml or b"<f " in sheet_xml


def _header_text(value: object, position: int) -> str:
    return f"Unnamed: {position}" if value is None else str(value)


PERCENT_NOTE = "percent cell: Excel stores the fraction (0.952 for 95.2%); read as the % it shows"


def cell_text(value: object, number_format: str | None = None) -> tuple[str | None, str | None]:
    """Return the text an Excel cell shows, and a note where that differs from what it stores.

    A percent cell stores a fraction (0.952) and shows the percent (95.2%): the
    percent is what the user typed and sees, so it is what is read. A number
    shown with fixed decimals keeps them (``2024.10`` stays October). A date
    cell is written as what its format shows of it: a year (``yyyy``), a
    month (``yyyy-mm``) or a date, which a period column reads as its month.

    Parameters
    ----------
    value : object
        The cell's value as openpyxl gives it.
    number_format : str, optional
        The cell's Excel number format.

    Returns
    -------
    tuple of (str or None, str or None)
        The text (None for an empty cell) and a note, or None.
    """
    shown = _visible_format(number_format or "General")
    if value is None:
        return None, None
    if isinstance(value, bool):
        return str(value).upper(), None
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value, shown), None
    if isinstance(value, dt.time):
        return value.isoformat(), None
    if isinstance(value, int | float):
        if "%" in shown:
            return f"{number_text(Decimal(number_text(value)).scaleb(2))}%", PERCENT_NOTE
        return number_text(value, _decimals(shown)), None
    text = str(value)
    return (text if text else None), None


def _visible_format(number_format: str) -> str:
    """Return the part of a number format that formats the number (no quoted or escaped text)."""
    without_quoted = re.sub(r'"[^"]*"', "", number_format)
    without_escaped = re.sub(r"\\.", "", without_quoted)
    return re.sub(r"\[[^\]]*\]", "", without_escaped).split(";")[0]


def _decimals(shown: str) -> int | None:
    """Return the decimals a fixed-decimal format shows (``0.00``: 2), None for General."""
    match = re.search(r"[0#?]\.([0#?]+)", shown)
    return len(match.group(1)) if match and "E" not in shown.upper() else None


def _date_text(value: dt.date, shown: str) -> str:
    letters = shown.lower()
    if "y" in letters and "m" not in letters and "d" not in letters:
        return f"{value.year:04d}"
    if "y" in letters and "m" in letters and "d" not in letters and "h" not in letters:
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.isoformat(sep=" ")
    return value.isoformat()[:10]


def number_text(value: float | int | Decimal, decimals: int | None = None) -> str:
    """Write a number as plain digits: 2025, 95.2, 0.001 (never 1e-03 or 2025.0).

    With ``decimals``, exactly that many (2024.10 with 2), as a fixed-decimal
    Excel format shows the number.
    """
    if isinstance(value, bool):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return str(value)
    if decimals is not None:
        return format(number.quantize(Decimal(1).scaleb(-decimals)), "f")
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
