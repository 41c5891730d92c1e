"""Annual amounts, annual rates and periods that cross two calendar years.

Hand-worked: every number asserted is worked out in the comments
(docs/methodology.md, "Annual amounts and annual rates" and section 2).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from envtargets import load_indicators
from envtargets.evaluate import evaluate
from tests.test_evaluate import observations, one, targets

FACILITIES = "hazardous_waste_collection_facilities_built"  # measure: annual (bundled)
PETITIONS = "environmental_petitions_yoy_decrease"  # a year-on-year change: annual_rate


def facilities_target(**fields):
    # 新建3个以上危废收集转运设施 (2023 plan): at least 3 built within 2023
    row = {"indicator": FACILITIES, "comparator": ">=", "value": 3.0, "unit": "个"}
    return targets({**row, **fields})


def facilities(rows):
    return observations(rows, indicator=FACILITIES, unit="个")


# ------------------------------------------------------------------ annual amounts
def test_annual_amount_of_an_earlier_year_does_not_count():
    # 2022: 14 built. That says nothing about 2023, so there is no data for 2023.
    row = evaluate(facilities_target(baseline_year=2022), facilities([(2022, 14)])).iloc[0]
    assert row["status"] == "no_data"
    assert np.isnan(row["observed_value"])
    assert row["status_reason"] == (
        "no observation within 2023; the latest (2022) is an annual amount of an earlier "
        "year, which does not count towards this year's target"
    )
    assert pd.isna(row["cagr_ratio"]) and "do not apply" in row["method_note"]


def test_annual_amount_within_the_year_counts_from_zero():
    # January–June 2023: 1 built of 3 → progress 1/3 = 0.33 < time elapsed 6/12 = 0.5 → off track
    row = evaluate(facilities_target(), facilities([(2022, 14), ("2023-01/2023-06", 1)])).iloc[0]
    assert row["observed_value"] == 1.0 and row["provisional"]
    assert row["effective_baseline"] == 0.0
    assert row["baseline_origin"] == "start of target year"
    assert row["progress"] == pytest.approx(1 / 3)
    assert row["time_elapsed"] == pytest.approx(0.5)
    assert row["status"] == "off_track"


def test_annual_amount_for_the_full_target_year_decides():
    row = evaluate(facilities_target(), facilities([(2022, 14), (2023, 4)])).iloc[0]
    assert row["status"] == "achieved" and row["gap"] == 1.0  # 4 − 3


def test_a_level_indicator_still_uses_an_earlier_year():
    # PM2.5 is a level: the 2022 value (16) is the latest known state for a 2023 target.
    row = one({}, [(2022, 16)])
    assert row["observed_value"] == 16.0 and row["status"] != "no_data"


def test_the_trend_of_earlier_years_does_not_decide_an_annual_amount():
    # 10, 11, 12, 13 built in 2019–2022, then 1 in January–June 2023; target ≥ 3 in 2023.
    # The yearly counts rise by 1 a year: slope 1, line = year − 2009, 14 in 2023. That line
    # describes other years' amounts; it used to make this target on track ("the trend line
    # gives 14 in 2023"). Now only the pace within 2023 counts:
    # progress (1 − 0)/(3 − 0) = 0.33 < time elapsed (2023.5 − 2023)/(2023 − 2022) = 0.50.
    rows = [(2019 + i, 10 + i) for i in range(4)] + [("2023-01/2023-06", 1)]
    row = evaluate(facilities_target(), facilities(rows)).iloc[0]
    assert row["status"] == "off_track"
    assert row["status_reason"] == "progress 0.33 < time elapsed 0.50"  # no trend clause
    # The trend is still reported: S = 6, Var(S) = 4·3·13/18 = 26/3, Z = 5/√(26/3) = 1.698,
    # p = 0.0894 ≥ 0.05 → stable. It projects nothing.
    assert row["trend_slope"] == 1.0
    assert row["trend_p"] == pytest.approx(0.0894, abs=1e-4)
    assert row["trend_direction"] == "stable"
    assert np.isnan(row["projected_value"]) and pd.isna(row["projected_year_met"])


def test_a_full_year_annual_amount_has_no_projection_either():
    # 2023: 2 built of ≥ 3 → not achieved, whatever the 2019–2022 line says (14 in 2023).
    rows = [(2019 + i, 10 + i) for i in range(4)] + [(2023, 2)]
    row = evaluate(facilities_target(), facilities(rows)).iloc[0]
    assert row["status_reason"] == "full-year 2023 value 2 does not satisfy ≥ 3"
    assert np.isnan(row["projected_value"]) and pd.isna(row["projected_year_met"])
    assert row["trend_slope"] == 1.0  # 2019–2023: 10 11 12 13 2, median pairwise slope 1


def test_a_run_across_two_years_is_no_annual_amount_of_either():
    # 2022-10/2023-06 (4 built) mixes 2022 and 2023; January–March 2023 (1 built) is used:
    # progress 1/3 = 0.33 ≥ time elapsed (2023.25 − 2023)/(2023 − 2022) = 0.25 → on track.
    row = evaluate(
        facilities_target(), facilities([("2022-10/2023-06", 4), ("2023-01/2023-03", 1)])
    ).iloc[0]
    assert row["observed_period"] == "2023-01/2023-03"
    assert row["status_reason"] == "progress 0.33 ≥ time elapsed 0.25"
    # Alone, the run gives no data for 2023.
    row = evaluate(facilities_target(), facilities([("2022-07/2023-06", 5)])).iloc[0]
    assert (row["status"], row["status_reason"]) == ("no_data", "no observation within 2023")


# ------------------------------------------------------------------ annual rates
def rate_indicators():
    """The bundled indicators with the year-on-year decrease marked as an annual rate."""
    table = load_indicators()
    table.loc[table["indicator"] == PETITIONS, "measure"] = "annual_rate"
    return table


def petitions(rows, **fields):
    # 环境信访总量同比下降10%以上 (2023 plan): a decrease of at least 10 % on 2022
    row = {"indicator": PETITIONS, "comparator": ">=", "value": 10.0, "unit": "%"}
    frame = targets({**row, "baseline_year": 2022, **fields})
    obs = observations(rows, indicator=PETITIONS, unit="%")
    return evaluate(frame, obs, rate_indicators(), validate=False).iloc[0]


def test_an_annual_rate_of_an_earlier_year_does_not_count():
    # 2022: −23.1 % on 2021. It says nothing of 2023 on 2022.
    row = petitions([(2022, 23.1)])
    assert row["status"] == "no_data"
    assert row["status_reason"] == (
        "no observation within 2023; the latest (2022) is the rate of an earlier year, "
        "which does not count towards this year's target"
    )
    assert (
        row["status_reason_zh"]
        == "2023年内没有观测值；最新值（2022）是往年的变化率，不计入本年目标"
    )
    assert row["method_note"] == (
        "annual rate: growth-rate methods compare levels across years and do not apply"
    )


def test_a_partial_year_rate_is_compared_as_it_stands():
    # 2019–2022: 12, 15, 20, 23.1; January–June 2023: a decrease of 4 % (target ≥ 10 %).
    # As an `annual` amount this read as progress 4/10 = 0.40 < time elapsed 0.50 (off
    # track): as if 4 % were 40 % of the way to 10 %. A rate is not accumulated: no
    # baseline, no progress, no time elapsed, and the trend does not decide.
    rows = [(2019, 12), (2020, 15), (2021, 20), (2022, 23.1), ("2023-01/2023-06", 4)]
    row = petitions(rows)
    assert (row["status"], row["observed_value"], row["provisional"]) == ("not_assessable", 4, True)
    assert row["status_reason"] == (
        "latest value 4 (2023-01/2023-06) does not satisfy ≥ 10; a rate for part of the "
        "year is compared as it stands, without pacing or trend"
    )
    assert row["status_reason_zh"] == (
        "最新值4（2023-01/2023-06）不满足≥ 10；"
        "年内部分时段的变化率按原值比较，不按时间进度或趋势判断"
    )
    assert np.isnan(row["progress"]) and np.isnan(row["time_elapsed"])
    assert np.isnan(row["effective_baseline"]) and row["baseline_origin"] == ""
    # Pairwise slopes 3, 4, 3.7, 5, 4.05, 3.1 → median (3.7 + 4)/2 = 3.85 %/year; reported only.
    assert row["trend_slope"] == pytest.approx(3.85)
    assert np.isnan(row["projected_value"]) and pd.isna(row["projected_year_met"])
    assert row["shortfall"] == 6.0  # 10 − 4


@pytest.mark.parametrize(
    ("rows", "status", "reason"),
    [
        (
            [("2023-01/2023-06", 12)],
            "on_track",
            "latest value 12 (2023-01/2023-06) already satisfies ≥ 10",
        ),
        ([(2023, 9.5)], "not_achieved", "full-year 2023 value 9.5 does not satisfy ≥ 10"),
        ([(2023, 11)], "achieved", "full-year 2023 value 11 satisfies ≥ 10"),
    ],
)
def test_an_annual_rate_within_the_year(rows, status, reason):
    row = petitions([(2022, 23.1), *rows])
    assert (row["status"], row["status_reason"]) == (status, reason)


def test_an_annual_rate_ignores_a_given_baseline():
    # A baseline value on the target (the 2022 rate) is not a starting point for 2023's rate.
    row = petitions([("2023-01/2023-06", 4)], baseline_value=23.1)
    assert np.isnan(row["effective_baseline"]) and np.isnan(row["progress"])
    assert row["status"] == "not_assessable"


# ------------------------------------------------------------------ runs across two years
def test_a_run_across_two_years_is_not_the_target_year():
    # 2024-07/2025-12 ends with 2025 but is not the calendar year 2025: it used to count as
    # the full year (achieved, not provisional). Now it is a provisional value: 14 ≤ 15.
    row = one({"target_year": 2025}, [("2024-07/2025-12", 14.0)])
    assert (row["status"], bool(row["provisional"])) == ("on_track", True)
    assert row["status_reason"] == "latest value 14 (2024-07/2025-12) already satisfies ≤ 15"


def test_the_calendar_year_beats_a_longer_run_ending_with_it():
    # Both end in December 2025; the 18-month run is longer but the calendar year decides.
    row = one({"target_year": 2025}, [(2025, 16.0), ("2024-07/2025-12", 14.0)])
    assert (row["observed_period"], row["status"]) == ("2025", "not_achieved")
    assert row["status_reason"] == "full-year 2025 value 16 does not satisfy ≤ 15"


def test_the_reference_loop_agrees_on_annual_amounts_rates_and_cross_year_runs(monkeypatch):
    # benchmarks/reference_loop.py re-derives every rule target by target; its table must
    # match evaluate's on a panel with every measure and runs across two years.
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "benchmarks"))
    from bench_evaluate import differences, make_panel
    from reference_loop import evaluate_loop

    indicators, frame, obs = make_panel(0.004, seed=5)
    rates = indicators["indicator"].str.startswith("complaints")
    indicators.loc[rates, "measure"] = "annual_rate"
    assert {"level", "annual", "annual_rate"} <= set(indicators["measure"])
    assert (obs["period"] == "2024-10/2025-09").any()
    fast = evaluate(frame, obs, indicators, validate=False).drop(columns="status_reason_zh")
    slow = evaluate_loop(frame, obs, indicators).drop(columns="status_reason_zh")
    assert differences(fast, slow) == []
