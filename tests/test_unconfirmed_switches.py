"""Every switch of envtargets/_unconfirmed.py is one line: flipped, it has its documented effect.

Each constant is here, with a small case worked by hand, first with the default and
then flipped.
"""

import contextlib
import importlib
import sys

import numpy as np
import pandas as pd
import pytest

from envtargets import _unconfirmed
from envtargets.air import city_daily, daily, iaqi
from envtargets.air.index import aqi
from envtargets.noise import measurements_table
from envtargets.water import section_class

POLLUTANTS = {"SO2": 10.0, "NO2": 20.0, "CO": 0.5, "O3": 60.0, "PM10": 40.0, "PM2.5": 20.0}


def hourly(start="2025-01-01 00:00", hours=24, stations=("A",), **levels):
    times = pd.date_range(start, periods=hours, freq="h")
    frame = pd.DataFrame(
        {"station": np.repeat(list(stations), hours), "time": np.tile(times, len(stations))}
    )
    for name, value in POLLUTANTS.items():
        frame[name] = levels.get(name, value)
    return frame


def daily_year(days=None, **columns):
    """A station's daily table for 2025 (constant values unless given)."""
    days = pd.date_range("2025-01-01", "2025-12-31") if days is None else days
    values = {"so2": 10.0, "no2": 20.0, "co": 1.0, "pm10": 50.0, "pm25": 30.0, "o3_8h": 100.0}
    return pd.DataFrame({"station": "s1", "date": days, **values, **columns})


@contextlib.contextmanager
def percentile_switched(monkeypatch, column, percentile):
    """Yield the assess module reloaded with PERCENTILES[column] switched, then restore it.

    The module reads the percentiles at import. It is taken from sys.modules because
    the package attribute envtargets.air.assess is the function of the same name.
    """
    module = sys.modules["envtargets.air.assess"]
    monkeypatch.setitem(_unconfirmed.PERCENTILES, column, percentile)
    try:
        yield importlib.reload(module)
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def assess_with(frame, period, standard="2012"):
    from envtargets.air import assess

    return assess(frame, period, standard=standard).set_index("indicator")


# --- Air: hourly data and the O3 8-hour mean ------------------------------------------


def test_hour_label_end_moves_the_midnight_stamp_to_the_day_before(monkeypatch):
    # 24 stamps 01:00 … next day 00:00: by start, 23 hours on 1 Jan and 1 on 2 Jan;
    # by end, the 24 hours of 1 Jan.
    frame = hourly("2025-01-01 01:00")
    by_start = daily(frame)
    assert by_start["date"].dt.day.tolist() == [1, 2]
    assert by_start["pm25_hours"].tolist() == [23, 1]
    monkeypatch.setattr(_unconfirmed, "HOUR_LABEL", "end")
    by_end = daily(frame)
    assert by_end["date"].dt.day.tolist() == [1]
    assert by_end["pm25_hours"].tolist() == [24]


def test_o3_window_trailing_reaches_into_the_previous_day(monkeypatch):
    # Day 1 O3 200, day 2 O3 60. Day 2's windows within the day all average 60; the
    # trailing window ending at 00:00 averages (7 · 200 + 60) / 8 = 182.5.
    frame = hourly(hours=48)
    frame.loc[:23, "O3"] = 200.0
    assert daily(frame)["o3_8h"].tolist() == [200.0, 60.0]
    assert daily(frame)["o3_8h_windows"].tolist() == [17, 17]
    monkeypatch.setattr(_unconfirmed, "O3_WINDOW", "trailing")
    day2 = daily(frame).iloc[1]
    assert day2["o3_8h"] == 182.5 and day2["o3_8h_windows"] == 24


def test_an_incomplete_o3_day_above_the_limit_counts_only_with_the_switch(monkeypatch):
    # 10 hours of O3 (00:00–09:00) at 200: windows starting 0–4 have ≥ 6 hours, so 5
    # valid windows (< 14), with a maximum of 200 above the class-2 limit 160.
    frame = hourly(O3=200.0)
    frame.loc[10:, "O3"] = np.nan
    row = daily(frame, "2012").iloc[0]
    assert row["o3_8h_windows"] == 5 and row["o3_8h"] == 200.0 and row["o3_8h_valid"]
    monkeypatch.setattr(_unconfirmed, "O3_EXCEEDANCE_COUNTS_WHEN_INCOMPLETE", False)
    row = daily(frame, "2012").iloc[0]
    assert row["o3_8h"] == 200.0 and not row["o3_8h_valid"]


def test_the_o3_1h_minimum_hours_is_the_constant(monkeypatch):
    frame = hourly()
    frame.loc[18:, "O3"] = np.nan  # 18 hours
    assert not daily(frame).iloc[0]["o3_1h_valid"]
    monkeypatch.setattr(_unconfirmed, "O3_1H_MIN_HOURS", 18)
    row = daily(frame).iloc[0]
    assert row["o3_hours"] == 18 and row["o3_1h_valid"]


# --- Air: AQI ---------------------------------------------------------------------------


def test_iaqi_above_the_table_is_the_constant(monkeypatch):
    # HJ 633—2012 PM2.5 24-h breakpoints end at 500 µg/m³ (IAQI 500).
    assert iaqi("pm25", 600.0, "24h", "2012") == 500
    assert iaqi("pm25", 500.0, "24h", "2012") == 500  # the last breakpoint itself
    monkeypatch.setattr(_unconfirmed, "IAQI_ABOVE_TABLE", 999)
    assert iaqi("pm25", 600.0, "24h", "2012") == 999
    assert iaqi("pm25", 500.0, "24h", "2012") == 500
    # The columns HJ 633 rules explicitly keep their rule.
    assert np.isnan(iaqi("o3", 900.0, "8h", "2012"))


def test_the_2012_na_rule_for_a_missing_pollutant(monkeypatch):
    # PM2.5 50 µg/m³: IAQI 50 + 50 · (50 − 35) / 40 = 68.75 → 69; PM2.5 200: IAQI
    # 200 + 100 · (200 − 150) / 100 = 250. The other pollutants are missing.
    frame = pd.DataFrame({"pm25": [50.0, 200.0]})
    assert aqi(frame, "2012")["aqi"].tolist()[1] == 250
    assert pd.isna(aqi(frame, "2012")["aqi"].iloc[0])
    monkeypatch.setattr(_unconfirmed, "AQI_NA_RULE_FOR_2012", False)
    assert aqi(frame, "2012")["aqi"].tolist() == [69, 250]
    assert pd.isna(aqi(frame, "2026")["aqi"].iloc[0])  # HJ 633—2026 states the rule


# --- Air: assessment ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "default", "switched"),
    [("so2", 98, 95), ("no2", 98, 90), ("pm10", 95, 90), ("pm25", 95, 98), ("o3_8h", 90, 95)],
)
def test_each_percentile_switch_is_one_line(monkeypatch, column, default, switched):
    days = pd.date_range("2025-01-01", "2025-12-31")
    values = np.linspace(10.0, 110.0, len(days))
    frame = daily_year(**{column: values})
    with percentile_switched(monkeypatch, column, switched) as reloaded:
        table = reloaded.assess(frame, "2025", standard="2012").set_index("indicator")
    name = f"{column}_24h_p" if column != "o3_8h" else "o3_8h_p"
    assert f"{name}{switched}" in table.index and f"{name}{default}" not in table.index
    # HJ 663: k = 1 + (n − 1) · p over 365 equally spaced values 10 … 110 (step 100 / 364),
    # so P = 10 + (k − 1) · 100 / 364 = 10 + 100 · p.
    assert table.at[f"{name}{switched}", "value"] == pytest.approx(10 + switched, abs=0.051)
    if column == "o3_8h":  # the index takes the switched statistic and names it
        terms = 10 / 60 + 20 / 40 + 50 / 70 + 30 / 35 + 1 / 4 + (10 + switched) / 160
        assert table.at["air_composite_index", "value"] == pytest.approx(terms, abs=0.01)
        assert f"O3_8h P{switched}/160" in table.at["air_composite_index", "quote"]
    after = assess_with(frame, "2025")
    assert f"{name}{default}" in after.index


def test_the_co_percentile_switch_changes_the_statistic_and_the_index(monkeypatch):
    """_unconfirmed.PERCENTILES["co"] = 90 changes the CO statistic and the index with it."""
    days = pd.date_range("2025-01-01", "2025-12-31")
    co = np.linspace(0.5, 2.0, len(days))  # distinct values: P90 and P95 differ
    with percentile_switched(monkeypatch, "co", 90) as reloaded:
        table = reloaded.assess(daily_year(co=co), "2025", standard="2012").set_index("indicator")
    assert "co_24h_p90" in table.index and "co_24h_p95" not in table.index
    # HJ 663 percentile of 365 values, k = 1 + 364 · 0.9 = 328.6: between the 328th and 329th.
    ranked = np.sort(co)
    p90 = ranked[327] + 0.6 * (ranked[328] - ranked[327])
    assert table.at["co_24h_p90", "value"] == pytest.approx(round(p90, 1), abs=0.051)
    # GB 3095—2012 grade-2 limits: SO2 60, NO2 40, PM10 70, PM2.5 35 (annual), CO 4, O3 160.
    terms = 10 / 60 + 20 / 40 + 50 / 70 + 30 / 35 + table.at["co_24h_p90", "value"] / 4 + 100 / 160
    assert table.at["air_composite_index", "value"] == pytest.approx(terms, abs=0.01)


def test_partial_periods_without_the_monthly_minimum(monkeypatch):
    # March with 20 valid days (minimum 27): not valid by default, valid when switched;
    # the year with 20 days in March stays invalid (GB 3095 table 4).
    days = pd.date_range("2025-01-01", "2025-12-31")
    frame = daily_year(pm25=np.where(days.month == 3, 40.0, 30.0))
    frame = frame[(frame["date"].dt.month != 3) | (frame["date"].dt.day <= 20)]
    march = assess_with(frame, "2025-03")
    assert not march.at["pm25_annual_mean", "valid"]
    assert pd.isna(march.at["pm25_annual_mean", "value"])
    assert "27 valid days in every month" in march.at["pm25_annual_mean", "quote"]
    monkeypatch.setattr(_unconfirmed, "PARTIAL_PERIODS_NEED_EVERY_MONTH", False)
    march = assess_with(frame, "2025-03")
    assert march.at["pm25_annual_mean", "valid"] and march.at["pm25_annual_mean", "value"] == 40.0
    assert march.at["pm25_annual_mean", "valid_days"] == 20
    assert march.at["aqi_good_day_ratio", "valid"]
    run = assess_with(frame, "2025-01/2025-06")
    # (31 + 28 + 31 + 30 + 31 + 30 − 11) = 170 days: 150 at 30 and 20 at 40.
    expected = (150 * 30 + 20 * 40) / 170
    assert run.at["pm25_annual_mean", "value"] == pytest.approx(expected, abs=0.051)
    year = assess_with(frame, "2025")
    assert not year.at["pm25_annual_mean", "valid"]
    assert "324 in the year" in year.at["pm25_annual_mean", "quote"]


def test_city_attainment_of_the_assessed_pollutants_when_switched(monkeypatch):
    # CO missing all year: its attainment is unknown; the five others attain.
    frame = daily_year(co=np.nan)
    table = assess_with(frame, "2025")
    assert pd.isna(table.at["air_pollutants_attained", "attained"])
    exceeding = daily_year(co=np.nan, pm25=80.0)
    assert not assess_with(exceeding, "2025").at["air_pollutants_attained", "attained"]
    monkeypatch.setattr(_unconfirmed, "CITY_ATTAINS_WHEN_ALL_SIX_ATTAIN", False)
    table = assess_with(frame, "2025")
    assert table.at["air_pollutants_attained", "attained"]
    assert pd.isna(table.at["air_pollutants_attained", "value"])  # the count stays unknown
    assert not assess_with(exceeding, "2025").at["air_pollutants_attained", "attained"]
    nothing = daily_year(**dict.fromkeys(("so2", "no2", "co", "pm10", "pm25", "o3_8h"), np.nan))
    assert pd.isna(assess_with(nothing, "2025").at["air_pollutants_attained", "attained"])


def test_composite_index_weights(monkeypatch):
    # GB 3095—2012 grade-2: SO2 60, NO2 40, PM10 70, PM2.5 35, CO 4, O3 160.
    terms = {"so2": 10 / 60, "no2": 20 / 40, "pm10": 50 / 70, "pm25": 30 / 35}
    terms |= {"co": 1 / 4, "o3_8h": 100 / 160}
    table = assess_with(daily_year(), "2025")
    default = sum(terms.values()) + 2 * terms["pm25"] + terms["no2"] + terms["o3_8h"]
    assert table.at["air_composite_index_weighted", "value"] == pytest.approx(default, abs=0.01)
    monkeypatch.setitem(_unconfirmed.COMPOSITE_INDEX_WEIGHTS, "pm25", 4.0)
    monkeypatch.setitem(_unconfirmed.COMPOSITE_INDEX_WEIGHTS, "co", 0.0)
    table = assess_with(daily_year(), "2025")
    switched = default + terms["pm25"] - terms["co"]
    assert table.at["air_composite_index_weighted", "value"] == pytest.approx(switched, abs=0.01)
    assert table.at["air_composite_index", "value"] == pytest.approx(sum(terms.values()), abs=0.01)
    assert "PM2.5 × 4" in table.at["air_composite_index_weighted", "quote"]


def test_city_min_stations(monkeypatch):
    # City C: station A with PM2.5 20, station B with none.
    frame = hourly(stations=("A", "B"))
    frame.loc[frame["station"] == "B", "PM2.5"] = np.nan
    stations = pd.DataFrame({"station": ["A", "B"], "city": ["C", "C"]})
    row = daily(frame, stations=stations).iloc[0]
    assert row["pm25"] == 20.0 and row["pm25_valid"]
    station_days = daily(frame)
    assert city_daily(station_days, stations).iloc[0]["pm25_valid"]
    monkeypatch.setattr(_unconfirmed, "CITY_MIN_STATIONS", 2)
    row = daily(frame, stations=stations).iloc[0]
    assert pd.isna(row["pm25"]) and not row["pm25_valid"]
    assert row["so2"] == 10.0 and row["so2_valid"]  # two stations report SO2
    city = city_daily(station_days, stations).iloc[0]
    assert not city["pm25_valid"] and city["so2_valid"]


# --- Surface water and noise --------------------------------------------------------------


def test_below_detection_factor(monkeypatch):
    # 氨氮 "<1.2": 0.6 mg/L by default (class III, 0.5–1.0); at the full limit 1.2 (IV, 1.0–1.5).
    wide = pd.DataFrame({"section": ["A"], "date": ["2025-03-01"], "氨氮": ["<1.2"]})
    with pytest.warns(UserWarning, match="0.5 × the limit"):
        assert section_class(wide)["water_class"].tolist() == ["III"]
    monkeypatch.setattr(_unconfirmed, "BELOW_DETECTION_FACTOR", 1.0)
    with pytest.warns(UserWarning, match="1 × the limit"):
        assert section_class(wide)["water_class"].tolist() == ["IV"]


def test_noise_compliant_at_the_limit(monkeypatch):
    # Class 2: day 60, night 50 dB(A); the day level equals the limit.
    zones = pd.DataFrame({"point": ["P"], "zone_class": ["2"], "region": "R"})
    values = pd.DataFrame(
        [("P", "2025-06-01", "昼间", 60.0), ("P", "2025-06-01", "夜间", 49.9)],
        columns=["point", "date", "session", "laeq"],
    )
    table = measurements_table(values, zones).set_index("session")
    assert table.at["day", "compliant"] and table.at["night", "compliant"]
    monkeypatch.setattr(_unconfirmed, "NOISE_COMPLIANT_AT_LIMIT", False)
    table = measurements_table(values, zones).set_index("session")
    assert not table.at["day", "compliant"] and table.at["night", "compliant"]
