"""Section classes by the single-factor method, and the share of good sections."""

import warnings

import numpy as np
import pandas as pd
import pytest

from envtargets import DataCleaningWarning, ValidationError, load_indicators, validate_observations
from envtargets._monitoring import covered_periods
from envtargets.water import (
    good_ratio,
    limit_table,
    river_grade_table,
    river_grades,
    section_class,
)


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
    assert grades["worse_than_v_ratio"].iloc[0] == 0 and pd.isna(grades["grade_note"].iloc[0])


def _river(good: int, worse: int, sections: int, name: str = "R") -> pd.DataFrame:
    """Sections of one river: ``good`` of class II, ``worse`` 劣V, the rest class IV."""
    number = [2] * good + [6] * worse + [4] * (sections - good - worse)
    return pd.DataFrame({"river": name, "period": "2025", "class_number": number})


@pytest.mark.parametrize(
    ("good", "worse", "sections", "grade"),
    [
        # 优: I–III ≥ 90 %, whatever the 劣V share.
        (10, 0, 10, "优"),
        (9, 0, 10, "优"),  # 90 % exactly
        (18, 2, 20, "优"),  # 90 % with 10 % 劣V
        # 良好: 75 % ≤ I–III < 90 %.
        (89, 0, 100, "良好"),
        (75, 25, 100, "良好"),  # 75 % exactly; the 劣V share does not matter
        (3, 1, 4, None),  # four sections: not graded (fewer than five)
        # 轻度污染: I–III < 75 % and 劣V < 20 %.
        (74, 0, 100, "轻度污染"),
        (74, 19, 100, "轻度污染"),
        (0, 0, 5, "轻度污染"),  # all class IV: no good and no 劣V section
        (60, 10, 100, "轻度污染"),
        # 中度污染: I–III < 75 % and 20 % ≤ 劣V < 40 %.
        (74, 20, 100, "中度污染"),  # 劣V 20 % exactly
        (7, 3, 10, "中度污染"),  # 70 % with 30 % 劣V (issue 11: not 轻度污染)
        (60, 39, 100, "中度污染"),
        (2, 1, 5, "中度污染"),  # 40 % with 20 % 劣V
        # 重度污染: I–III < 60 % and 劣V ≥ 40 %.
        (59, 40, 100, "重度污染"),
        (2, 2, 5, "重度污染"),  # 40 % with 40 % 劣V
        (0, 5, 5, "重度污染"),
    ],
)
def test_river_grade_rows_and_boundaries(good, worse, sections, grade):
    grades = river_grades(_river(good, worse, sections))
    if grade is None:
        assert grades.empty
        return
    row = grades.iloc[0]
    assert row["grade"] == grade and pd.isna(row["grade_note"])
    assert row["good_ratio"] == pytest.approx(100 * good / sections)
    assert row["worse_than_v_ratio"] == pytest.approx(100 * worse / sections)


@pytest.mark.parametrize(("good", "worse", "sections"), [(3, 2, 5), (6, 4, 10), (60, 40, 100)])
def test_the_case_no_row_fits_is_not_graded(good, worse, sections):
    # I–III 60 % with 劣V 40 %: not 中度 (劣V < 40 %), not 重度 (I–III < 60 %).
    row = river_grades(_river(good, worse, sections)).iloc[0]
    assert pd.isna(row["grade"])
    assert row["grade_note"] == (
        "no grade of the 2011 table fits I–III 60 % with 劣V 40 % (unconfirmed, not graded)"
    )


def test_grade_table_names_and_only_open_case():
    table = river_grade_table()
    assert table["grade"].tolist() == ["优", "良好", "轻度污染", "中度污染", "重度污染"]
    # Every possible river of 5–40 sections: at most one row fits, and none fits
    # exactly when I–III is 60 % and 劣V 40 % (the shares add up to at most 100 %).
    cases = np.array(
        [(g, w, n) for n in range(5, 41) for g in range(n + 1) for w in range(n - g + 1)]
    )
    good, worse, sections = cases.T
    river = np.repeat(np.arange(len(cases)), sections)
    start = np.repeat(np.cumsum(sections) - sections, sections)
    position = np.arange(len(river)) - start
    number = np.where(position < good[river], 2, np.where(position < (good + worse)[river], 6, 4))
    classes = pd.DataFrame({"river": river, "period": "2025", "class_number": number})
    grades = river_grades(classes).set_index("river").loc[np.arange(len(cases))]
    open_case = (100 * good == 60 * sections) & (100 * worse == 40 * sections)
    assert open_case.sum() == 8  # 3/2/5, 6/4/10 … 24/16/40
    assert (grades["grade"].isna().to_numpy() == open_case).all()
    assert grades["grade_note"].notna().to_numpy().sum() == open_case.sum()
    good_share, worse_share = 100 * good / sections, 100 * worse / sections
    fits = (
        (table["good_from"].to_numpy() <= good_share[:, None])
        & (good_share[:, None] < table["good_below"].to_numpy())
        & (table["worse_from"].to_numpy() <= worse_share[:, None])
        & (worse_share[:, None] < table["worse_below"].to_numpy())
    )
    assert fits.sum(axis=1).max() == 1
    graded = ~open_case
    chosen = table["grade"].to_numpy()[fits[graded].argmax(axis=1)]
    assert (grades["grade"].to_numpy()[graded] == chosen).all()


@pytest.mark.parametrize(
    ("dates", "periods"),
    [
        (["2025-01-10"], ["2025-01"]),  # one January sample is January, not 2025
        (["2025-01-10", "2025-06-03", "2025-03-01"], ["2025-01/2025-06"]),
        (["2025-01-10", "2025-12-31"], ["2025"]),  # January to December: the year
        (["2024-11-05", "2025-02-01", "2025-02-20"], ["2024-11", "2025-02"]),
    ],
)
def test_default_periods_are_the_months_the_data_cover(dates, periods):
    table = samples([("A", d, "氨氮", 0.4, "mg/L") for d in dates])
    assert section_class(table)["period"].tolist() == periods
    assert covered_periods(np.array(dates, dtype="datetime64[D]")) == periods


def test_one_january_sample_is_no_annual_share_and_no_final_verdict():
    # Issue 11: one January sample became a 2025 good-section share of 50 %.
    from envtargets import evaluate

    table = samples(
        [("A", "2025-01-10", "氨氮", 0.4, "mg/L"), ("B", "2025-01-10", "氨氮", 1.6, "mg/L")]
    )
    observations = good_ratio(section_class(table), "青山市")
    assert set(observations["period"]) == {"2025-01"}
    target = pd.DataFrame(
        {
            "target_id": ["w"], "indicator": ["water_sections_good_ratio"],
            "region": ["青山市"], "comparator": [">="], "value": [90.0], "upper": [np.nan],
            "unit": ["%"], "target_year": [2025], "baseline_year": [pd.NA],
            "baseline_value": [np.nan], "kind": ["binding"], "source": ["plan"],
            "quote": ["到2025年,优良比例达到90%"],
        }
    )  # fmt: skip
    row = evaluate(target, observations).iloc[0]
    assert row["observed_period"] == "2025-01" and bool(row["provisional"])
    assert row["status"] not in ("achieved", "not_achieved")


def test_periods_follow_the_assessed_samples_and_a_given_period_is_kept():
    # Water temperature alone (not assessed) in March does not stretch the span.
    table = samples(
        [("A", "2025-01-10", "氨氮", 0.4, "mg/L"), ("A", "2025-03-10", "水温", 12, "degC")]
    )
    assert section_class(table)["period"].tolist() == ["2025-01"]
    assert section_class(table, period="2025")["period"].tolist() == ["2025"]


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


def test_documented_grade_table_is_the_declared_one():
    from pathlib import Path

    def bounds(low, high):
        if np.isinf(high):
            return "any" if low == 0 else f"≥ {low:g} %"
        return f"< {high:g} %" if low == 0 else f"{low:g} % ≤ … < {high:g} %"

    expected = [
        f"| {row.grade} | {bounds(row.good_from, row.good_below)} "
        f"| {bounds(row.worse_from, row.worse_below)} |"
        for row in river_grade_table().itertuples()
    ]
    text = (Path(__file__).parents[1] / "docs" / "standards.md").read_text(encoding="utf-8")
    start = text.index("| grade | class I–III share | 劣V share |")
    assert text[start:].splitlines()[2:7] == expected


def test_each_region_is_labelled_with_the_months_of_its_own_samples():
    table = samples(
        [
            ("A", "2025-01-10", "氨氮", 0.4, "mg/L"),
            ("A", "2025-06-10", "氨氮", 0.4, "mg/L"),
            ("B", "2025-01-10", "氨氮", 1.6, "mg/L"),
        ]
    ).assign(region=["甲市", "甲市", "乙市"])
    classes = section_class(table)
    assert classes[["section", "region", "period"]].to_numpy().tolist() == [
        ["B", "乙市", "2025-01"],
        ["A", "甲市", "2025-01/2025-06"],
    ]
    good = good_ratio(classes).query("indicator == 'water_sections_good_ratio'")
    assert good.set_index("region")["period"].to_dict() == {
        "甲市": "2025-01/2025-06",
        "乙市": "2025-01",
    }
