"""Cell and frame checks that the schemas run: pure predicates, True where a row is fine.

Cell checks, reading numbers and the frame checks work once per distinct value
(or distinct pair of values, as integer codes), since national panels repeat the
same units, periods and years millions of times.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
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
    codes, uniques = distinct_with_missing(series)
    verdicts = np.fromiter((func(value) for value in uniques), dtype=bool, count=len(uniques))
    return pd.Series(verdicts[codes], index=series.index)


def distinct(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return each cell's code (-1 where missing) and the distinct cells, as Python objects.

    Cells that compare equal share a code, as in :func:`pandas.factorize`: 1, 1.0
    and True are one value, and so are 0.0 and -0.0. Cleaning (``prepare``) reads
    every text column this way, so in the frames validation checks, equal cells
    are already the same value and per-distinct work equals per-cell work.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def distinct_with_missing(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`distinct`, but missing cells are one more distinct value.

    That value is pandas' missing value of the dtype (NaN for text), as
    ``pd.factorize(series, use_na_sentinel=False)`` gives it.
    """
    if series.dtype != object:
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        return codes, np.asarray(uniques, dtype=object)
    # For object cells, use_na_sentinel=False costs one more pass (isna) over them all.
    codes, uniques = distinct(series)
    return np.where(codes < 0, len(uniques), codes), np.append(uniques, np.nan)


def map_distinct(
    series: pd.Series,
    func: Callable[[object], object],
    missing: object,
    dtype: npt.DTypeLike = object,
) -> np.ndarray:
    """Apply ``func`` once per distinct cell; return an array with a result per row.

    Parameters
    ----------
    series : pandas.Series
        The cells.
    func : callable
        Called with one cell, once per distinct value.
    missing : object
        The result for missing cells (``func`` is not called for them).
    dtype : numpy dtype, default object
        The dtype of the returned array.

    Returns
    -------
    numpy.ndarray
        ``func(cell)`` for every row, in row order.
    """
    codes, uniques = distinct(series)
    results = np.empty(len(uniques) + 1, dtype=dtype)
    for position, value in enumerate(uniques):
        results[position] = func(value)
    results[-1] = missing  # code -1 picks the last entry
    return results[codes]


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
    """Read every cell as a float; blank cells and cells that are no number become NaN.

    Parameters
    ----------
    series : pandas.Series
        Numbers, or cells as text ("1,234", " 12 ") or mixed, as cleaning leaves them.

    Returns
    -------
    pandas.Series
        float64, with the index and name of ``series`` (int64 when it is empty,
        as ``pd.to_numeric`` of no cells gives).
    """
    if series.empty:
        return pd.to_numeric(series.astype("object"), errors="coerce")
    if series.dtype.kind in "iuf":  # numbers already (booleans are not numbers here)
        numbers = series.to_numpy(dtype="float64", na_value=np.nan)
    else:
        # Text is read once per distinct value: a panel repeats the same values.
        numbers = map_distinct(series, _to_float_or_nan, np.nan, dtype="float64")
    return pd.Series(numbers, index=series.index, name=series.name, copy=False)


def _to_float_or_nan(cell: object) -> float:
    number = None if is_blank(cell) else to_float(cell)
    return np.nan if number is None else number


def known_indicator(known_units: dict[str, str]) -> Callable[[pd.DataFrame], pd.Series]:
    def check(frame: pd.DataFrame) -> pd.Series:
        return frame["indicator"].isna() | frame["indicator"].isin(list(known_units))

    return check


def unit_fits_indicator(known_units: dict[str, str]) -> Callable[[pd.DataFrame], pd.Series]:
    def fits(unit: object, canonical: object) -> bool:
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
        # Missing cells are values here (the indicators table may list one).
        indicator_codes, indicators = distinct_with_missing(frame["indicator"])
        unit_codes, units = distinct_with_missing(frame["unit"])
        canonical = pd.Series(indicators, dtype=object).map(known_units).to_numpy()
        # Decide once per distinct (unit, indicator) pair.
        pairs, pair_codes = _pair_codes(unit_codes, indicator_codes, len(indicators))
        unit_of, indicator_of = np.divmod(pair_codes, max(len(indicators), 1))
        verdicts = [
            fits(units[u], canonical[i]) for u, i in zip(unit_of, indicator_of, strict=True)
        ]
        return pd.Series(np.array(verdicts, dtype=bool)[pairs], index=frame.index)

    return check


def _pair_codes(
    first: np.ndarray, second: np.ndarray, n_second: int
) -> tuple[np.ndarray, np.ndarray]:
    """Give each distinct pair of two non-negative codes a number (faster than tuples).

    Returns each row's pair number and, per pair number, ``first * n_second + second``.
    """
    return pd.factorize(first.astype(np.int64) * n_second + second)


def observation_groups(frame: pd.DataFrame) -> np.ndarray:
    """Return a group number per row: one per indicator, region and period.

    Periods are compared as text without surrounding spaces, so 2022 and "2022"
    are one period; a missing key is a value like any other.
    """
    groups, count = np.zeros(len(frame), dtype=np.int64), 1
    for codes, n in (
        _codes_and_count(frame["indicator"]),
        _codes_and_count(frame["region"]),
        _period_codes(frame["period"]),
    ):
        if count * n >= 2**62:  # renumber the groups so far, lest the numbers overflow
            groups, distinct_groups = pd.factorize(groups)
            count = len(distinct_groups)
        groups, count = groups * n + codes, count * n
    return groups


def _codes_and_count(series: pd.Series) -> tuple[np.ndarray, int]:
    codes, uniques = distinct_with_missing(series)
    return codes, len(uniques)


def _period_codes(period: pd.Series) -> tuple[np.ndarray, int]:
    """Codes of the periods as stripped text (see ``observation_groups``), and their count."""
    if period.dtype.kind == "f":
        # Cell by cell: 0.0 and -0.0 are one distinct value but two texts.
        return _codes_and_count(period.astype("string").str.strip())
    codes, uniques = distinct(period)
    texts = pd.Series(np.append(uniques, pd.NA), dtype=object)  # last: missing cells
    text_codes, count = _codes_and_count(texts.astype("string").str.strip())
    return text_codes[codes], count


def _comparable_values(frame: pd.DataFrame, groups: np.ndarray) -> pd.Series:
    """Each observation's value in the unit of the first row of its group that has a unit."""
    unit_codes, units = distinct(frame["unit"])
    with_unit = pd.Series(np.where(unit_codes >= 0, unit_codes, np.nan))
    first = with_unit.groupby(groups).transform("first").fillna(-1).to_numpy(dtype=np.int64)

    def factor(code: int) -> float:
        unit, first_unit = divmod(code, len(units) + 1)
        if unit == 0 or first_unit == 0:  # no unit, or none in the whole group
            return np.nan
        try:
            return conversion_factor(str(units[unit - 1]), str(units[first_unit - 1]))
        except UnitError:
            return np.nan

    # Convert once per distinct (unit, first unit) pair; 0 stands for missing.
    pairs, pair_codes = _pair_codes(unit_codes + 1, first + 1, len(units) + 1)
    factors = np.array([factor(code) for code in pair_codes], dtype=float)
    return to_numbers(frame["value"]) * factors[pairs]


def no_conflicting_observations(frame: pd.DataFrame) -> pd.Series:
    groups = observation_groups(frame)
    # Only rows that share indicator, region and period can conflict; in a
    # national panel they are few, so the group arithmetic runs on those only.
    shared = np.flatnonzero(pd.Series(groups).duplicated(keep=False).to_numpy())
    fine = np.ones(len(frame), dtype=bool)
    if len(shared):
        fine[shared] = _values_agree(frame.iloc[shared], groups[shared])
    return pd.Series(fine, index=frame.index)


def _values_agree(frame: pd.DataFrame, groups: np.ndarray) -> np.ndarray:
    """Return True for rows whose group's values agree once in one unit (NaN never conflicts)."""
    values = _comparable_values(frame, groups)
    grouped = values.groupby(groups)
    spread = grouped.transform("max") - grouped.transform("min")
    scale = values.abs().groupby(groups).transform("max")
    return (~(spread > 1e-9 * scale.fillna(0) + 1e-12)).to_numpy()
