"""Period assessment: percentiles, minimum-data rules, 优良 ratio, attainment, index."""

import re

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
    # A statistic that is not valid has no number, computed or not.
    assert (row["value"] == 25.0) if valid else np.isnan(row["value"])
    assert (row["computed_value"] == 25.0) if valid else np.isnan(row["computed_value"])
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
    table["aqi"] = [60.0] * 23 + [120.0] * 5 + [np.nan] * 3
    result = assess(table, "2025-01")
    assert observation(result, "aqi_good_day_ratio")["value"] == pytest.approx(100 * 23 / 28)
    assert observation(result, "aqi_valid_days")["value"] == 28


def test_ratio_needs_the_minimum_valid_days():
    # 26 days with a valid AQI in January: the ratio is not valid (27 needed), the
    # count of valid days is still reported.
    table = daily_table("2025-01-01", 31)
    table["aqi"] = [60.0] * 26 + [np.nan] * 5
    result = assess(table, "2025-01")
    for indicator in ("aqi_good_day_ratio", "aqi_good_days", "aqi_heavy_pollution_days"):
        row = observation(result, indicator)
        assert not row["valid"] and np.isnan(row["value"]) and np.isnan(row["computed_value"])
        assert "NOT VALID" in row["quote"]
    assert observation(result, "aqi_valid_days")["value"] == 26


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
    # Without periods: the months the data cover in each year, never the whole year.
    assert set(result["period"]) == {"2024-12", "2025-01"}
    assert set(result["region"]) == {"S1"}
    assert observation(result, "pm25_annual_mean", period="2024-12")["valid"]


def test_aqi_from_daily_values_uses_only_valid_ones():
    table = daily_table("2025-01-01", 31, pm25=80.0)
    table["pm25_valid"] = False
    table["pm10"] = 160.0  # IAQI 2012: 104, known to be > 100 without PM2.5
    row = observation(assess(table, "2025-01", "2012"), "aqi_valid_days")
    assert row["value"] == 31
    table["pm10"] = 50.0  # AQI ≤ 100 with PM2.5 missing: NA, not counted
    assert observation(assess(table, "2025-01", "2012"), "aqi_valid_days")["value"] == 0


def _quote_numbers(pattern, quote):
    found = re.search(pattern, quote)
    assert found, (pattern, quote)
    return [float(x) for x in found.groups()]


def test_every_quote_is_built_from_the_numbers_of_its_row():
    # A full year at S1 (varying values) and three March days at S2: valid and invalid rows
    # of every kind, from the default periods (2025 and 2025-03) and a named one.
    year = daily_table("2025-01-01", 365)
    step = np.arange(365)
    year["pm25"] = 20.0 + step % 60
    year["so2"] = 5.0 + step % 17 / 10
    year["o3_8h"] = 80.0 + step % 90
    year["o3_1h"] = year["o3_8h"] + 20
    short = daily_table("2025-03-10", 3, stations=("S2",), pm25=100.0)
    short["o3_1h"] = 140.0
    table = pd.concat([year, short], ignore_index=True)
    result = pd.concat([assess(table, standard="2012"), assess(table, "2025-01/2025-06", "2012")])
    kinds = set()
    for row in result.itertuples():
        quote, valid = row.quote, bool(row.valid)
        assert ("NOT VALID" in quote) != valid, quote
        assert np.isnan(row.value) != valid and np.isnan(row.computed_value) != valid
        if row.indicator in ("aqi_good_day_ratio", "aqi_good_days", "aqi_heavy_pollution_days"):
            counted, n = _quote_numbers(r"^(\d+) of (\d+) days with a valid daily AQI", quote)
            assert n == row.valid_days
            if valid and row.indicator == "aqi_good_day_ratio":
                assert row.value == pytest.approx(100 * counted / n)
                assert f"= {row.value:g} %" in quote
            elif valid:
                assert counted == row.value
        elif row.indicator == "aqi_valid_days":
            value, days = _quote_numbers(r"^(\d+) of (\d+) calendar days", quote)
            assert (value, days) == (row.value, row.days)
        elif row.indicator.startswith("air_composite_index"):
            terms = re.findall(r"(SO2|NO2|PM10|PM2\.5|CO|O3_8h) (?:mean|P\d+)/([\d.]+)", quote)
            assert len(terms) == 6
            if valid:
                ids = ["so2_annual_mean", "no2_annual_mean", "pm10_annual_mean"]
                ids += ["pm25_annual_mean", "co_24h_p95", "o3_8h_p90"]
                same = result[(result["region"] == row.region) & (result["period"] == row.period)]
                values = same.set_index("indicator").loc[ids, "value"].to_numpy()
                weights = np.ones(6)
                if row.indicator.endswith("weighted"):
                    weights = np.array([1, 2, 1, 3, 1, 2])
                limits = np.array([float(limit) for _, limit in terms])
                assert row.value == pytest.approx((weights * values / limits).sum())
        elif row.indicator == "air_pollutants_attained":
            if valid:
                assert _quote_numbers(r"^(\d+) pollutants \(of six\)", quote) == [row.value]
        else:
            n, bound = _quote_numbers(
                r"of (\d+) valid daily .*limit \(grade 2, [^)]*\) ([\d.]+)", quote
            )
            assert (n, bound) == (row.valid_days, row.limit)
        assert f"{row.period}"[:4] in quote
        kinds.add((row.indicator, valid))
    # every indicator appears, valid and not valid
    assert {k for k, v in kinds if v} == {k for k, v in kinds if not v} | {"aqi_valid_days"}
