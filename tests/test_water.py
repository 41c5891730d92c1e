"""Section classes by the single-factor method, and the share of good sections."""

import warnings

import numpy as np
import pandas as pd
import pytest

from envtargets import DataCleaningWarning, ValidationError, load_indicators, validate_observations
from envtargets.water import good_ratio, limit_table, river_grades, section_class


def samples(rows):
    return pd.DataFrame(rows, columns=["section", "time", "parameter", "value", "unit"])


def test_worst_parameter_is_dissolved_oxygen_higher_is_better():
    table = samples(
        [
            ("A", "2025-01-10", "溶解氧", 4.5, "mg/L"),
            ("A", "2025-02-10", "溶解氧", 5.0, "mg/L"),  # mean 4.75: class IV (≥ 3, < 5)
            ("A", "2025-01-10", "氨氮", 0.4, "mg/L"),  # class II
            ("A", "2025-01-10", "pH", 7.2, ""),  # class I
        ]
    )
    row = section_class(table).iloc[0]
    assert row["water_class"] == "IV" and row["class_number"] == 4
    assert row["limiting"] == "溶解氧" and row["limiting_id"] == "dissolved_oxygen"
    assert row["parameters"] == 3


@pytest.mark.parametrize(
    ("parameter", "value", "water_class"),
    [
        ("DO", 7.5, "I"),
        ("DO", 7.4, "II"),
        ("DO", 2.0, "V"),
        ("DO", 1.9, "劣V"),
        ("COD", 15, "I"),
        ("COD", 15.1, "III"),
        ("NH3-N", 2.0, "V"),
        ("NH3-N", 2.01, "劣V"),
        ("pH", 6.0, "I"),
        ("pH", 9.1, "劣V"),
        ("Hg", 0.00005, "I"),
        ("Hg", 0.0001, "III"),
    ],
)
def test_class_boundaries_best_class_wins(parameter, value, water_class):
    row = section_class(samples([("A", "2025-05-01", parameter, value, None)])).iloc[0]
    assert row["water_class"] == water_class


def test_total_phosphorus_differs_for_lakes():
    table = samples([("L", "2025-05-01", "总磷", 0.08, "mg/L")])
    assert section_class(table, "river").iloc[0]["water_class"] == "II"
    assert section_class(table, "lake").iloc[0]["water_class"] == "IV"


def test_ties_list_every_limiting_parameter_and_units_convert():
    table = samples(
        [("A", "2025-05-01", "COD", 25, "mg/L"), ("A", "2025-05-01", "总磷", 250, "µg/L")]
    )
    with pytest.warns(DataCleaningWarning, match="from µg/L to mg/L"):
        row = section_class(table).iloc[0]
    assert row["water_class"] == "IV" and row["limiting"] == "化学需氧量、总磷"


def test_wide_input_below_detection_and_unassessed_parameters():
    wide = pd.DataFrame(
        {
            "section": ["A", "B"],
            "date": ["2025-03-01", "2025-03-01"],
            "溶解氧": [6.5, 8.0],
            "氨氮": ["0.02L", "<0.3"],
            "水温": [20, 21],
            "总氮": [5.0, 5.0],
        }
    )
    with pytest.warns(DataCleaningWarning, match="2 value.*below the detection limit"):
        result = section_class(wide)
    assert result["water_class"].tolist() == ["II", "I"]  # TN is not assessed
    assert result["parameters"].tolist() == [2, 2]


def test_period_means_and_periods():
    table = samples(
        [("A", f"2025-{m:02d}-05", "氨氮", v, "mg/L") for m, v in [(1, 0.4), (2, 1.2), (3, 1.4)]]
    )
    result = section_class(table, period=["2025-01", "2025-01/2025-03"])
    assert result["water_class"].tolist() == ["II", "III"]  # mean of 0.4, 1.2, 1.4 = 1.0


def test_good_ratio_reproduces_shenzhen_21_sections():
    # 深圳 2025 1—9月: 21 个国考、省考断面优良率 95.2 % — 20 of 21.
    classes = pd.DataFrame(
        {
            "section": [f"S{i}" for i in range(21)],
            "period": "2025-01/2025-09",
            "class_number": [2] * 15 + [3] * 5 + [4],
        }
    )
    result = good_ratio(classes, "深圳")
    good = result[result["indicator"] == "water_sections_good_ratio"].iloc[0]
    assert round(good["value"], 1) == 95.2 and good["quote"].startswith("20 of 21")
    assert validate_observations(result, load_indicators())["value"].notna().all()


def test_river_grades():
    classes = pd.DataFrame(
        {
            "section": list("ABCDEFG"),
            "river": ["R"] * 5 + ["Q"] * 2,
            "period": "2025",
            "class_number": [1, 2, 2, 3, 5, 1, 1],
        }
    )
    grades = river_grades(classes)
    assert grades["river"].tolist() == ["R"]  # Q has fewer than five sections
    assert grades["good_ratio"].iloc[0] == 80 and grades["grade"].iloc[0] == "良好"


def test_bad_values_named():
    table = samples([("A", "2025-01-01", "氨氮", "abc", None), ("A", "x", "DO", -1, None)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)
        with pytest.raises(ValidationError) as caught:
            section_class(table)
    assert set(caught.value.problems["row"]) == {2, 3}


def test_limits_are_data():
    table = limit_table()
    assessed = table.drop_duplicates("parameter")["assessed"].sum()
    assert assessed == 21
    assert np.isclose(table.set_index("parameter").loc["mercury", "class_3"], 0.0001)


def test_unit_conversion_note_names_the_parameter_and_rows():
    table = samples(
        [
            ("A", "2025-05-01", "氨氮", 600, "µg/L"),
            ("A", "2025-05-02", "溶解氧", 7, "mg/L"),
            ("A", "2025-05-03", "NH3-N", 400, "ug/L"),
        ]
    )
    with pytest.warns(DataCleaningWarning) as caught:
        section_class(table)
    note = next(str(w.message) for w in caught if "canonical units" in str(w.message))
    assert "氨氮 (ammonia_nitrogen) from µg/L to mg/L (1 row: row 2)" in note
    assert "氨氮 (ammonia_nitrogen) from ug/L to mg/L (1 row: row 4)" in note
    assert "canonical units: 6 from" not in note  # not the internal table index


def test_parameters_left_out_have_their_units_ignored():
    # An unknown parameter and an unassessed one, in units no assessed parameter has:
    # they are left out, not converted (nor mistaken for water temperature).
    table = samples(
        [
            ("A", "2025-05-01", "叶绿素", 3, "mg/L"),
            ("A", "2025-05-01", "粪大肠菌群", 100, "个/L"),
            ("A", "2025-05-01", "溶解氧", 7, "mg/L"),
        ]
    )
    with pytest.warns(DataCleaningWarning, match="left out: 叶绿素"):
        row = section_class(table).iloc[0]
    assert row["water_class"] == "II" and row["samples"] == 1


def test_good_ratio_and_noise_rates_share_one_observation_builder():
    from envtargets._monitoring import share_observations

    counts = pd.DataFrame({"region": ["R"], "period": ["2025"], "size": [4], "sum": [3]})
    result = share_observations(
        counts, indicator="x_ratio", period="2025", source="s", counted="things",
        extra={"count": counts["sum"]},
    )  # fmt: skip
    row = result.iloc[0]
    assert row[["value", "unit", "quote", "count"]].tolist() == [75.0, "%", "3 of 4 things", 3]
