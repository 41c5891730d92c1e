"""Units and plain-words descriptions (the ``quote`` column) of assessed statistics.

A computed observation has no document to quote; its ``quote`` says how the
number was computed instead, with the day counts and the limit used, so a
reader of the observations file can check it by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from envtargets import _unconfirmed
from envtargets.air.standards import POLLUTANTS, limit, minimum
from envtargets.periods import parse_period

_LABELS = {
    "so2": "SO2",
    "no2": "NO2",
    "co": "CO",
    "pm10": "PM10",
    "pm25": "PM2.5",
    "o3_8h": "O3 daily maximum 8-hour",
}

_FIXED_UNITS = {
    "aqi_good_day_ratio": "%",
    "aqi_good_days": "day",
    "aqi_valid_days": "day",
    "aqi_heavy_pollution_days": "day",
    "air_composite_index": "dimensionless",
    "air_composite_index_weighted": "dimensionless",
    "air_pollutants_attained": "count",
}


def unit_of(indicator: str) -> str:
    """Return the unit of an assessed indicator."""
    if indicator in _FIXED_UNITS:
        return _FIXED_UNITS[indicator]
    pollutant = "co" if indicator.startswith("co_") else "o3" if indicator.startswith("o3") else "x"
    return POLLUTANTS.get(pollutant, ("", "µg/m³"))[1]


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values).astype("string")


def _number(values: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(values, dtype="float64")).map("{:g}".format).astype("string")


def quote(indicator: str, record: dict, ctx) -> pd.Series:
    """Describe how each region's value of one indicator was computed."""
    first = str(ctx.start)
    last = str(ctx.end - np.timedelta64(1, "D"))
    span = f"{first} to {last}"
    n = ctx.n
    hj633 = ctx.standard.label.split(",")[0]
    if indicator == "aqi_valid_days":
        return (
            _text(record["valid_days"])
            + f" of {ctx.days} calendar days had a valid daily AQI, {span}; {hj633}"
        )
    if indicator.startswith("aqi_"):
        counted = " of " + _text(record["valid_days"]) + " days with a valid daily AQI had "
        if indicator == "aqi_heavy_pollution_days":
            words = _number(record["heavy"]) + counted + "AQI > 200"
        else:
            words = _number(record["good"]) + counted + "AQI ≤ 100 (优良)"
        if indicator == "aqi_good_day_ratio":
            valid = np.asarray(record["valid"], dtype=bool)
            words = words.where(~valid, words + " = " + _number(record["value"]) + " %")
        return _not_valid(words + f", {span}; {hj633}", record, ctx)
    unknown = ~np.asarray(record["valid"], dtype=bool)
    if indicator.startswith("air_composite_index"):
        words = pd.Series([f"{_index_words(indicator, ctx)}, {span}"] * n, dtype="string")
        return words.where(~unknown, words + "; NOT VALID: a statistic it sums is not valid")
    if indicator == "air_pollutants_attained":
        words = (
            _number(record["value"]).where(~unknown, "unknown number of")
            + " pollutants (of six) whose period mean is within the annual limit and whose "
            "percentile statistic is within the 24-h (O3: 8-h) limit, "
            f"{ctx.standard.label} grade {ctx.grade}, {span}"
        )
        return words.where(~unknown, words + "; NOT VALID: a pollutant's statistic is not valid")
    return _concentration_words(indicator, record, ctx, span)


def _concentration_words(indicator: str, record: dict, ctx, span: str) -> pd.Series:
    column = indicator.split("_24h")[0].split("_annual")[0]
    column = "o3_8h" if column.startswith("o3") else column
    label = _LABELS[column]
    if indicator.endswith("_annual_mean"):
        what, averaging = "mean", "annual"
    else:
        pct = indicator.rsplit("_p", 1)[1]
        what = f"{pct}th percentile (k = 1 + (n − 1)·p, linear interpolation)"
        averaging = "8-h" if column == "o3_8h" else "24-h"
    words = (
        f"{what} of "
        + _text(record["valid_days"])
        + f" valid daily {label} values, {span}; "
        + f"GB 3095 limit (grade {ctx.grade}, {averaging}) "
        + _number(record["limit"])
        + f" {unit_of(indicator)}"
    )
    return _not_valid(words, record, ctx)


def _not_valid(words: pd.Series, record: dict, ctx) -> pd.Series:
    """Add the minimum-data rule to the description of each statistic that is not valid."""
    invalid = ~np.asarray(record["valid"], dtype=bool)
    partial = not parse_period(ctx.period).full_year
    if invalid.any() and partial and not _unconfirmed.PARTIAL_PERIODS_NEED_EVERY_MONTH:
        words = words.where(~invalid, words + "; NOT VALID: no valid day")
    elif invalid.any():
        rule = (
            f"; NOT VALID: needs ≥ {minimum('days_per_month')} valid days in every month "
            f"(February {minimum('days_per_february')})"
        )
        if ctx.days >= 365:
            rule += f" and ≥ {minimum('days_per_year')} in the year"
        words = words.where(~invalid, words + rule)
    return words


def _index_words(indicator: str, ctx) -> str:
    def bound(pollutant: str, averaging: str) -> str:
        return f"{limit(ctx.standard.limits, pollutant, averaging, 2):g}"

    terms = [
        f"SO2 mean/{bound('so2', 'annual')}",
        f"NO2 mean/{bound('no2', 'annual')}",
        f"PM10 mean/{bound('pm10', 'annual')}",
        f"PM2.5 mean/{bound('pm25', 'annual')}",
        f"CO P{_unconfirmed.PERCENTILES['co']}/{bound('co', '24h')}",
        f"O3_8h P{_unconfirmed.PERCENTILES['o3_8h']}/{bound('o3', '8h')}",
    ]
    words = (
        "comprehensive index = " + " + ".join(terms) + f" (grade-2 limits, {ctx.standard.label})"
    )
    if indicator.endswith("weighted"):
        weights = ", ".join(
            f"{_LABELS[k].split(' ')[0]} × {w:g}"
            for k, w in _unconfirmed.COMPOSITE_INDEX_WEIGHTS.items()
        )
        words += f"; weighted {weights} (unconfirmed weights)"
    return words
