"""Daily statistics from hourly station data: daily means, O3 8-hour maxima, validity, AQI.

All of it is arithmetic on the pollutant × station × hour grid of
:mod:`envtargets.air._grid`: a day is a block of 24 columns, an 8-hour window
is a sum of eight shifted column slices, and a validity count is a sum of a
boolean block. See docs/standards.md for the rules and the window convention.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from envtargets import _unconfirmed
from envtargets._monitoring import exact_decimal, is_dask
from envtargets.air._grid import POLLUTANT_IDS, HourlyGrid, hourly_grid
from envtargets.air.index import describe, mixed_aqi
from envtargets.air.standards import (
    POLLUTANTS,
    aqi_versions,
    limit,
    minimum,
    resolve_standard,
)
from envtargets.errors import StandardError

#: Daily 24-hour means, in output order (O3 has its own columns).
MEAN_POLLUTANTS = ("so2", "no2", "co", "pm10", "pm25")

#: Unit of each concentration column of the daily table.
DAILY_UNITS = {
    **{key: POLLUTANTS[key][1] for key in MEAN_POLLUTANTS},
    "o3_8h": POLLUTANTS["o3"][1],
    "o3_1h": POLLUTANTS["o3"][1],
}


def daily(
    hourly: pd.DataFrame,
    standard: str | None = None,
    *,
    stations: pd.DataFrame | None = None,
    time_label: str | None = None,
    o3_window: str | None = None,
    units: Mapping[str, str] | None = None,
    clean: bool = False,
) -> pd.DataFrame:
    """Daily air-quality statistics of each station (or city) from hourly data.

    For each station and day: the 24-hour means of SO2, NO2, CO, PM10 and
    PM2.5, the O3 daily maximum 8-hour mean and maximum 1-hour value, how many
    valid hours (windows) each rests on and whether it is valid by the GB 3095
    minimum-data rules, the daily IAQIs and AQI, the AQI category, the primary
    pollutant(s) and the 优良 flag.

    Parameters
    ----------
    hourly : pandas.DataFrame or dask.dataframe.DataFrame
        Hourly concentrations, long (``station``, ``time``, ``pollutant``,
        ``value``, optional ``unit``) or wide (``station``, ``time`` and one
        column per pollutant: ``SO2``, ``NO2``, ``CO``, ``O3``, ``PM10``,
        ``PM2.5``) [µg/m³; CO mg/m³ unless a unit says otherwise]. Missing
        values (NaN, blank) are missing hours. A Dask DataFrame must be
        partitioned by station (by city with ``stations``); the result is then
        a Dask DataFrame computed partition by partition.
    standard : {"2012", "2026", None}
        HJ 633 version of the daily AQI; None: the version in force on each
        day (2026 rules from 2026-03-01). The row's version is in ``standard``.
    stations : pandas.DataFrame, optional
        Columns ``station`` and ``city`` (or ``region``): compute city values
        from the hourly mean over each city's stations (HJ 663), with the city
        in a ``region`` column. Stations not listed are left out (reported).
    time_label : {"start", "end"}, optional
        Whether a time stamp names the start (default) or the end of its hour.
    o3_window : {"day", "trailing"}, optional
        The 8-hour windows of a day: ``day`` (default) the 17 windows within the
        natural day; ``trailing`` the 24 windows ending in each hour of the day.
    units : mapping, optional
        Units of the pollutant columns of wide input.
    clean : bool
        True: negative values become missing and duplicated station-hours keep
        their first row (both reported); False (default): both are errors.

    Returns
    -------
    pandas.DataFrame
        One row per station (or ``region``) and ``date`` with any data:
        ``standard``; ``so2``, ``no2``, ``co``, ``pm10``, ``pm25`` (24-h means)
        with ``<p>_hours`` and ``<p>_valid``; ``o3_8h`` with ``o3_8h_windows``
        and ``o3_8h_valid``; ``o3_1h`` with ``o3_hours`` and ``o3_1h_valid``;
        ``iaqi_<p>``, ``aqi``, ``aqi_level``, ``aqi_category``,
        ``aqi_category_en``, ``primary_pollutant`` and ``good``. Means use all
        available hours; only valid ones enter the AQI and :func:`assess`.
        ``attrs`` holds ``units``, ``notes`` and ``source``.

    Raises
    ------
    ValidationError
        For unknown pollutants, non-numeric or negative values, bad or
        off-the-hour times, non-concentration units and duplicated
        station-hours, naming the rows.

    References
    ----------
    .. [1] GB 3095—2012 and GB 3095—2026, table 4 (minimum data).
    .. [2] HJ 663—2013 环境空气质量评价技术规范（试行）, 4 (O3 daily maximum 8-hour mean).
    .. [3] HJ 633—2012 and HJ 633—2026 (daily AQI).
    """
    if is_dask(hourly):
        from envtargets.air._dask import daily_dask

        options = dict(time_label=time_label, o3_window=o3_window, units=units, clean=clean)
        return daily_dask(hourly, standard, stations, options)
    grid = hourly_grid(hourly, time_label=time_label, units=units, clean=clean)
    level = "station"
    if stations is not None:
        from envtargets.air.city import city_grid

        grid, level = city_grid(grid, stations), "region"
    return _daily_from_grid(grid, standard, o3_window=o3_window, level=level)


def _daily_from_grid(
    grid: HourlyGrid, standard: str | None, *, o3_window: str | None, level: str
) -> pd.DataFrame:
    """Daily statistics of a checked grid, one row per unit (``level``) and day with data.

    See :func:`daily` for the columns; ``level`` names the unit column
    (``station``, or ``region`` for city grids).
    """
    window = _unconfirmed.O3_WINDOW if o3_window is None else o3_window
    if window not in ("day", "trailing"):
        raise StandardError(f"o3_window must be 'day' or 'trailing', not {window!r}")
    n_units, n_days = grid.concentration.shape[1], grid.n_days
    days = grid.first_day + np.arange(n_days)
    columns: dict[str, np.ndarray] = {}
    seen = np.zeros((n_units, n_days), dtype=bool)
    for key in MEAN_POLLUTANTS:
        line = grid.concentration[POLLUTANT_IDS.index(key)].reshape(n_units, n_days, 24)
        mean, hours = _daily_mean(line)
        seen |= hours > 0
        columns |= {
            key: mean,
            f"{key}_hours": hours,
            f"{key}_valid": hours >= _min("hours_per_day"),
        }
    o3 = grid.concentration[POLLUTANT_IDS.index("o3")]
    columns |= _o3_columns(o3, n_units, n_days, window, _o3_limit(standard, days))
    seen |= columns["o3_hours"] > 0
    keep = np.flatnonzero(seen.ravel())
    unit_index, day_index = np.divmod(keep, n_days)
    table = {name: values.ravel()[keep] for name, values in columns.items()}
    versions = _day_versions(standard, days)[day_index]
    value, iaqis, substituted = mixed_aqi(_valid_concentrations(table), versions, daily=True)
    frame = pd.DataFrame(
        {
            level: pd.Categorical.from_codes(unit_index, categories=pd.Index(grid.units)),
            "date": pd.to_datetime(days[day_index]),
            "standard": pd.Categorical(versions),
            **table,
        }
    )
    frame = pd.concat([frame, describe(value, iaqis, frame.index, substituted)], axis=1)
    frame.attrs = {
        "units": dict(DAILY_UNITS),
        "notes": _notes(standard, days, window),
        "source": grid.label,
    }
    return frame


def _min(rule: str) -> int:
    return minimum(rule)


def _daily_mean(line: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the valid hours of each day (NaN when none, exact decimal) and their number."""
    valid = ~np.isnan(line)
    hours = valid.sum(axis=2, dtype=np.int64)
    total = np.where(valid, line, 0.0).sum(axis=2)
    mean = np.divide(total, hours, out=np.full(total.shape, np.nan), where=hours > 0)
    return exact_decimal(mean), hours


def _o3_columns(
    o3: np.ndarray, n_units: int, n_days: int, window: str, exceedance: float
) -> dict[str, np.ndarray]:
    """O3 daily maximum 8-hour mean and 1-hour maximum, with their validity."""
    means, counts = eight_hour_means(o3, n_days, window)
    valid_windows = counts >= _min("hours_per_8h_window")
    windows = valid_windows.sum(axis=2, dtype=np.int64)
    max8 = np.fmax.reduce(np.where(valid_windows, means, np.nan), axis=2)
    valid8 = windows >= _min("windows_per_day")
    if _unconfirmed.O3_EXCEEDANCE_COUNTS_WHEN_INCOMPLETE:
        valid8 |= max8 > exceedance
    hourly = o3.reshape(n_units, n_days, 24)
    hours = (~np.isnan(hourly)).sum(axis=2, dtype=np.int64)
    max1 = np.fmax.reduce(hourly, axis=2)
    return {
        "o3_8h": max8,
        "o3_8h_windows": windows,
        "o3_8h_valid": valid8,
        "o3_1h": max1,
        "o3_hours": hours,
        "o3_1h_valid": hours >= _unconfirmed.O3_1H_MIN_HOURS,
    }


def eight_hour_means(o3: np.ndarray, n_days: int, window: str) -> tuple[np.ndarray, np.ndarray]:
    """8-hour window sums divided by their valid hours, per station, day and window.

    Parameters
    ----------
    o3 : numpy.ndarray, shape (units, days * 24) [µg/m³]
        Hourly O3, NaN where missing.
    n_days : int
        Number of days.
    window : {"day", "trailing"}
        ``day``: 17 windows per day starting at hours 0–16 (all within the
        day). ``trailing``: 24 windows ending at hours 0–23, the first seven
        reaching into the previous day (missing before the first day).

    Returns
    -------
    means : numpy.ndarray, shape (units, days, windows) [µg/m³]
        Mean of the valid hours of each window (NaN when none), as the exact
        decimal it stands for (:func:`envtargets._monitoring.exact_decimal`).
    counts : numpy.ndarray of int
        Valid hours in each window.
    """
    n_units, n_hours = o3.shape
    valid = ~np.isnan(o3)
    filled = np.where(valid, o3, 0.0)
    if window == "trailing":
        # Seven missing hours in front: the window ending at hour i starts at i - 7.
        filled = np.concatenate([np.zeros((n_units, 7)), filled], axis=1)
        valid = np.concatenate([np.zeros((n_units, 7), dtype=bool), valid], axis=1)
    else:
        # Seven missing hours behind, so the array reshapes into whole days;
        # windows starting after hour 16 are then dropped.
        filled = np.concatenate([filled, np.zeros((n_units, 7))], axis=1)
        valid = np.concatenate([valid, np.zeros((n_units, 7), dtype=bool)], axis=1)
    # Eight shifted slices, added in the same order for every window, so equal
    # hours give equal sums (a running cumulative sum would not).
    sums = filled[:, 0:n_hours].copy()
    counts = valid[:, 0:n_hours].astype(np.int8)
    for shift in range(1, 8):
        sums += filled[:, shift : shift + n_hours]
        counts += valid[:, shift : shift + n_hours]
    sums = sums.reshape(n_units, n_days, 24)
    counts = counts.reshape(n_units, n_days, 24)
    if window == "day":
        sums, counts = sums[:, :, :17], counts[:, :, :17]
    means = np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=counts > 0)
    return exact_decimal(means), counts


def _valid_concentrations(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Return the valid daily values that enter the AQI (invalid ones are missing)."""
    out = {
        f"{key}_24h": np.where(table[f"{key}_valid"], table[key], np.nan) for key in MEAN_POLLUTANTS
    }
    out["o3_8h"] = np.where(table["o3_8h_valid"], table["o3_8h"], np.nan)
    out["o3_1h"] = np.where(table["o3_1h_valid"], table["o3_1h"], np.nan)
    return out


def _day_versions(standard: str | None, days: np.ndarray) -> np.ndarray:
    """HJ 633 version of each day: as requested, or the one in force on that day."""
    if standard is not None:
        return np.full(len(days), resolve_standard(standard).aqi, dtype=object)
    return aqi_versions(days)


def _o3_limit(standard: str | None, days: np.ndarray) -> float:
    last = days[-1] if len(days) else None
    return limit(resolve_standard(standard, last).limits, "o3", "8h", 2)


def _notes(standard: str | None, days: np.ndarray, window: str) -> list[str]:
    if standard is not None:
        chosen = resolve_standard(standard, days[-1] if len(days) else None)
        first = f"Daily AQI under HJ 633—{chosen.aqi} (as requested)."
    else:
        first = (
            "Daily AQI under the HJ 633 version in force on each day: 2012 before "
            "2026-03-01, 2026 from then (column 'standard')."
        )
    windows = (
        "the 17 windows within the natural day (starting at 00:00–16:00)"
        if window == "day"
        else "the 24 windows ending in each hour of the day (reaching into the previous day)"
    )
    return [
        first,
        f"O3 daily maximum 8-hour mean over {windows}; a window needs ≥ "
        f"{_min('hours_per_8h_window')} valid hours, a day ≥ {_min('windows_per_day')} valid "
        "windows or a maximum above the 8-hour limit (unconfirmed rule).",
        f"Daily means need ≥ {_min('hours_per_day')} valid hours (GB 3095 table 4).",
    ]
