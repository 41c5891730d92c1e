"""Turning pandera's failure table into plain messages with file, row and column."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from envtargets._checks import CELL_CHECKS, distinct, observation_groups
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

# The cells that name what an observation measures; rows alike in all three must agree.
OBSERVATION_KEYS = ["indicator", "region", "period"]


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
    failures = _without_keyless_conflicts(failures, frame)
    alike = _alike_rows(failures, frame)
    problems: list[dict] = []
    seen: set[tuple[str, object]] = set()
    for failure in failures.itertuples(index=False):
        check, column, value, index = (
            str(failure.check),
            failure.column,
            failure.failure_case,
            failure.index,
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
        reason = _reason(check, frame, index, column, value, where, alike)
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


def _reason(check, frame, index, column, value, where, alike) -> str:
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
        same = alike[(check, column)][index]
        return "rows " + ", ".join(str(where.at[i, "row"]) for i in same)
    if check == "no_conflicting_observations":
        return _conflict_reason(frame, index, where, alike[(check, None)][index])
    return ""


def _indicator_unit(frame: pd.DataFrame, index) -> str:
    return str(frame.attrs.get("known_units", {}).get(frame.at[index, "indicator"], ""))


def _parser_reason(parser: Callable[[str], object], value: object) -> str:
    try:
        parser(str(value))
    except (UnitError, PeriodError) as error:
        return str(error)
    return f"{value!r} is not valid"


def _without_keyless_conflicts(failures: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the conflict failures of rows with no indicator, region or period.

    Such a row is reported as empty in that column (the columns are not
    nullable); calling it a conflict as well would claim that it shares an
    indicator, region and period with rows that do not give one either.
    """
    conflicts = failures["check"].astype(str) == "no_conflicting_observations"
    if not conflicts.any():
        return failures
    labels = pd.unique(failures.loc[conflicts, "index"])
    keyless = frame.loc[labels, OBSERVATION_KEYS].isna().any(axis="columns")
    return failures[~(conflicts & failures["index"].isin(keyless.index[keyless]))]


def _alike_rows(failures: pd.DataFrame, frame: pd.DataFrame) -> dict[tuple, dict]:
    """Find the rows that each failing row shares its id, or its observation key, with.

    A duplicate id names every row with that id, a conflict every row with the
    same indicator, region and period. The columns are coded once per error
    and the groups of all failing rows gathered in one pass, since a national
    panel with thousands of conflicts would take minutes to scan once per row.

    Returns a dict keyed by ``(check, column)``, where column is None for the
    conflict check (it fails in every column of a row). Each value maps a
    failing row's label to the labels of its group, the row itself included,
    in frame order.
    """
    checks = failures["check"].astype(str)
    alike: dict[tuple, dict] = {}
    duplicates = failures[checks == "field_uniqueness"]
    for column, labels in duplicates.groupby("column")["index"]:
        codes, _ = distinct(frame[column])  # equal ids share a code, as == compares them
        alike[("field_uniqueness", column)] = _groups_of(codes, frame.index, labels)
    conflicts = failures.loc[checks == "no_conflicting_observations", "index"]
    if len(conflicts):
        # The check's own groups, so that a message names the rows the check compared.
        groups = observation_groups(frame)
        alike[("no_conflicting_observations", None)] = _groups_of(groups, frame.index, conflicts)
    return alike


def _groups_of(codes: np.ndarray, index: pd.Index, labels: pd.Series) -> dict[object, pd.Index]:
    """Map each of ``labels`` to the labels of every row with the same code, in frame order."""
    labels = pd.unique(labels)
    positions = index.get_indexer(labels)
    wanted = np.unique(codes[positions])
    # One pass over the frame for the rows of all wanted groups, then group those few.
    members = np.flatnonzero(pd.Series(codes).isin(wanted).to_numpy())
    by_code = pd.Series(members).groupby(codes[members]).indices  # positions into members
    return {
        label: index[members[by_code[codes[position]]]]
        for label, position in zip(labels, positions, strict=True)
    }


def _conflict_reason(frame: pd.DataFrame, index, where: pd.DataFrame, group: pd.Index) -> str:
    others = [i for i in group if i != index]
    located = ", ".join(
        f"{where.at[i, 'file']} row {where.at[i, 'row']} "
        f"({frame.at[i, 'value']} {frame.at[i, 'unit']})"
        for i in others
    )
    return (
        f"value {frame.at[index, 'value']} {frame.at[index, 'unit']} conflicts with {located}: "
        "same indicator, region and period, different values"
    )
