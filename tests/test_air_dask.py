"""The Dask path gives the pandas results, partition by partition."""

import numpy as np
import pandas as pd
import pytest

from envtargets.air import assess, daily
from tests.test_air_daily import wide

dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")


@pytest.fixture
def hourly():
    frame = wide(days=40, stations=("A", "B", "C"), start="2025-01-01")
    rng = np.random.default_rng(1)
    frame["PM2.5"] = rng.uniform(5, 120, len(frame)).round(1)
    frame.loc[rng.random(len(frame)) < 0.1, "O3"] = np.nan
    return frame


def test_daily_and_assess_on_station_partitions_equal_pandas(hourly):
    partitioned = dd.from_pandas(hourly, npartitions=3, sort=False)
    with dask.config.set(scheduler="sync"):
        lazy = assess(daily(partitioned, "2012"), ["2025-01", "2025-01/2025-02"], "2012")
        assert isinstance(lazy, dd.DataFrame)
        computed = lazy.compute().reset_index(drop=True)
        days = daily(partitioned, "2012").compute().reset_index(drop=True)
    expected_days = daily(hourly, "2012")
    for column in expected_days.select_dtypes("category"):
        expected_days[column] = expected_days[column].astype("string")
    pd.testing.assert_frame_equal(days, expected_days, check_categorical=False)
    expected = assess(expected_days, ["2025-01", "2025-01/2025-02"], "2012", source="hourly data")
    keys = ["region", "period", "indicator"]
    pd.testing.assert_frame_equal(
        computed.sort_values(keys, ignore_index=True), expected.sort_values(keys, ignore_index=True)
    )


def test_dask_assess_needs_periods(hourly):
    partitioned = dd.from_pandas(hourly, npartitions=2, sort=False)
    with pytest.raises(ValueError, match="name the periods"):
        assess(daily(partitioned))
