"""The Dask path gives the pandas results, partition by partition."""

import warnings

import numpy as np
import pandas as pd
import pytest

from envtargets import DataCleaningWarning
from envtargets.air import assess, daily
from envtargets.errors import StandardError
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
    partitioned = dd.from_pandas(hourly, npartitions=3, sort=False)
    with pytest.raises(ValueError, match="name the periods"):
        assess(daily(partitioned))


def _interleaved(stations=("A", "B")):
    """Two stations' hours interleaved in time order: split partitions cut through both."""
    frame = wide(days=40, stations=stations, start="2025-01-01")
    return frame.sort_values(["time", "station"], ignore_index=True)


def test_a_station_split_over_partitions_is_an_error_naming_the_fix():
    hourly = _interleaved()
    split = dd.from_pandas(hourly, npartitions=2, sort=False)
    with dask.config.set(scheduler="sync"):
        with pytest.raises(StandardError) as caught:
            daily(split, "2012")  # checked now, before anything is computed
        message = str(caught.value)
        assert "2 station(s) have rows in more than one Dask partition" in message
        assert "A (partitions 0, 1), B (partitions 0, 1)" in message
        assert 'hourly = hourly.shuffle("station")' in message
        # The fix shown, applied as written, gives the pandas result: 34 observations
        # per station-period, no duplicated key, none from "0 of 0 days".
        fixed = split.shuffle("station")
        with warnings.catch_warnings():
            # a shuffle does not keep the row order: reported, and harmless
            warnings.simplefilter("ignore", DataCleaningWarning)
            computed = assess(daily(fixed, "2012"), ["2025"], "2012").compute()
    expected = assess(daily(hourly, "2012"), ["2025"], "2012", source="hourly data")
    assert len(computed) == len(expected) == 34
    assert not computed.duplicated(["indicator", "region", "period"]).any()
    keys = ["region", "period", "indicator"]
    pd.testing.assert_frame_equal(
        computed.sort_values(keys, ignore_index=True), expected.sort_values(keys, ignore_index=True)
    )


def test_a_city_split_over_partitions_is_an_error_naming_the_fix():
    import envtargets

    hourly = wide(days=3, stations=("A", "B", "C"), start="2025-01-01")
    stations = pd.DataFrame({"station": ["A", "B", "C"], "city": ["x", "x", "y"]})
    # A and C in one partition, B in another: no station is split, city x is.
    parts = dd.from_pandas(hourly, npartitions=3, sort=False)
    with dask.config.set(scheduler="sync"):
        with pytest.raises(StandardError, match=r"1 city\(s\).*x \(partitions 0, 1\)") as caught:
            daily(parts, "2012", stations=stations)
        fix = str(caught.value).split("first:\n")[1]
        scope = {"envtargets": envtargets, "stations": stations, "hourly": parts}
        exec(fix.replace("\n    ", "\n").strip(), scope)  # the fix, as the message shows it
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataCleaningWarning)
            computed = daily(scope["hourly"], "2012", stations=stations).compute()
    expected = daily(hourly, "2012", stations=stations)
    assert sorted(computed["region"]) == sorted(expected["region"].astype(str))
    assert not computed.duplicated(["region", "date"]).any()


def test_assess_refuses_a_daily_table_split_over_partitions():
    days = daily(_interleaved(), "2012")
    for column in days.select_dtypes("category"):
        days[column] = days[column].astype("string")
    days = days.sort_values(["date", "station"], ignore_index=True)
    split = dd.from_pandas(days, npartitions=2, sort=False)
    with dask.config.set(scheduler="sync"):
        lazy = assess(split, ["2025"], "2012")  # lazy: nothing computed yet
        with pytest.raises(StandardError) as caught:
            lazy.compute()
        message = str(caught.value)
        assert "more than one Dask partition of the daily table" in message
        assert 'days = days.shuffle("station")' in message
        assert len(assess(split.shuffle("station"), ["2025"], "2012").compute()) == 34
