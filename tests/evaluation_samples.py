"""Small hand-made tables for the chart, styling and report tests.

The evaluation rows are written by hand (not computed by evaluate()), so the
chart tests check the drawing alone: every status occurs, with percent, µg/m³
and count targets, a range target, a baseline and a part-year value. They are
what the rules give for :func:`targets` and :func:`observations` (worked out
below; ``tests/test_evaluate_samples.py`` checks them against evaluate()).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INDICATORS = pd.DataFrame(
    {
        "indicator": ["pm25_annual_mean", "aqi_good_day_ratio", "sewer_km", "forest_share"],
        "name_zh": ["PM2.5年均浓度", "空气质量优良天数比例", "新建污水管网长度", "森林覆盖率"],
        "name_en": [
            "PM2.5 annual mean",
            "Good air-quality days",
            "New sewer pipes",
            "Forest cover",
        ],
        "unit": ["microgram / meter ** 3", "percent", "kilometer", "percent"],
        "better": ["lower", "higher", "higher", "higher"],
        "domain": ["air", "air", "water", "ecology"],
    }
)

_TARGETS = [
    # id, indicator, region, comparator, value, upper, unit, year, base_year, base_value, kind
    (
        "a-pm25",
        "pm25_annual_mean",
        "甲市",
        "<=",
        30.0,
        np.nan,
        "µg/m³",
        2024,
        2020,
        40.0,
        "binding",
    ),
    ("a-aqi", "aqi_good_day_ratio", "甲市", ">=", 90.0, np.nan, "%", 2025, 2020, 80.0, "binding"),
    ("a-sewer", "sewer_km", "甲市", ">=", 100.0, np.nan, "km", 2025, np.nan, np.nan, "expected"),
    (
        "a-forest",
        "forest_share",
        "甲市",
        "between",
        60.0,
        70.0,
        "%",
        2025,
        np.nan,
        np.nan,
        "binding",
    ),
    (
        "b-pm25",
        "pm25_annual_mean",
        "乙市",
        "<=",
        25.0,
        np.nan,
        "µg/m³",
        2023,
        2020,
        35.0,
        "binding",
    ),
    (
        "b-aqi",
        "aqi_good_day_ratio",
        "乙市",
        ">=",
        95.0,
        np.nan,
        "%",
        2025,
        2020,
        85.0,
        "aspirational",
    ),
]
# observed_period, observed_value, provisional, status, effective_baseline, trend_slope,
# status_reason — by the rules of docs/methodology.md:
# a-pm25: the full year 2024 decides. Trend 2018–2024 (44 41 40 37 34 31 28): of the 21
#   pairwise slopes 11 are −3 (e.g. 44→41, 40→34 over two years), so the median is −3.
# a-aqi: ≥ 90 by 2025 from 80 in 2020; Jan–Sep 2025 86.5: progress (86.5 − 80)/(90 − 80)
#   = 0.65 < time elapsed (2025.75 − 2021)/(2025 − 2020) = 0.95, but the trend decides
#   first: full years 2020 80, 2022 84, 2023 86.5, 2024 88.5 give the pairwise slopes
#   2, 2, 2.125, 2.1667, 2.25, 2.5, median (2.125 + 2.1667)/2 = 103/48 = 2.1458; the
#   line through (median year 2022.5, median value 85.25) gives 85.25 + 2.5 · 103/48
#   = 90.61 in 2025 ≥ 90 → on track (rule 3c).
# a-sewer: 40 km in 2024, ≥ 100 by 2025, no baseline, one point: not assessable.
# a-forest: no observation at all. b-pm25: the full year 2023 decides.
# b-aqi: progress (86 − 85)/(95 − 85) = 0.10 < time elapsed (2025 − 2021)/(2025 − 2020) = 0.80.
_OUTCOMES = [
    ("2024", 28.0, False, "achieved", 40.0, -3.0, "full-year 2024 value 28 satisfies ≤ 30"),
    (
        "2025-01/2025-09", 86.5, True, "on_track", 80.0, 103 / 48,
        "the trend line gives 90.61 in 2025, satisfying ≥ 90",
    ),
    (
        "2024", 40.0, False, "not_assessable", np.nan, np.nan,
        "latest value 40 (2024) does not satisfy ≥ 100, and neither progress since a "
        "baseline nor a trend can be measured",
    ),
    (None, np.nan, None, "no_data", np.nan, np.nan, "no observation ends by the end of 2025"),
    (
        "2023", 27.5, False, "not_achieved", 35.0, np.nan,
        "full-year 2023 value 27.5 does not satisfy ≤ 25",
    ),
    ("2024", 86.0, False, "off_track", 85.0, np.nan, "progress 0.10 < time elapsed 0.80"),
]  # fmt: skip


def evaluation() -> pd.DataFrame:
    """An evaluation table with every status, in the columns evaluate() returns."""
    targets = pd.DataFrame(
        _TARGETS,
        columns=[
            "target_id", "indicator", "region", "comparator", "value", "upper", "unit",
            "target_year", "baseline_year", "baseline_value", "kind",
        ],
    )  # fmt: skip
    targets["target_year"] = targets["target_year"].astype("Int64")
    targets["baseline_year"] = targets["baseline_year"].astype("Int64")
    targets["source"] = "plan.txt"
    targets["quote"] = (
        "到" + targets["target_year"].astype(str) + "年,指标达到" + targets["value"].astype(str)
    )
    outcomes = pd.DataFrame(
        _OUTCOMES,
        columns=[
            "observed_period",
            "observed_value",
            "provisional",
            "status",
            "effective_baseline",
            "trend_slope",
            "status_reason",
        ],
    )
    table = pd.concat([targets, outcomes], axis=1)
    table["provisional"] = table["provisional"].astype("boolean")
    table["gap"] = table["observed_value"] - table["value"]
    table["gap_unit"] = np.where(table["unit"] == "%", "percentage_point", table["unit"])
    table["baseline_origin"] = np.where(table["effective_baseline"].notna(), "target", "")
    return table


def observations() -> pd.DataFrame:
    """Observations behind the sample evaluation, with a part-year value and a clear trend."""
    rows = [
        ("pm25_annual_mean", "甲市", str(year), value, "µg/m³")
        for year, value in zip(range(2018, 2025), [44, 41, 40, 37, 34, 31, 28], strict=True)
    ]
    rows += [
        ("aqi_good_day_ratio", "甲市", "2020", 80.0, "%"),
        ("aqi_good_day_ratio", "甲市", "2022", 84.0, "%"),
        ("aqi_good_day_ratio", "甲市", "2023", 86.5, "%"),
        ("aqi_good_day_ratio", "甲市", "2024", 88.5, "%"),
        ("aqi_good_day_ratio", "甲市", "2025-01/2025-09", 86.5, "%"),
        ("sewer_km", "甲市", "2024", 40.0, "km"),
        ("pm25_annual_mean", "乙市", "2020", 35.0, "µg/m³"),
        ("pm25_annual_mean", "乙市", "2023", 27.5, "µg/m³"),
        ("aqi_good_day_ratio", "乙市", "2024", 86.0, "%"),
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "region", "period", "value", "unit"])
    frame["source"] = "bulletin.txt"
    frame["quote"] = "公报原文" + frame.index.astype(str)
    return frame


def targets() -> pd.DataFrame:
    """The target columns of :func:`evaluation`."""
    table = evaluation()
    return table[
        [
            "target_id", "indicator", "region", "comparator", "value", "upper", "unit",
            "target_year", "baseline_year", "baseline_value", "kind", "source", "quote",
        ]
    ].copy()  # fmt: skip
