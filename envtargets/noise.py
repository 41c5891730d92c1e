"""Compliance of acoustic-environment functional zones (GB 3096—2008, HJ 640).

Each point of the functional-zone network is measured by day (06:00–22:00)
and by night (22:00–06:00); a measurement complies when its equivalent level
LAeq is at or below its zone class's limit. The compliance rate is the share
of compliant day (night) point-measurements. The limits are the data file
``noise_limits.csv`` of this package.
"""

from __future__ import annotations

import importlib.resources
from functools import cache

import numpy as np
import pandas as pd

from envtargets import _unconfirmed
from envtargets._monitoring import (
    as_periods,
    covered_spans,
    exact_decimal,
    label_of,
    numbers,
    period_bounds,
    raise_if,
    require_columns,
    row_problems,
    share_observations,
    times,
)

_SESSIONS = {
    "day": "day",
    "昼": "day",
    "昼间": "day",
    "d": "day",
    "daytime": "day",
    "night": "night",
    "夜": "night",
    "夜间": "night",
    "n": "night",
    "nighttime": "night",
}

#: First and last-plus-one hour of the day session (GB 3096—2008, 3.6).
DAY_HOURS = (6, 22)


@cache
def limit_table() -> pd.DataFrame:
    """Return the GB 3096—2008 limits by functional-zone class.

    Returns
    -------
    pandas.DataFrame
        ``zone_class`` (0, 1, 2, 3, 4a, 4b), ``area_zh``, ``area_en``,
        ``day`` and ``night`` [dB(A)], ``unit``.

    References
    ----------
    .. [1] GB 3096—2008 声环境质量标准, table 1.
    """
    path = importlib.resources.files("envtargets") / "noise_limits.csv"
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"zone_class": str})


def _zone_class(value: object) -> str:
    text = str(value).strip().lower().replace("类", "").replace("class", "").strip()
    return text


def energy_mean(levels: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Energy-average sound levels per group: 10·lg(mean(10^(L/10))).

    Parameters
    ----------
    levels : numpy.ndarray [dB(A)]
        Sound levels.
    groups : numpy.ndarray of int
        Group of each level.
    n_groups : int
        Number of groups.

    Returns
    -------
    numpy.ndarray [dB(A)]
        One level per group, NaN for empty groups; taken to 10 significant
        digits (:func:`~envtargets._monitoring.exact_decimal`), so equal levels
        average to the level itself and a measurement at the limit complies.
    """
    energy = np.bincount(groups, weights=10.0 ** (levels / 10.0), minlength=n_groups)
    count = np.bincount(groups, minlength=n_groups)
    with np.errstate(divide="ignore"):
        mean = 10.0 * np.log10(np.divide(energy, count, out=np.zeros(n_groups), where=count > 0))
    # Powers and logarithms leave a few ulps: 31 hours of 30.1 dB give 30.10000000000001.
    return np.where(count > 0, exact_decimal(mean), np.nan)


def measurements_table(measurements: pd.DataFrame, zones: pd.DataFrame) -> pd.DataFrame:
    """One row per point, session and day: the measured LAeq, its limit and compliance.

    Parameters
    ----------
    measurements, zones : pandas.DataFrame
        As for :func:`compliance`.

    Returns
    -------
    pandas.DataFrame
        ``point``, ``region``, ``zone_class``, ``date``, ``session`` (day or
        night), ``laeq`` [dB(A)], ``limit`` [dB(A)], ``hours`` (values averaged)
        and ``compliant``.
    """
    label = label_of(measurements, "noise measurements")
    value_column = "laeq" if "laeq" in measurements.columns else "value"
    timed = "session" not in measurements.columns
    require_columns(measurements, ["point", "time" if timed else "date", value_column], label)
    problems: list[dict] = []
    levels = numbers(measurements, value_column, label, problems)
    stamps = times(measurements, "time" if timed else "date", label, problems)
    point = measurements["point"].astype("string").str.strip()
    if timed:
        # Night hours after midnight belong to the night that began the day before.
        session = np.where(_is_day(stamps), "day", "night")
        dates = (stamps - np.timedelta64(DAY_HOURS[0], "h")).astype("datetime64[D]")
    else:
        session = measurements["session"].astype("string").str.strip().str.lower().map(_SESSIONS)
        bad = np.flatnonzero(session.isna().to_numpy())
        problems += row_problems(
            measurements, bad, "session", "{value!r} is not day (昼间) or night (夜间)", label
        )
        session = session.to_numpy(dtype=object)
        dates = stamps.astype("datetime64[D]")
    classes, regions = _zones(zones, point, measurements, label, problems)
    raise_if(problems)
    frame = pd.DataFrame({"point": point, "date": dates, "session": session})
    grouped = frame.groupby(["point", "date", "session"], sort=True)
    codes = grouped.ngroup().to_numpy()
    table = grouped.size().rename("hours").reset_index()
    table.insert(3, "laeq", energy_mean(levels, codes, len(table)))
    table["zone_class"] = table["point"].map(classes)
    table["region"] = table["point"].map(regions)
    limits = limit_table().set_index("zone_class")
    table["limit"] = np.where(
        table["session"] == "day",
        table["zone_class"].map(limits["day"]),
        table["zone_class"].map(limits["night"]),
    )
    if _unconfirmed.NOISE_COMPLIANT_AT_LIMIT:
        table["compliant"] = table["laeq"] <= table["limit"]
    else:
        table["compliant"] = table["laeq"] < table["limit"]
    order = ["point", "region", "zone_class", "date", "session", "laeq", "limit", "hours"]
    return table[[*order, "compliant"]]


def _is_day(stamps: np.ndarray) -> np.ndarray:
    hour = (stamps.astype("datetime64[h]") - stamps.astype("datetime64[D]")).astype(int)
    return (hour >= DAY_HOURS[0]) & (hour < DAY_HOURS[1])


def _zones(zones, point, measurements, label, problems):
    zone_label = label_of(zones, "zones")
    require_columns(zones, ["point", "zone_class"], zone_label)
    ids = zones["point"].astype("string").str.strip()
    classes = zones["zone_class"].map(_zone_class)
    known = set(limit_table()["zone_class"])
    bad = np.flatnonzero(~classes.isin(known).to_numpy())
    problems += row_problems(
        zones,
        bad,
        "zone_class",
        f"unknown functional-zone class {{value!r}} (GB 3096 classes: {', '.join(sorted(known))})",
        zone_label,
    )
    regions = zones["region"] if "region" in zones.columns else pd.Series("all", index=zones.index)
    class_of = dict(zip(ids, classes, strict=True))
    region_of = dict(zip(ids, regions.astype("string"), strict=True))
    unknown = np.flatnonzero(~point.isin(list(class_of)).to_numpy())
    problems += row_problems(
        measurements, unknown, "point", "point {value!r} is not in the zones table", label
    )
    return class_of, region_of


def compliance(
    measurements: pd.DataFrame,
    zones: pd.DataFrame,
    period: str | list[str] | None = None,
) -> pd.DataFrame:
    """Day and night compliance rates of functional zones, overall and by zone class.

    Parameters
    ----------
    measurements : pandas.DataFrame
        ``point``, ``time`` and ``laeq`` (or ``value``) [dB(A)]: hourly (or
        other) LAeq values, split into day (06:00–22:00) and night (22:00–06:00)
        and energy-averaged per point and session; or ``point``, ``date``,
        ``session`` (day/昼间, night/夜间) and ``laeq`` for session values.
    zones : pandas.DataFrame
        ``point``, ``zone_class`` (0, 1, 2, 3, 4a, 4b; ``1类`` is read as 1)
        and optionally ``region`` (default ``all``).
    period : str or list of str, optional
        Periods (``2025``, ``2025-01/2025-09`` …); default the months the
        measurements of each region cover in each calendar year
        (:func:`~envtargets._monitoring.covered_spans`): one quarter's
        measurements in June give ``2025-06``, never ``2025``.

    Returns
    -------
    pandas.DataFrame
        Observations (``indicator, region, period, value, unit, source,
        quote``) of ``noise_day_compliance_rate`` and
        ``noise_night_compliance_rate`` [%] over all classes, and
        ``noise_zone_<class>_day_compliance_rate`` /
        ``..._night_compliance_rate`` per class; with ``zone_class``,
        ``measurements`` and ``compliant``.

    Raises
    ------
    ValidationError
        For unknown points or classes, bad levels, times or sessions.

    References
    ----------
    .. [1] GB 3096—2008 声环境质量标准, table 1.
    .. [2] HJ 640—2012 环境噪声监测技术规范 城市声环境常规监测, functional-zone monitoring.
    """
    table = measurements_table(measurements, zones)
    dates = table["date"].to_numpy().astype("datetime64[D]")
    periods = as_periods(period)
    regions = table["region"].astype("string").fillna("").to_numpy(dtype=object)
    if periods is None:
        # Each region's rates are labelled with the months its measurements cover.
        spans = covered_spans(dates, regions)
        periods = list(dict.fromkeys(spans["period"]))
    source = f"{label_of(measurements, 'noise measurements')}; envtargets.noise, GB 3096—2008"
    parts = []
    for text in periods:
        start, end = period_bounds(text)
        in_period = (dates >= start) & (dates < end)
        if period is None:
            in_period &= np.isin(regions, spans.loc[spans["period"] == text, "group"])
        chosen = table[in_period]
        for by_class in (False, True):
            keys = ["region", "session", *(["zone_class"] if by_class else [])]
            counts = chosen.groupby(keys, sort=True)["compliant"].agg(["size", "sum"]).reset_index()
            zone = counts["zone_class"] if by_class else pd.Series("all", index=counts.index)
            prefix = np.where(zone == "all", "noise_", "noise_zone_" + zone.astype(str) + "_")
            within = " point-measurements within the GB 3096 limit"
            parts.append(
                share_observations(
                    counts,
                    indicator=prefix + counts["session"] + "_compliance_rate",
                    period=text,
                    source=source,
                    counted=counts["session"]
                    + within
                    + np.where(zone == "all", "", " of class " + zone.astype(str)),
                    extra={
                        "zone_class": zone,
                        "measurements": counts["size"],
                        "compliant": counts["sum"],
                    },
                )
            )
    return pd.concat(parts, ignore_index=True)
