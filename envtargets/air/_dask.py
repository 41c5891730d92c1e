"""The Dask path: the same statistics, one partition at a time.

A Dask DataFrame partitioned by station (by city when a station list is given)
holds whole station histories in each partition, so :func:`daily` and
:func:`assess` apply unchanged to every partition through ``map_partitions``.
Memory is then bounded by the size of a partition times the number of workers,
whatever the length of the record. Dask is an optional extra
(``pip install envtargets[dask]``); see docs/dask.md.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from envtargets._monitoring import as_periods
from envtargets.errors import StandardError


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
    """
    _require_dask()
    from envtargets.air.daily import daily

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
        Observations, lazily.
    """
    _require_dask()
    from envtargets.air.assess import assess

    periods = as_periods(period)
    if not periods:
        raise StandardError("with a Dask DataFrame, name the periods to assess (period=...)")

    def one_partition(frame: pd.DataFrame) -> pd.DataFrame:
        return assess(frame, periods, standard, grade=grade, source=source or "hourly data")

    meta = one_partition(daily_frame._meta)
    return daily_frame.map_partitions(one_partition, meta=meta, align_dataframes=False)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical labels as text: partitions then agree on their dtypes."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("string")
    frame.attrs = {}
    return frame
