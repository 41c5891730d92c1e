import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from envtargets import ValidationError, load_observations, load_targets
from envtargets.evaluate import ADDED_COLUMNS, evaluate
from envtargets.tables import TARGET_COLUMNS
from tests.conftest import INFERRED_INDICATOR

PM25, AQI, WATER_USE = "pm25_annual_mean", "aqi_good_day_ratio", "water_use_per_10k_yuan_gdp"


def targets(*rows):
    """Targets frame; each row overrides a PM2.5 ≤ 15 µg/m³ target for 2023 in 深圳."""
    base = {
        "target_id": "t",
        "indicator": PM25,
        "region": "深圳",
        "comparator": "<=",
        "value": 15.0,
        "unit": "µg/m³",
        "target_year": 2023,
    }
    frame = pd.DataFrame([{**base, "target_id": f"t{i}", **row} for i, row in enumerate(rows)])
    return frame


def observations(rows, indicator=PM25, region="深圳", unit="µg/m³"):
    """Observations frame from (period, value) pairs."""
    return pd.DataFrame(
        {
            "indicator": indicator,
            "region": region,
            "period": [str(period) for period, _ in rows],
            "value": [float(value) for _, value in rows],
            "unit": unit,
        }
    )


def one(target_fields, rows, **observation_fields):
    return evaluate(targets(target_fields), observations(rows, **observation_fields)).iloc[0]


# --------------------------------------------------------------------- comparators
@INFERRED_INDICATOR  # some_share is in no indicators table
@pytest.mark.parametrize(
    ("comparator", "value", "upper", "observed", "satisfied", "shortfall", "gap"),
    [
        ("<=", 15, None, 15, True, 0, 0),  # at the threshold: ≤ holds
        ("<=", 15, None, 16, False, 1, 1),  # Shenzhen 2022: 16 − 15 = 1
        ("<", 15, None, 15, False, 0, 0),  # strict at equality: fails, yet nothing left to cut
        ("<", 15, None, 14.5, True, 0, -0.5),
        (">=", 95.5, None, 95.5, True, 0, 0),
        (">=", 95.5, None, 94.1, False, 1.4, -1.4),  # 95.5 − 94.1 = 1.4
        (">", 35, None, 35, False, 0, 0),  # strict at equality
        (">", 35, None, 36, True, 0, 1),
        ("==", 100, None, 100, True, 0, 0),
        ("==", 100, None, 98, False, 2, -2),  # |98 − 100| = 2
        ("between", 6, 9, 7.5, True, 0, 1.5),  # gap is measured from the lower bound
        ("between", 6, 9, 9, True, 0, 3),  # bounds are inclusive
        ("between", 6, 9, 5, False, 1, -1),  # 6 − 5 = 1 below the range
        ("between", 6, 9, 9.4, False, 0.4, 3.4),  # 9.4 − 9 = 0.4 above the range
    ],
)
def test_comparators(comparator, value, upper, observed, satisfied, shortfall, gap):
    fields = {"indicator": "some_share", "unit": "%", "comparator": comparator, "value": value}
    if upper is not None:
        fields["upper"] = upper
    row = one(fields, [(2023, observed)], indicator="some_share", unit="%")
    assert row.satisfied == satisfied
    assert row.shortfall == pytest.approx(shortfall, abs=1e-12)
    assert row.gap == pytest.approx(gap, abs=1e-12)
    assert row.status == ("achieved" if satisfied else "not_achieved")
    assert row.gap_unit == "percentage_point"  # a difference of two percentages


# --------------------------------------------------------------------- every status
def test_no_data_when_observations_only_after_the_target_year():
    # AQI good-day ratio ≥ 95.5 % in 2023; the only figures are for 2024 and 2025-01/09.
    row = one(
        {"indicator": AQI, "comparator": ">=", "value": 95.5, "unit": "%"},
        [(2024, 97.0), ("2025-01/2025-09", 96.0)],
        indicator=AQI,
        unit="%",
    )
    assert row.status == "no_data"
    assert row.status_reason == "no observation ends by the end of 2023"
    assert np.isnan(row.observed_value) and pd.isna(row.satisfied) and pd.isna(row.provisional)


def test_achieved_and_not_achieved_use_the_full_target_year():
    # Target ≤ 15 in 2023; the 2023 value 16 decides, the later 2024-01/03 figure is ignored.
    row = one({}, [(2022, 14.0), (2023, 16.0), ("2024-01/2024-03", 12.0)])
    assert (row.status, row.observed_period, row.observed_value) == ("not_achieved", "2023", 16)
    assert row.status_reason == "full-year 2023 value 16 does not satisfy ≤ 15"
    row = one({"value": 16.0}, [(2023, 16.0)])
    assert row.status_reason == "full-year 2023 value 16 satisfies ≤ 16"


def test_on_track_because_the_latest_value_already_satisfies():
    # Shenzhen 2025 target PM2.5 ≤ 20; 2025 months 1–9: 15.1 µg/m³ (a partial year).
    row = one({"value": 20.0, "target_year": 2025}, [(2022, 16.0), ("2025-01/2025-09", 15.1)])
    assert row.status == "on_track"
    assert bool(row.provisional) is True
    assert row.observed_value == 15.1
    assert row.gap == pytest.approx(-4.9)
    assert row.status_reason == "latest value 15.1 (2025-01/2025-09) already satisfies ≤ 20"


def test_on_track_by_progress_against_time_elapsed():
    # ≤ 15 in 2023 from a 2021 baseline of 18; 2022 value 16.
    # progress = (16 − 18)/(15 − 18) = 0.667; time elapsed = (2023 − 2022)/(2024 − 2022) = 0.5
    row = one({"baseline_year": 2021, "baseline_value": 18.0}, [(2022, 16.0)])
    assert row.progress == pytest.approx(2 / 3)
    assert row.time_elapsed == pytest.approx(0.5)
    assert row.status == "on_track"
    assert row.status_reason == "progress 0.67 ≥ time elapsed 0.50"
    assert (row.effective_baseline, row.baseline_origin) == (18.0, "target")


def test_off_track_by_progress():
    # ≤ 12 in 2023 from 18 in 2021; 2022 value 16: progress = (16 − 18)/(12 − 18) = 0.333 < 0.5
    row = one({"value": 12.0, "baseline_year": 2021, "baseline_value": 18.0}, [(2022, 16.0)])
    assert row.progress == pytest.approx(1 / 3)
    assert row.status == "off_track"
    assert row.status_reason == "progress 0.33 < time elapsed 0.50"


def test_lower_is_better_with_baseline_and_partial_year():
    # Water use ≤ 6 m³/10⁴ yuan by 2025 from 8.0 in 2020; months 1–9 of 2025: 6.5.
    # progress = (6.5 − 8)/(6 − 8) = 0.75
    # time elapsed = (2025 + 9/12 − 2021)/(2026 − 2021) = 4.75/5 = 0.95 → off track
    fields = {"indicator": WATER_USE, "value": 6.0, "unit": "立方米/万元", "target_year": 2025}
    fields |= {"baseline_year": 2020, "baseline_value": 8.0}
    row = one(fields, [("2025-01/2025-09", 6.5)], indicator=WATER_USE, unit="m³/万元")
    assert row.progress == pytest.approx(0.75)
    assert row.time_elapsed == pytest.approx(0.95)
    assert row.status == "off_track"
    assert row.status_reason == "progress 0.75 < time elapsed 0.95"


def test_on_track_by_trend_projection():
    # No baseline; PM2.5 20, 19, 18, 17, 16 in 2018–2022 (−1 a year), target ≤ 15 in 2024.
    # Line: 2038 − year → 14 in 2024 ≤ 15 → on track; first year the line meets ≤ 15: 2023.
    # S = −10, Var = 50/3 → p = 0.0275 < 0.05, falling PM2.5 → improving.
    rows = [(2018 + i, 20 - i) for i in range(5)]
    row = one({"target_year": 2024}, rows)
    assert (row.trend_slope, row.projected_value) == (-1.0, pytest.approx(14.0))
    assert row.projected_year_met == 2023
    assert row.trend_p == pytest.approx(0.02749, abs=1e-5)
    assert row.trend_direction == "improving"
    assert row.status == "on_track"
    assert row.status_reason == "the trend line gives 14 in 2024, satisfying ≤ 15"


@INFERRED_INDICATOR  # x_index is in no indicators table
@pytest.mark.parametrize(
    ("comparator", "value", "upper", "year_met"),
    [
        ("<=", 12.0, None, 2026),  # line 2038 − 2026 = 12 ≤ 12
        ("<", 12.0, None, 2027),  # strict: 12 < 12 fails in 2026
        ("between", 10.0, 12.5, 2026),  # 12 in 2026 is the first whole year inside [10, 12.5]
        ("==", 11.5, None, 2027),  # the line reaches 11.5 in 2026.5: first whole year after
        (">=", 25.0, None, None),  # a falling line never rises to 25
        ("<=", -5.0, None, 2043),  # 2038 − 2043 = −5: far off, but reached
        ("<=", -9000.0, None, None),  # not before year 9999: never
    ],
)
def test_projected_year_met(comparator, value, upper, year_met):
    # The line of the falling series above: 2038 − year, fitted to 2018–2022.
    fields = {"indicator": "x_index", "unit": "1", "comparator": comparator, "value": value}
    fields |= {"target_year": 2024} | ({"upper": upper} if upper is not None else {})
    row = one(fields, [(2018 + i, 20 - i) for i in range(5)], indicator="x_index", unit="1")
    if year_met is None:
        assert pd.isna(row.projected_year_met)
    else:
        assert row.projected_year_met == year_met


def test_off_track_by_trend():
    # Same line, target ≤ 12 in 2024: 14 > 12 → off track.
    row = one({"value": 12.0, "target_year": 2024}, [(2018 + i, 20 - i) for i in range(5)])
    assert row.status == "off_track"
    assert row.status_reason == "the trend line gives 14 in 2024, not satisfying ≤ 12"


def test_not_assessable():
    # Sewage collection ≥ 92 % by 2025, only 85 % for months 1–9 of 2025 and no baseline.
    sewage = "urban_sewage_collection_rate"
    fields = {"indicator": sewage, "comparator": ">=", "value": 92.0, "unit": "%"}
    row = one(
        fields | {"target_year": 2025}, [("2025-01/2025-09", 85.0)], indicator=sewage, unit="%"
    )
    assert row.status == "not_assessable"
    assert row.status_reason.startswith("latest value 85 (2025-01/2025-09) does not satisfy ≥ 92")
    assert row.method_note == "no baseline year, so no rate of change can be computed"


def test_observation_at_the_baseline_measures_no_progress():
    # Shenzhen 2023 PM2.5 target ≤ 15 (aspirational), baseline year 2022, observed 2022: 16.
    # progress = (16 − 16)/(15 − 16) = 0 and time elapsed = 0: nothing to compare yet.
    row = one({"baseline_year": 2022, "kind": "aspirational"}, [(2021, 18.0), (2022, 16.0)])
    assert (row.progress, row.time_elapsed) == (0.0, 0.0)
    assert row.status == "not_assessable"
    assert (row.effective_baseline, row.baseline_origin) == (16.0, "observation")


# --------------------------------------------------------------------- baseline and units
def test_baseline_looked_up_from_observations():
    # AQI ≥ 95.5 % by 2025, baseline year 2022 without a value: the 2022 full year, 94.0.
    # 2024 value 95.2: progress = (95.2 − 94)/(95.5 − 94) = 0.8;
    # time elapsed = (2025 − 2023)/(2026 − 2023) = 0.667 → on track
    fields = {"indicator": AQI, "comparator": ">=", "value": 95.5, "unit": "%"}
    fields |= {"target_year": 2025, "baseline_year": 2022}
    rows = [("2022-01/2022-06", 90.0), (2022, 94.0), (2024, 95.2)]
    row = one(fields, rows, indicator=AQI, unit="%")
    assert (row.effective_baseline, row.baseline_origin) == (94.0, "observation")
    assert row.progress == pytest.approx(0.8)
    assert row.time_elapsed == pytest.approx(2 / 3)
    assert row.status == "on_track"


def test_baseline_year_without_a_full_year_observation():
    fields = {"baseline_year": 2020, "target_year": 2025}
    row = one(fields, [("2020-01/2020-06", 30.0), (2022, 16.0)])
    assert np.isnan(row.effective_baseline) and row.baseline_origin == ""
    assert np.isnan(row.progress) and np.isnan(row.cagr_ratio)
    assert row.method_note == "no baseline: no full-year observation of 2020 and no baseline_value"


def test_mixed_units_milligram_observations_for_a_microgram_target():
    # 0.018 and 0.016 mg/m³ are 18 and 16 µg/m³; the 2022 figure 16 > 15 by 1 µg/m³.
    obs = observations([(2021, 18.0), (2022, 16.0)])
    obs.loc[:, "value"] = [0.018, 0.016]
    obs.loc[:, "unit"] = ["mg/m3", "毫克/立方米"]
    row = evaluate(targets({"target_year": 2022}), obs).iloc[0]
    assert row.observed_value == 16.0  # exactly: conversion noise is rounded away
    assert row.gap == 1.0
    assert row.gap_unit == "µg/m³"


def test_target_in_milligram_compared_with_microgram_observations():
    row = one({"value": 0.015, "unit": "mg/m³", "target_year": 2022}, [(2022, 15.0)])
    assert row.observed_value == 0.015 and row.satisfied and row.status == "achieved"


@pytest.mark.parametrize("validate", [True, False])
def test_incompatible_observation_unit_names_the_row_and_both_units(validate):
    obs = observations([(2021, 18.0), (2022, 16.0), (2023, 50.0)])
    obs.loc[2, "unit"] = "%"
    with pytest.raises(ValidationError) as caught:
        evaluate(targets({}), obs, validate=validate)
    message = str(caught.value)
    assert "observations frame, row 4" in message  # third data row, under a header row
    assert "'%'" in message and "microgram / meter ** 3" in message


def test_target_unit_that_does_not_fit_its_indicator():
    with pytest.raises(ValidationError) as caught:
        evaluate(targets({"unit": "%"}), observations([(2022, 16.0)]), validate=False)
    assert "targets frame, row 2" in str(caught.value)
    assert "'%'" in str(caught.value) and "microgram / meter ** 3" in str(caught.value)


def test_incompatible_unit_error_names_the_file():
    obs = observations([(2022, 16.0)])
    obs["unit"] = "%"
    obs["source_file"], obs["row"] = "shenzhen.csv", 7
    with pytest.raises(ValidationError) as caught:
        evaluate(targets({}), obs, validate=False)
    problem = caught.value.problems.iloc[0]
    assert (problem.file, problem.row, problem.column) == ("shenzhen.csv", 7, "unit")


# --------------------------------------------------------------------- choosing the observation
def test_latest_period_and_longest_of_those_ending_together():
    # Three figures end in September 2025: the month, the quarter and months 1–9.
    rows = [(2024, 17.0), ("2025-09", 12.0), ("2025-07/2025-09", 13.0), ("2025-01/2025-09", 15.1)]
    row = one({"target_year": 2025, "value": 20.0}, rows)
    assert (row.observed_period, row.observed_value) == ("2025-01/2025-09", 15.1)


def test_trend_uses_only_full_years_up_to_the_target_year():
    # 2015–2019 fall by 1 a year; the later 2021–2024 values rise steeply but come after 2020.
    rows = [(2015 + i, 20 - i) for i in range(5)] + [(2021 + i, 30 + 5 * i) for i in range(4)]
    row = one({"target_year": 2020}, rows)
    assert row.trend_slope == -1.0
    assert row.observed_period == "2019"


def test_too_few_points_for_a_trend():
    row = one({"target_year": 2025}, [(2021, 18.0), (2022, 16.0), ("2025-01/2025-09", 15.1)])
    assert row.trend_direction == "insufficient_data"
    assert np.isnan(row.trend_slope) and np.isnan(row.projected_value)
    assert pd.isna(row.projected_year_met)


# --------------------------------------------------------------------- the table's shape
def test_columns_order_and_kept_target_columns():
    frame = targets({"note": "aspirational (力争)"}, {"target_id": "second"})
    frame["source_file"], frame["row"] = "targets.csv", [2, 3]
    table = evaluate(frame, observations([(2022, 16.0)]))
    assert list(table.columns) == TARGET_COLUMNS + ["note"] + ADDED_COLUMNS
    assert list(table.target_id) == ["t0", "second"]
    assert table.loc[0, "note"] == "aspirational (力争)"
    assert table["kind"].tolist() == ["binding", "binding"]


def test_validate_false_accepts_plain_frames():
    frame = targets({"target_year": 2022})
    table = evaluate(frame, observations([(2022, 16.0)]), validate=False)
    assert table.loc[0, "status"] == "not_achieved"
    assert np.isnan(table.loc[0, "upper"])


def test_empty_inputs():
    table = evaluate(targets({}).iloc[:0], observations([]).iloc[:0], validate=False)
    assert len(table) == 0 and list(table.columns) == TARGET_COLUMNS + ADDED_COLUMNS


def test_publication_methods_on_a_quantified_target():
    # PM2.5 ≤ 10 by 2030 from 20 in 2015; latest full year 2020: 16 (later partial ignored).
    # CAGR ratio 0.96654 → on_track; linear (−4/5)/(−10/15) = 1.2 → on_track (tests/test_methods).
    fields = {"value": 10.0, "target_year": 2030, "baseline_year": 2015, "baseline_value": 20.0}
    row = one(fields, [(2020, 16.0), ("2021-01/2021-06", 15.0)])
    assert row.cagr_ratio == pytest.approx(0.96654, abs=1e-5)
    assert row.cagr_observed == pytest.approx(-0.0436475, abs=1e-7)
    assert (row.cagr_category, row.sdsn_trend) == ("on_track", "on_track")
    assert row.linear_ratio == pytest.approx(1.2)
    # Falling 4.4 % a year where lower is better: significant progress (> 1 %/year).
    assert row.no_target_category == "significant_progress"
    assert row.method_note == ""


def test_publication_methods_say_why_they_are_empty():
    fields = {"baseline_year": 2021, "baseline_value": 18.0, "target_year": 2025}
    row = one(fields, [(2021, 18.0), ("2025-01/2025-09", 15.1)])
    assert pd.isna(row.cagr_category) and np.isnan(row.linear_ratio)
    assert row.method_note == (
        "no full-year observation after the baseline year 2021 up to 2025 "
        "(partial-year figures are not used)"
    )


def test_publication_methods_rate_a_target_met_in_the_baseline_year():
    # 310条河流优良水体河长比例 ≥ 65 % in 2023, baseline year 2022; 2021: 50, 2022: 67.6.
    # The latest full year is the baseline year: no years have elapsed, so no rate (CAGR,
    # linear) exists, but 67.6 ≥ 65 already: the method rates that `target_achieved` (CAGR
    # method) and `on_track` (SDSN, "target satisfied").
    fields = {"indicator": "river_good_length_ratio", "comparator": ">=", "value": 65.0}
    fields |= {"unit": "%", "baseline_year": 2022}
    rows = [(2021, 50.0), (2022, 67.6)]
    row = one(fields, rows, indicator="river_good_length_ratio", unit="%")
    assert (row.cagr_category, row.sdsn_trend) == ("target_achieved", "on_track")
    assert np.isnan(row.cagr_ratio) and np.isnan(row.linear_ratio) and np.isnan(row.cagr_observed)
    assert pd.isna(row.no_target_category)  # rates a growth rate, and there is none
    assert row.method_note == (
        "no full-year observation after the baseline year 2022 up to 2023, so no rate of "
        "change; the categories only record that the 2022 value already satisfies the target"
    )
    # 67.6 − 65 is 2.5999999999999943 in binary floating point; the gap is rounded at the
    # 12th significant digit of 67.6 (docs/methodology.md, "Rounding").
    assert row.gap == 2.6
    # Not yet met at the baseline (2022: 16 against ≤ 15): nothing to rate.
    row = one({"baseline_year": 2022}, [(2022, 16.0)])
    assert pd.isna(row.cagr_category) and pd.isna(row.sdsn_trend)
    assert row.method_note == "no full-year observation after the baseline year 2022 up to 2023"


def test_differences_carry_no_binary_noise():
    # ≤ 12.5 by 2025 against 15.1 for January–September: 15.1 − 12.5 is 2.5999999999999996
    # in binary; gap and shortfall are 2.6.
    row = one({"value": 12.5, "target_year": 2025}, [("2025-01/2025-09", 15.1)])
    assert (row.gap, row.shortfall) == (2.6, 2.6)
    # ≤ 15 by 2023 from 16 (2021, given); 2022: 15.1. progress = (15.1 − 16)/(15 − 16) = 0.9
    # (binary: 0.9000000000000004); time elapsed (2023 − 2022)/(2023 − 2021) = 0.5.
    fields = {"baseline_year": 2021, "baseline_value": 16.0}
    row = one(fields, [(2022, 15.1)])
    assert (row.progress, row.time_elapsed) == (0.9, 0.5)
    assert row.status_reason == "progress 0.90 ≥ time elapsed 0.50"
    # Trend 20, 19.1, 18.2, 17.3, 16.4 (2018–2022): slope −0.9, line 18.2 − 0.9 (year − 2020),
    # 14.6 in 2024 (binary: 14.599999999999909).
    row = one({"target_year": 2024}, [(2018 + i, 20 - 0.9 * i) for i in range(5)])
    assert row.projected_value == 14.6


def test_bundled_shenzhen_data():
    table = evaluate(load_targets(), load_observations()).set_index("target_id")
    # 2025 PM2.5 ≤ 20 against 15.1 for months 1–9 of 2025
    pm25 = table.loc["sz-2025-pm25"]
    assert (pm25.status, pm25.observed_value, pm25.provisional) == ("on_track", 15.1, True)
    # 2023 AQI good-day ratio ≥ 95.5 %: only a 2025 figure exists → no data
    assert table.loc["sz-2023-aqi-good", "status"] == "no_data"
    # 2023 PM2.5 ≤ 15 (力争): 2022 value 16, which is also the baseline
    assert table.loc["sz-2023-pm25", "status"] == "not_assessable"
    assert table.loc["sz-2023-pm25", "gap"] == 1.0
    # 310 rivers ≥ 65 % in 2023 (baseline 2022): 67.6 % in 2022 already satisfies it
    river = table.loc["sz-2023-river-good-length"]
    assert (river.gap, river.cagr_category, river.sdsn_trend) == (
        2.6,
        "target_achieved",
        "on_track",
    )


def test_benchmark_runs_at_a_tiny_scale(tmp_path):
    # Not a timing test: the script runs end to end and the loop agrees with evaluate.
    script = Path(__file__).parents[1] / "benchmarks" / "bench_evaluate.py"
    output = tmp_path / "results.json"
    command = [sys.executable, "-W", "error", str(script), "--scale", "0.002"]
    command += ["--loop-targets", "40", "--no-validate", "--output", str(output)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    results = json.loads(output.read_text("utf-8"))
    assert results["loop"]["differences"] == []
    assert results["observations"] > 3000


# ------------------------------------------------------------------ Chinese reasons
@pytest.mark.parametrize(
    ("target_fields", "rows", "reason_zh"),
    [
        ({}, [(2024, 12)], "2023年底前没有观测值"),
        ({}, [(2023, 16)], "2023年全年数值16不满足≤ 15"),
        # 深圳: 2025 target ≤ 20 against the 前三季度 figure 15.1
        (
            {"target_year": 2025, "value": 20.0},
            [("2025-01/2025-09", 15.1)],
            "最新值15.1（2025-01/2025-09）已满足≤ 20",
        ),
        # baseline 2020 = 20; 2022 = 17.5: progress (17.5−20)/(15−20) = 0.50,
        # time elapsed (2023 − 2021)/(2026 − 2021) = 0.40
        (
            {"target_year": 2025, "baseline_year": 2020, "baseline_value": 20.0},
            [(2022, 17.5)],
            "目标进度0.50 ≥ 时间进度0.40",
        ),
    ],
)
def test_status_reason_in_chinese(target_fields, rows, reason_zh):
    row = one(target_fields, rows)
    assert row["status_reason_zh"] == reason_zh
    assert row["status_reason"] and row["status_reason"] != reason_zh


def test_problems_in_both_tables_are_reported_together():
    bad_targets = targets({"comparator": "approximately"})
    bad_observations = observations([("2025-13", 15.1)])
    with pytest.raises(ValidationError) as caught:
        evaluate(bad_targets, bad_observations)
    assert set(caught.value.problems["column"]) == {"comparator", "period"}
