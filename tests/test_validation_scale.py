"""Validation works once per distinct value; these tests pin that it gives what per-cell work gives.

Each ``reference_*`` function is the straightforward per-cell (or groupby on the
cells) way the check was first written; the library's version must agree with
it on every row, for the tricky cells that sources contain.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envtargets import DataCleaningWarning, validate_observations, validate_targets
from envtargets._checks import (
    _to_float_or_nan,
    is_blank,
    no_conflicting_observations,
    to_numbers,
    unit_fits_indicator,
)
from envtargets.errors import UnitError, ValidationError
from envtargets.schema import _all_missing, _as_text
from envtargets.units import conversion_factor

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRICKY_CELLS = [
    "1,234",
    " 12 ",
    "12",
    "９５．２％",
    "95.2",
    "xx",
    "——",
    "",
    " ",
    "1e3",
    "-0.0",
    "0.0",
    "inf",
    "1_000",
    "abc",
    None,
    np.nan,
    pd.NA,
]


def reference_to_numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype("object").map(_to_float_or_nan), errors="coerce")


def assert_same_floats(actual: pd.Series, expected: pd.Series) -> None:
    pd.testing.assert_series_equal(actual, expected, check_exact=True)
    # assert_series_equal takes 0.0 for -0.0; the sign is part of the value read.
    assert np.array_equal(np.signbit(actual.to_numpy()), np.signbit(expected.to_numpy()))


@SETTINGS
@given(st.lists(st.sampled_from(TRICKY_CELLS), min_size=1, max_size=60))
def test_numbers_read_per_distinct_value_equal_numbers_read_per_cell(cells):
    series = pd.Series(cells, dtype=object, name="value")
    assert_same_floats(to_numbers(series), reference_to_numbers(series))


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_numbers_from_the_str_dtype(storage):
    if storage == "pyarrow":
        pytest.importorskip("pyarrow")
    cells = ["1,234", " 12 ", "xx", None, "1,234", "12", " 12 "]
    series = pd.Series(cells, dtype=pd.StringDtype(storage, na_value=np.nan))
    assert to_numbers(series).tolist()[:2] == [1234.0, 12.0]
    assert_same_floats(to_numbers(series), reference_to_numbers(series))


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([1, 2, 2**60 + 1], dtype="int64"),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series([-0.0, 0.0, np.nan, np.inf], dtype="float64"),
        pd.Series([2**64 - 1, 0], dtype="uint64"),
        pd.Series([True, False, True]),  # booleans are not numbers
        pd.Series([1, 2.5, "3", None], dtype=object),
    ],
    ids=["int64", "Int64", "float64", "uint64", "bool", "objects"],
)
def test_numbers_from_typed_columns(series):
    assert_same_floats(to_numbers(series), reference_to_numbers(series))


def reference_as_text(series: pd.Series) -> pd.Series:
    texts = series.astype("object").where(series.notna(), None)
    return texts.astype("str").where(texts.notna(), None)


@pytest.mark.parametrize(
    "series",
    [
        pd.Series(["a", " b", None, "a", pd.NA, np.nan], dtype=object),
        pd.Series(["a", None, "a"], dtype="str"),
        pd.Series([2022, 2023, 2022], dtype="int64"),
        pd.Series([2022.0, -0.0, 0.0, np.nan], dtype="float64"),
        pd.Series([1, None], dtype="Int64"),
        pd.Series([True, False]),
        pd.Series([np.nan, np.nan], dtype="float64"),
    ],
    ids=["object", "str", "int64", "float64", "Int64", "bool", "all missing"],
)
def test_text_columns_get_the_str_type_per_distinct_value(series):
    pd.testing.assert_series_equal(_as_text(series), reference_as_text(series), check_exact=True)


def test_all_missing_rows_are_found_as_isna_finds_them():
    frame = pd.DataFrame(
        {
            "a": [None, "x", None, None],
            "b": [np.nan, np.nan, 1.0, np.nan],
            "c": pd.array([pd.NA, pd.NA, pd.NA, pd.NA], dtype="string"),
        }
    )
    expected = frame.isna().all(axis="columns")
    pd.testing.assert_series_equal(_all_missing(frame), expected, check_names=False)
    assert _all_missing(frame).tolist() == [True, False, False, True]


# Observations: conflicting values of one indicator, region and period ----------

UNITS = ["µg/m³", "mg/m3", "microgram / meter ** 3", "%", "bananas", None]


def reference_conflict_free(frame: pd.DataFrame) -> pd.Series:
    """The first version: group on the cells, convert to the group's first unit."""
    keys = [frame["indicator"], frame["region"], frame["period"].astype("string").str.strip()]
    first_unit = frame.groupby(keys, dropna=False, sort=False)["unit"].transform("first")

    def factor(unit, first):
        try:
            return conversion_factor(str(unit), str(first))
        except UnitError:
            return np.nan

    factors = [factor(u, f) for u, f in zip(frame["unit"], first_unit, strict=True)]
    values = reference_to_numbers(frame["value"]) * np.array(factors, dtype=float)
    grouped = values.groupby(keys, dropna=False, sort=False)
    spread = grouped.transform("max") - grouped.transform("min")
    scale = values.abs().groupby(keys, dropna=False, sort=False).transform("max")
    return ~(spread > 1e-9 * scale.fillna(0) + 1e-12)


observation_rows = st.lists(
    st.tuples(
        st.sampled_from(["pm25", "no2", pd.NA]),
        st.sampled_from(["深圳", "河源"]),
        st.sampled_from(["2022", " 2022", "2023", pd.NA]),
        st.sampled_from(["16", "0.016", "16000", "17", "xx", pd.NA]),
        st.sampled_from(UNITS),
    ),
    min_size=1,
    max_size=40,
)


@SETTINGS
@given(observation_rows)
def test_conflicts_found_on_codes_equal_conflicts_found_on_cells(rows):
    frame = pd.DataFrame(rows, columns=["indicator", "region", "period", "value", "unit"])
    frame = frame.astype(object).where(frame.notna(), pd.NA)  # as cleaning leaves text
    expected = reference_conflict_free(frame)
    pd.testing.assert_series_equal(no_conflicting_observations(frame), expected, check_names=False)


def observation(**overrides) -> dict:
    row = {"indicator": "pm25", "region": "深圳", "period": "2022", "value": "16", "unit": "µg/m³"}
    return row | overrides


def test_the_same_value_in_mg_is_no_conflict_and_another_value_is():
    rows = [
        observation(),
        observation(value="0.016", unit="mg/m3"),  # agrees once converted
        observation(region="河源", value="16"),
        observation(region="河源", value="0.017", unit="mg/m3"),  # does not
    ]
    with pytest.raises(ValidationError) as caught:
        validate_observations(pd.DataFrame(rows), file="o.csv")
    problems = caught.value.problems
    assert problems["row"].tolist() == [4, 5]
    assert problems["message"].str.contains("same indicator, region and period").all()


def test_periods_are_compared_as_text_so_a_year_from_code_meets_the_same_year_as_text():
    rows = [observation(period=" 2022"), observation(period=2022, value="17"), observation()]
    frame = pd.DataFrame(rows, dtype=object)
    assert no_conflicting_observations(frame).tolist() == [False, False, False]


def test_a_group_is_converted_to_its_first_unit_that_is_given():
    rows = [observation(unit=pd.NA), observation(value="0.016", unit="mg/m3"), observation()]
    frame = pd.DataFrame(rows, dtype=object)
    # The row without a unit cannot be compared; the other two agree in mg/m3.
    assert no_conflicting_observations(frame).tolist() == [True, True, True]
    frame.loc[2, "value"] = "17"  # 0.017 mg/m3: the group conflicts, every row of it
    assert no_conflicting_observations(frame).tolist() == [False, False, False]


def test_one_conflict_among_many_rows_flags_exactly_its_two_rows():
    years = [str(year) for year in range(1900, 2100)]
    rows = [observation(region=f"r{k}", period=year) for k in range(20) for year in years]
    rows.append(observation(region="r7", period="2000", value="99"))
    frame = pd.DataFrame(rows)
    flagged = np.flatnonzero(~no_conflicting_observations(frame).to_numpy())
    assert flagged.tolist() == [7 * len(years) + 100, len(rows) - 1]


# Units that do not fit the indicator ------------------------------------------


def reference_unit_fits(frame: pd.DataFrame, known_units: dict) -> pd.Series:
    def fits(unit, canonical):
        if is_blank(unit) or is_blank(canonical):
            return True
        try:
            conversion_factor(str(unit), str(canonical))
        except UnitError as error:
            return error.to_unit is None
        return True

    canonical = frame["indicator"].map(known_units)
    return pd.Series(
        [fits(u, c) for u, c in zip(frame["unit"], canonical, strict=True)], index=frame.index
    )


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(["pm25", "good_days", "unknown", pd.NA]), st.sampled_from(UNITS)),
        min_size=1,
        max_size=40,
    )
)
def test_unit_fits_per_distinct_pair_equals_per_row(rows):
    frame = pd.DataFrame(rows, columns=["indicator", "unit"]).astype(object)
    known = {"pm25": "microgram / meter ** 3", "good_days": "percent"}
    expected = reference_unit_fits(frame, known)
    pd.testing.assert_series_equal(unit_fits_indicator(known)(frame), expected)


# Cleaning notes: one per changed row, though the work is per distinct value -----


def target(target_id: str, **overrides) -> dict:
    row = {
        "target_id": target_id,
        "indicator": "pm25",
        "region": "深圳",
        "comparator": "<=",
        "value": "15",
        "unit": "µg/m³",
        "target_year": "2025",
    }
    return row | overrides


@pytest.mark.parametrize("dtype", [object, "str"])
def test_every_changed_row_is_noted_in_row_order(dtype):
    values = ["1,234", " 15 ", "９５．２％", "1,234", "xx", " 15 ", "９５．２％", "xx"]
    comparators = ["≤", "<=", "≤", "<=", "<=", " ≥", "<=", "≤"]
    rows = [
        target(f"t{k}", value=value, comparator=comparator)
        for k, (value, comparator) in enumerate(zip(values, comparators, strict=True))
    ]
    frame = pd.DataFrame(rows).astype(dtype)
    with pytest.raises(ValidationError) as error:  # xx: a target needs a number
        validate_targets(frame)
    assert error.value.problems["row"].tolist() == [6, 9]

    frame.loc[[4, 7], "value"] = "16"
    with pytest.warns(DataCleaningWarning) as caught:
        typed = validate_targets(frame)
    assert typed["value"].tolist() == [1234.0, 15.0, 95.2, 1234.0, 16.0, 15.0, 95.2, 16.0]
    assert typed["comparator"].tolist() == ["<=", "<=", "<=", "<=", "<=", ">=", "<=", "<="]
    notes = [(n["row"], n["column"], n["value"], n["message"]) for n in typed.attrs["cleaning"]]
    assert notes == [
        (7, "comparator", " ≥", "surrounding spaces removed"),
        (2, "comparator", "≤", "read as <="),
        (4, "comparator", "≤", "read as <="),
        (7, "comparator", "≥", "read as >="),
        (9, "comparator", "≤", "read as <="),
        (3, "value", " 15 ", "surrounding spaces removed"),
        (7, "value", " 15 ", "surrounding spaces removed"),
        (2, "value", "1,234", "read as 1234"),
        (4, "value", "９５．２％", "read as 95.2"),
        (5, "value", "1,234", "read as 1234"),
        (8, "value", "９５．２％", "read as 95.2"),
    ]
    assert len(caught) == 1 and "11 cell(s) normalised" in str(caught[0].message)


def test_numbers_from_code_pass_the_number_check_and_nan_is_a_blank():
    frame = pd.DataFrame([observation(), observation(period="2023")])
    frame["value"] = [16.0, np.nan]
    assert validate_observations(frame)["value"].tolist()[0] == 16.0
    assert np.isnan(validate_observations(frame)["value"].iat[1])
    frame["value"] = [True, False]  # booleans are no numbers, even from code
    with pytest.raises(ValidationError) as caught:
        validate_observations(frame)
    assert caught.value.problems["message"].tolist() == [
        "True is not a number",
        "False is not a number",
    ]


def test_missing_text_stays_none_without_the_str_dtype():
    # With pandas' str dtype switched off (deprecated, still possible in pandas 3),
    # text columns are objects and a missing cell reads None, as it always did.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        with pd.option_context("future.infer_string", False):
            frame = pd.DataFrame(
                {
                    "indicator": ["pm25_annual_mean"] * 2,
                    "region": ["深圳", "深圳"],
                    "period": ["2022", "2023"],
                    "value": ["20", "19"],
                    "unit": ["µg/m³", "µg/m³"],
                    "source": ["x", None],
                }
            )
            validated = validate_observations(frame)
    assert validated["source"].tolist() == ["x", None]
    assert validated["quote"].tolist() == [None, None]
