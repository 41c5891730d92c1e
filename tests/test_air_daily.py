"""Daily statistics from hourly data: validity rules, O3 windows, input checks."""

import warnings

import numpy as np
import pandas as pd
import pytest

from envtargets import DataCleaningWarning, ValidationError
from envtargets.air import city_daily, daily, eight_hour_means

POLLUTANTS = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]
LEVELS = {"SO2": 10.0, "NO2": 20.0, "CO": 0.5, "O3": 60.0, "PM10": 40.0, "PM2.5": 20.0}


def wide(days=2, stations=("A",), start="2025-01-01", **levels):
    times = pd.date_range(start, periods=24 * days, freq="h")
    frame = pd.DataFrame(
        {"station": np.repeat(list(stations), len(times)), "time": np.tile(times, len(stations))}
    )
    for name in POLLUTANTS:
        frame[name] = levels.get(name, LEVELS[name])
    return frame


def to_long(frame):
    long = frame.melt(["station", "time"], var_name="pollutant", value_name="value")
    long["unit"] = np.where(long["pollutant"] == "CO", "mg/m³", "µg/m³")
    return long


@pytest.mark.parametrize(("hours", "valid"), [(19, False), (20, True), (24, True)])
def test_a_day_needs_20_valid_hours(hours, valid):
    frame = wide(days=1)
    frame.loc[hours:, "PM2.5"] = np.nan
    row = daily(frame).iloc[0]
    assert row["pm25_hours"] == hours
    assert row["pm25_valid"] == valid
    assert row["pm25"] == 20.0  # the mean of what is there, valid or not
    assert pd.isna(row["iaqi_pm25"]) != valid


def test_long_and_wide_give_the_same_table():
    frame = wide(days=3, stations=("A", "B"))
    frame.loc[::7, "O3"] = np.nan
    frame["PM2.5"] = np.arange(len(frame)) % 90
    pd.testing.assert_frame_equal(daily(frame), daily(to_long(frame)))


def test_daily_mean_and_aqi_of_a_known_day():
    frame = wide(days=1, **{"PM2.5": 68.0, "O3": 180.0})
    row = daily(frame, "2026").iloc[0]
    assert row["o3_8h"] == 180.0 and row["o3_8h_windows"] == 17
    assert row["aqi"] == 119 and row["primary_pollutant"] == "O3_8h"
    row2012 = daily(frame, "2012").iloc[0]
    assert row2012["iaqi_pm25"] == 92 and row2012["standard"] == "2012"


def _o3_two_days():
    frame = wide(days=2)
    frame["O3"] = 20.0
    evening = frame["time"].dt.hour >= 17
    frame.loc[evening & (frame["time"].dt.day == 1), "O3"] = 300.0
    return frame


def test_o3_windows_stay_within_the_day_by_default():
    result = daily(_o3_two_days())
    # Day 1: windows starting 09–16 reach into the evening; the 16:00 one holds 7 of 8 hours.
    assert result["o3_8h"].iloc[0] == pytest.approx((20 + 7 * 300) / 8)
    # Day 2 does not see day 1's evening.
    assert result["o3_8h"].iloc[1] == 20.0


def test_trailing_o3_windows_cross_the_day_boundary():
    result = daily(_o3_two_days(), o3_window="trailing")
    # Day 2's window ending at 00:00 covers 17:00–00:00: seven evening hours of day 1.
    assert result["o3_8h"].iloc[1] == pytest.approx((7 * 300 + 20) / 8)
    assert result["o3_8h_windows"].iloc[1] == 24
    # The first day has no previous day: its first windows have 1–7 hours only.
    assert result["o3_8h_windows"].iloc[0] == 24 - 5


def test_hour_labelled_by_its_end_belongs_to_the_previous_day():
    frame = wide(days=1, start="2025-01-01 01:00")  # 01:00 … 24:00 (the next day's 00:00)
    result = daily(frame, time_label="end")
    assert len(result) == 1 and result["pm25_hours"].iloc[0] == 24
    assert len(daily(frame)) == 2  # read as hour starts: 23 hours + 1 hour


def test_o3_window_needs_6_hours_and_day_14_windows():
    means, counts = eight_hour_means(np.array([[1.0] * 6 + [np.nan] * 18]), 1, "day")
    assert counts[0, 0, 0] == 6 and means[0, 0, 0] == 1.0
    frame = wide(days=1)
    frame.loc[0:5, "O3"] = np.nan  # hours 0–5 missing: windows 0–3 have < 6 hours
    row = daily(frame).iloc[0]
    assert row["o3_8h_windows"] == 17 - 4 and not row["o3_8h_valid"]
    frame.loc[0:5, "O3"] = np.nan
    frame.loc[6:, "O3"] = 200.0  # above the 8-h limit: the day counts (unconfirmed rule)
    assert daily(frame).iloc[0]["o3_8h_valid"]


def test_version_in_force_on_each_day():
    frame = wide(days=2, start="2026-02-28", **{"PM2.5": 68.0})
    result = daily(frame)
    assert result["standard"].tolist() == ["2012", "2026"]
    assert result["aqi"].tolist() == [92, 108]
    assert "in force on each day" in result.attrs["notes"][0]


def test_city_means_over_stations_per_hour():
    frame = wide(days=1, stations=("A", "B"))
    frame.loc[frame["station"] == "B", "PM2.5"] = 40.0
    frame.loc[(frame["station"] == "B") & (frame.index % 24 < 10), "PM2.5"] = np.nan
    stations = pd.DataFrame({"station": ["A", "B"], "city": ["深圳", "深圳"]})
    row = daily(frame, stations=stations).iloc[0]
    assert row["region"] == "深圳"
    assert row["pm25"] == pytest.approx((10 * 20 + 14 * 30) / 24)
    assert row["pm25_hours"] == 24


def test_unknown_pollutant_negative_values_and_bad_times_reported_together():
    long = to_long(wide(days=1))
    long.loc[3, "pollutant"] = "PM1"
    long.loc[5, "value"] = -4
    long["time"] = long["time"].astype(str)
    long.loc[7, "time"] = "2025-01-01 10:30"
    long.loc[8, "time"] = "yesterday"
    with pytest.raises(ValidationError) as caught:
        daily(long)
    problems = caught.value.problems
    assert set(problems["row"]) == {5, 7, 9, 10}
    assert "unknown pollutant 'PM1'" in str(caught.value)
    assert "negative value -4" in str(caught.value)
    assert "not on the hour" in str(caught.value)


def test_duplicated_station_hours_are_an_error_or_a_reported_cleaning():
    frame = wide(days=1)
    doubled = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)
    with pytest.raises(ValidationError, match="duplicated station-hour") as caught:
        daily(doubled)
    assert set(caught.value.problems["row"]) == {5, 2 + len(frame)}
    with pytest.warns(DataCleaningWarning, match="1 duplicated station-hour"):
        result = daily(doubled, clean=True)
    assert result["pm25_hours"].iloc[0] == 24


def test_a_duplicated_station_hour_with_a_negative_row_reports_both(tmp_path):
    # A long hourly file: the same station, time and pollutant twice, one value negative.
    from envtargets.tables import read_table

    long = to_long(wide(days=1))
    pm25 = long.index[long["pollutant"] == "PM2.5"][4]
    long = pd.concat([long, long.loc[[pm25]].assign(value=-3.0)], ignore_index=True)
    long.to_csv(tmp_path / "hourly.csv", index=False)
    with pytest.raises(ValidationError) as caught:
        daily(read_table(tmp_path / "hourly.csv"))
    problems = caught.value.problems
    last = len(long) + 1  # spreadsheet row of the appended duplicate
    assert problems["message"].str.contains("negative value -3").any()
    duplicated = problems[problems["message"].str.contains("duplicated station-hour")]
    assert set(duplicated["row"]) == {pm25 + 2, last}
    assert set(duplicated["file"]) == {"hourly.csv"}


def test_duplicates_beside_other_problems_ignore_rows_that_cannot_be_placed():
    # Rows off the hour or with an unknown pollutant are their own problems,
    # not duplicated station-hours.
    long = to_long(wide(days=1))
    long["time"] = long["time"].astype(str)
    extra = long.iloc[[0, 0, 1]].copy()
    extra.iloc[0, extra.columns.get_loc("time")] = "2025-01-01 00:30"
    extra.iloc[1, extra.columns.get_loc("pollutant")] = "PM1"
    long = pd.concat([long, extra], ignore_index=True)
    with pytest.raises(ValidationError) as caught:
        daily(long)
    messages = caught.value.problems.set_index("row")["message"]
    n = len(long)
    assert "not on the hour" in messages[n - 1] and "unknown pollutant" in messages[n]
    duplicated = messages[messages.str.contains("duplicated")]
    assert set(duplicated.index) == {3, n + 1}  # row 1 of the frame and its copy


def test_unknown_pollutants_are_not_unit_checked_as_another_pollutant():
    long = to_long(wide(days=1))
    long.loc[0, ["pollutant", "unit"]] = ["PM1", "ppb"]
    with pytest.raises(ValidationError) as caught:
        daily(long)
    assert caught.value.problems["message"].tolist() == [
        "unknown pollutant 'PM1' (known: SO2, NO2, CO, O3, PM10, PM2.5)"
    ]


def test_negative_values_cleaned_when_asked():
    frame = wide(days=1)
    frame.loc[2, "SO2"] = -1.0
    with pytest.warns(DataCleaningWarning, match="negative SO2 value"):
        result = daily(frame, clean=True)
    assert result["so2_hours"].iloc[0] == 23


def test_mixed_units_are_converted_and_said():
    long = to_long(wide(days=1))
    co = long["pollutant"] == "CO"
    long.loc[co & (long.index % 2 == 0), "value"] = 500.0
    long.loc[co & (long.index % 2 == 0), "unit"] = "µg/m3"
    with pytest.warns(DataCleaningWarning, match="CO from µg/m3 to mg/m³"):
        result = daily(long)
    assert result["co"].iloc[0] == pytest.approx(0.5)
    long.loc[0, "unit"] = "ppb"
    with pytest.raises(ValidationError, match="ppb"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataCleaningWarning)
            daily(long)


def test_times_out_of_order_are_reported_not_fatal():
    frame = wide(days=1)
    shuffled = frame.iloc[::-1].reset_index(drop=True)
    with pytest.warns(DataCleaningWarning, match="earlier than a previous row"):
        result = daily(shuffled)
    pd.testing.assert_frame_equal(result, daily(frame))


def test_missing_columns_named():
    with pytest.raises(ValidationError, match="missing required column 'station'"):
        daily(pd.DataFrame({"time": ["2025-01-01"], "PM2.5": [1.0]}))


def test_city_daily_means_valid_station_days():
    frame = wide(days=1, stations=("A", "B", "C"))
    frame.loc[frame["station"] == "B", "PM2.5"] = 40.0
    frame.loc[frame["station"] == "C", "PM2.5"] = 90.0
    frame.loc[(frame["station"] == "C") & (frame["time"].dt.hour < 5), "PM2.5"] = np.nan
    stations = pd.DataFrame({"station": ["A", "B", "C"], "city": ["河源"] * 3})
    row = city_daily(daily(frame, "2012"), stations).iloc[0]
    assert row["region"] == "河源"
    assert row["pm25"] == 30.0 and row["pm25_stations"] == 2  # C has 19 hours: left out
    assert row["iaqi_pm25"] == 43


def test_station_list_problems_named():
    stations = pd.DataFrame({"station": ["A", "A", None], "city": ["x", "y", "z"]})
    with pytest.raises(ValidationError) as caught:
        daily(wide(days=1), stations=stations)
    message = str(caught.value)
    assert "row 4, column 'station': the station is empty" in message
    assert "station 'A' is listed for several cities: x, y" in message


@pytest.mark.parametrize(("start", "aqi_published"), [("2025-06-01", False), ("2026-06-01", True)])
def test_a_day_with_o3_1h_invalid_and_o3_8h_valid(start, aqi_published):
    # O3 missing 19:00–23:00: 19 hours, so the 1-h maximum is not valid (20 needed), while
    # the windows starting 00:00–13:00 have ≥ 6 hours: 14 windows, the 8-h maximum is valid.
    frame = wide(days=1, start=start)
    frame.loc[19:, "O3"] = np.nan
    row = daily(frame).iloc[0]
    assert not row["o3_1h_valid"] and row["o3_8h_valid"] and row["o3_8h_windows"] == 14
    # 2012 (in force in 2025): the missing O3 1-h IAQI could raise an AQI ≤ 100 → NA.
    # 2026: O3 1-h is not in the daily AQI, which is published.
    assert pd.isna(row["aqi"]) != aqi_published
