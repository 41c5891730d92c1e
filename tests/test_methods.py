import numpy as np
import pytest

from envtargets import methods


def test_compound_annual_growth_rate():
    # PM2.5 18 → 16 µg/m³ in one year: 16/18 − 1 = −0.1111
    assert methods.compound_annual_growth_rate(18, 16, 1) == pytest.approx(-1 / 9)
    # 20 → 16 over 5 years: 0.8^(1/5) − 1 = −0.043648
    assert methods.compound_annual_growth_rate(20, 16, 5) == pytest.approx(-0.043648, abs=1e-6)
    # Undefined for a negative start or end, or no time between them.
    rates = methods.compound_annual_growth_rate([-2, 5, 5], [3, -1, 6], [2, 2, 0])
    assert np.isnan(rates).all()


def test_linear_annual_rate():
    # 95.2 − 90.5 = 4.7 percentage points in one year (Shenzhen water sections 2021→2022)
    assert methods.linear_annual_rate(90.5, 95.2, 1) == pytest.approx(4.7)
    assert np.isnan(methods.linear_annual_rate(1, 2, 0))


def test_quantified_target_worked_example():
    # Lower is better: baseline 20 (2015), latest 16 (2020), target 10 in 2030.
    # Observed CAGR 0.8^(1/5) − 1 = e^(−0.0446287) − 1 = −0.0436475;
    # required 0.5^(1/15) − 1 = e^(−0.0462098) − 1 = −0.0451583.
    # R = (−1)(−0.0436475)/|−0.0451583| = 0.96654 ≥ 0.95 → on_track.
    observed = methods.compound_annual_growth_rate(20, 16, 5)
    required = methods.compound_annual_growth_rate(20, 10, 15)
    ratio = methods.rate_ratio(observed, required, -1)
    assert required == pytest.approx(-0.0451583, abs=1e-7)
    assert ratio == pytest.approx(0.96654, abs=1e-5)
    assert methods.cagr_category(ratio, False)[()] == "on_track"
    # Linear: (16 − 20)/5 = −0.8 a year against (10 − 20)/15 = −0.6667 → R = 1.2 → on_track.
    linear = methods.rate_ratio(
        methods.linear_annual_rate(20, 16, 5), methods.linear_annual_rate(20, 10, 15), -1
    )
    assert linear == pytest.approx(1.2)
    assert methods.sdsn_trend(linear, False)[()] == "on_track"


def test_baseline_already_beyond_the_target_and_worsening():
    # Lower is better, baseline 12 (2020) already ≤ 15, latest 16 (2021), target year 2023.
    # Observed CAGR 16/12 − 1 = 0.3333, required (15/12)^(1/3) − 1 = 0.07722.
    # R = (−1)(0.33333)/0.077217 = −4.3168 → deterioration (a plain ratio would say on_track).
    observed = methods.compound_annual_growth_rate(12, 16, 1)
    required = methods.compound_annual_growth_rate(12, 15, 3)
    ratio = methods.rate_ratio(observed, required, -1)
    assert ratio == pytest.approx(-4.3168, abs=1e-4)
    assert methods.cagr_category(ratio, False)[()] == "deterioration"


def test_zero_values_are_replaced_as_open_sdg_does():
    np.testing.assert_array_equal(methods.replace_zero([0.0, 2.0]), [0.001, 2.0])
    # Baseline 0 → 0.001: growth to 5 in 5 years is (5/0.001)^(1/5) − 1 = 4999^… = 4.49280
    rate = methods.compound_annual_growth_rate(methods.replace_zero(0.0), 5.0, 5)
    assert rate == pytest.approx(5000**0.2 - 1)


@pytest.mark.parametrize(
    ("ratio", "achieved", "category"),
    [
        (np.nan, True, "target_achieved"),
        (-3.0, True, "target_achieved"),
        (0.95, False, "on_track"),
        (2.0, False, "on_track"),
        (0.9499, False, "progress_needs_acceleration"),
        (0.6, False, "progress_needs_acceleration"),
        (0.5999, False, "limited_progress"),
        (0.0, False, "limited_progress"),
        (-0.0001, False, "deterioration"),
        (np.nan, False, None),
    ],
)
def test_cagr_category_thresholds(ratio, achieved, category):
    assert methods.cagr_category(ratio, achieved)[()] == category


@pytest.mark.parametrize(
    ("ratio", "achieved", "trend"),
    [
        (np.nan, True, "on_track"),
        (1.0, False, "on_track"),
        (0.9999, False, "moderately_improving"),
        (0.5, False, "moderately_improving"),
        (0.4999, False, "stagnating"),
        (0.0, False, "stagnating"),
        (-0.2, False, "decreasing"),
        (np.nan, False, None),
    ],
)
def test_sdsn_trend_thresholds(ratio, achieved, trend):
    assert methods.sdsn_trend(ratio, achieved)[()] == trend


@pytest.mark.parametrize(
    ("growth", "direction", "category"),
    [
        (0.02, 1, "significant_progress"),
        (0.0101, 1, "significant_progress"),
        (0.01, 1, "moderate_progress"),
        (0.0, 1, "moderate_progress"),
        (-0.005, 1, "moderate_movement_away"),
        (-0.01, 1, "moderate_movement_away"),
        (-0.02, 1, "significant_movement_away"),
        (-0.02, -1, "significant_progress"),  # a falling value where lower is better
        (0.005, -1, "moderate_movement_away"),
        (0.02, np.nan, None),  # direction unknown
    ],
)
def test_no_target_category(growth, direction, category):
    assert methods.no_target_category(growth, direction)[()] == category


def test_rate_ratio_needs_a_required_rate_and_a_direction():
    ratios = methods.rate_ratio([0.1, 0.1, np.nan], [0.0, 0.2, 0.2], [1, np.nan, 1])
    assert np.isnan(ratios).all()


def test_vectorised_over_arrays():
    ratios = np.array([1.2, 0.7, 0.1, -1.0])
    np.testing.assert_array_equal(
        methods.cagr_category(ratios, np.zeros(4, dtype=bool)),
        ["on_track", "progress_needs_acceleration", "limited_progress", "deterioration"],
    )


def test_categories_broadcast_a_ratio_against_several_verdicts():
    achieved = np.array([True, False])
    assert methods.cagr_category(0.5, achieved).tolist() == ["target_achieved", "limited_progress"]
    assert methods.sdsn_trend(0.5, achieved).tolist() == ["on_track", "moderately_improving"]
    grid = methods.cagr_category(np.array([[0.5], [2.0]]), achieved)
    assert grid.tolist() == [
        ["target_achieved", "limited_progress"],
        ["target_achieved", "on_track"],
    ]
