"""The pass every table goes through: normalise (noted) → check → typed frame.

:func:`validate_targets`, :func:`validate_observations` and
:func:`validate_indicators` take a frame (text from a file, or typed values
from code), read every cell for what it means (:mod:`.normalise`), check the
rules (:mod:`.check`) and return the typed frame in the documented column
order. Every problem of the whole table — unreadable cells and broken rules —
comes back in one :class:`~envtargets.ValidationError`; what was interpreted
comes back in one :class:`~envtargets.DataCleaningWarning`, each kind of change
said once. Only a table without problems is returned, so nothing downstream
sees a half-read table.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from envtargets.errors import ValidationError, gather_problems
from envtargets.tables.check import combination_codes, schema, unit_fits
from envtargets.tables.columns import (
    INDICATOR_COLUMNS,
    LOCATION_COLUMNS,
    OBSERVATION_COLUMNS,
    TARGET_COLUMNS,
)
from envtargets.tables.headers import missing_columns, rename_headers
from envtargets.tables.normalise import Normalised, normalise
from envtargets.tables.notes import DataCleaningWarning, Note, describe_notes, note_table
from envtargets.tables.problems import failure_problems, locations, unreadable_problems

__all__ = [
    "DataCleaningWarning",
    "validate_indicators",
    "validate_observations",
    "validate_targets",
    "validate_targets_and_observations",
]

COLUMN_ORDER = {
    "indicators": INDICATOR_COLUMNS,
    "targets": TARGET_COLUMNS,
    "observations": OBSERVATION_COLUMNS,
}


def validate_table(
    frame: pd.DataFrame,
    table: str,
    indicators: pd.DataFrame | None = None,
    file: str | None = None,
    file_notes: Iterable[Note] = (),
) -> pd.DataFrame:
    """Normalise, check and type one table; see :func:`validate_targets`.

    ``file_notes`` are what reading the files interpreted (encoding, headers,
    Excel cells); they are reported with the normalising notes in one warning.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame of {table}, got {type(frame).__name__}")
    known_units = _known_units(indicators)
    if _already_validated(frame, table, known_units):
        return frame
    label = file or f"{table} frame"
    files = sorted(frame["source_file"].unique()) if "source_file" in frame else [label]
    frame, header_notes = rename_headers(frame, table, files[0])
    missing = missing_columns(frame, table, files)
    if missing:
        raise ValidationError(missing)
    file_notes = [*file_notes, *header_notes]
    normalised = normalise(frame, table)
    _check(normalised, table, known_units, label)
    notes = note_table(list(file_notes), normalised.notes, normalised.frame)
    if len(notes):
        warnings.warn(describe_notes(notes), DataCleaningWarning, stacklevel=3)
    typed = _typed(normalised.frame, table)
    typed.attrs["cleaning"] = notes.to_dict(orient="records")
    typed.attrs[STAMP] = _stamp(typed, table)
    return typed


# A validated frame carries a stamp of what it was when it passed, so that a
# frame read by read_observations is not normalised and checked a second time
# by evaluate (on a national file that doubled the user's wait). The stamp
# holds the frame's shape and types, a checksum of the cells the checks read,
# and its distinct (indicator, unit) pairs; any change to those cells (an
# edited value, a filtered or concatenated frame) means validating again.
STAMP = "envtargets.validated"
CHECKED_COLUMNS = {
    "indicators": ["indicator", "unit", "better", "measure"],
    "targets": [c for c in TARGET_COLUMNS if c not in ("source", "quote")],
    "observations": [c for c in OBSERVATION_COLUMNS if c not in ("source", "quote")],
}


def _stamp(frame: pd.DataFrame, table: str) -> tuple:
    """Describe a validated frame: shape and types, a checksum, its unit pairs.

    The distinct (indicator, unit) pairs let a later call check the unit rule
    against another indicators table without reading the rows again.
    """
    pairs: tuple = ()
    if table != "indicators":
        _, first = combination_codes([frame["indicator"], frame["unit"]])
        pairs = tuple(zip(frame["indicator"].iloc[first], frame["unit"].iloc[first], strict=True))
    return (_shape(frame, table), _checksum(frame, table), pairs)


def _shape(frame: pd.DataFrame, table: str) -> tuple:
    return (table, len(frame), tuple(frame.columns), tuple(str(t) for t in frame.dtypes))


def _checksum(frame: pd.DataFrame, table: str) -> int:
    """Add up a hash of every row's checked cells (row order does not matter to the checks)."""
    cells = frame[CHECKED_COLUMNS[table]]
    return int(pd.util.hash_pandas_object(cells, index=False).to_numpy().sum(dtype=np.uint64))


def _already_validated(frame: pd.DataFrame, table: str, known_units: dict[str, str] | None) -> bool:
    stamp = frame.attrs.get(STAMP)
    if not isinstance(stamp, tuple) or len(stamp) != 3:
        return False
    shape, checksum, pairs = stamp
    if shape != _shape(frame, table) or checksum != _checksum(frame, table):
        return False
    units = known_units or {}
    return all(unit_fits(unit, units.get(indicator)) for indicator, unit in pairs)


def _known_units(indicators: pd.DataFrame | None) -> dict[str, str] | None:
    if indicators is None:
        return None
    units = indicators["unit"].astype(object)
    return {
        indicator: unit
        for indicator, unit in zip(indicators["indicator"], units, strict=True)
        if isinstance(unit, str)
    }


def _check(
    normalised: Normalised, table: str, known_units: dict[str, str] | None, label: str
) -> None:
    """Raise one ValidationError with every unreadable cell and every broken rule."""
    import pandera.errors

    frame = normalised.frame
    where = locations(frame, label)
    problems = unreadable_problems(normalised.unreadable, where)
    try:
        # In place: the schema coerces nothing, and a copy of a national panel costs time.
        schema(table, known_units).validate(frame, lazy=True, inplace=True)
    except pandera.errors.SchemaErrors as errors:
        problems += failure_problems(
            errors.failure_cases, frame, where, table, known_units, normalised.unreadable
        )
    if problems:
        found = pd.DataFrame(problems)
        found["file"] = found["file"].fillna(label)
        found = found.sort_values(["file", "row"], kind="stable", na_position="first")
        raise ValidationError(found)


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Put a checked frame in the documented column order (extra columns after)."""
    order = COLUMN_ORDER[table]
    extras = [c for c in frame.columns if c not in order and c not in LOCATION_COLUMNS]
    located = [c for c in LOCATION_COLUMNS if c in frame.columns]
    return frame[order + extras + located].reset_index(drop=True)


def validate_indicators(frame: pd.DataFrame, *, file: str | None = None) -> pd.DataFrame:
    """Validate an indicators table and return it typed, in the documented column order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``indicator, name_zh, name_en, unit, better, domain`` (``measure``
        optional); Chinese headers and words (越低越好) are read too.
    file : str, optional
        Name used in messages when the frame does not say where its rows came from.

    Returns
    -------
    pandas.DataFrame
        The table with text columns as ``str``.

    Raises
    ------
    ValidationError
        Listing every problem: duplicate or malformed ids, unknown units, a
        ``better`` other than ``lower``/``higher``, missing columns.
    """
    return validate_table(frame, "indicators", None, file)


def validate_targets(
    frame: pd.DataFrame, indicators: pd.DataFrame | None = None, *, file: str | None = None
) -> pd.DataFrame:
    """Validate a targets table and return it typed, in the documented column order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Targets in the documented columns; cells may be text as read from a
        file, in the forms docs/user-guide.md lists (``≤``, ``不超过``, ``2025年``).
    indicators : pandas.DataFrame, optional
        When given, a target's unit must convert to its indicator's unit (an
        indicator in no table is not an error: its unit comes from its rows).
    file : str, optional
        Name used in messages when the frame does not say where its rows came from.

    Returns
    -------
    pandas.DataFrame
        ``value``, ``upper``, ``baseline_value`` as float, years as ``Int64``,
        ``kind`` filled with ``binding`` where empty; extra columns kept.

    Raises
    ------
    ValidationError
        Listing every problem with file, row and column.
    """
    return validate_table(frame, "targets", indicators, file)


def validate_observations(
    frame: pd.DataFrame, indicators: pd.DataFrame | None = None, *, file: str | None = None
) -> pd.DataFrame:
    """Validate an observations table and return it typed, in the documented column order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Observations in the documented columns; periods may be written the
        Chinese way (``2025年1-9月``, ``前三季度``), see docs/user-guide.md.
    indicators : pandas.DataFrame, optional
        As in :func:`validate_targets`.
    file : str, optional
        Name used in messages when the frame does not say where its rows came from.

    Returns
    -------
    pandas.DataFrame
        ``value`` as float (a placeholder such as ``xx`` becomes NaN, noted),
        ``period`` in its canonical form (``2025-01/2025-09``).

    Raises
    ------
    ValidationError
        Listing every problem, including two observations of the same indicator,
        region and period with different values (naming both rows).
    """
    return validate_table(frame, "observations", indicators, file)


def validate_targets_and_observations(
    targets: pd.DataFrame, observations: pd.DataFrame, indicators: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate targets and observations together, reporting every problem of both at once.

    Parameters
    ----------
    targets, observations : pandas.DataFrame
        The two tables, as for :func:`validate_targets` and :func:`validate_observations`.
    indicators : pandas.DataFrame, optional
        When given, both tables are checked against it.

    Returns
    -------
    tuple of pandas.DataFrame
        The typed targets and observations.

    Raises
    ------
    ValidationError
        Listing the problems of both tables in one message.
    """
    validated_targets, validated_observations = gather_problems(
        lambda: validate_targets(targets, indicators),
        lambda: validate_observations(observations, indicators),
    )
    return validated_targets, validated_observations
