"""Period assessment of daily air-quality data (HJ 663), as an observations table.

Per station or city and period (a year, a month, or months such as
``2025-01/2025-09``): period means, percentile statistics, valid days, the
优良 day ratio, attainment per pollutant and overall, and the comprehensive
index. Grouped reductions are ``bincount`` and one ``lexsort``, so a national
year (≈ 620,000 station-days) takes well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from envtargets import _unconfirmed
from envtargets._monitoring import (
    as_periods,
    covered_spans,
    exact_decimal,
    is_dask,
    label_of,
    period_bounds,
    require_columns,
)
from envtargets.air.index import aqi
from envtargets.air.percentiles import percentiles
from envtargets.air.standards import POLLUTANTS, Standard, limit, minimum, resolve_standard
from envtargets.periods import parse_period
from envtargets.tables import OBSERVATION_COLUMNS

#: Six pollutants of the assessment: daily column → pollutant.
ASSESSED = {"so2": "so2", "no2": "no2", "co": "co", "o3_8h": "o3", "pm10": "pm10", "pm25": "pm25"}


@dataclass(frozen=True)
class Statistic:
    """One assessed statistic: its indicator id, daily column, kind and limit."""

    indicator: str
    column: str
    percentile: int | None  # None: the period mean
    averaging: str  # GB 3095 averaging time of the limit it is compared with

    @property
    def unit(self) -> str:
        """Unit of the statistic."""
        return POLLUTANTS[ASSESSED[self.column]][1]


def _statistics() -> list[Statistic]:
    pct = _unconfirmed.PERCENTILES
    stats = []
    for column in ("so2", "no2", "pm10", "pm25"):
        stats.append(Statistic(f"{column}_annual_mean", column, None, "annual"))
        stats.append(Statistic(f"{column}_24h_p{pct[column]}", column, pct[column], "24h"))
    stats.append(Statistic(f"co_24h_p{pct['co']}", "co", pct["co"], "24h"))
    stats.append(Statistic(f"o3_8h_p{pct['o3_8h']}", "o3_8h", pct["o3_8h"], "8h"))
    return stats


#: The concentration statistics, in output order.
STATISTICS = _statistics()

# The statistic of each pollutant that enters the comprehensive index: the period
# mean of SO2, NO2, PM10 and PM2.5, the percentile of CO and O3 (which have no
# annual limit). Taken from STATISTICS, so that a percentile switched in
# _unconfirmed.PERCENTILES is the one used here too.
_PERCENTILE_TERMS = ("co", "o3_8h")
_INDEX_TERMS = {
    stat.column: stat
    for stat in STATISTICS
    if (stat.percentile is not None) == (stat.column in _PERCENTILE_TERMS)
}


def assess(
    daily_frame: pd.DataFrame,
    period: str | list[str] | None = None,
    standard: str | None = None,
    *,
    grade: int = 2,
    source: str | None = None,
) -> pd.DataFrame:
    """Assess daily air-quality data per station (or city) and period.

    Parameters
    ----------
    daily_frame : pandas.DataFrame or dask.dataframe.DataFrame
        As :func:`envtargets.air.daily` returns it: ``station`` (or ``region``
        for cities), ``date``, the daily values ``so2``, ``no2``, ``co``,
        ``pm10``, ``pm25`` (24-h means), ``o3_8h`` (daily max 8-h) [µg/m³; CO
        mg/m³] with optional ``<p>_valid`` flags (default: non-missing is
        valid), and ``aqi``/``good`` (computed when absent).
    period : str or list of str, optional
        ``2025`` (year), ``2025-03`` (month), ``2025-01/2025-09`` (months,
        cumulative); default: for each station (city) and calendar year, the
        months its data cover, first to last (``2025-03``,
        ``2025-01/2025-06``; ``2025`` only when they run from January to
        December), so a few days are never labelled as the whole year.
    standard : {"2012", "2026", "2026-transitional", "2026-final", None}
        GB 3095 limits; None: the version in force on each period's last day.
    grade : {2, 1}
        Limit grade (二级 for cities and most areas, 一级 for class-1 zones).
    source : str, optional
        Name of the input, for the ``source`` column; default the daily
        table's ``attrs["source"]``.

    Returns
    -------
    pandas.DataFrame
        Observations in the documented columns ``indicator, region, period, value,
        unit, source, quote`` (``value`` missing when the statistic lacks the
        minimum valid days), plus ``computed_value`` (equal to
        ``value``: missing where the statistic is not valid), ``valid``,
        ``valid_days``, ``days``, ``limit``,
        ``within_limit``, ``attained`` (the pollutant, or for
        ``air_pollutants_attained`` all six) and ``standard``. Indicators:
        ``<p>_annual_mean``, ``so2_24h_p98``, ``no2_24h_p98``, ``pm10_24h_p95``,
        ``pm25_24h_p95``, ``co_24h_p95``, ``o3_8h_p90``, ``aqi_good_day_ratio``,
        ``aqi_good_days``, ``aqi_valid_days``, ``aqi_heavy_pollution_days``,
        ``air_composite_index``, ``air_composite_index_weighted``,
        ``air_pollutants_attained``.

    References
    ----------
    .. [1] HJ 663—2013 环境空气质量评价技术规范（试行）; HJ 663—2026.
    .. [2] GB 3095—2012 and GB 3095—2026, tables 1 and 4.
    """
    if is_dask(daily_frame):
        from envtargets.air._dask import assess_dask

        return assess_dask(daily_frame, period, standard, grade=grade, source=source)
    level = "region" if "region" in daily_frame.columns else "station"
    label = label_of(daily_frame, "daily data")
    require_columns(daily_frame, [level, "date"], label)
    source = source or str(daily_frame.attrs.get("source", label))
    days = pd.to_datetime(daily_frame["date"]).to_numpy().astype("datetime64[D]")
    codes, regions = pd.factorize(daily_frame[level].astype("string"), sort=True)
    periods = as_periods(period)
    jobs = [(p, codes) for p in periods] if periods else _covered_periods(days, codes)
    good = _good_days(daily_frame, standard)
    parts = [
        _assess_period(
            daily_frame, days, chosen, np.asarray(regions), good, p, standard, grade, source
        )
        for p, chosen in jobs  # a handful of periods, each vectorised over its regions
    ]
    frames = [part for part in parts if len(part)]
    if not frames:
        return _empty()
    return pd.concat(frames, ignore_index=True)


def _covered_periods(days: np.ndarray, codes: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Return the months each region's data cover in each calendar year, as periods.

    Returns (period, region codes) pairs: the codes of the regions outside the
    period's group are -1, so :func:`_assess_period` leaves them out. Regions
    whose data cover the same months share one pair.
    """
    keep = codes >= 0
    spans = covered_spans(days[keep], codes[keep])
    members = spans.groupby("period", sort=True)["group"]
    return [
        (str(text), np.where(np.isin(codes, group.to_numpy(dtype=np.int64)), codes, -1))
        for text, group in members
    ]


def _good_days(frame: pd.DataFrame, standard: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Daily AQI and the 优良 flag (NaN / False where the AQI is NA)."""
    if "aqi" in frame.columns:
        value = frame["aqi"].to_numpy(dtype="float64", na_value=np.nan)
    else:
        # Only valid daily values enter the AQI, as in daily().
        columns = {c: _valid_values(frame, c) for c in (*ASSESSED, "o3_1h") if c in frame}
        valid = pd.DataFrame(columns, index=frame.index).assign(date=frame["date"])
        version = None if standard is None else resolve_standard(standard).aqi
        value = aqi(valid, version)["aqi"].to_numpy(dtype="float64", na_value=np.nan)
    return value, value <= 100


def _valid_values(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    flag = f"{column}_valid"
    if flag in frame.columns:
        values = np.where(frame[flag].to_numpy(dtype=bool, na_value=False), values, np.nan)
    return values


def _assess_period(frame, days, codes, regions, good, text, standard, grade, source):
    """All statistics of one period for every region at once."""
    start, end = period_bounds(text)
    rows = np.flatnonzero((days >= start) & (days < end) & (codes >= 0))
    if not len(rows):
        return _empty()
    chosen = resolve_standard(standard, end - np.timedelta64(1, "D"))
    present, group = np.unique(codes[rows], return_inverse=True)
    n = len(present)
    month = _month_index(days[rows], text)
    context = _Context(text, start, end, n, group, month, chosen, grade, source)
    records: dict[str, dict[str, np.ndarray]] = {}
    daily_values = {c: _valid_values(frame, c)[rows] for c in ASSESSED}
    for stat in STATISTICS:
        records[stat.indicator] = _concentration(stat, daily_values[stat.column], context)
    attained = _attainment(records)
    for stat in STATISTICS:
        records[stat.indicator]["attained"] = attained[ASSESSED[stat.column]]
    records |= _aqi_records(good[0][rows], context)
    records |= _index_records(records, context)
    records["air_pollutants_attained"] = _overall(attained, context)
    return _observations(records, regions[present], context)


@dataclass(frozen=True)
class _Context:
    period: str
    start: np.datetime64
    end: np.datetime64
    n: int
    group: np.ndarray
    month: np.ndarray
    standard: Standard
    grade: int
    source: str

    @property
    def days(self) -> int:
        return int((self.end - self.start) / np.timedelta64(1, "D"))


def _month_index(days: np.ndarray, text: str) -> np.ndarray:
    months = days.astype("datetime64[M]").astype(np.int64)
    first = np.datetime64(parse_period(text).start, "M").astype(np.int64)
    return months - first


def _valid_period(valid: np.ndarray, ctx: _Context) -> tuple[np.ndarray, np.ndarray]:
    """Count valid days per group and test the minimum-data rules of the period."""
    parsed = parse_period(ctx.period)
    n_months = parsed.months
    per_month = np.bincount(
        ctx.group[valid] * n_months + ctx.month[valid], minlength=ctx.n * n_months
    ).reshape(ctx.n, n_months)
    calendar = (np.arange(n_months) + parsed.start_month - 1) % 12 + 1
    needed = np.where(calendar == 2, minimum("days_per_february"), minimum("days_per_month"))
    ok = (per_month >= needed).all(axis=1)
    total = per_month.sum(axis=1)
    if parsed.full_year:
        ok &= total >= minimum("days_per_year")
    elif not _unconfirmed.PARTIAL_PERIODS_NEED_EVERY_MONTH:
        ok = total > 0  # a month or run of months: no monthly minimum
    return total, ok


def _concentration(stat: Statistic, values: np.ndarray, ctx: _Context) -> dict[str, np.ndarray]:
    valid = ~np.isnan(values)
    count, ok = _valid_period(valid, ctx)
    if stat.percentile is None:
        sums = np.bincount(ctx.group[valid], weights=values[valid], minlength=ctx.n)
        computed = np.divide(sums, count, out=np.full(ctx.n, np.nan), where=count > 0)
    else:
        computed = percentiles(ctx.group, values, ctx.n, stat.percentile)
    # Compared with the limit as the exact decimal, as GB 3095 compares it.
    computed = exact_decimal(computed)
    pollutant = ASSESSED[stat.column]
    bound = limit(ctx.standard.limits, pollutant, stat.averaging, ctx.grade)
    value = np.where(ok, computed, np.nan)
    return {
        "computed_value": computed,
        "valid": ok,
        "valid_days": count,
        "limit": np.full(ctx.n, bound),
        "within_limit": _tristate(value <= bound, np.isnan(value)),
    }


def _tristate(flag: np.ndarray, unknown: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.asarray(flag, dtype=bool), np.asarray(unknown, dtype=bool))


def _attainment(records: dict[str, dict]) -> dict[str, pd.arrays.BooleanArray]:
    """Combine the statistics: a pollutant attains when each is within its limit."""
    result = {}
    for pollutant in ("so2", "no2", "co", "o3", "pm10", "pm25"):
        flags = [
            records[s.indicator]["within_limit"]
            for s in STATISTICS
            if ASSESSED[s.column] == pollutant
        ]
        combined = flags[0]
        for flag in flags[1:]:
            combined = combined & flag  # Kleene logic: False wins over NA
        result[pollutant] = combined
    return result


def _overall(attained: dict[str, pd.arrays.BooleanArray], ctx: _Context) -> dict[str, np.ndarray]:
    flags = list(attained.values())
    count = sum(np.asarray(f.fillna(False), dtype=np.int64) for f in flags)
    every = flags[0]
    for flag in flags[1:]:
        every = every & flag
    # The count is a number only when every pollutant's attainment is known;
    # ``attained`` may still be False (one pollutant fails) when it is not.
    known = np.logical_and.reduce([~np.asarray(f.isna()) for f in flags])
    if not _unconfirmed.CITY_ATTAINS_WHEN_ALL_SIX_ATTAIN:
        # The pollutants with a known attainment decide; unknown ones are left out.
        assessed = np.logical_or.reduce([~np.asarray(f.isna()) for f in flags])
        every = _tristate(np.asarray(every.fillna(True), dtype=bool), ~assessed)
    return {
        "computed_value": count.astype("float64"),
        "valid": known,
        "attained": every,
    }


def _aqi_records(aqi_values: np.ndarray, ctx: _Context) -> dict[str, dict[str, np.ndarray]]:
    """优良 ratio and day counts; the same minimum-data rules as the concentrations.

    ``aqi_valid_days`` is the count the others rest on, valid whatever it is.
    """
    valid = ~np.isnan(aqi_values)
    counted, ok = _valid_period(valid, ctx)
    good = np.bincount(ctx.group[valid & (aqi_values <= 100)], minlength=ctx.n)
    heavy = np.bincount(ctx.group[valid & (aqi_values > 200)], minlength=ctx.n)
    ratio = np.divide(100.0 * good, counted, out=np.full(ctx.n, np.nan), where=counted > 0)
    counts = {"valid_days": counted, "good": good, "heavy": heavy}
    always = np.full(ctx.n, True)
    return {
        "aqi_good_day_ratio": {**counts, "valid": ok, "computed_value": ratio},
        "aqi_good_days": {**counts, "valid": ok, "computed_value": good * 1.0},
        "aqi_valid_days": {**counts, "valid": always, "computed_value": counted * 1.0},
        "aqi_heavy_pollution_days": {**counts, "valid": ok, "computed_value": heavy * 1.0},
    }


def _index_records(records: dict[str, dict], ctx: _Context) -> dict[str, dict[str, np.ndarray]]:
    """Comprehensive index: Σ statistic / grade-2 limit, plain and weighted."""
    plain = np.zeros(ctx.n)
    weighted = np.zeros(ctx.n)
    for column, stat in _INDEX_TERMS.items():
        bound = limit(ctx.standard.limits, ASSESSED[column], stat.averaging, 2)
        record = records[stat.indicator]
        term = np.where(record["valid"], record["computed_value"], np.nan) / bound
        plain = plain + term
        weighted = weighted + _unconfirmed.COMPOSITE_INDEX_WEIGHTS.get(column, 1.0) * term
    ok = ~np.isnan(plain)
    return {
        "air_composite_index": {"computed_value": plain, "valid": ok},
        "air_composite_index_weighted": {"computed_value": weighted, "valid": ok},
    }


def _empty() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in _DTYPES.items()})


# Column types of the result, the same for every period and partition.
_DTYPES = {
    **{column: "string" for column in OBSERVATION_COLUMNS},
    "value": "float64",
    "computed_value": "float64",
    "valid": "bool",
    "valid_days": "Int64",
    "days": "int64",
    "limit": "float64",
    "within_limit": "boolean",
    "attained": "boolean",
    "standard": "string",
}


def _observations(records: dict[str, dict], regions: np.ndarray, ctx: _Context) -> pd.DataFrame:
    from envtargets.air._quotes import quote, unit_of

    n = len(regions)
    parts = []
    for indicator, record in records.items():
        # One rule for every row: a statistic that is not valid has no number.
        valid = np.asarray(record["valid"], dtype=bool)
        record["computed_value"] = np.where(valid, record["computed_value"], np.nan)
        record["value"] = record["computed_value"]
        part = pd.DataFrame(
            {
                "indicator": indicator,
                "region": regions,
                "period": ctx.period,
                "value": record["value"],
                "unit": unit_of(indicator),
                "source": f"{ctx.source}; envtargets.air.assess, {ctx.standard.label}",
                "quote": quote(indicator, record, ctx),
                "computed_value": record["computed_value"],
                "valid": record["valid"],
                "valid_days": record.get("valid_days", np.full(n, -1)),
                "days": ctx.days,
                "limit": record.get("limit", np.full(n, np.nan)),
                "within_limit": record.get("within_limit", _tristate(np.zeros(n), np.ones(n))),
                "attained": record.get("attained", _tristate(np.zeros(n), np.ones(n))),
                "standard": ctx.standard.label,
            }
        )
        part["order"] = np.arange(n)
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    table = table.sort_values("order", kind="stable").drop(columns="order")
    table["valid_days"] = table["valid_days"].astype("Int64").mask(table["valid_days"] < 0)
    return table.reset_index(drop=True).astype(_DTYPES)
