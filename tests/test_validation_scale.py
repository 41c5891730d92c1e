"""Normalising works per column and per distinct value; it must give what per-cell work gives.

Each ``reference_*`` function is the straightforward per-cell way of reading
or checking; the library's version must agree with it on every row, for the
tricky cells that sources contain.
"""

import re
import unicodedata
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envtargets import DataCleaningWarning, validate_observations, validate_targets
from envtargets.errors import UnitError, ValidationError
from envtargets.tables.check import no_conflicting_observations, unit_fits_indicator
from envtargets.tables.normalise import as_text, normalise
from envtargets.units import conversion_factor

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRICKY_CELLS = [
    "1,234",
    "12,5",
    "1,23",
    "12,345.6",
    " 12 ",
    "12",
    "９５．２％",
    "95.2",
    "95.2%",
    "xx",
    "——",
    "",
    " ",
    "1e3",
    "-0.0",
    "0.0",
    "−3",
    "inf",
    "nan",
    "1_000",
    "abc",
    None,
    np.nan,
    pd.NA,
]


def reference_number(cell) -> tuple[float, bool]:
    """(value, readable) of one cell, read by the documented rules, one cell at a time."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return np.nan, True
    text = unicodedata.normalize("NFKC", str(cell)).replace("\u2212", "-").strip()
    if text == "" or re.fullmatch(r"[xX]+%?|—+|-+|nan", text, flags=re.I):
        return np.nan, True
    text = text.removesuffix("%")
    if "," in text:
        if not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
            return np.nan, False
        text = text.replace(",", "")
    if "_" in text:
        return np.nan, False
    try:
        number = float(text)
    except ValueError:
        return np.nan, False
    return (number, True) if np.isfinite(number) else (np.nan, False)


def read_numbers(series: pd.Series) -> tuple[pd.Series, set[int]]:
    """The library's reading of a value column: the values and the unreadable positions."""
    frame = pd.DataFrame({"value": series, "unit": "%"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)
        result = normalise(frame, "observations")
    unreadable = set(result.unreadable.get("value", ([],))[0])
    return pd.Series(result.frame["value"].to_numpy(), name="value"), unreadable


def assert_same_floats(actual: pd.Series, expected: pd.Series) -> None:
    pd.testing.assert_series_equal(actual, expected, check_exact=True, check_names=False)
    # assert_series_equal takes 0.0 for -0.0; the sign is part of the value read.
    assert np.array_equal(np.signbit(actual.to_numpy()), np.signbit(expected.to_numpy()))


def check_against_reference(series: pd.Series) -> None:
    values, unreadable = read_numbers(series)
    expected = [reference_number(cell) for cell in series.astype(object)]
    assert_same_floats(values, pd.Series([v for v, _ in expected], dtype="float64"))
    assert unreadable == {i for i, (_, readable) in enumerate(expected) if not readable}


@SETTINGS
@given(st.lists(st.sampled_from(TRICKY_CELLS), min_size=1, max_size=60))
def test_numbers_read_per_column_equal_numbers_read_per_cell(cells):
    check_against_reference(pd.Series(cells, dtype=object, name="value"))


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_numbers_from_the_str_dtype(storage):
    if storage == "pyarrow":
        pytest.importorskip("pyarrow")
    cells = ["1,234", " 12 ", "xx", None, "1,234", "12", " 12 ", "12,5"]
    series = pd.Series(cells, dtype=pd.StringDtype(storage, na_value=np.nan))
    assert read_numbers(series)[0].tolist()[:2] == [1234.0, 12.0]
    check_against_reference(series)


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([1, 2, 2**60 + 1], dtype="int64"),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series([-0.0, 0.0, np.nan, np.inf], dtype="float64"),
        pd.Series([2**64 - 1, 0], dtype="uint64"),
        pd.Series([1, 2.5, "3", None], dtype=object),
    ],
    ids=["int64", "Int64", "float64", "uint64", "objects"],
)
def test_numbers_from_typed_columns(series):
    check_against_reference(series)


def reference_as_text(series: pd.Series) -> pd.Series:
    def text(cell):
        if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
            return None
        if isinstance(cell, (bool, np.bool_)) or not isinstance(cell, (int, float, np.number)):
            return str(cell)
        number = float(cell)
        return str(int(number)) if number.is_integer() else repr(number)

    return pd.Series([text(c) for c in series.astype(object)], dtype="str", index=series.index)


@pytest.mark.parametrize(
    "series",
    [
        pd.Series(["a", " b", None, "a", pd.NA, np.nan], dtype=object),
        pd.Series(["a", None, "a"], dtype="str"),
        pd.Series([2022, 2023, 2022], dtype="int64"),
        pd.Series([2022.0, 2022.5, 0.0, np.nan], dtype="float64"),
        pd.Series([1, None], dtype="Int64"),
        pd.Series([True, False]),
        pd.Series([np.nan, np.nan], dtype="float64"),
    ],
    ids=["object", "str", "int64", "float64", "Int64", "bool", "all missing"],
)
def test_text_columns_get_the_str_type_per_distinct_value(series):
    pd.testing.assert_series_equal(as_text(series), reference_as_text(series), check_exact=True)


# Observations: conflicting values of one indicator, region and period ----------

UNITS = ["µg/m³", "mg/m3", "microgram / meter ** 3", "%", "bananas", None]


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """The observations as the checks see them: normalised, unreadable cells missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)
        return normalise(frame, "observations").frame


def reference_conflict_free(frame: pd.DataFrame) -> pd.Series:
    """The first version: group on the cells, convert to the group's first unit."""
    keys = [frame["indicator"], frame["region"], frame["period"]]
    first_unit = frame.groupby(keys, dropna=False, sort=False)["unit"].transform("first")

    def factor(unit, first):
        try:
            return conversion_factor(str(unit), str(first))
        except UnitError:
            return np.nan

    factors = [factor(u, f) for u, f in zip(frame["unit"], first_unit, strict=True)]
    values = frame["value"].astype("float64") * np.array(factors, dtype=float)
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
    frame = normalised(frame.astype(object).where(frame.notna(), pd.NA))
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
    frame = normalised(pd.DataFrame(rows, dtype=object))
    assert no_conflicting_observations(frame).tolist() == [False, False, False]


def test_a_group_is_converted_to_its_first_unit_that_is_given():
    rows = [observation(unit=pd.NA), observation(value="0.016", unit="mg/m3"), observation()]
    frame = normalised(pd.DataFrame(rows, dtype=object))
    # The row without a unit cannot be compared; the other two agree in mg/m3.
    assert no_conflicting_observations(frame).tolist() == [True, True, True]
    frame.loc[2, "value"] = 17.0  # 0.017 mg/m3: the group conflicts, every row of it
    assert no_conflicting_observations(frame).tolist() == [False, False, False]


def test_one_conflict_among_many_rows_flags_exactly_its_two_rows():
    years = [str(year) for year in range(1900, 2100)]
    rows = [observation(region=f"r{k}", period=year) for k in range(20) for year in years]
    rows.append(observation(region="r7", period="2000", value="99"))
    frame = normalised(pd.DataFrame(rows))
    flagged = np.flatnonzero(~no_conflicting_observations(frame).to_numpy())
    assert flagged.tolist() == [7 * len(years) + 100, len(rows) - 1]


# Units that do not fit the indicator ------------------------------------------


def reference_unit_fits(frame: pd.DataFrame, known_units: dict) -> pd.Series:
    def fits(unit, canonical):
        if not isinstance(unit, str) or not isinstance(canonical, str):
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
    values = ["1,234", " 15 ", "９５．２", "1,234", "xx", " 15 ", "９５．２", "xx"]
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
    # One note per kind of change, naming every row it was made in.
    notes = [
        (n["rows"], n["count"], n["column"], n["value"], n["message"])
        for n in typed.attrs["cleaning"]
    ]
    assert sorted(notes, key=lambda n: (n[2], n[0])) == [
        ([2, 4, 9], 3, "comparator", "≤", "read as <="),
        ([7], 1, "comparator", " ≥", "surrounding spaces removed"),
        ([7], 1, "comparator", "≥", "read as >="),
        ([2, 5], 2, "value", "1,234", "read as 1234"),
        ([3, 7], 2, "value", " 15 ", "surrounding spaces removed"),
        ([4, 8], 2, "value", "９５．２", "read as 95.2"),
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
        "'True' is not a number",
        "'False' is not a number",
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
