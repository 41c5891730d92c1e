"""Schemas of the three tables, and validation that reports every problem at once.

Validation runs in two steps. First a pandera schema checks the cells as given
(text from a file, or typed values from code): that numbers are numbers, units
and periods parse, comparators are known, and the frame-wide rules hold. Every
failure comes back in one table, turned into plain messages with file,
spreadsheet row and column (:mod:`envtargets.problems`). Only a frame that
passes is converted to its final types, so conversion cannot fail half-way.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from envtargets._checks import (
    CELL_CHECKS,
    baseline_before_target,
    baseline_value_needs_year,
    between_needs_upper,
    distinct,
    known_indicator,
    map_unique,
    no_conflicting_observations,
    to_numbers,
    unit_fits_indicator,
    upper_not_below_value,
    upper_only_with_between,
)
from envtargets._cleaning import DataCleaningWarning, cleaning_table, prepare, report_cleaning
from envtargets.errors import ValidationError, gather_problems
from envtargets.problems import problem, problems_from_failures
from envtargets.tables import (
    COMPARATORS,
    DIRECTIONS,
    INDICATOR_COLUMNS,
    KINDS,
    LOCATION_COLUMNS,
    MEASURES,
    NUMERIC_COLUMNS,
    OBSERVATION_COLUMNS,
    REQUIRED,
    TARGET_COLUMNS,
)

__all__ = [
    "DataCleaningWarning",
    "validate_indicators",
    "validate_observations",
    "validate_targets",
]


def _cell_check(name: str):
    import pandera.pandas as pa

    func = CELL_CHECKS[name][0]

    def check(series: pd.Series) -> pd.Series:
        if name == "number" and series.dtype.kind in "iuf":
            # Every number passes, and NaN is a blank: no need to look at each one.
            return pd.Series(True, index=series.index)
        return map_unique(series, func)

    return pa.Check(check, name=name)


def _schema(table: str, known_units: dict[str, str] | None):
    """Build the pandera schema of one table (pandera is imported only when validating)."""
    import pandera.pandas as pa

    def text(required: bool = True, nullable: bool = False, checks=None, unique: bool = False):
        return pa.Column(required=required, nullable=nullable, checks=checks or [], unique=unique)

    def frame_check(name: str, func: Callable[[pd.DataFrame], pd.Series]):
        # A row whose cells are all missing passes, as with pandera's ignore_na,
        # which would run isna() on every cell of the frame for every check.
        return pa.Check(lambda frame: func(frame) | _all_missing(frame), name=name, ignore_na=False)

    if table == "indicators":
        columns = {
            "indicator": text(
                unique=True, checks=[pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", name="snake_case")]
            ),
            "name_zh": text(required=False, nullable=True),
            "name_en": text(required=False, nullable=True),
            "unit": text(checks=[_cell_check("unit")]),
            "better": text(checks=[pa.Check.isin(DIRECTIONS, name="better")]),
            "domain": text(required=False, nullable=True),
            "measure": text(checks=[pa.Check.isin(MEASURES, name="measure")]),
        }
        return pa.DataFrameSchema(columns, strict=False)

    checks = []
    if known_units is not None:
        checks += [
            frame_check("known_indicator", known_indicator(known_units)),
            frame_check("unit_fits_indicator", unit_fits_indicator(known_units)),
        ]
    common = {
        "indicator": text(),
        "region": text(),
        "value": text(checks=[_cell_check("number")]),
        "unit": text(checks=[_cell_check("unit")]),
        "source": text(required=False, nullable=True),
        "quote": text(required=False, nullable=True),
    }
    if table == "targets":
        columns = {
            "target_id": text(unique=True),
            **common,
            "comparator": text(checks=[pa.Check.isin(COMPARATORS, name="comparator")]),
            "upper": text(nullable=True, checks=[_cell_check("number")]),
            "target_year": text(checks=[_cell_check("year")]),
            "baseline_year": text(nullable=True, checks=[_cell_check("year")]),
            "baseline_value": text(nullable=True, checks=[_cell_check("number")]),
            "kind": text(checks=[pa.Check.isin(KINDS, name="kind")]),
        }
        checks += [
            frame_check(name, func)
            for name, func in [
                ("between_needs_upper", between_needs_upper),
                ("upper_only_with_between", upper_only_with_between),
                ("upper_not_below_value", upper_not_below_value),
                ("baseline_before_target", baseline_before_target),
                ("baseline_value_needs_year", baseline_value_needs_year),
            ]
        ]
    else:
        # An observation whose value is a placeholder stays, as missing.
        columns = {**common, "period": text(checks=[_cell_check("period")])}
        columns["value"] = text(nullable=True, checks=[_cell_check("number")])
        checks.append(frame_check("no_conflicting_observations", no_conflicting_observations))
    return pa.DataFrameSchema(columns, checks=checks, strict=False)


def _all_missing(frame: pd.DataFrame) -> pd.Series:
    """Return True for the rows whose every cell is missing."""
    missing = np.ones(len(frame), dtype=bool)
    # Numbers first: isna() is quick on them, slow on text cells.
    columns = sorted((column for _, column in frame.items()), key=lambda c: c.dtype == object)
    for column in columns:
        # Look only at the rows that are still all missing (usually none after one column).
        rows = np.flatnonzero(missing)
        if not len(rows):
            break
        missing[rows] = column.iloc[rows].isna().to_numpy()
    return pd.Series(missing, index=frame.index)


def _typed(
    frame: pd.DataFrame, table: str, distinct_cells: dict[str, tuple[np.ndarray, np.ndarray]]
) -> pd.DataFrame:
    """Give a validated frame its final types and the DESIGN column order.

    ``distinct_cells`` holds, for columns that cleaning read as text, each
    row's code and the distinct values (see ``prepare``).
    """
    order = {
        "indicators": INDICATOR_COLUMNS,
        "targets": TARGET_COLUMNS,
        "observations": OBSERVATION_COLUMNS,
    }[table]
    typed = frame.copy(deep=False)  # columns are replaced, not changed in place
    for column in NUMERIC_COLUMNS[table]:
        numbers = to_numbers(typed[column])
        typed[column] = numbers.astype("Int64") if column.endswith("_year") else numbers
    for column in order:
        if column not in NUMERIC_COLUMNS[table]:
            typed[column] = _as_text(typed[column], distinct_cells.get(column))
    extras = [c for c in typed.columns if c not in order and c not in LOCATION_COLUMNS]
    located = [c for c in LOCATION_COLUMNS if c in typed.columns]
    typed = typed[order + extras + located].reset_index(drop=True)
    typed.attrs.pop("known_units", None)
    return typed


def _as_text(series: pd.Series, codes_and_values: tuple | None = None) -> pd.Series:
    """Give a column the ``str`` type, missing cells staying missing.

    ``codes_and_values`` are the column's cells as codes into its distinct
    values, when known; each distinct value is converted once.
    """
    if codes_and_values is None and series.dtype.kind == "f":
        # Cell by cell: 0.0 and -0.0 are one distinct value but two texts.
        texts = series.astype("object").where(series.notna(), None).astype("str")
        return texts.where(texts.notna(), None)
    codes, values = codes_and_values if codes_and_values is not None else distinct(series)
    texts = pd.Series(values, dtype=object).astype("str").array
    spread = texts.take(codes, allow_fill=True)  # -1, a missing cell, stays missing
    result = pd.Series(spread, index=series.index, name=series.name, copy=False)
    if result.dtype == object:  # pandas without the str dtype: missing is None, as it was
        result = result.where(result.notna(), None)
    return result


def _validate(
    frame: pd.DataFrame, table: str, indicators: pd.DataFrame | None, file: str | None
) -> pd.DataFrame:
    import pandera.errors

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame of {table}, got {type(frame).__name__}")
    label = file or f"{table} table"
    prepared, notes, distinct_cells = prepare(frame.reset_index(drop=True), table)
    missing = [c for c in REQUIRED[table] if c not in prepared.columns]
    if missing:
        files = sorted(set(prepared["source_file"])) if "source_file" in prepared else [label]
        raise ValidationError(
            [
                problem(f, None, c, None, f"missing required column {c!r}")
                for f in files
                for c in missing
            ]
        )
    known_units = None
    if indicators is not None:
        units = indicators["unit"].astype(str)
        known_units = dict(zip(indicators["indicator"], units, strict=True))
        prepared.attrs["known_units"] = known_units
    try:
        # In place: the schema coerces nothing, and a copy of a national panel costs time.
        _schema(table, known_units).validate(prepared, lazy=True, inplace=True)
    except pandera.errors.SchemaErrors as errors:
        problems = pd.DataFrame(
            problems_from_failures(errors.failure_cases, prepared, label, table)
        )
        problems = problems.sort_values(["file", "row"], kind="stable", na_position="first")
        raise ValidationError(problems) from None
    report_cleaning(notes, prepared, label)
    typed = _typed(prepared, table, distinct_cells)
    typed.attrs["cleaning"] = cleaning_table(notes, prepared, label)
    return typed


def validate_indicators(frame: pd.DataFrame, *, file: str | None = None) -> pd.DataFrame:
    """Validate an indicators table and return it typed, in DESIGN column order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``indicator, name_zh, name_en, unit, better, domain``.
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
    return _validate(frame, "indicators", None, file)


def validate_targets(
    frame: pd.DataFrame, indicators: pd.DataFrame | None = None, *, file: str | None = None
) -> pd.DataFrame:
    """Validate a targets table and return it typed, in DESIGN column order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Targets in the DESIGN columns; cells may be text as read from a file.
    indicators : pandas.DataFrame, optional
        When given, every target's indicator must be in it and its unit must
        convert to the indicator's unit.
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
    return _validate(frame, "targets", indicators, file)


def validate_observations(
    frame: pd.DataFrame, indicators: pd.DataFrame | None = None, *, file: str | None = None
) -> pd.DataFrame:
    """Validate an observations table and return it typed, in DESIGN column order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Observations in the DESIGN columns.
    indicators : pandas.DataFrame, optional
        When given, indicators must be known and units convertible to theirs.
    file : str, optional
        Name used in messages when the frame does not say where its rows came from.

    Returns
    -------
    pandas.DataFrame
        ``value`` as float (a placeholder such as ``xx`` becomes NaN, reported).

    Raises
    ------
    ValidationError
        Listing every problem, including two observations of the same indicator,
        region and period with different values (naming both rows).
    """
    return _validate(frame, "observations", indicators, file)


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
