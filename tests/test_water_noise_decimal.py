"""Water and noise means compared as the exact decimals they stand for (GB 3838, GB 3096).

No rounding is applied to water or noise means (GB 3838 compares the period
mean with the limits as it is), so the decimal arithmetic here checks the
comparison: the class (compliance) a mean gets is the one its exact decimal
value gets.
"""

import importlib.resources
import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envtargets import DataCleaningWarning
from envtargets.noise import energy_mean, measurements_table
from envtargets.water import section_class


def _limit_texts() -> pd.DataFrame:
    """The assessed water limits as the decimals written in the data file (not floats)."""
    path = importlib.resources.files("envtargets") / "water_limits.csv"
    with path.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return table[table["assessed"] == "true"].reset_index(drop=True)


LIMITS = _limit_texts()
CLASSES = ("I", "II", "III", "IV", "V", "劣V")
# (row of LIMITS, limit text) for every distinct limit of every assessed parameter.
AT_LIMITS = [
    (i, text)
    for i, row in LIMITS.iterrows()
    for text in dict.fromkeys(row[f"class_{k}"] for k in range(1, 6))
    if text
]


def _decimal_class(row: pd.Series, mean: Decimal) -> str:
    """The class of an exact decimal mean by GB 3838, limits read as decimals."""
    if row["direction"] == "range":
        return "I" if Decimal(row["class_1"]) <= mean <= Decimal(row["class_2"]) else "劣V"
    limits = [Decimal(row[f"class_{k}"]) for k in range(1, 6)]
    meets = [mean >= lim if row["direction"] == "min" else mean <= lim for lim in limits]
    return CLASSES[meets.index(True)] if any(meets) else "劣V"


def _water_body(row: pd.Series) -> str:
    return "lake" if row["water_body"] == "lake" else "river"


def _classes(rows: list[tuple], water_body: str) -> pd.Series:
    samples = pd.DataFrame(rows, columns=["section", "time", "parameter", "value"])
    return section_class(samples, water_body, period="2025").set_index("section")["water_class"]


@pytest.mark.parametrize("water_body", ["river", "lake"])
def test_every_limit_repeated_1_to_40_times_gets_its_class(water_body):
    # With float means, n identical samples at a limit were misclassified in
    # 242 of 803 limit/n combinations (issue 11).
    rows, expected = [], {}
    for case, (i, text) in enumerate(AT_LIMITS):
        row = LIMITS.loc[i]
        if row["water_body"] not in ("all", water_body):
            continue
        for n in range(1, 41):
            expected[f"{case}-{n}"] = _decimal_class(row, Decimal(text))
            rows += [(f"{case}-{n}", "2025-03-01", row["parameter"], float(text))] * n
    got = _classes(rows, water_body)
    want = pd.Series(expected)
    assert len(got) == len(want)
    assert (got[want.index] == want).all(), got[want.index][got[want.index] != want]


@pytest.mark.parametrize(
    ("parameter", "values", "unit", "water_class"),
    [
        ("砷", [0.05, 0.05, 0.05], "mg/L", "I"),  # issue 11: the float mean gave IV
        ("LAS", [0.1, 0.2, 0.3], "mg/L", "I"),  # mean 0.2 exactly; float gave IV
        ("汞", [0.001] * 12, "mg/L", "IV"),  # float gave 劣V
        ("总磷", [0.1, 0.1, 0.1], "mg/L", "II"),  # river; float gave III
        ("汞", [0.1, 0.1, 0.1], "µg/L", "III"),  # 0.0001 mg/L after conversion
    ],
)
def test_issue_cases_at_a_limit(parameter, values, unit, water_class):
    samples = pd.DataFrame(
        {"section": "A", "time": "2025-03-01", "parameter": parameter, "value": values}
    ).assign(unit=unit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)  # the unit conversion note
        row = section_class(samples).iloc[0]
    assert row["water_class"] == water_class


def test_good_ratio_of_the_issue_example_is_two_thirds():
    # Three sections at a limit: two of class I–III (66.7 %), which float means made 0 %.
    from envtargets.water import good_ratio

    samples = pd.DataFrame(
        [("A", "2025-03-01", "砷", 0.05)] * 3
        + [("B", "2025-03-01", "总磷", 0.1)] * 3
        + [("C", "2025-03-01", "汞", 0.001)] * 12,
        columns=["section", "time", "parameter", "value"],
    )
    ratio = good_ratio(section_class(samples)).iloc[0]
    assert ratio["quote"].startswith("2 of 3") and round(ratio["value"], 1) == 66.7


@settings(max_examples=150, deadline=None)
@given(case=st.sampled_from(AT_LIMITS), n=st.integers(1, 2_000), as_text=st.booleans())
def test_n_identical_samples_at_a_limit_get_its_class(case, n, as_text):
    i, text = case
    row = LIMITS.loc[i]
    value = text if as_text else float(text)  # text: a cell as read from a file
    got = _classes([("A", "2025-03-01", row["parameter"], value)] * n, _water_body(row))
    assert got["A"] == _decimal_class(row, Decimal(text))


@settings(max_examples=200, deadline=None)
@given(
    scaled=st.lists(st.integers(0, 2_000), min_size=1, max_size=30),
    decimals=st.sampled_from([1, 2]),
    index=st.integers(0, len(LIMITS) - 1),
)
def test_class_of_a_mean_is_that_of_the_decimal_mean(scaled, decimals, index):
    row = LIMITS.loc[index]
    mean = sum(Decimal(v).scaleb(-decimals) for v in scaled) / len(scaled)
    rows = [("A", "2025-03-01", row["parameter"], v / 10**decimals) for v in scaled]
    assert _classes(rows, _water_body(row))["A"] == _decimal_class(row, mean)


@settings(max_examples=100, deadline=None)
@given(tenths=st.integers(200, 1_000), n=st.integers(1, 2_000))
def test_energy_mean_of_equal_levels_is_the_level(tenths, n):
    level = tenths / 10  # levels written with one decimal [dB(A)]
    assert energy_mean(np.full(n, level), np.zeros(n, dtype=int), 1)[0] == level


def test_minute_levels_at_the_limit_comply():
    # Class 1, day limit 55 dB(A): 960 one-minute values of 55.0 average to 55 and
    # comply; the float energy mean alone was 55.00000000000001 (from 138 values on).
    minutes = pd.date_range("2025-06-01 06:00", periods=960, freq="min")
    zones = pd.DataFrame({"point": ["P1"], "zone_class": ["1"]})
    measurements = pd.DataFrame({"point": "P1", "time": minutes, "laeq": 55.0})
    day = measurements_table(measurements, zones).iloc[0]
    assert day["hours"] == 960 and day["laeq"] == 55.0 and day["compliant"]
