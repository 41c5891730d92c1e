"""Helpers shared by the chart modules: picking rows, reading optional columns, colours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from envtargets.plot._labels import is_missing
from envtargets.plot._style import STATUS_ORDER, ChartError, hex_to_rgb

REQUIRED_EVALUATION = ("target_id", "indicator", "region", "comparator", "value", "unit", "status")


def check_evaluation(evaluation: pd.DataFrame) -> None:
    """Raise :class:`ChartError` unless ``evaluation`` looks like an evaluation table."""
    if not isinstance(evaluation, pd.DataFrame):
        raise ChartError(
            f"expected the evaluation table (a pandas DataFrame), got {type(evaluation).__name__}"
        )
    missing = [column for column in REQUIRED_EVALUATION if column not in evaluation.columns]
    if missing:
        raise ChartError(
            f"the table lacks the evaluation column(s) {', '.join(missing)}; "
            "pass the table that envtargets.evaluate() returns"
        )
    unknown = sorted(set(evaluation["status"].dropna().astype(str)) - set(STATUS_ORDER))
    if unknown:
        raise ChartError(f"unknown status value(s) {', '.join(map(repr, unknown))} in the table")


def select_targets(
    evaluation: pd.DataFrame, target_ids: Sequence[str] | str | None
) -> pd.DataFrame:
    """Return the rows of the given targets, in the given order (all rows when None).

    Raises
    ------
    ChartError
        For an id that is not in the table, naming a few that are.
    """
    check_evaluation(evaluation)
    if target_ids is None:
        return evaluation.reset_index(drop=True)
    if isinstance(target_ids, str):
        target_ids = [target_ids]
    known = pd.Index(evaluation["target_id"].astype(str))
    missing = [tid for tid in target_ids if tid not in known]
    if missing:
        examples = ", ".join(known[:5])
        raise ChartError(
            f"target(s) {', '.join(map(repr, missing))} not in the evaluation table "
            f"(it has {len(known)} targets, e.g. {examples})"
        )
    positions = known.get_indexer(list(target_ids))
    return evaluation.iloc[positions].reset_index(drop=True)


def baseline_of(row: Mapping) -> float:
    """Return the baseline to show: ``effective_baseline`` if present, else ``baseline_value``."""
    for column in ("effective_baseline", "baseline_value"):
        value = row.get(column)
        if not is_missing(value):
            return float(value)
    return float("nan")


def flag(value: object) -> bool:
    """Read a boolean cell that may be missing (missing counts as False)."""
    return False if is_missing(value) else bool(value)


def number(value: object) -> float:
    """Read a numeric cell as float (missing as NaN)."""
    return float("nan") if is_missing(value) else float(value)


def lighten(color: str, amount: float) -> tuple[float, float, float]:
    """Mix ``color`` with white: ``amount`` 0 keeps it, 1 gives white."""
    rgb = np.array(hex_to_rgb(color)) if color.startswith("#") else _named_rgb(color)
    return tuple(rgb + (1.0 - rgb) * amount)  # type: ignore[return-value]


def _named_rgb(color: str) -> np.ndarray:
    from matplotlib.colors import to_rgb

    return np.array(to_rgb(color))


def one_region(frame: pd.DataFrame) -> str | None:
    """Return the region if all rows share one, else None."""
    regions = frame["region"].dropna().astype(str).unique()
    return str(regions[0]) if len(regions) == 1 else None
