"""Read targets, observations and indicators from CSV and Excel files.

The public readers run the whole pass: each file is read as text
(:mod:`.read`), its headers are read through their aliases, and the rows of
all files are validated together (:mod:`.validate`), so that one error message
lists every problem in every file. Files that cannot be read at all (missing,
empty, not text, malformed) are reported together in the same way.
"""

from __future__ import annotations

from typing import cast

import pandas as pd

from envtargets.errors import ValidationError
from envtargets.tables.headers import missing_columns, rename_headers
from envtargets.tables.read import PathLike, read_text_table
from envtargets.tables.validate import validate_table


def read_files(
    paths: tuple[PathLike, ...], table: str, indicators: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Read, normalise and check several files of one table, reporting every problem together."""
    if not paths:
        raise TypeError(f"read_{table} needs at least one file")
    frames, notes, problems = [], [], []
    for path in paths:
        try:
            read = read_text_table(path)
            name = cast(str, read.frame["source_file"].iat[0])  # the file's name, as read
            frame, renamed = rename_headers(read.frame, table, name)
        except ValidationError as error:
            problems.append(error.problems)
            continue
        missing = missing_columns(frame, table, [name])
        if missing:
            problems.append(pd.DataFrame(missing))
            continue
        frames.append(frame)
        notes += read.notes + renamed
    if problems:
        raise ValidationError(pd.concat(problems, ignore_index=True))
    combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return validate_table(combined, table, indicators, file_notes=notes)


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
    return read_files(paths, "indicators")


def read_targets(*paths: PathLike, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate targets from one or more files.

    Parameters
    ----------
    *paths : str or path-like
        ``.csv``/``.xlsx`` files in the target columns (or their Chinese
        headers, docs/user-guide.md); they are concatenated and validated
        together (``target_id`` unique across all).
    indicators : pandas.DataFrame, optional
        When given, a unit that does not convert to its indicator's unit is
        reported (an indicator in no table is not an error).

    Returns
    -------
    pandas.DataFrame
        The targets, typed, with ``source_file`` and ``row`` columns.

    Raises
    ------
    ValidationError
        Every problem in every file, with file, row and column.
    """
    return read_files(paths, "targets", indicators)


def read_observations(*paths: PathLike, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate observations from one or more files.

    Parameters
    ----------
    *paths : str or path-like
        ``.csv``/``.xlsx`` files in the observation columns (or their Chinese headers).
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
    return read_files(paths, "observations", indicators)
