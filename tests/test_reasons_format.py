"""The numbers and sentences of the status reasons (envtargets._reasons).

The reasons are built on whole arrays (numbers formatted once per distinct
value, sentences joined as UTF-8 bytes, then cast to numpy strings); these
tests pin that the texts are exactly Python's ``%`` formatting and the words
of each rule, in both languages, including non-ASCII texts.
"""

import math

import numpy as np
import pytest

from envtargets._reasons import explain_all, format_numbers
from envtargets._text import STRING

TRICKY = [
    0.0,
    -0.0,
    0.005,
    0.015,
    0.125,
    -0.125,
    0.375,
    1.005,
    2.675,
    1e-7,
    -1e-7,
    1e15,
    1.5e16,
    123456789012.0,
    2388.0,
    15.1,
    0.0151,
    -3.5,
    99999.5,
    1 / 3,
    9.9995,
    1234.5,
    2030.0,
    math.nan,
]


@pytest.mark.parametrize("spec", ["%.10g", "%.4g", "%.2f", "%d"])
def test_format_numbers_is_python_percent(spec):
    got = format_numbers(np.array(TRICKY), spec)
    # NaN reads 0 and -0.0 reads 0 (adding 0.0 turns -0.0 into 0.0).
    want = [spec % (0.0 if math.isnan(v) else v + 0.0) for v in TRICKY]
    assert got.dtype == object
    assert got.tolist() == want


def test_format_numbers_zero_and_missing():
    assert format_numbers([-0.0, math.nan], "%.2f").tolist() == ["0.00", "0.00"]
    assert format_numbers([-0.0, math.nan]).tolist() == ["0", "0"]


def test_format_numbers_keeps_shape_and_repeats():
    values = np.array([[15.1, 2388.0], [15.1, 0.0151]])
    got = format_numbers(values)
    assert got.shape == (2, 2)
    assert got.tolist() == [["15.1", "2388"], ["15.1", "0.0151"]]


LE, LT, GE, GT, EQ, BETWEEN = range(6)

# One target per sentence shape: (rule, facts, English, Chinese).
CASES = [
    (
        0,
        {"target_year": 2025.0, "measure": "level"},
        "no observation ends by the end of 2025",
        "2025年底前没有观测值",
    ),
    (
        0,
        {"target_year": 2025.0, "measure": "annual", "earlier_period": "2024年"},
        "no observation within 2025; the latest (2024年) is an annual amount of an earlier "
        "year, which does not count towards this year's target",
        "2025年内没有观测值；最新值（2024年）是往年的年度量，不计入本年目标",
    ),
    (
        1,
        {"full_year": True, "satisfied": True, "observed": 27.2, "code": LE, "value": 30.0},
        "full-year 2025 value 27.2 satisfies ≤ 30",
        "2025年全年数值27.2满足≤ 30",
    ),
    (
        2,
        {"period": "2025-01/2025-09", "observed": -0.0, "code": BETWEEN, "upper": 9.0},
        "2025-01/2025-09 value 0 does not satisfy between 6 and 9",
        "2025-01/2025-09数值0不满足介于6与9之间",
    ),
    (
        3,
        {"observed": 0.0151, "period": "2025年1–3月", "code": GE, "value": 0.015},
        "latest value 0.0151 (2025年1–3月) already satisfies ≥ 0.015",
        "最新值0.0151（2025年1–3月）已满足≥ 0.015",
    ),
    (
        4,
        {"progress": 0.125, "time_elapsed": 0.375, "ahead": True},
        "progress 0.12 ≥ time elapsed 0.38",
        "目标进度0.12 ≥ 时间进度0.38",
    ),
    (
        5,
        {"projected": 2388.4567, "projected_met": True, "code": GT, "value": 2000.0},
        "the trend line gives 2388 in 2025, satisfying > 2000",
        "按趋势线2025年为2388，满足> 2000",
    ),
    (
        6,
        {"progress": -0.25, "time_elapsed": 0.5, "projected": 1e-7, "code": EQ, "value": 1e15},
        "progress -0.25 < time elapsed 0.50 and the trend line gives 1e-07 in 2025, "
        "not satisfying = 1e+15",
        "目标进度-0.25 < 时间进度0.50；按趋势线2025年为1e-07，不满足= 1e+15",
    ),
    (
        6,
        {"has_progress": False, "projected": 12.0, "code": LE, "value": 10.0},
        "the trend line gives 12 in 2025, not satisfying ≤ 10",
        "按趋势线2025年为12，不满足≤ 10",
    ),
    (
        7,
        {"measure": "annual_rate", "observed": 3.5, "period": "2025-Q1", "code": LT, "value": 3},
        "latest value 3.5 (2025-Q1) does not satisfy < 3; a rate for part of the year is "
        "compared as it stands, without pacing or trend",
        "最新值3.5（2025-Q1）不满足< 3；年内部分时段的变化率按原值比较，不按时间进度或趋势判断",
    ),
]

DEFAULTS = {
    "observed": np.nan,
    "period": "2025",
    "full_year": False,
    "satisfied": False,
    "progress": np.nan,
    "time_elapsed": np.nan,
    "projected": np.nan,
    "projected_met": False,
    "target_year": 2025.0,
    "value": 6.0,
    "upper": np.nan,
    "code": LE,
    "measure": "level",
    "earlier_period": None,
    "has_progress": True,
    "has_trend": True,
    "ahead": False,
}


def _facts(cases):
    columns = {name: [{**DEFAULTS, **facts}[name] for _, facts, *_ in cases] for name in DEFAULTS}
    return {
        name: np.array(
            values, dtype=object if name in ("period", "measure", "earlier_period") else None
        )
        for name, values in columns.items()
    }


def test_sentences_of_every_rule_in_both_languages():
    # Shuffled and repeated, so targets of one wording are not next to each other.
    order = np.random.default_rng(0).permutation(np.tile(np.arange(len(CASES)), 3))
    cases = [CASES[i] for i in order]
    rule_number = np.array([rule for rule, *_ in cases])
    reasons = explain_all(rule_number, _facts(cases))
    assert reasons["en"].dtype == STRING and reasons["zh"].dtype == STRING
    assert reasons["en"].tolist() == [en for *_, en, _ in cases]
    assert reasons["zh"].tolist() == [zh for *_, zh in cases]
    only_zh = explain_all(rule_number, _facts(cases), ("zh",))
    assert list(only_zh) == ["zh"] and only_zh["zh"].tolist() == reasons["zh"].tolist()


def test_no_targets():
    empty = {name: values[:0] for name, values in _facts(CASES).items()}
    reasons = explain_all(np.array([], dtype=np.int64), empty)
    assert len(reasons["en"]) == 0 and len(reasons["zh"]) == 0
