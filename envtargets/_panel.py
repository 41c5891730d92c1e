"""Observations reduced to sorted numpy arrays: the common ground of trend and evaluate.

Everything here works on whole columns: strings are factorised once, each
distinct period text is parsed once, each distinct unit pair is converted
once, and the rows are sorted once by (series, period end, months covered), so
that the later look-ups are binary searches rather than Python loops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from envtargets.errors import UnitError, ValidationError
from envtargets.periods import period_table
from envtargets.units import conversion_factor

# Look-up keys pack (series, time) into one int64: months since year 0 stay
# below 2**17 for four-digit years, calendar years below 2**14.
MONTH_BITS = 17
YEAR_BITS = 14

# Rows listed in a unit error before the rest are only counted.
_MAX_LISTED_ROWS = 50


@dataclass(frozen=True)
class Panel:
    """Usable observations, one entry per row, sorted by (series, end, months).

    Of periods with the same end, a run of months that starts in an earlier
    calendar year sorts first, so the last row of an end is the longest period
    within the calendar year of that end (see :func:`build_panel`).

    Per row only the series, the value and a period code are kept; what a
    period means (its end, length, year) sits in small per-period tables.

    Attributes
    ----------
    series : numpy.ndarray of int64
        Code of the (indicator, region) series of each row.
    value : numpy.ndarray of float64
        The value in the series' canonical unit.
    period_code : numpy.ndarray of int64
        Index of the row's period in the per-period tables below.
    period_texts : numpy.ndarray of object
        Each distinct period as written.
    period_end : numpy.ndarray of int64
        End of each period in months since year 0 (a full year Y ends at 12·(Y + 1)).
    period_months : numpy.ndarray of int64
        Number of months each period covers.
    period_full_year : numpy.ndarray of bool
        True for exactly one calendar year.
    period_year : numpy.ndarray of int64
        Calendar year in which each period ends.
    """

    series: np.ndarray
    value: np.ndarray
    period_code: np.ndarray
    period_texts: np.ndarray
    period_end: np.ndarray
    period_months: np.ndarray
    period_full_year: np.ndarray
    period_year: np.ndarray

    def end_keys(self) -> np.ndarray:
        """Return ``series · 2**17 + end``, non-decreasing along the rows."""
        return (self.series << MONTH_BITS) + self.period_end[self.period_code]

    def full_years(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (keys, years, values) of the full-year rows, one per series and year.

        Keys are ``series · 2**14 + year``, strictly increasing; of two full-year
        values of the same series and year the one listed last is kept.
        """
        rows = np.flatnonzero(self.period_full_year[self.period_code])
        years = self.period_year[self.period_code[rows]]
        keys = (self.series[rows] << YEAR_BITS) + years
        # Rows are already sorted by end, so full years are in year order and a
        # duplicate sits right before the row that replaces it.
        last = np.ones(len(keys), dtype=bool)
        last[:-1] = keys[1:] != keys[:-1]
        return keys[last], years[last], self.value[rows][last]


def factorize_columns(columns: Sequence[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Code the values of several columns with one shared set of labels.

    Each column is factorised where it lies (Arrow strings, categoricals and
    Python strings each have a fast path), and only the small sets of distinct
    labels are then merged, so no million-row column is copied or concatenated.

    Returns
    -------
    codes : numpy.ndarray of int64
        Codes of the rows of all columns, one after the other (−1 for missing).
    labels : numpy.ndarray of object
        The label of each code.
    """
    parts, labels = [], pd.Index([], dtype=object)
    for column in columns:
        codes, uniques = pd.factorize(column)
        uniques = pd.Index(np.asarray(uniques, dtype=object))
        labels = labels.append(uniques.difference(labels, sort=False))
        mapping = np.append(labels.get_indexer(uniques), -1)  # code −1 stays −1
        parts.append(mapping[codes])
    return np.concatenate(parts).astype(np.int64), np.asarray(labels, dtype=object)


@dataclass(frozen=True)
class SeriesCodes:
    """Rows coded by (indicator, region) series, and each series coded by its parts.

    Attributes
    ----------
    codes : numpy.ndarray of int64
        Series code of each row of the concatenated frames (−1 if a part is missing).
    first_of, second_of : numpy.ndarray of int64
        Per series code, the code of its indicator and of its region.
    first_labels, second_labels : numpy.ndarray of object
        The distinct indicators and regions.
    """

    codes: np.ndarray
    first_of: np.ndarray
    first_labels: np.ndarray
    second_of: np.ndarray
    second_labels: np.ndarray

    def first_mapped(self, mapping: dict) -> np.ndarray:
        """Return ``mapping[indicator]`` per series (None where not listed).

        One dictionary look-up per distinct indicator, not per series.
        """
        looked_up = [mapping.get(label) for label in self.first_labels.tolist()]
        return np.array([*looked_up, None], dtype=object)[self.first_of]


def factorize_series(first: Sequence[pd.Series], second: Sequence[pd.Series]) -> SeriesCodes:
    """Code (indicator, region) pairs consistently across several frames.

    Parameters
    ----------
    first, second : sequences of pandas.Series
        The indicator and the region columns of each frame, in the same order.

    Returns
    -------
    SeriesCodes
        One code per row of the frames one after the other (equal pairs share a
        code), and the indicator and region of each code.
    """
    first_codes, first_labels = factorize_columns(first)
    second_codes, second_labels = factorize_columns(second)
    width = max(len(second_labels), 1)
    pair = first_codes * width + second_codes
    missing = (first_codes < 0) | (second_codes < 0)  # a row without indicator or region
    valid = pair[~missing]
    if len(first_labels) * width <= 4 * len(pair) + 1024:
        # Few possible pairs: number those present through a table, without hashing.
        present = np.bincount(valid, minlength=len(first_labels) * width) > 0
        uniques = np.flatnonzero(present)
        valid_codes = (np.cumsum(present) - 1)[valid]
    else:
        valid_codes, uniques = pd.factorize(valid)
    codes = np.full(len(pair), -1, dtype=np.int64)
    codes[~missing] = valid_codes
    return SeriesCodes(
        codes=codes,
        first_of=(uniques // width).astype(np.int64),
        first_labels=first_labels,
        second_of=(uniques % width).astype(np.int64),
        second_labels=second_labels,
    )


def unit_factors(
    from_codes: np.ndarray, from_units: np.ndarray, to_codes: np.ndarray, to_units: np.ndarray
) -> tuple[np.ndarray, list[tuple[str, str, str, np.ndarray]]]:
    """Return the conversion factor of every row, converting each distinct pair once.

    Parameters
    ----------
    from_codes, to_codes : numpy.ndarray of int
        Per row, the code of its unit and of the unit it is to be expressed in.
    from_units, to_units : numpy.ndarray of str
        The units the codes stand for.

    Returns
    -------
    factors : numpy.ndarray of float64
        Multiply a row's value by its factor; NaN where the units do not convert.
    failures : list of (from, to, reason, rows)
        One entry per pair that does not convert, with the positions of its rows.
    """
    width = max(len(to_units), 1)
    pair_codes, pairs = pd.factorize(np.asarray(from_codes, np.int64) * width + to_codes)
    pair_factors = np.full(len(pairs), np.nan)
    failures = []
    for number, pair in enumerate(pairs):  # one iteration per distinct unit pair
        source, target = str(from_units[pair // width]), str(to_units[pair % width])
        try:
            pair_factors[number] = conversion_factor(source, target)
        except UnitError as error:
            failures.append((source, target, error.reason, np.flatnonzero(pair_codes == number)))
    return pair_factors[pair_codes], failures


def unit_factors_of(from_units, to_units) -> tuple[np.ndarray, list]:
    """:func:`unit_factors` for two columns of unit texts (a few rows: targets)."""
    from_codes, from_uniques = pd.factorize(pd.Series(from_units, dtype=object))
    to_codes, to_uniques = pd.factorize(pd.Series(to_units, dtype=object))
    return unit_factors(
        from_codes, np.asarray(from_uniques, object), to_codes, np.asarray(to_uniques, object)
    )


def unit_problems(
    failures: list[tuple[str, str, str, np.ndarray]],
    frame: pd.DataFrame,
    label: str,
    explain: str,
) -> list[dict]:
    """Turn unit conversion failures into problem rows naming file, row and both units.

    Parameters
    ----------
    failures : list
        As returned by :func:`unit_factors`.
    frame : pandas.DataFrame
        The frame whose rows the positions refer to (``source_file`` and ``row``
        locate them when present).
    label : str
        What to call the frame when it does not say where its rows came from
        (``"observations frame"``).
    explain : str
        What the target unit is, e.g. ``"the unit of its indicator {indicator!r}"``;
        formatted with the row's cells.

    Returns
    -------
    list of dict
        Problem rows for :class:`~envtargets.errors.ValidationError`.
    """
    problems = []
    for source, target, reason, rows in failures:
        for position in rows[:_MAX_LISTED_ROWS]:
            row = frame.iloc[position]
            file = row["source_file"] if "source_file" in frame else label
            # Frames built in code are numbered as a CSV with a header row would be.
            line = int(row["row"]) if "row" in frame else int(position) + 2
            where = explain.format(**{k: row[k] for k in ("indicator", "region") if k in frame})
            problems.append(
                {
                    "file": file,
                    "row": line,
                    "column": "unit",
                    "value": source,
                    "message": f"cannot convert {source!r} to {target!r}, {where}: {reason}",
                }
            )
        if len(rows) > _MAX_LISTED_ROWS:
            problems.append(
                {
                    "file": label if "source_file" not in frame else "",
                    "row": None,
                    "column": "unit",
                    "value": source,
                    "message": f"... and {len(rows) - _MAX_LISTED_ROWS} more rows "
                    f"with unit {source!r} that cannot be converted to {target!r}",
                }
            )
    return problems


def snap(values: np.ndarray) -> np.ndarray:
    """Round values to 12 significant digits.

    A unit conversion leaves one-ulp noise (0.0151 mg/m³ becomes
    15.100000000000001 µg/m³), and so do some text-to-number parsers; rounding
    it away keeps equal values equal, so ties in the Mann–Kendall test and
    verdicts at a threshold do not depend on the unit a source happened to use.
    """
    values = np.asarray(values, dtype=np.float64)
    usable = np.isfinite(values)
    usable &= values != 0
    return _round_significant(values, np.abs(values), usable)


def snap_difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return a − b rounded at the 12th significant digit of the larger of |a| and |b|.

    The inputs carry 12 significant digits (:func:`snap`), so their difference
    is known to the last of those digits of the larger one, and no further:
    67.6 − 65 gives 2.6, not the binary 2.5999999999999943. Adding 0.0 turns
    −0.0 into 0.0.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    difference = a - b
    larger = np.maximum(np.abs(a), np.abs(b))
    usable = np.isfinite(difference) & (larger > 0)
    return _round_significant(difference, larger, usable) + 0.0


# 10**e for e = 11 − m, m = −280 … 280: a table look-up instead of a power per value
# (the same numbers: the table is computed by the same power function).
_POWERS_OF_TEN = 10.0 ** np.arange(-269, 292, dtype=np.float64)


def _round_significant(values: np.ndarray, reference: np.ndarray, usable: np.ndarray):
    """Round ``values`` at the 12th significant digit of ``reference`` (> 0) where usable.

    Elsewhere the values are returned unchanged. Works in place on its own
    buffers: at two million rows, fresh temporaries cost more than the arithmetic.
    """
    magnitude = np.where(usable, reference, 1.0)
    np.log10(magnitude, out=magnitude)
    np.floor(magnitude, out=magnitude)
    np.clip(magnitude, -280, 280, out=magnitude)
    scale = _POWERS_OF_TEN[(280 - magnitude).astype(np.intp)]
    return np.where(usable, np.round(values * scale) / scale, values)


def build_panel(
    observations: pd.DataFrame,
    series: np.ndarray,
    canonical_units: np.ndarray,
    label: str = "observations frame",
    within_year: np.ndarray | None = None,
) -> Panel:
    """Reduce observations to a :class:`Panel` in their series' canonical units.

    Parameters
    ----------
    observations : pandas.DataFrame
        Columns ``period``, ``value`` and ``unit`` (plus ``source_file``/``row``
        when read from files).
    series : numpy.ndarray of int64
        Series code of each row; negative for rows that are not needed.
    canonical_units : numpy.ndarray of str
        Unit of each series code.
    label : str
        Name of the frame in error messages when rows do not say their file.
    within_year : numpy.ndarray of bool, optional
        Per series code: True where only periods within one calendar year can
        count (annual amounts and rates); the rows of a run of months that
        crosses a year boundary are then left out.

    Returns
    -------
    Panel
        Rows with a value and a wanted series, sorted by (series, end, months
        within the end's calendar year); a run crossing into the year of its end
        sorts before every period of the same end that lies within that year.

    Raises
    ------
    ValidationError
        When an observation's unit does not convert to its series' unit,
        naming the file and row, and both units.
    """
    values = pd.to_numeric(observations["value"], errors="coerce").to_numpy(
        np.float64, na_value=np.nan
    )
    period_codes, period_texts = pd.factorize(observations["period"])
    period_texts = np.asarray(period_texts, dtype=object)
    parts = period_table(pd.Series(period_texts, dtype=object))
    period_end = np.rint(parts["period_end"].to_numpy(np.float64) * 12).astype(np.int64)
    period_months = parts["months"].to_numpy(np.int64)
    period_year = parts["year"].to_numpy(np.int64)
    # A run such as 2024-07/2025-12 starts in a year before the one it ends in.
    crossing = (period_end - period_months) < period_year * 12
    usable = (series >= 0) & ~np.isnan(values) & (period_codes >= 0)
    if within_year is not None and crossing.any() and len(series):
        year_bound = np.append(np.asarray(within_year, dtype=bool), False)[series]
        usable &= ~(year_bound & np.append(crossing, False)[period_codes])
    # Usually every row counts: a slice then spares copying million-row columns.
    keep = slice(None) if usable.all() else np.flatnonzero(usable)
    kept_series = series[keep]
    unit_codes, unit_texts = pd.factorize(observations["unit"])
    canonical_codes, canonical_texts = pd.factorize(pd.Series(canonical_units, dtype=object))
    factors, failures = unit_factors(
        unit_codes[keep],
        np.asarray(unit_texts, dtype=object),
        canonical_codes[kept_series],
        np.asarray(canonical_texts, dtype=object),
    )
    if failures:
        positions = np.arange(len(usable))[keep]
        located = [(s, t, r, positions[rows]) for s, t, r, rows in failures]
        explain = "the unit of the indicator {indicator!r}"
        raise ValidationError(unit_problems(located, observations, label, explain))
    converted = snap(values[keep] * factors)

    # Periods ranked by (end, lying within the end's year, months); equal periods
    # written differently share a rank (end and months fix the start).
    by_time = np.lexsort((period_months, ~crossing, period_end))
    moved = np.ones(len(by_time), dtype=bool)
    moved[1:] = (np.diff(period_end[by_time]) != 0) | (np.diff(period_months[by_time]) != 0)
    rank = np.empty(len(by_time), dtype=np.int64)
    rank[by_time] = np.cumsum(moved) - 1
    codes = period_codes[keep]
    # One stable integer sort by (series, period rank): later rows stay later.
    order = np.argsort(kept_series * max(len(by_time), 1) + rank[codes], kind="stable")
    return Panel(
        series=kept_series[order],
        value=converted[order],
        period_code=codes[order].astype(np.int64, copy=False),
        period_texts=period_texts,
        period_end=period_end,
        period_months=period_months,
        period_full_year=parts["full_year"].to_numpy(bool),
        period_year=period_year,
    )


def ranges_to_indices(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Concatenate the index ranges ``[start, start + size)`` without a Python loop."""
    total = int(sizes.sum())
    offsets = np.cumsum(sizes) - sizes
    return np.repeat(starts - offsets, sizes) + np.arange(total)


def pick(values: np.ndarray, positions: np.ndarray, found: np.ndarray, missing) -> np.ndarray:
    """Return ``values[positions]`` where ``found``, else ``missing`` (empty arrays allowed)."""
    if len(values) == 0:
        return np.full(len(positions), missing, dtype=np.result_type(values, type(missing)))
    return np.where(found, values[np.clip(positions, 0, len(values) - 1)], missing)


def in_target_unit(values: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Convert series values to target units, snapping away conversion noise."""
    return snap(values * factor)
