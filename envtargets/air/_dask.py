"""The Dask path: the same statistics, one partition at a time.

A Dask DataFrame partitioned by station (by city when a station list is given)
holds whole station histories in each partition, so :func:`daily` and
:func:`assess` apply unchanged to every partition through ``map_partitions``.
Memory is then bounded by the size of a partition times the number of workers,
whatever the length of the record. Dask is an optional extra
(``pip install envtargets[dask]``); see docs/dask.md.

A station split over two partitions would be computed twice, each time from
part of its hours — a wrong result that looks right. Both paths refuse it:
:func:`daily_dask` checks the partitions' stations before mapping (one quick
pass over the ``station`` column), and :func:`assess_dask` checks, when it is
computed, that no (indicator, region, period) comes out of two partitions
(its output is small, so the check costs no memory).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from envtargets._monitoring import as_periods, require_columns
from envtargets.errors import StandardError

_SHOWN = 5  # split stations named in an error before the rest are counted


def _require_dask() -> None:
    try:
        import dask.dataframe  # noqa: F401
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise StandardError(
            "Dask input needs the optional extra: pip install 'envtargets[dask]'"
        ) from None


def daily_dask(
    hourly: Any, standard: str | None, stations: pd.DataFrame | None, options: dict
) -> Any:
    """Apply :func:`envtargets.air.daily` to each partition of a Dask DataFrame.

    Parameters
    ----------
    hourly : dask.dataframe.DataFrame
        Hourly data, partitioned so that every station (every city, with
        ``stations``) lies within one partition.
    standard, stations, options
        As for :func:`envtargets.air.daily`.

    Returns
    -------
    dask.dataframe.DataFrame
        The daily table, lazily; ``.compute()`` runs it.

    Raises
    ------
    StandardError
        When a station (a city) has rows in more than one partition, naming
        them and the one-line repartition that fixes it. Checking reads the
        ``station`` column once, now.
    """
    _require_dask()
    from envtargets.air.daily import daily

    _check_station_partitions(hourly, stations)

    def one_partition(frame: pd.DataFrame) -> pd.DataFrame:
        result = daily(frame, standard, stations=stations, **options)
        return _plain(result)

    meta = one_partition(hourly._meta)
    return hourly.map_partitions(one_partition, meta=meta, align_dataframes=False)


def assess_dask(
    daily_frame: Any, period: Any, standard: str | None, *, grade: int, source: str | None
) -> Any:
    """Apply :func:`envtargets.air.assess` to each partition of a Dask DataFrame.

    Parameters
    ----------
    daily_frame : dask.dataframe.DataFrame
        Daily table partitioned by station (or city).
    period : str or list of str
        Required with Dask (the years in the data are not known before computing).
    standard, grade, source
        As for :func:`envtargets.air.assess`.

    Returns
    -------
    dask.dataframe.DataFrame
        Observations, lazily. Computing them raises :class:`StandardError`
        when a station (city) had days in more than one partition.
    """
    _require_dask()
    import dask
    import dask.dataframe as dd

    from envtargets.air.assess import assess

    periods = as_periods(period)
    if not periods:
        raise StandardError("with a Dask DataFrame, name the periods to assess (period=...)")

    def one_partition(frame: pd.DataFrame) -> pd.DataFrame:
        return assess(frame, periods, standard, grade=grade, source=source or "hourly data")

    meta = one_partition(daily_frame._meta)
    level = "region" if "region" in daily_frame.columns else "station"
    parts = daily_frame.map_partitions(one_partition, meta=meta, align_dataframes=False)
    parts = parts.to_delayed()
    # Every output partition waits for one check over all of them: they are
    # observations (a few dozen rows per station), so holding them is cheap.
    check = dask.delayed(_check_unique_keys)(parts, level)
    checked = [dask.delayed(_after)(part, check) for part in parts]
    return dd.from_delayed(checked, meta=meta, verify_meta=False)


def _check_station_partitions(hourly: Any, stations: pd.DataFrame | None) -> None:
    """Raise when a station (a city, with ``stations``) has rows in several partitions."""
    import dask

    require_columns(hourly._meta, ["station"], "hourly data")
    cities = None
    if stations is not None:
        from envtargets.air.city import station_cities

        cities = station_cities(stations)
    column = hourly["station"].to_delayed()
    found = dask.compute(*[dask.delayed(_units_of)(part, cities) for part in column])
    units = pd.Series(np.concatenate([np.asarray(f, dtype=object) for f in found] or [[]]))
    partition = np.repeat(np.arange(len(found)), [len(f) for f in found])
    split = units.duplicated(keep=False).to_numpy()
    if not split.any():
        return
    where = pd.Series(partition[split]).groupby(units[split].to_numpy(), sort=True).agg(list)
    if cities is None:
        raise StandardError(_split_message(where, "station", 'hourly = hourly.shuffle("station")'))
    fix = (
        "city_of = envtargets.air.station_cities(stations)\n"
        '    city = hourly["station"].map(city_of, meta=("station", "object"))\n'
        '    hourly = hourly.assign(city=city).shuffle("city")'
    )
    raise StandardError(_split_message(where, "city", fix))


def _units_of(station: pd.Series, cities: pd.Series | None) -> np.ndarray:
    """Distinct stations of one partition (their cities, with a station list)."""
    names = pd.Series(pd.unique(station.dropna())).astype("string").str.strip()
    if cities is not None:
        names = names.map(cities)
    return pd.unique(names.dropna()).astype(object)


def _check_unique_keys(parts: list[pd.DataFrame], level: str) -> bool:
    """Raise when an (indicator, region, period) comes out of two partitions."""
    keys = ["indicator", "region", "period"]
    table = pd.concat(
        [pd.DataFrame(columns=[*keys, "partition"])]
        + [part[keys].assign(partition=i) for i, part in enumerate(parts)],
        ignore_index=True,
    )
    twice = table[table.duplicated(keys, keep=False)].drop_duplicates(["region", "partition"])
    if twice.empty:
        return True
    where = twice.groupby("region", sort=True)["partition"].agg(list)
    what = "city" if level == "region" else "station"
    fix = f'days = days.shuffle("{level}")'
    raise StandardError(_split_message(where, what, fix, " of the daily table"))


def _split_message(where: pd.Series, what: str, fix: str, table: str = "") -> str:
    """Name the split stations (cities) and their partitions, and show the fix."""
    listed = ", ".join(
        f"{name} (partitions {', '.join(map(str, parts))})"
        for name, parts in where.iloc[:_SHOWN].items()
    )
    more = f" and {len(where) - _SHOWN} more" if len(where) > _SHOWN else ""
    return (
        f"{len(where)} {what}(s) have rows in more than one Dask partition{table}: "
        f"{listed}{more}. Each {what}'s rows must lie in one partition, or its statistics "
        f"are computed twice, each from part of its data. Repartition by {what} first:\n"
        f"    {fix}"
    )


def _after(part: pd.DataFrame, check: bool) -> pd.DataFrame:
    """Return ``part`` once ``check`` has passed (the argument only orders the tasks)."""
    return part


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical labels as text: partitions then agree on their dtypes."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("string")
    frame.attrs = {}
    return frame
