"""Read targets, observations and indicators from CSV and Excel files.

Readers take the cells as text, remember each row's file and spreadsheet row,
and hand the whole set to validation at once, so that one error message lists
every problem in every file. Files that cannot be read at all (missing, empty,
not text, malformed) are reported together in the same way.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from pathlib import Path

import pandas as pd

from envtargets._cleaning import DataCleaningWarning
from envtargets.errors import ValidationError
from envtargets.schema import validate_indicators, validate_observations, validate_targets
from envtargets.tables import REQUIRED

PathLike = str | os.PathLike
_SUFFIXES = (".csv", ".xlsx")


def read_table(path: PathLike) -> pd.DataFrame:
    """Read one CSV or .xlsx file as text cells, with each row's location.

    CSV files may be UTF-8 (with or without a byte-order mark) or GB18030/GBK,
    as Excel on Chinese Windows saves them; the encoding used is reported with
    a :class:`~envtargets.schema.DataCleaningWarning` when it is not UTF-8.

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
    path = Path(path)
    name = path.name
    if path.suffix.lower() not in _SUFFIXES:
        raise _file_error(name, f"unsupported file type {path.suffix!r}; use .csv or .xlsx")
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise _file_error(name, f"file not found: {path}") from None
    except OSError as error:
        raise _file_error(name, f"cannot read the file: {error.strerror}") from None
    if not content.strip():
        raise _file_error(name, "the file is empty")
    if path.suffix.lower() == ".xlsx":
        frame = _read_xlsx(content, name)
    else:
        frame = _read_csv(_decode(content, name), name)
    if frame.empty:
        raise _file_error(name, "the file has a header row but no data rows")
    frame.columns = [str(column).replace("\ufeff", "").strip() for column in frame.columns]
    frame["source_file"] = name
    frame["row"] = range(2, len(frame) + 2)
    return frame


def _file_error(name: str, message: str) -> ValidationError:
    return ValidationError(
        [{"file": name, "row": None, "column": None, "value": None, "message": message}]
    )


def _decode(content: bytes, name: str) -> str:
    if b"\x00" in content:
        raise _file_error(name, "the file is not text (it holds NUL bytes); save it as CSV")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise _file_error(
                name,
                f"the file is neither UTF-8 nor GB18030/GBK text (undecodable byte at position "
                f"{utf8_error.start}); save it as 'CSV UTF-8'",
            ) from None
    warnings.warn(
        f"{name}: read as GB18030 (Chinese Windows encoding), not UTF-8",
        DataCleaningWarning,
        stacklevel=4,
    )
    return text


def _read_csv(text: str, name: str) -> pd.DataFrame:
    try:
        # Spaces are kept here so that cleaning can trim them and say so.
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise _file_error(name, "the file is empty") from None
    except pd.errors.ParserError as error:
        raise _file_error(name, f"not a well-formed CSV table: {error}") from None


def _read_xlsx(content: bytes, name: str) -> pd.DataFrame:
    try:
        return pd.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
        raise _file_error(name, f"not a readable .xlsx workbook: {error}") from None


def _read_all(paths: tuple[PathLike, ...], table: str) -> pd.DataFrame:
    """Read several files, reporting every unreadable file and missing column together."""
    if not paths:
        raise TypeError(f"read_{table} needs at least one file")
    frames, problems = [], []
    for path in paths:
        try:
            frame = read_table(path)
        except ValidationError as error:
            problems.append(error.problems)
            continue
        missing = [column for column in REQUIRED[table] if column not in frame.columns]
        if missing:
            found = ", ".join(c for c in frame.columns if c not in ("source_file", "row"))
            problems.append(
                pd.DataFrame(
                    [
                        {
                            "file": frame["source_file"].iat[0],
                            "row": None,
                            "column": column,
                            "value": None,
                            "message": f"missing required column {column!r} "
                            f"(the header has: {found})",
                        }
                        for column in missing
                    ]
                )
            )
            continue
        frames.append(frame)
    if problems:
        raise ValidationError(pd.concat(problems, ignore_index=True))
    return pd.concat(frames, ignore_index=True)


def read_indicators(*paths: PathLike) -> pd.DataFrame:
    """Read and validate indicator definitions.

    Parameters
    ----------
    *paths : str or path-like
        One or more ``.csv``/``.xlsx`` files with columns ``indicator, name_zh,
        name_en, unit, better, domain``; several files are validated together.

    Returns
    -------
    pandas.DataFrame
        The indicators, typed, with ``source_file`` and ``row`` columns.

    Raises
    ------
    ValidationError
        Every problem in every file, with file, row and column.
    """
    return validate_indicators(_read_all(paths, "indicators"))


def read_targets(*paths: PathLike, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate targets from one or more files.

    Parameters
    ----------
    *paths : str or path-like
        ``.csv``/``.xlsx`` files in the DESIGN target columns; they are
        concatenated and validated together (``target_id`` unique across all).
    indicators : pandas.DataFrame, optional
        When given, unknown indicators and units that do not fit the
        indicator's unit are reported.

    Returns
    -------
    pandas.DataFrame
        The targets, typed, with ``source_file`` and ``row`` columns.

    Raises
    ------
    ValidationError
        Every problem in every file, with file, row and column.
    """
    return validate_targets(_read_all(paths, "targets"), indicators)


def read_observations(*paths: PathLike, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate observations from one or more files.

    Parameters
    ----------
    *paths : str or path-like
        ``.csv``/``.xlsx`` files in the DESIGN observation columns.
    indicators : pandas.DataFrame, optional
        As in :func:`read_targets`.

    Returns
    -------
    pandas.DataFrame
        The observations, typed, with ``source_file`` and ``row`` columns.

    Raises
    ------
    ValidationError
        Every problem in every file, including conflicting values for the same
        indicator, region and period (naming both rows).
    """
    return validate_observations(_read_all(paths, "observations"), indicators)
