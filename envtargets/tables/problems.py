"""Problems: what normalising could not read and what the checks found, as plain messages.

Each problem is one row of :attr:`envtargets.ValidationError.problems`: the
file, the spreadsheet row (the header being row 1), the column, the cell as
written and a message.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from envtargets.tables.check import FRAME_RULES, VOCABULARIES, observation_groups, unit_mismatch


def problem(file, row, column, value, message) -> dict:
    """Return one problem as a row of :attr:`ValidationError.problems`."""
    return {"file": file, "row": row, "column": column, "value": value, "message": message}


def locations(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Return the file and spreadsheet row of each row of ``frame``.

    Readers add ``source_file`` and ``row``; a frame built in code has neither,
    so its rows are numbered as they would be in a CSV with a header row.
    """
    positions = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    files = frame["source_file"] if "source_file" in frame else pd.Series(file, index=frame.index)
    rows = frame["row"] if "row" in frame else positions
    return pd.DataFrame({"file": files, "row": rows})


def unreadable_problems(
    unreadable: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], where: pd.DataFrame
) -> list[dict]:
    """Problems of the cells that normalising could not read (the reason is the message)."""
    problems = []
    for column, (positions, written, reasons) in unreadable.items():
        for position, value, reason in zip(positions, written, reasons, strict=True):
            located = where.iloc[int(position)]
            problems.append(problem(located["file"], located["row"], column, value, reason))
    return problems


def failure_problems(
    failures: pd.DataFrame,
    frame: pd.DataFrame,
    where: pd.DataFrame,
    table: str,
    known_units: dict[str, str] | None,
    unreadable: dict,
) -> list[dict]:
    """Turn pandera's failure cases into problem rows with file, row and column.

    A frame-wide rule fails once per column of a failing row; those repeats are
    folded into one problem that points at the column the rule is about. An
    empty cell that normalising could not read is reported once, by its reason.
    """
    failures = _without_keyless_conflicts(failures, frame)
    alike = _alike_rows(failures, frame)
    unread = {column: set(np.asarray(entry[0]).tolist()) for column, entry in unreadable.items()}
    problems: list[dict] = []
    seen: set[tuple[str, object]] = set()
    for failure in failures.itertuples(index=False):
        check, column, value, index = (
            str(failure.check),
            failure.column,
            failure.failure_case,
            failure.index,
        )
        if check == "not_nullable" and index in unread.get(column, ()):
            continue
        if check in FRAME_RULES:
            if (check, index) in seen:
                continue
            seen.add((check, index))
            column, template = FRAME_RULES[check]
            if index in unread.get(column, ()):
                continue  # the cell could not be read; that is its problem, said once
            value = frame.at[index, column]
        else:
            # A column's check names its column.
            template = _column_message(check, cast(str, column), table)
        reason = _reason(check, frame, index, column, value, where, alike, known_units)
        message = template.format(value=value, reason=reason, column=column)
        located = where.loc[index]
        problems.append(problem(located["file"], located["row"], column, value, message))
    return problems


def _column_message(check: str, column: str, table: str) -> str:
    if check == "not_nullable":
        if column == "value" and table == "targets":
            return "value is empty or a placeholder; a target needs a number"
        return f"{column} is empty"
    if check == "field_uniqueness":
        return f"{column} {{value!r}} appears more than once ({{reason}})"
    if check.startswith("isin(") and column in VOCABULARIES:
        allowed = ", ".join(VOCABULARIES[column])
        return f"{{value!r}} is not a known {column}; use one of {allowed}"
    if check.startswith("str_matches("):
        return "indicator id {value!r} must be snake_case (a-z, 0-9, _)"
    return f"{{value!r}} fails the check {check}"


def _reason(check, frame, index, column, value, where, alike, known_units) -> str:
    """Return the words of a failure whose message depends on the data."""
    if check == "unit_fits_indicator":
        canonical = (known_units or {}).get(frame.at[index, "indicator"], "")
        return unit_mismatch(str(value), str(canonical))
    if check == "field_uniqueness":
        same = alike[(check, column)][index]
        return "rows " + ", ".join(str(where.at[i, "row"]) for i in same)
    if check == "no_conflicting_observations":
        return _conflict_reason(frame, index, where, alike[(check, None)][index])
    return ""


def _without_keyless_conflicts(failures: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the conflict failures of rows with no indicator, region or period.

    Such a row is reported as empty in that column; calling it a conflict as
    well would claim that it shares a key with rows that do not give one either.
    """
    conflicts = failures["check"].astype(str) == "no_conflicting_observations"
    if not conflicts.any():
        return failures
    labels = np.asarray(pd.unique(failures.loc[conflicts, "index"]))
    keyless = frame.loc[labels, ["indicator", "region", "period"]].isna().any(axis="columns")
    return failures[~(conflicts & failures["index"].isin(keyless.index[keyless]))]


def _alike_rows(failures: pd.DataFrame, frame: pd.DataFrame) -> dict[tuple, dict]:
    """Find the rows that each failing row shares its id, or its observation key, with.

    Returns a dict keyed by ``(check, column)`` (column None for the conflict
    rule); each value maps a failing row's label to the labels of its group,
    the row itself included, in frame order. The groups of all failing rows are
    gathered in one pass: a national panel may have thousands of conflicts.
    """
    checks = failures["check"].astype(str)
    alike: dict[tuple, dict] = {}
    duplicates = failures[checks == "field_uniqueness"]
    for column, labels in duplicates.groupby("column")["index"]:
        codes, _ = pd.factorize(frame[column])
        alike[("field_uniqueness", column)] = _groups_of(codes, frame.index, labels)
    conflicts = failures.loc[checks == "no_conflicting_observations", "index"]
    if len(conflicts):
        groups = observation_groups(frame)  # the rule's own groups
        alike[("no_conflicting_observations", None)] = _groups_of(groups, frame.index, conflicts)
    return alike


def _groups_of(codes: np.ndarray, index: pd.Index, labels: pd.Series) -> dict[object, pd.Index]:
    """Map each of ``labels`` to the labels of every row with the same code, in frame order."""
    unique_labels = pd.unique(labels)
    # The stubs take an Index only; get_indexer takes any array of labels (ensure_index).
    positions = index.get_indexer(unique_labels)  # type: ignore[arg-type]
    wanted = np.unique(codes[positions])
    members = np.flatnonzero(pd.Series(codes).isin(wanted).to_numpy())
    by_code = pd.Series(members).groupby(codes[members]).indices  # positions into members
    return {
        label: index[members[by_code[codes[position]]]]
        for label, position in zip(unique_labels, positions, strict=True)
    }


def _conflict_reason(frame: pd.DataFrame, index, where: pd.DataFrame, group: pd.Index) -> str:
    others = [i for i in group if i != index]
    located = ", ".join(
        f"{where.at[i, 'file']!s} row {where.at[i, 'row']!s} "
        f"({_number(frame.at[i, 'value'])} {frame.at[i, 'unit']!s})"
        for i in others
    )
    return (
        f"value {_number(frame.at[index, 'value'])} {frame.at[index, 'unit']!s} conflicts with "
        f"{located}: same indicator, region and period, different values"
    )


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
