import math
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from envtargets.trend import series_statistics, trend
from tests.conftest import INFERRED_INDICATOR

PM25 = "pm25_annual_mean"
INDICATORS = pd.DataFrame(
    {
        "indicator": [PM25, "aqi_good_day_ratio"],
        "unit": ["microgram / meter ** 3", "percent"],
        "better": ["lower", "higher"],
    }
)


def observations(rows, indicator=PM25, region="深圳", unit="µg/m³"):
    """Observation frame from (period, value) pairs."""
    return pd.DataFrame(
        {
            "indicator": indicator,
            "region": region,
            "period": [str(p) for p, _ in rows],
            "value": [v for _, v in rows],
            "unit": unit,
        }
    )


def mann_kendall(y):
    """Hand-written Mann–Kendall test: S, tie-corrected variance, two-sided p."""
    n = len(y)
    s = sum(np.sign(y[j] - y[i]) for i in range(n) for j in range(i + 1, n))
    _, ties = np.unique(y, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    z = 0.0 if s == 0 else (s - np.sign(s)) / math.sqrt(var)
    return s, var, 2 * stats.norm.sf(abs(z))


def test_hand_worked_falling_series():
    # PM2.5 falls by exactly 1 µg/m³ a year: 20, 19, 18, 17, 16 (2018–2022).
    # Every pairwise slope is −1, so slope = low = high = −1;
    # intercept = median(y) − slope · median(x) = 18 + 2020 = 2038.
    # S = −(5·4/2) = −10; Var(S) = 5·4·15/18 = 50/3; Z = (−10 + 1)/√(50/3) = −2.2045;
    # p = 2·Φ(−2.2045) = 0.02749 < 0.05, falling and lower is better → improving.
    table = trend(observations([(2018 + i, 20 - i) for i in range(5)]), INDICATORS)
    row = table.iloc[0]
    assert (row.n_points, row.first_year, row.last_year) == (5, 2018, 2022)
    assert (row.slope, row.slope_low, row.slope_high) == (-1.0, -1.0, -1.0)
    assert row.intercept == pytest.approx(2038.0)
    assert (row.mk_s, row.mk_var) == (-10, pytest.approx(50 / 3))
    assert row.p_value == pytest.approx(0.02749, abs=1e-5)
    assert row.direction == "improving"
    assert row.unit == "microgram / meter ** 3"


def test_ties_in_values():
    # y = 1, 2, 2, 3 at 2020–2023. Signs of the 6 pairs: +, +, +, 0, +, + → S = 5.
    # Ties: one group of 2 → Var(S) = (4·3·13 − 2·1·9)/18 = 138/18 = 7.6667.
    # Z = (5 − 1)/√7.6667 = 1.4446 → p = 0.1486 ≥ 0.05 → stable.
    # Slopes 1, 1/2, 2/3, 0, 1/2, 1 → sorted 0, 1/2, 1/2, 2/3, 1, 1 → median (1/2 + 2/3)/2.
    table = trend(observations([(2020, 1), (2021, 2), (2022, 2), (2023, 3)]), INDICATORS)
    row = table.iloc[0]
    assert row.mk_s == 5
    assert row.mk_var == pytest.approx(138 / 18)
    assert row.p_value == pytest.approx(0.1486, abs=1e-4)
    assert row.slope == pytest.approx(7 / 12)
    assert row.direction == "stable"


@pytest.mark.parametrize(
    ("rows", "n_points"),
    [
        ([(2021, 18), (2022, 16)], 2),  # two points: too few
        ([(2022, 16), ("2025-01/2025-09", 15.1), ("2024-06", 14.0)], 1),  # partial years ignored
        ([("2025-01/2025-09", 15.1)], 0),  # no full year at all
    ],
)
def test_too_few_full_years(rows, n_points):
    row = trend(observations(rows), INDICATORS).iloc[0]
    assert row.n_points == n_points
    assert np.isnan([row.slope, row.slope_low, row.slope_high, row.p_value, row.mk_s]).all()
    assert row.direction == "insufficient_data"


@INFERRED_INDICATOR  # not_listed, not_listed_2
def test_direction_relative_to_better_and_unknown():
    rising = [(2015 + i, 50 + 2 * i) for i in range(8)]
    frames = [
        observations(rising, indicator="aqi_good_day_ratio", unit="%"),  # higher is better
        observations(rising),  # PM2.5 rising: lower is better
        observations(rising, indicator="not_listed", unit="个"),  # direction unknown
        observations([(2015 + i, 50 - 2 * i) for i in range(8)], indicator="not_listed_2"),
    ]
    table = trend(pd.concat(frames), INDICATORS).set_index("indicator")
    assert table.loc["aqi_good_day_ratio", "direction"] == "improving"
    assert table.loc[PM25, "direction"] == "worsening"
    assert table.loc["not_listed", "direction"] == "increasing"
    assert table.loc["not_listed_2", "direction"] == "decreasing"
    # Without a listed unit the series keeps its first observation's unit.
    assert table.loc["not_listed", "unit"] == "个"


def test_mixed_units_are_converted_to_the_indicator_unit():
    # 0.020, 0.019 … mg/m³ are 20, 19 … µg/m³: slope −1 µg/m³ per year.
    rows = observations([(2018 + i, 20.0 - i) for i in range(5)])
    rows.loc[[0, 2], "value"] = [0.020, 0.018]
    rows.loc[[0, 2], "unit"] = "mg/m3"
    row = trend(rows, INDICATORS).iloc[0]
    assert row.slope == pytest.approx(-1.0)
    assert row.mk_s == -10


def test_duplicate_year_keeps_the_last_row_and_regions_are_separate():
    first = observations([(2018, 30), (2019, 20), (2019, 19), (2020, 18), (2021, 17)])
    second = observations([(2018 + i, 10 + i) for i in range(4)], region="河源")
    table = trend(pd.concat([first, second]), INDICATORS).set_index("region")
    assert table.loc["深圳", "n_points"] == 4
    assert table.loc["深圳", "slope"] == pytest.approx(stats.theilslopes([30, 19, 18, 17]).slope)
    assert table.loc["河源", "slope"] == 1.0


def _random_series(rng, count):
    sizes = rng.integers(1, 30, size=count)
    x = np.concatenate(
        [np.sort(rng.choice(np.arange(1980, 2040), size=n, replace=False)) for n in sizes]
    ).astype(float)
    y = np.round(rng.normal(20, 4, size=sizes.sum()), 0)  # rounded: plenty of ties
    return sizes, x, y


@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_random_series_match_scipy_and_hand_mann_kendall(alpha):
    rng = np.random.default_rng(20230601)
    sizes, x, y = _random_series(rng, 300)
    result = series_statistics(sizes, x, y, alpha)
    starts = np.cumsum(sizes) - sizes
    for k in np.flatnonzero(sizes >= 3)[:120]:
        xs, ys = x[starts[k] : starts[k] + sizes[k]], y[starts[k] : starts[k] + sizes[k]]
        expected = stats.theilslopes(ys, xs, alpha=1 - alpha)
        s, var, p = mann_kendall(ys)
        got = [result[name][k] for name in ("slope", "intercept", "slope_low", "slope_high")]
        np.testing.assert_allclose(got, list(expected), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(
            [result["mk_s"][k], result["mk_var"][k], result["p_value"][k]], [s, var, p]
        )
    assert np.isnan(result["slope"][sizes < 3]).all()


def test_chunking_does_not_change_results(monkeypatch):
    # The package exposes the function trend under the module's name, so take
    # the module itself from sys.modules.
    trend_module = sys.modules["envtargets.trend"]
    rng = np.random.default_rng(7)
    sizes, x, y = _random_series(rng, 200)
    whole = series_statistics(sizes, x, y)
    monkeypatch.setattr(trend_module, "_MAX_PAIRS", 50)  # many small chunks
    chunked = series_statistics(sizes, x, y)
    for name in whole:
        np.testing.assert_array_equal(whole[name], chunked[name])


@INFERRED_INDICATOR  # pm25_in_no_table
def test_the_bundled_indicators_are_the_default_as_in_evaluate():
    # PM2.5 written in mg/m³: 0.020 … 0.016 in 2018–2022, no indicators table given.
    # The bundled list gives the canonical unit (µg/m³: 20 … 16, slope −1 per year, as in
    # test_hand_worked_falling_series, p = 0.0275) and lower-is-better: improving.
    rows = observations([(2018 + i, (20 - i) / 1000) for i in range(5)], unit="mg/m3")
    row = trend(rows).iloc[0]
    assert (row.unit, row.slope, row.direction) == ("microgram / meter ** 3", -1.0, "improving")
    # A user's table extends the bundled one: an empty one changes nothing.
    none = pd.DataFrame(columns=["indicator", "unit", "better"])
    row = trend(rows, none).iloc[0]
    assert (row.unit, row.slope, row.direction) == ("microgram / meter ** 3", -1.0, "improving")
    # An indicator in no table: the first row's unit, direction unknown.
    row = trend(rows.assign(indicator="pm25_in_no_table")).iloc[0]
    assert (row.unit, row.direction) == ("mg/m3", "decreasing")
    assert row.slope == pytest.approx(-0.001)
