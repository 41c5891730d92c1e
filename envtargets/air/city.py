"""City values from station values: the mean over a city's assessed stations.

HJ 663 computes a city's concentration as the arithmetic mean over its
assessed stations, hour by hour (then daily statistics from the city hours) or
day by day. The station list is the user's: which stations a city assesses is
an administrative decision that no data file tells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from envtargets import _unconfirmed
from envtargets._monitoring import (
    exact_decimal,
    label_of,
    note,
    raise_if,
    require_columns,
    row_problems,
)
from envtargets.air._grid import HourlyGrid
from envtargets.air.daily import DAILY_UNITS, MEAN_POLLUTANTS
from envtargets.air.index import describe, mixed_aqi
from envtargets.air.standards import aqi_versions, resolve_standard
from envtargets.tables.problems import problem


def station_cities(stations: pd.DataFrame) -> pd.Series:
    """Return the city of each station, indexed by station id (text).

    Parameters
    ----------
    stations : pandas.DataFrame
        Columns ``station`` and ``city`` (or ``region``).

    Returns
    -------
    pandas.Series
        City names indexed by station id.

    Raises
    ------
    ValidationError
        When a column is missing, a cell is empty, or a station is listed for
        two cities.
    """
    label = label_of(stations, "station list")
    city_column = "city" if "city" in stations.columns else "region"
    require_columns(stations, ["station", city_column], label)
    station = stations["station"].astype("string").str.strip()
    city = stations[city_column].astype("string").str.strip()
    problems = []
    for name, column in (("station", station), (city_column, city)):
        empty = np.flatnonzero(column.isna().to_numpy() | (column == "").fillna(False).to_numpy())
        problems += row_problems(stations, empty, name, f"the {name} is empty", label)
    pairs = pd.DataFrame({"station": station, "city": city}).dropna().drop_duplicates()
    clash = pairs[pairs["station"].duplicated(keep=False)]
    for name, group in clash.groupby("station", sort=True):
        problems.append(
            problem(
                label,
                None,
                "station",
                name,
                f"station {name!r} is listed for several cities: {', '.join(group['city'])}",
            )
        )
    raise_if(problems)
    return pd.Series(pairs["city"].to_numpy(), index=pairs["station"].to_numpy(), name="city")


def city_grid(grid: HourlyGrid, stations: pd.DataFrame) -> HourlyGrid:
    """Hourly city means over each city's stations with a valid value in that hour.

    Parameters
    ----------
    grid : HourlyGrid
        Station grid.
    stations : pandas.DataFrame
        Station → city list (see :func:`station_cities`).

    Returns
    -------
    HourlyGrid
        One line per city, in order of first appearance in the station list.
    """
    cities = station_cities(stations)
    city_of = cities.reindex(pd.Index(grid.units, dtype="string")).to_numpy(dtype=object)
    unlisted = [str(s) for s, c in zip(grid.units, city_of, strict=True) if pd.isna(c)]
    if unlisted:
        note(
            f"{grid.label}: {len(unlisted)} station(s) not in the station list left out of the "
            f"city means ({', '.join(unlisted[:10])}{' …' if len(unlisted) > 10 else ''})"
        )
    codes, names = pd.factorize(pd.Series(city_of, dtype="string"), use_na_sentinel=True)
    members = np.flatnonzero(codes >= 0)
    members = members[np.argsort(codes[members], kind="stable")]
    starts = np.searchsorted(codes[members], np.arange(len(names)))
    n_hours = grid.concentration.shape[2]
    values = np.full((grid.concentration.shape[0], len(names), n_hours), np.nan)
    if len(members):
        # One pass per pollutant (six), never per station or city.
        for pollutant in range(grid.concentration.shape[0]):
            block = grid.concentration[pollutant, members]
            valid = ~np.isnan(block)
            total = np.add.reduceat(np.where(valid, block, 0.0), starts, axis=0)
            count = np.add.reduceat(valid.astype(np.int32), starts, axis=0)
            enough = count >= _unconfirmed.CITY_MIN_STATIONS
            np.divide(total, count, out=values[pollutant], where=enough & (count > 0))
            values[pollutant] = exact_decimal(values[pollutant])
    return HourlyGrid(
        values, np.asarray(names, dtype=object), grid.first_day, grid.present, grid.label
    )


def city_daily(
    daily_frame: pd.DataFrame, stations: pd.DataFrame, standard: str | None = None
) -> pd.DataFrame:
    """Daily city values as the mean of the city's valid station daily values.

    The day-level route of HJ 663 (:func:`envtargets.air.daily` with
    ``stations`` takes the hour-level one). A city's daily value is valid when
    at least one of its stations has a valid value (*unconfirmed*); the AQI is
    recomputed from the city values.

    Parameters
    ----------
    daily_frame : pandas.DataFrame
        Station daily table as :func:`envtargets.air.daily` returns it
        (``station``, ``date``, concentrations and ``<p>_valid`` flags; without
        flags every value counts as valid).
    stations : pandas.DataFrame
        Station → city list (``station``, ``city``).
    standard : {"2012", "2026", None}
        HJ 633 version of the AQI; None: in force on each date.

    Returns
    -------
    pandas.DataFrame
        One row per ``region`` (city) and ``date`` with the concentration
        columns, ``<p>_stations`` (stations averaged), ``<p>_valid`` and the AQI
        columns.
    """
    cities = station_cities(stations)
    station_ids = daily_frame["station"].astype("string").str.strip()
    city = station_ids.map(cities)
    if city.isna().any():
        left = sorted(set(station_ids[city.isna()].dropna()))
        note(f"{len(left)} station(s) not in the station list left out: {', '.join(left[:10])}")
    keep = city.notna().to_numpy()
    frame = daily_frame.loc[keep]
    keys = [
        city[keep].rename("region").reset_index(drop=True),
        frame["date"].reset_index(drop=True),
    ]
    columns = {}
    for key in (*MEAN_POLLUTANTS, "o3_8h", "o3_1h"):
        if key not in frame.columns:
            continue
        valid = frame[f"{key}_valid"] if f"{key}_valid" in frame.columns else frame[key].notna()
        values = frame[key].where(valid.to_numpy(dtype=bool)).reset_index(drop=True)
        columns[key] = values
    grouped = pd.DataFrame(columns).groupby(keys, sort=True, observed=True)
    means, counts = grouped.mean().apply(exact_decimal), grouped.count()
    result = means.reset_index()
    for key in columns:
        result[f"{key}_stations"] = counts[key].to_numpy()
        result[f"{key}_valid"] = counts[key].to_numpy() >= _unconfirmed.CITY_MIN_STATIONS
    days = result["date"].to_numpy().astype("datetime64[D]")
    if standard is None:
        versions = aqi_versions(days)
    else:
        versions = np.full(len(result), resolve_standard(standard).aqi, dtype=object)
    concentrations = {
        (f"{k}_24h" if k in MEAN_POLLUTANTS else k): result[k].to_numpy(dtype="float64")
        for k in columns
    }
    value, iaqis, substituted = mixed_aqi(concentrations, versions, daily=True)
    result["standard"] = pd.Categorical(versions)
    result = pd.concat([result, describe(value, iaqis, result.index, substituted)], axis=1)
    result.attrs = {
        "units": dict(DAILY_UNITS),
        "source": daily_frame.attrs.get("source", ""),
        "notes": ["City daily values: mean of the valid station daily values."],
    }
    return result
