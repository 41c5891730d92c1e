import warnings

import pandas as pd
import pytest

from envtargets import (
    DataCleaningWarning,
    ValidationError,
    validate_indicators,
    validate_observations,
    validate_targets,
)

INDICATORS = pd.DataFrame(
    {
        "indicator": ["pm25_annual_mean", "aqi_good_day_ratio"],
        "name_zh": ["PM2.5年均浓度", "空气质量优良天数比例"],
        "name_en": ["PM2.5 annual mean", "AQI good-day ratio"],
        "unit": ["microgram / meter ** 3", "percent"],
        "better": ["lower", "higher"],
        "domain": ["air", "air"],
    }
)


def target(**overrides) -> dict:
    row = {
        "target_id": "sz-2023-pm25",
        "indicator": "pm25_annual_mean",
        "region": "深圳",
        "comparator": "<=",
        "value": "15",
        "upper": "",
        "unit": "微克/立方米",
        "target_year": "2023",
        "baseline_year": "",
        "baseline_value": "",
        "kind": "aspirational",
        "source": "001_d9a362fbed6fc341.txt",
        "quote": "PM2.5年均浓度力争降至15微克/立方米",
    }
    row.update(overrides)
    return row


def problems_of(call) -> pd.DataFrame:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.problems


def test_valid_targets_are_typed():
    frame = validate_targets(pd.DataFrame([target()]), INDICATORS)
    assert frame["value"].dtype == "float64" and frame["value"].iat[0] == 15.0
    assert str(frame["target_year"].dtype) == "Int64" and frame["target_year"].iat[0] == 2023
    assert pd.isna(frame["upper"].iat[0]) and pd.isna(frame["baseline_year"].iat[0])
    assert list(frame.columns[:13]) == [
        "target_id",
        "indicator",
        "region",
        "comparator",
        "value",
        "upper",
        "unit",
        "target_year",
        "baseline_year",
        "baseline_value",
        "kind",
        "source",
        "quote",
    ]


def test_every_problem_is_reported_at_once_with_row_and_column():
    rows = [
        target(),  # row 2: fine
        target(target_id="b", comparator="approximately"),  # row 3
        target(target_id="c", comparator="between"),  # row 4: no upper
        target(target_id="d", value="fifteen"),  # row 5
        target(target_id="e", unit="微克立方"),  # row 6: no such unit
        target(target_id="f", period="2025"),  # row 7: fine (an extra column)
        target(target_id="sz-2023-pm25"),  # row 8: duplicate of row 2
        target(target_id="g", unit="%"),  # row 9: % does not fit µg/m³
    ]
    problems = problems_of(lambda: validate_targets(pd.DataFrame(rows), INDICATORS, file="t.csv"))
    found = {(int(p.row), p.column) for p in problems.itertuples()}
    assert {
        (3, "comparator"),
        (4, "upper"),
        (5, "value"),
        (6, "unit"),
        (2, "target_id"),
        (8, "target_id"),
        (9, "unit"),
    } <= found
    assert set(problems["file"]) == {"t.csv"}
    messages = " | ".join(problems["message"])
    assert "invalid comparator 'approximately'" in messages
    assert "between' needs an upper bound" in messages
    assert "'fifteen' is not a number" in messages
    assert "unknown unit '微克立方'" in messages
    assert 7 not in {int(p.row) for p in problems.itertuples()}
    assert "appears more than once (rows 2, 8)" in messages


def test_message_text_names_file_row_and_column():
    with pytest.raises(ValidationError) as caught:
        validate_targets(pd.DataFrame([target(value="abc")]), file="mine.csv")
    assert "mine.csv, row 2, column 'value': 'abc' is not a number" in str(caught.value)


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"upper": "20"}, "upper", "only used with comparator 'between'"),
        ({"comparator": "between", "value": "20", "upper": "10"}, "upper", "below"),
        ({"baseline_year": "2023"}, "baseline_year", "before target_year"),
        ({"baseline_value": "16"}, "baseline_year", "without baseline_year"),
        ({"target_year": "20xx"}, "target_year", "not a year"),
        ({"kind": "soft"}, "kind", "invalid kind 'soft'"),
        ({"value": "xx"}, "value", "a target needs a number"),
    ],
)
def test_target_rules(overrides, column, words):
    problems = problems_of(lambda: validate_targets(pd.DataFrame([target(**overrides)])))
    assert column in set(problems["column"])
    assert problems["message"].str.contains(words, regex=False).any()


def test_cleaning_is_reported_not_silent():
    row = target(value="１５．０", comparator="≤", upper=" ")
    with pytest.warns(DataCleaningWarning, match="１５．０"):
        frame = validate_targets(pd.DataFrame([row]))
    assert frame["value"].iat[0] == 15.0 and frame["comparator"].iat[0] == "<="
    notes = {(note["column"], note["message"]) for note in frame.attrs["cleaning"]}
    assert notes == {
        ("value", "read as 15.0"),
        ("comparator", "read as <="),
        ("upper", "blank cell read as empty"),
    }


def test_full_width_percent_in_value():
    row = target(indicator="aqi_good_day_ratio", comparator=">=", value="９５．５％", unit="%")
    with pytest.warns(DataCleaningWarning):
        frame = validate_targets(pd.DataFrame([row]), INDICATORS)
    assert frame["value"].iat[0] == 95.5


def test_kind_defaults_to_binding():
    frame = validate_targets(pd.DataFrame([target(kind="")]))
    assert frame["kind"].iat[0] == "binding"


def test_frames_from_code_with_typed_cells():
    frame = pd.DataFrame(
        {
            "target_id": ["a"],
            "indicator": ["x"],
            "region": ["r"],
            "comparator": [">="],
            "value": [80.0],
            "unit": ["%"],
            "target_year": [2025],
        }
    )
    typed = validate_targets(frame)
    assert typed["value"].iat[0] == 80.0 and typed["target_year"].iat[0] == 2025
    assert typed["kind"].iat[0] == "binding"


def observation(**overrides) -> dict:
    row = {
        "indicator": "pm25_annual_mean",
        "region": "深圳",
        "period": "2022",
        "value": "16",
        "unit": "微克/立方米",
        "source": "s.txt",
        "quote": "从18降至16微克/立方米",
    }
    row.update(overrides)
    return row


def test_conflicting_observations_name_both_rows():
    rows = [
        observation(),
        observation(period="2021", value="18"),
        observation(value="0.017", unit="mg/m3"),
    ]
    problems = problems_of(lambda: validate_observations(pd.DataFrame(rows), file="o.csv"))
    assert sorted(problems["row"].astype(int)) == [2, 4]
    assert problems["message"].str.contains("o.csv row 4").any()
    assert problems["message"].str.contains("o.csv row 2").any()


def test_same_value_in_other_units_is_not_a_conflict():
    rows = [observation(), observation(value="0.016", unit="mg/m3")]
    assert len(validate_observations(pd.DataFrame(rows))) == 2


def test_placeholder_observation_is_missing_never_a_number():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = validate_observations(pd.DataFrame([observation(value="XX%", unit="%")]))
    assert pd.isna(frame["value"].iat[0])
    assert any("placeholder" in str(w.message) for w in caught)


@pytest.mark.parametrize(
    ("period", "words"),
    [("2025-09/2025-01", "before the start"), ("2025-13", "month 13"), ("20xx", "placeholder")],
)
def test_bad_periods_are_validation_problems(period, words):
    problems = problems_of(
        lambda: validate_observations(pd.DataFrame([observation(period=period)]))
    )
    assert problems["column"].tolist() == ["period"]
    assert words in problems["message"].iat[0]


def test_indicator_rules():
    frame = INDICATORS.copy()
    frame.loc[1, "better"] = "up"
    frame.loc[2] = ["PM 10", "", "", "bananas per hour", "lower", "air"]
    frame.loc[3] = frame.loc[0]
    problems = problems_of(lambda: validate_indicators(frame))
    messages = " | ".join(problems["message"])
    assert "invalid better 'up'" in messages
    assert "snake_case" in messages
    assert "appears more than once" in messages
    assert "bananas" in messages


def test_missing_required_column():
    frame = pd.DataFrame([target()]).drop(columns=["unit"])
    problems = problems_of(lambda: validate_targets(frame, file="t.csv"))
    assert (
        problems["message"].str.startswith("missing required column 'unit' (the header has:").all()
    )
    assert problems[["file", "column"]].to_numpy().tolist() == [["t.csv", "unit"]]


def test_measure_defaults_to_level_and_is_checked():
    assert validate_indicators(INDICATORS)["measure"].tolist() == ["level", "level"]
    problems = problems_of(lambda: validate_indicators(INDICATORS.assign(measure="stock")))
    assert set(problems["column"]) == {"measure"}
    assert "write one of level" in problems["message"].iat[0]


def test_bundled_annual_counts_are_marked():
    from envtargets import load_indicators

    measure = load_indicators().set_index("indicator")["measure"]
    # 新建3个以上危废收集转运设施: facilities built within a year
    assert measure["hazardous_waste_collection_facilities_built"] == "annual"
    # 环境信访总量同比下降: a change on the previous year, a rate of one year
    assert measure["environmental_petitions_yoy_decrease"] == "annual_rate"
    assert measure["pm25_annual_mean"] == "level"
    assert measure["aqi_good_day_ratio"] == "level"


# Conflicts and duplicate ids: messages name the other rows of the group ------


@pytest.mark.parametrize("column", ["indicator", "region", "period"])
@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, "", "  "])
def test_differing_rows_without_a_key_cell_are_reported_as_empty_not_as_a_conflict(column, missing):
    rows = [observation(**{column: missing}), observation(**{column: missing}, value="17")]
    problems = problems_of(lambda: validate_observations(pd.DataFrame(rows), file="o.csv"))
    assert problems["row"].tolist() == [2, 3]
    assert problems["column"].tolist() == [column, column]
    assert problems["message"].tolist() == [f"{column} is empty"] * 2


def test_a_period_missing_in_a_column_of_numbers_is_reported_as_empty():
    frame = pd.DataFrame([observation(), observation(value="17"), observation(value="18")])
    frame["period"] = [float("nan"), float("nan"), 2022.0]
    problems = problems_of(lambda: validate_observations(frame, file="o.csv"))
    assert problems["message"].tolist() == ["period is empty"] * 2


def test_rows_without_a_key_cell_leave_the_other_conflicts_reported():
    rows = [
        observation(),
        observation(region=None, value="17"),
        observation(region=None, value="18"),
        observation(value="19"),
    ]
    problems = problems_of(lambda: validate_observations(pd.DataFrame(rows), file="o.csv"))
    assert problems["message"].tolist() == [
        "value 16 微克/立方米 conflicts with o.csv row 5 (19 微克/立方米): "
        "same indicator, region and period, different values",
        "region is empty",
        "region is empty",
        "value 19 微克/立方米 conflicts with o.csv row 2 (16 微克/立方米): "
        "same indicator, region and period, different values",
    ]


def test_evaluate_reports_rows_without_a_key_cell_as_validation_problems():
    from envtargets import evaluate

    rows = [observation(period=None), observation(period=None, value="17")]
    problems = problems_of(lambda: evaluate(pd.DataFrame([target()]), pd.DataFrame(rows)))
    assert problems["message"].tolist() == ["period is empty"] * 2


def test_each_conflict_names_every_other_row_of_its_group_in_file_order():
    rows = [
        observation(),
        observation(region="河源", value="30"),
        observation(value="17"),
        observation(region="河源", value="0.031", unit="mg/m3"),
        observation(period="2021"),  # alone in its period: no conflict
        observation(value="16"),
    ]
    problems = problems_of(lambda: validate_observations(pd.DataFrame(rows), file="o.csv"))
    assert problems["row"].tolist() == [2, 3, 4, 5, 7]
    tail = ": same indicator, region and period, different values"
    assert problems["message"].tolist() == [
        "value 16 微克/立方米 conflicts with o.csv row 4 (17 微克/立方米), "
        "o.csv row 7 (16 微克/立方米)" + tail,
        "value 30 微克/立方米 conflicts with o.csv row 5 (0.031 mg/m3)" + tail,
        "value 17 微克/立方米 conflicts with o.csv row 2 (16 微克/立方米), "
        "o.csv row 7 (16 微克/立方米)" + tail,
        "value 0.031 mg/m3 conflicts with o.csv row 3 (30 微克/立方米)" + tail,
        "value 16 微克/立方米 conflicts with o.csv row 2 (16 微克/立方米), "
        "o.csv row 4 (17 微克/立方米)" + tail,
    ]


def test_conflicts_across_files_name_file_and_row_of_each_partner():
    frame = pd.DataFrame([observation(), observation(value="17"), observation(value="18")])
    frame["source_file"] = ["a.csv", "b.csv", "b.csv"]
    frame["row"] = [9, 2, 5]
    problems = problems_of(lambda: validate_observations(frame))
    partners = "b.csv row 2 (17 微克/立方米), b.csv row 5 (18 微克/立方米):"
    assert problems["message"].iat[0].startswith(f"value 16 微克/立方米 conflicts with {partners}")


def test_each_duplicate_id_names_the_rows_of_that_id_only():
    ids = ["a", "b", "a", "c", "b", "a"]
    frame = pd.DataFrame([target(target_id=i) for i in ids])
    problems = problems_of(lambda: validate_targets(frame, file="t.csv"))
    assert problems["message"].tolist() == [
        "target_id 'a' appears more than once (rows 2, 4, 7)",
        "target_id 'b' appears more than once (rows 3, 6)",
        "target_id 'a' appears more than once (rows 2, 4, 7)",
        "target_id 'b' appears more than once (rows 3, 6)",
        "target_id 'a' appears more than once (rows 2, 4, 7)",
    ]
