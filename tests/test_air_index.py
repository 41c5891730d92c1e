"""IAQI and AQI against the hand-worked values and every breakpoint of HJ 633—2012/2026."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from envtargets import ValidationError
from envtargets.air import StandardError, aqi, breakpoint_table, iaqi

# docs/standards.md, hand-worked checks: (pollutant, averaging, concentration, 2012, 2026).
HAND_WORKED = [
    ("PM2.5", "24h", 50, 69, 80),
    ("PM2.5", "24h", 68, 92, 108),
    ("PM10", "24h", 130, 90, 104),
    ("O3", "8h", 180, 119, 119),
    ("SO2", "24h", 150, 100, 100),
]


@pytest.mark.parametrize(("pollutant", "averaging", "concentration", "v2012", "v2026"), HAND_WORKED)
def test_hand_worked_checks(pollutant, averaging, concentration, v2012, v2026):
    assert iaqi(pollutant, concentration, averaging, standard="2012") == v2012
    assert iaqi(pollutant, concentration, averaging, standard="2026") == v2026


BREAKPOINTS = breakpoint_table()


@pytest.mark.parametrize(
    ("standard", "pollutant", "averaging", "index", "concentration"),
    list(
        BREAKPOINTS[["standard", "pollutant", "averaging", "iaqi", "concentration"]].itertuples(
            index=False, name=None
        )
    ),
)
def test_every_breakpoint_gives_its_iaqi(standard, pollutant, averaging, index, concentration):
    assert iaqi(pollutant, concentration, averaging, standard=standard) == index


@pytest.mark.parametrize(
    ("pollutant", "averaging", "above", "expected"),
    [
        ("PM2.5", "24h", 35.1, 51),
        ("PM2.5", "24h", 74.9, 100),
        ("NO2", "24h", 40.5, 51),
        ("CO", "24h", 2.1, 53),
        ("O3", "8h", 160.4, 101),
        ("SO2", "1h", 500.5, 101),
    ],
)
def test_just_above_a_breakpoint_rounds_up_2012(pollutant, averaging, above, expected):
    assert iaqi(pollutant, above, averaging, standard="2012") == expected


def test_2026_rounds_concentrations_half_to_even_first():
    # CO 2.25 → 2.2 (GB/T 8170) → IAQI 55; unrounded (2012) 56.25 → 57.
    assert iaqi("CO", 2.25, standard="2026") == 55
    assert iaqi("CO", 2.25, standard="2012") == 57
    # PM2.5 34.5 → 34 (half to even), 35.5 → 36.
    assert iaqi("PM2.5", 34.5, standard="2026") == 49
    assert iaqi("PM2.5", 35.5, standard="2026") == 52


def test_above_800_rules_of_each_version():
    assert np.isnan(iaqi("SO2", 801, "1h", standard="2012"))
    assert np.isnan(iaqi("O3", 801, "8h", standard="2012"))
    assert iaqi("SO2", 801, "1h", standard="2026") == 200
    assert iaqi("O3", 801, "8h", standard="2026") == 300
    assert iaqi("SO2", 800, "1h", standard="2012") == 200


def test_2012_aqi_substitutes_the_24h_so2_and_1h_o3_iaqi():
    hourly = pd.DataFrame({"so2_1h": [900.0], "so2_24h": [475.0]})
    result = aqi(hourly, "2012", daily=False)
    assert result["iaqi_so2_1h"].iloc[0] == 150  # the 24-h IAQI of 475
    daily = pd.DataFrame(
        {
            "so2": [1.0],
            "no2": [1.0],
            "co": [0.1],
            "pm10": [1.0],
            "pm25": [1.0],
            "o3_8h": [850.0],
            "o3_1h": [1000.0],
        }
    )
    assert aqi(daily, "2012")["aqi"].iloc[0] == 400  # O3 1-h 1000 → 400
    assert aqi(daily, "2026")["aqi"].iloc[0] == 300  # 2026: O3 8-h above 800 → 300


def _day(**values):
    base = {
        "so2": 5.0,
        "no2": 10.0,
        "co": 0.4,
        "pm10": 20.0,
        "pm25": 10.0,
        "o3_8h": 50.0,
        "o3_1h": 60.0,
    }
    base.update(values)
    return pd.DataFrame({key: [value] for key, value in base.items()})


def test_primary_pollutant_ties_list_all():
    result = aqi(_day(pm10=150.0, pm25=75.0), "2012")
    assert result["aqi"].iloc[0] == 100
    assert result["primary_pollutant"].iloc[0] == "PM10,PM2.5"
    assert pd.isna(aqi(_day(), "2012")["primary_pollutant"].iloc[0])  # AQI ≤ 50: none


@pytest.mark.parametrize(
    ("pm25", "level", "category"),
    [
        (35.0, 1, "优"),
        (36.0, 2, "良"),
        (75.0, 2, "良"),
        (76.0, 3, "轻度污染"),
        (115.0, 3, "轻度污染"),
        (116.0, 4, "中度污染"),
        (150.0, 4, "中度污染"),
        (151.0, 5, "重度污染"),
        (250.0, 5, "重度污染"),
        (251.0, 6, "严重污染"),
    ],
)
def test_category_boundaries(pm25, level, category):
    result = aqi(_day(pm25=pm25), "2012")
    assert result["aqi_level"].iloc[0] == level
    assert result["aqi_category"].iloc[0] == category
    assert bool(result["good"].iloc[0]) == (level <= 2)


def test_missing_pollutant_gives_na_unless_above_100():
    low = aqi(_day(pm25=np.nan), "2026")
    high = aqi(_day(pm25=np.nan, pm10=300.0), "2026")
    assert pd.isna(low["aqi"].iloc[0]) and pd.isna(low["good"].iloc[0])
    assert high["aqi"].iloc[0] == 175


def test_version_by_date_and_note():
    frame = pd.concat([_day(pm25=68.0), _day(pm25=68.0)], ignore_index=True)
    frame["date"] = pd.to_datetime(["2026-02-28", "2026-03-01"])
    result = aqi(frame)
    assert result["aqi"].tolist() == [92, 108]
    assert result["standard"].tolist() == ["2012", "2026"]
    assert "in force on each row's date" in result.attrs["notes"][0]


def test_series_and_array_inputs_keep_their_shape():
    series = pd.Series([50.0, np.nan], index=["a", "b"])
    out = iaqi("pm2.5", series, standard="2012")
    assert list(out.index) == ["a", "b"] and out["a"] == 69 and np.isnan(out["b"])
    assert_array_equal(iaqi("细颗粒物", np.array([[35.0, 75.0]]), standard="2012"), [[50, 100]])


def test_bad_arguments_are_library_errors():
    with pytest.raises(StandardError, match="unknown pollutant"):
        iaqi("PM1", 10)
    with pytest.raises(StandardError, match="averaging"):
        iaqi("PM2.5", 10, "8h")
    with pytest.raises(StandardError, match="no 1-h breakpoints"):
        iaqi("PM2.5", 10, "1h", standard="2012")
    with pytest.raises(StandardError, match="unknown standard"):
        iaqi("PM2.5", 10, standard="2020")
    with pytest.raises(ValidationError, match="row 3.*negative"):
        iaqi("PM2.5", [1.0, -2.0], standard="2026")


def test_iaqi_has_no_silent_default_version():
    # A concentration has no date: the version must be named, or a date given.
    with pytest.raises(StandardError, match=r"needs the HJ 633 version.*standard='2012'"):
        iaqi("PM2.5", 68)
    with pytest.raises(StandardError, match="needs the HJ 633 version"):
        aqi(_day(pm25=68.0))  # no date column either
    assert iaqi("PM2.5", 68, date="2026-02-28") == 92  # HJ 633—2012 still in force
    assert iaqi("PM2.5", 68, date=pd.Timestamp("2026-03-01")) == 108
    by_day = iaqi("PM2.5", np.array([68.0, 68.0]), date=["2026-02-28", "2026-03-01"])
    assert_array_equal(by_day, [92, 108])
    assert iaqi("PM2.5", 68, "24h", "2012", date="2026-03-01") == 92  # standard wins
    with pytest.raises(StandardError, match="one date or one per concentration"):
        iaqi("PM2.5", [1.0, 2.0, 3.0], date=["2025-01-01", "2025-01-02"])
    with pytest.raises(StandardError, match="date is missing"):
        iaqi("PM2.5", [1.0, 2.0], date=["2025-01-01", None])


@pytest.mark.parametrize("standard", ["2012", "2026"])
def test_zero_concentration_gives_positive_zero(standard):
    for pollutant, averaging in [("PM2.5", "24h"), ("CO", "24h"), ("O3", "8h"), ("SO2", "1h")]:
        value = iaqi(pollutant, 0.0, averaging, standard=standard)
        assert value == 0.0 and not np.signbit(value), (pollutant, averaging)
    values = iaqi("PM10", np.array([0.0, 0.0]), standard=standard)
    assert not np.signbit(values).any()
    day = aqi(_day(pm25=0.0), standard, daily=False)
    assert not np.signbit(day["iaqi_pm25"].to_numpy(dtype="float64", na_value=np.nan)).any()


@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=2, max_size=30))
def test_iaqi_is_monotonic_and_bounded(values):
    ordered = np.sort(np.array(values))
    for standard in ("2012", "2026"):
        result = iaqi("PM10", ordered, standard=standard)
        assert np.all(np.diff(result) >= 0)
        assert result.min() >= 0 and result.max() <= 500


@pytest.mark.parametrize(
    ("values", "expected", "primary"),
    [
        # 2012 daily set has two O3 indicators; one missing could only raise the AQI.
        ({"o3_8h": np.nan, "pm25": 68.0}, None, None),  # 92 on what is there: NA
        ({"o3_1h": np.nan, "pm25": 68.0}, None, None),
        ({"o3_1h": np.nan, "pm25": 80.0}, 107, "PM2.5"),  # above 100: certain
        ({"o3_8h": np.nan, "o3_1h": 250.0}, 125, "O3_1h"),  # 100 + 50 × 50/100
        ({"o3_8h": 50.0, "o3_1h": 60.0, "pm25": 68.0}, 92, "PM2.5"),  # both there
    ],
)
def test_2012_daily_aqi_with_one_o3_indicator_missing(values, expected, primary):
    result = aqi(_day(**values), "2012").iloc[0]
    if expected is None:
        assert pd.isna(result["aqi"]) and pd.isna(result["good"])
    else:
        assert result["aqi"] == expected and result["primary_pollutant"] == primary


def test_2026_daily_aqi_ignores_o3_1h():
    # O3 1-h is real-time only in 2026: its absence leaves the AQI (O3 8-h 50 → 25) published.
    assert aqi(_day(o3_1h=np.nan), "2026")["aqi"].iloc[0] == 25


@pytest.mark.parametrize(
    ("frame", "daily", "expected_aqi", "primary"),
    [
        # 2012: O3 8-h above 800 reports the O3 1-h IAQI (1000 → 400): one measurement, one name.
        (_day(o3_8h=850.0, o3_1h=1000.0), True, 400, "O3_1h"),
        # 2012: SO2 1-h above 800 reports the SO2 24-h IAQI (475 → 150).
        (pd.DataFrame({"so2_1h": [900.0], "so2_24h": [475.0]}), False, 150, "SO2"),
        # A real tie of two measurements still lists both.
        (pd.DataFrame({"so2_1h": [500.0], "so2_24h": [150.0]}), False, 100, "SO2,SO2_1h"),
    ],
)
def test_substituted_indicator_is_named_once(frame, daily, expected_aqi, primary):
    result = aqi(frame, "2012", daily=daily).iloc[0]
    assert result["aqi"] == expected_aqi
    assert result["primary_pollutant"] == primary


def test_2012_daily_table_without_an_o3_1h_column_is_read_as_before():
    # A daily table of six indicators (no O3 1-h column at all): the rule above is per
    # row and per given indicator, so O3 counts as present through its 8-h value.
    assert aqi(_day(pm25=68.0).drop(columns="o3_1h"), "2012")["aqi"].iloc[0] == 92
