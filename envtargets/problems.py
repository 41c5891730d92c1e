"""Turning pandera's failure table into plain messages with file, row and column."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from envtargets._checks import CELL_CHECKS
from envtargets.errors import PeriodError, UnitError
from envtargets.periods import parse_period
from envtargets.tables import COMPARATORS, DIRECTIONS, KINDS, MEASURES
from envtargets.units import conversion_factor, parse_unit

# Frame-wide checks: name → (column the message points at, message).
FRAME_CHECKS: dict[str, tuple[str, str]] = {
    "between_needs_upper": ("upper", "comparator 'between' needs an upper bound in 'upper'"),
    "upper_only_with_between": ("upper", "'upper' is only used with comparator 'between'"),
    "upper_not_below_value": ("upper", "'upper' is below 'value'"),
    "baseline_before_target": ("baseline_year", "baseline_year must be before target_year"),
    "baseline_value_needs_year": ("baseline_year", "baseline_value is given without baseline_year"),
    "known_indicator": ("indicator", "unknown indicator {value!r} (not in the indicators table)"),
    "unit_fits_indicator": ("unit", "{reason}"),
    "no_conflicting_observations": ("value", "{reason}"),
}


def locations(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Return the file and spreadsheet row of each row of ``frame``.

    Readers add ``source_file`` and ``row``; a frame built in code has neither,
    so its rows are numbered as they would be in a CSV with a header row.
    """
    positions = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    files = frame["source_file"] if "source_file" in frame else pd.Series(file, index=frame.index)
    rows = frame["row"] if "row" in frame else positions
    return pd.DataFrame({"file": files, "row": rows})


def problems_from_failures(
    failures: pd.DataFrame, frame: pd.DataFrame, file: str, table: str
) -> list[dict]:
    """Turn pandera's failure cases into problem rows with file, row and column.

    A frame-wide check fails once per column of a failing row; those repeats
    are folded into one problem that points at the column the rule is about.
    """
    where = locations(frame, file)
    problems: list[dict] = []
    seen: set[tuple[str, object]] = set()
    for failure in failures.itertuples(index=False):
        check, column, value, index = (
            str(failure.check),
            failure.column,
            failure.failure_case,
            (failure.index),
        )
        if check == "column_in_dataframe":
            problems.append(problem(file, None, value, None, f"missing required column {value!r}"))
            continue
        if check in FRAME_CHECKS:
            if (check, index) in seen:
                continue
            seen.add((check, index))
            column, template = FRAME_CHECKS[check]
            value = frame.at[index, column]
        else:
            template = _column_message(check, column, table)
        reason = _reason(check, frame, index, column, value, where)
        message = template.format(value=value, reason=reason, column=column)
        problems.append(
            problem(where.at[index, "file"], where.at[index, "row"], column, value, message)
        )
    return problems


def problem(file, row, column, value, message) -> dict:
    """Return one problem as a row of :attr:`ValidationError.problems`."""
    return {"file": file, "row": row, "column": column, "value": value, "message": message}


def _column_message(check: str, column: str, table: str) -> str:
    if check in CELL_CHECKS:
        return CELL_CHECKS[check][1]
    if check == "not_nullable":
        if column == "value" and table == "targets":
            return "value is empty or a placeholder; a target needs a number"
        return f"{column} is empty"
    if check == "field_uniqueness":
        return f"{column} {{value!r}} appears more than once ({{reason}})"
    allowed = {"comparator": COMPARATORS, "kind": KINDS, "better": DIRECTIONS, "measure": MEASURES}
    if check.startswith("isin(") and column in allowed:
        return f"{{value!r}} is not a known {column}; use one of {', '.join(allowed[column])}"
    if check.startswith("str_matches("):
        return "indicator id {value!r} must be snake_case (a-z, 0-9, _)"
    return f"{{value!r}} fails the check {check}"


def _reason(check, frame, index, column, value, where) -> str:
    """Return the words of a failure whose message depends on the data."""
    if check == "unit":
        return _parser_reason(parse_unit, value)
    if check == "period":
        return _parser_reason(parse_period, value)
    if check == "unit_fits_indicator":
        canonical = _indicator_unit(frame, index)
        try:
            conversion_factor(str(value), canonical)
        except UnitError as error:
            return f"{error.reason} (the indicator's unit)"
        return ""
    if check == "field_uniqueness":
        same = frame.index[frame[column] == value]
        return "rows " + ", ".join(str(where.at[i, "row"]) for i in same)
    if check == "no_conflicting_observations":
        return _conflict_reason(frame, index, where)
    return ""


def _indicator_unit(frame: pd.DataFrame, index) -> str:
    return str(frame.attrs.get("known_units", {}).get(frame.at[index, "indicator"], ""))


def _parser_reason(parser: Callable[[str], object], value: object) -> str:
    try:
        parser(str(value))
    except (UnitError, PeriodError) as error:
        return str(error)
    return f"{value!r} is not valid"


def _conflict_reason(frame: pd.DataFrame, index, where: pd.DataFrame) -> str:
    keys = ["indicator", "region", "period"]
    mask = np.logical_and.reduce(
        [frame[key].astype("string") == str(frame.at[index, key]) for key in keys]
    )
    others = [i for i in frame.index[mask] if i != index]
    located = ", ".join(
        f"{where.at[i, 'file']} row {where.at[i, 'row']} "
        f"({frame.at[i, 'value']} {frame.at[i, 'unit']})"
        for i in others
    )
    return (
        f"value {frame.at[index, 'value']} {frame.at[index, 'unit']} conflicts with {located}: "
        "same indicator, region and period, different values"
    )
