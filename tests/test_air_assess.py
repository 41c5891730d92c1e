"""Period assessment: percentiles, minimum-data rules, 优良 ratio, attainment, index."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from envtargets import load_indicators, validate_observations
from envtargets.air import assess, percentiles

CONSTANT = {"so2": 10.0, "no2": 30.0, "co": 1.0, "pm10": 50.0, "pm25": 25.0, "o3_8h": 120.0}


def daily_table(start, days, stations=("S1",), **values):
    dates = pd.date_range(start, periods=days, freq="D")
    frame = pd.DataFrame(
        {"station": np.repeat(list(stations), days), "date": np.tile(dates, len(stations))}
    )
    for key, value in {**CONSTANT, **values}.items():
        frame[key] = value
    return frame


def observation(table, indicator, region="S1", period=None):
    rows = table[(table["indicator"] == indicator) & (table["region"] == region)]
    if period is not None:
        rows = rows[rows["period"] == period]
    assert len(rows) == 1
    return rows.iloc[0]


def test_percentile_example_of_the_standard():
    values = np.array([12, 15, 18, 20, 22, 25, 30, 35, 40, 60.0])
    assert percentiles(np.zeros(10, dtype=int), values, 1, 90)[0] == 42.0


@given(
    st.lists(st.floats(0, 500, allow_nan=False), min_size=1, max_size=40),
    st.sampled_from([90, 95, 98]),
)
def test_percentile_is_numpy_linear(values, pct):
    values = np.array(values)
    groups = np.arange(len(values)) % 3
    result = percentiles(groups, values, 4, pct)
    for group in range(3):
        chosen = values[groups == group]
        if len(chosen):
            assert result[group] == pytest.approx(np.percentile(chosen, pct))
    assert np.isnan(result[3])


@pytest.mark.parametrize(("valid_days", "valid"), [(24, False), (25, True)])
def test_february_needs_25_valid_days(valid_days, valid):
    table = daily_table("2025-02-01", 28)
    table.loc[valid_days:, "pm25"] = np.nan
    result = assess(table, "2025-02", "2012")
    row = observation(result, "pm25_annual_mean")
    assert row["valid_days"] == valid_days and row["valid"] == valid
    assert row["computed_value"] == 25.0
    assert (row["value"] == 25.0) if valid else np.isnan(row["value"])
    assert ("NOT VALID" in row["quote"]) != valid


@pytest.mark.parametrize(("valid_days", "valid"), [(26, False), (27, True)])
def test_other_months_need_27(valid_days, valid):
    table = daily_table("2025-03-01", 31)
    table.loc[valid_days:, "so2"] = np.nan
    assert observation(assess(table, "2025-03"), "so2_annual_mean")["valid"] == valid


def test_a_year_needs_324_days_and_every_month():
    table = daily_table("2025-01-01", 365)
    month, day = table["date"].dt.month, table["date"].dt.day

    def valid_with(keep):
        table["no2"] = np.where(keep, 30.0, np.nan)
        row = observation(assess(table, "2025"), "no2_annual_mean")
        return int(row["valid_days"]), bool(row["valid"])

    # The monthly minimum everywhere (27, February 25) makes 322 days.
    minimal = day <= np.where(month == 2, 25, 27)
    assert valid_with(minimal | ((month >= 11) & (day == 28))) == (324, True)
    assert valid_with(minimal | ((month == 12) & (day == 28))) == (323, False)
    march_short = (minimal & ~((month == 3) & (day == 27))) | ((month == 12) & (day >= 28))
    assert valid_with(march_short) == (325, False)


def test_good_day_ratio_reproduces_heyuan_2022():
    # 河源 2022: 空气质量优良率 96.2 % — 351 of 365 days.
    table = daily_table("2022-01-01", 365)
    table["aqi"] = np.where(np.arange(365) < 351, 80.0, 130.0)
    row = observation(assess(table, "2022", "2012"), "aqi_good_day_ratio")
    assert row["value"] == pytest.approx(100 * 351 / 365)
    assert round(row["value"], 1) == 96.2
    assert row["quote"].startswith("351 of 365 days")


def test_ratio_counts_only_days_with_a_valid_aqi():
    table = daily_table("2025-01-01", 31)
    table["aqi"] = [60.0] * 20 + [120.0] * 5 + [np.nan] * 6
    result = assess(table, "2025-01")
    assert observation(result, "aqi_good_day_ratio")["value"] == pytest.approx(80.0)
    assert observation(result, "aqi_valid_days")["value"] == 25


def test_aqi_computed_when_absent():
    table = daily_table("2025-01-01", 31, pm25=80.0)
    row = observation(assess(table, "2025-01", "2012"), "aqi_good_day_ratio")
    assert row["value"] == 0.0  # PM2.5 80 → IAQI 107, not good


def test_attainment_and_composite_index_by_hand():
    table = daily_table("2025-01-01", 365, pm25=40.0)
    result = assess(table, "2025", "2012")
    assert observation(result, "pm25_annual_mean")["within_limit"] == False  # noqa: E712
    assert observation(result, "pm25_24h_p95")["within_limit"] == True  # noqa: E712
    assert observation(result, "pm25_annual_mean")["attained"] == False  # noqa: E712
    assert observation(result, "so2_24h_p98")["attained"] == True  # noqa: E712
    overall = observation(result, "air_pollutants_attained")
    assert overall["value"] == 5 and overall["attained"] == False  # noqa: E712
    index = 10 / 60 + 30 / 40 + 50 / 70 + 40 / 35 + 1 / 4 + 120 / 160
    assert observation(result, "air_composite_index")["value"] == pytest.approx(index)
    weighted = 10 / 60 + 2 * 30 / 40 + 50 / 70 + 3 * 40 / 35 + 1 / 4 + 2 * 120 / 160
    assert observation(result, "air_composite_index_weighted")["value"] == pytest.approx(weighted)


def test_2026_limits_change_attainment():
    table = daily_table("2027-01-01", 365, pm25=32.0)
    transitional = assess(table, "2027")  # in force: 2026, transitional (PM2.5 30)
    final = assess(table, "2027", "2026-final")  # PM2.5 25
    old = assess(table, "2027", "2012")  # PM2.5 35
    assert observation(transitional, "pm25_annual_mean")["limit"] == 30
    assert observation(final, "pm25_annual_mean")["limit"] == 25
    assert observation(old, "pm25_annual_mean")["within_limit"] == True  # noqa: E712
    assert "transitional" in observation(transitional, "pm25_annual_mean")["standard"]


def test_stations_and_periods_in_one_table_that_validates():
    table = daily_table("2025-01-01", 273, stations=("S1", "S2"))
    table.loc[table["station"] == "S2", "pm25"] = 15.0
    table["aqi"] = 50.0
    result = assess(table, ["2025-01/2025-09", "2025-03"], source="test.csv")
    assert observation(result, "pm25_annual_mean", "S2", "2025-01/2025-09")["value"] == 15.0
    assert set(result["period"]) == {"2025-01/2025-09", "2025-03"}
    assert result["source"].str.startswith("test.csv; envtargets.air.assess").all()
    checked = validate_observations(result, load_indicators())
    assert len(checked) == len(result)


def test_region_column_for_cities_and_default_years():
    table = daily_table("2024-12-01", 62).rename(columns={"station": "region"})
    result = assess(table)
    assert set(result["period"]) == {"2024", "2025"}
    assert set(result["region"]) == {"S1"}
    assert not observation(result, "pm25_annual_mean", period="2024")["valid"]


def test_aqi_from_daily_values_uses_only_valid_ones():
    table = daily_table("2025-01-01", 31, pm25=80.0)
    table["pm25_valid"] = False
    table["pm10"] = 160.0  # IAQI 2012: 104, known to be > 100 without PM2.5
    row = observation(assess(table, "2025-01", "2012"), "aqi_valid_days")
    assert row["value"] == 31
    table["pm10"] = 50.0  # AQI ≤ 100 with PM2.5 missing: NA, not counted
    assert observation(assess(table, "2025-01", "2012"), "aqi_valid_days")["value"] == 0
