"""Cell and frame checks that the schemas run: pure predicates, True where a row is fine.

Cell checks run once per distinct value, since national panels repeat the same
units, periods and years millions of times.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from envtargets.errors import PeriodError, UnitError
from envtargets.periods import parse_period
from envtargets.units import conversion_factor, parse_unit


def is_blank(cell: object) -> bool:
    return (
        cell is None
        or (not isinstance(cell, str) and bool(pd.isna(cell)))
        or (isinstance(cell, str) and not cell.strip())
    )


def to_float(cell: object) -> float | None:
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        return float(cell)
    try:
        return float(str(cell).replace(",", ""))
    except ValueError:
        return None


def _number_or_blank(cell: object) -> bool:
    if is_blank(cell):
        return True
    return to_float(cell) is not None


def _parses(parser: Callable[[str], object]) -> Callable[[object], bool]:
    def check(cell: object) -> bool:
        if is_blank(cell):
            return True  # emptiness is the nullable rule's business
        try:
            parser(_digits_if_whole(cell))
        except (UnitError, PeriodError, TypeError):
            return False
        return True

    return check


def _digits_if_whole(cell: object) -> object:
    """Give a whole number from code (2022, 2022.0) as its digits; leave other cells as they are."""
    return str(int(cell)) if not isinstance(cell, str) and _is_whole(cell) else cell


def _is_whole(cell: object) -> bool:
    return isinstance(cell, (int, float, np.integer, np.floating)) and float(cell).is_integer()


def _year_or_blank(cell: object) -> bool:
    number = None if is_blank(cell) else to_float(cell)
    return is_blank(cell) or (number is not None and number.is_integer() and 1000 <= number <= 9999)


CELL_CHECKS: dict[str, tuple[Callable[[object], bool], str]] = {
    "number": (_number_or_blank, "{value!r} is not a number"),
    "year": (_year_or_blank, "{value!r} is not a year (four digits, such as 2025)"),
    "unit": (_parses(parse_unit), "{reason}"),
    "period": (_parses(parse_period), "{reason}"),
}


def map_unique(series: pd.Series, func: Callable[[object], bool]) -> pd.Series:
    """Apply a cell check once per distinct value (national panels repeat a lot)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    verdicts = np.fromiter((func(value) for value in uniques), dtype=bool, count=len(uniques))
    return pd.Series(verdicts[codes], index=series.index)


def between_needs_upper(frame: pd.DataFrame) -> pd.Series:
    return ~((frame["comparator"] == "between") & frame["upper"].isna())


def upper_only_with_between(frame: pd.DataFrame) -> pd.Series:
    return frame["upper"].isna() | (frame["comparator"] == "between")


def upper_not_below_value(frame: pd.DataFrame) -> pd.Series:
    value, upper = to_numbers(frame["value"]), to_numbers(frame["upper"])
    return ~((frame["comparator"] == "between") & (upper < value))


def baseline_before_target(frame: pd.DataFrame) -> pd.Series:
    base, target = to_numbers(frame["baseline_year"]), to_numbers(frame["target_year"])
    return ~(base >= target)


def baseline_value_needs_year(frame: pd.DataFrame) -> pd.Series:
    return frame["baseline_value"].isna() | frame["baseline_year"].notna()


def to_numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype("object").map(_to_float_or_nan), errors="coerce")


def _to_float_or_nan(cell: object) -> float:
    number = None if is_blank(cell) else to_float(cell)
    return np.nan if number is None else number


def known_indicator(known_units: dict[str, str]) -> Callable[[pd.DataFrame], pd.Series]:
    def check(frame: pd.DataFrame) -> pd.Series:
        return frame["indicator"].isna() | frame["indicator"].isin(list(known_units))

    return check


def unit_fits_indicator(known_units: dict[str, str]) -> Callable[[pd.DataFrame], pd.Series]:
    def fits(pair: tuple[object, object]) -> bool:
        unit, canonical = pair
        if is_blank(unit) or is_blank(canonical):
            return True
        try:
            conversion_factor(str(unit), str(canonical))
        except UnitError as error:
            # An unparsable unit is reported by the unit check; only report
            # here when both parse but measure different things.
            return error.to_unit is None
        return True

    def check(frame: pd.DataFrame) -> pd.Series:
        canonical = frame["indicator"].map(known_units)
        pairs = pd.Series(list(zip(frame["unit"], canonical, strict=True)))
        return pd.Series(map_unique(pairs, fits).to_numpy(), index=frame.index)

    return check


def _observation_keys(frame: pd.DataFrame) -> list[pd.Series]:
    return [frame["indicator"], frame["region"], frame["period"].astype("string").str.strip()]


def _comparable_values(frame: pd.DataFrame) -> pd.Series:
    """Each observation's value in the unit of the first row of its group."""
    first_unit = frame.groupby(_observation_keys(frame), dropna=False, sort=False)["unit"]
    first_unit = first_unit.transform("first")

    def factor(pair: tuple[object, object]) -> float:
        try:
            return conversion_factor(str(pair[0]), str(pair[1]))
        except UnitError:
            return np.nan

    pairs = pd.Series(list(zip(frame["unit"], first_unit, strict=True)), index=frame.index)
    codes, uniques = pd.factorize(pairs)
    factors = np.array([factor(pair) for pair in uniques])[codes]
    return to_numbers(frame["value"]) * factors


def no_conflicting_observations(frame: pd.DataFrame) -> pd.Series:
    values = _comparable_values(frame)
    keys = _observation_keys(frame)
    grouped = values.groupby(keys, dropna=False, sort=False)
    spread = grouped.transform("max") - grouped.transform("min")
    scale = values.abs().groupby(keys, dropna=False, sort=False).transform("max")
    return ~(spread > 1e-9 * scale.fillna(0) + 1e-12)
