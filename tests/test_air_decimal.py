"""Means compared and rounded as the exact decimals they stand for (GB/T 8170, GB 3095)."""

from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from envtargets._monitoring import exact_decimal, round_half_even
from envtargets.air import assess, daily, eight_hour_means
from envtargets.air.daily import _daily_mean
from envtargets.air.standards import round_concentration
from tests.test_air_assess import daily_table, observation
from tests.test_air_daily import wide


def _decimal_mean(scaled: list[int], decimals: int) -> Decimal:
    return sum(Decimal(v).scaleb(-decimals) for v in scaled) / len(scaled)


def _decimal_round(value: Decimal, places: int) -> float:
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))


@given(
    scaled=st.lists(st.integers(0, 99_999), min_size=1, max_size=24),
    decimals=st.sampled_from([1, 2]),
    pollutant=st.sampled_from(["co", "pm25"]),
)
def test_rounded_daily_mean_is_the_decimal_one(scaled, decimals, pollutant):
    line = np.full((1, 1, 24), np.nan)
    line[0, 0, : len(scaled)] = [v / 10**decimals for v in scaled]
    mean, hours = _daily_mean(line)
    assert hours[0, 0] == len(scaled)
    places = 1 if pollutant == "co" else 0
    expected = _decimal_round(_decimal_mean(scaled, decimals), places)
    assert round_concentration(pollutant, mean)[0, 0] == expected


@given(
    scaled=st.lists(st.integers(0, 9_999), min_size=8, max_size=8),
    decimals=st.sampled_from([1, 2]),
)
def test_rounded_eight_hour_mean_is_the_decimal_one(scaled, decimals):
    o3 = np.zeros((1, 24))
    o3[0, :8] = [v / 10**decimals for v in scaled]
    means, counts = eight_hour_means(o3, 1, "day")
    assert counts[0, 0, 0] == 8
    expected = _decimal_round(_decimal_mean(scaled, decimals), 0)
    assert round_concentration("o3", means[0, 0, :1])[0] == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (0.9499999999999998, 1, 1.0),  # 0.95 as the float mean gives it
        (0.95, 1, 1.0),
        (0.85, 1, 0.8),  # GB/T 8170: half to the even digit
        (45.5, 0, 46.0),
        (44.5, 0, 44.0),
        (44.49, 0, 44.0),
        (np.nan, 0, np.nan),
    ],
)
def test_round_half_even_on_the_decimal(value, places, expected):
    np.testing.assert_equal(round_half_even(value, places), expected)


def test_exact_decimal_leaves_extreme_values_alone():
    values = np.array([0.0, 5e-324, 1e300, np.inf, -0.9499999999999998])
    np.testing.assert_array_equal(exact_decimal(values), [0.0, 5e-324, 1e300, np.inf, -0.95])


def test_co_tie_of_the_issue():
    # Twelve hours of CO 0.9 and twelve of 1.0 mg/m³: 0.95 exactly, rounded to 1.0
    # under HJ 633—2026 → IAQI 50/2 × 1.0 = 25 (the float 0.9499999999999998 gave 0.9 → 23).
    frame = wide(days=1, start="2026-03-02")
    frame["CO"] = [0.9] * 12 + [1.0] * 12
    row = daily(frame, "2026").iloc[0]
    assert row["co"] == 0.95
    assert row["iaqi_co"] == 25


def test_period_mean_at_the_limit_is_within_it():
    # 6 days of PM2.5 30.0 and 25 of 36.2: (180 + 905) / 31 = 35 exactly, the GB 3095—2012
    # grade-2 annual limit; the float sum gives 35.000000000000014.
    table = daily_table("2025-03-01", 31, pm25=np.r_[np.full(6, 30.0), np.full(25, 36.2)])
    row = observation(assess(table, "2025-03", "2012"), "pm25_annual_mean")
    assert row["value"] == 35.0
    assert bool(row["within_limit"]) and bool(row["attained"])


def test_percentile_is_the_decimal_one():
    # P95 of 0.1, 0.2 … 3.1 (n = 31): k = 1 + 30 × 0.95 = 29.5, so 2.9 + 0.5 × 0.1 = 2.95.
    table = daily_table("2025-03-01", 31, co=np.arange(1, 32) / 10)
    row = observation(assess(table, "2025-03", "2012"), "co_24h_p95")
    assert row["value"] == 2.95


@given(
    tenths=st.lists(st.integers(300, 400), min_size=30, max_size=30),
    pollutant=st.sampled_from(["pm25", "pm10", "so2"]),
)
def test_a_period_mean_exactly_at_the_limit_is_within_it(tenths, pollutant):
    # 31 March days with one decimal whose exact mean is the GB 3095—2012 grade-2 annual
    # limit (PM2.5 35, PM10 70, SO2 60 µg/m³): the statistic is within the limit.
    bound = {"pm25": 35, "pm10": 70, "so2": 60}[pollutant]
    scaled = [t * bound // 35 for t in tenths]
    scaled.append(bound * 10 * 31 - sum(scaled))
    assume(scaled[-1] >= 0)
    assert _decimal_mean(scaled, 1) == bound
    table = daily_table("2025-03-01", 31, **{pollutant: np.array(scaled) / 10})
    row = observation(assess(table, "2025-03", "2012"), f"{pollutant}_annual_mean")
    assert row["value"] == bound and bool(row["within_limit"])
