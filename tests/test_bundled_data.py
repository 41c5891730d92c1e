"""Checks of the bundled data against the source documents they were transcribed from.

Plain pandas only: the package itself is not imported, so these tests guard the data even
while the library changes.
"""

import math
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCES = DATA / "sources"
TEMPLATE = "004_cb2c2972be1141c8.txt"

INDICATOR_COLUMNS = ["indicator", "name_zh", "name_en", "unit", "better", "domain", "measure"]
TARGET_COLUMNS = [
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
    "note",
]
OBSERVATION_COLUMNS = [
    "indicator",
    "region",
    "period",
    "value",
    "unit",
    "source",
    "quote",
    "period_inferred",
    "note",
]

COMPARATORS = {"<=", "<", ">=", ">", "==", "between"}
KINDS = {"binding", "expected", "aspirational"}
DOMAINS = {
    "air",
    "water",
    "noise",
    "soil",
    "waste",
    "ecology",
    "climate",
    "health",
    "transport",
    "governance",
    "finance",
    "marine",
    "nuclear",
}
REGIONS = {"深圳", "河源"}

COUNT_WORDS = {
    "个",
    "家",
    "项",
    "件",
    "宗",
    "座",
    "条",
    "台",
    "套",
    "次",
    "场次",
    "人次",
    "家次",
    "万家次",
    "桶",
    "万桶",
    "人",
    "万人",
    "名",
    "类",
    "部",
    "支",
    "种",
    "批",
    "村",
    "户",
}
# Unit words a row may use, grouped by the canonical unit of the indicator they can describe.
UNIT_WORDS = {
    "microgram / meter ** 3": {"微克/立方米", "毫克/立方米"},
    "percent": {"%"},
    "count": COUNT_WORDS,
    "kilometer": {"公里", "万公里"},
    "kilometer ** 2": {"平方公里"},
    "meter ** 3 / wan_yuan": {"立方米/万元"},
    "meter ** 3 / year": {"万立方米/年"},
    "yuan": {"元", "万元", "亿元"},
    "wan_yuan": {"元", "万元", "亿元"},
    "yi_yuan": {"元", "万元", "亿元"},
    "tonne": {"吨", "万吨"},
    "tonne / year": {"吨/年", "万吨/年"},
    "tonne / day": {"吨/日"},
    "dimensionless": set(),
    # emitted by envtargets.air for CO and for day counts; no source document uses them
    "milligram / meter ** 3": {"毫克/立方米"},
    "day": set(),
}
ALLOWED_UNIT_WORDS = set().union(*UNIT_WORDS.values()) | {"个百分点", "立方米"}

PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?(/\d{4}-(0[1-9]|1[0-2]))?$")
DERIVED = re.compile(
    r"^derived: (?P<a>\d+(?:\.\d+)?) (?P<op>[-+]) (?P<b>\d+(?:\.\d+)?) = (?P<v>\d+(?:\.\d+)?)$"
)

TABLES = {
    "targets": sorted((DATA / "targets").glob("*.csv")),
    "observations": sorted((DATA / "observations").glob("*.csv")),
}
ALL_ROW_FILES = TABLES["targets"] + TABLES["observations"]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@cache
def _source_text(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def _fmt(value: float) -> str:
    """Write a number as a document would: 95.2 -> '95.2', 100.0 -> '100'."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _indicators() -> pd.DataFrame:
    return _read(DATA / "indicators.csv")


def _rows(kind: str) -> pd.DataFrame:
    return pd.concat(
        [_read(path).assign(file=path.name) for path in TABLES[kind]], ignore_index=True
    )


def _file_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


# ------------------------------------------------------------------ files and columns
def test_expected_files_exist():
    assert [p.name for p in TABLES["targets"]] == ["shenzhen.csv"]
    assert [p.name for p in TABLES["observations"]] == ["heyuan.csv", "shenzhen.csv"]
    assert (SOURCES / "README.md").is_file()
    assert len(list(SOURCES.glob("*.txt"))) == 5


@pytest.mark.parametrize(
    ("path", "columns"),
    [(DATA / "indicators.csv", INDICATOR_COLUMNS)]
    + [(p, TARGET_COLUMNS) for p in TABLES["targets"]]
    + [(p, OBSERVATION_COLUMNS) for p in TABLES["observations"]],
    ids=lambda x: _file_id(x) if isinstance(x, Path) else "",
)
def test_utf8_without_bom_and_exact_columns(path, columns):
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert list(_read(path).columns) == columns


def test_readme_describes_every_source():
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    assert "Figures not transcribed" in readme
    for path in SOURCES.glob("*.txt"):
        assert path.name in readme


# ------------------------------------------------------------------ (a) (b) (c) provenance
@pytest.mark.parametrize("path", ALL_ROW_FILES, ids=_file_id)
def test_source_names_a_bundled_file(path):
    names = {p.name for p in SOURCES.glob("*.txt")}
    frame = _read(path)
    assert frame["source"].isin(names).all(), set(frame["source"]) - names


@pytest.mark.parametrize("path", ALL_ROW_FILES, ids=_file_id)
def test_quote_is_exact_substring_of_source(path):
    missing = [
        (row.source, row.quote)
        for row in _read(path).itertuples()
        if not row.quote or row.quote not in _source_text(row.source)
    ]
    assert not missing


@pytest.mark.parametrize("path", ALL_ROW_FILES, ids=_file_id)
def test_value_appears_in_quote_or_is_derived_from_it(path):
    problems = []
    for row in _read(path).itertuples():
        value = float(row.value)
        if row.note.startswith("derived:"):
            match = DERIVED.match(row.note)
            if match is None:
                problems.append((row.indicator, row.note, "malformed derived note"))
                continue
            a, b = float(match["a"]), float(match["b"])
            result = a - b if match["op"] == "-" else a + b
            if match["a"] not in row.quote or match["b"] not in row.quote:
                problems.append((row.indicator, row.note, "operand not in quote"))
            if not math.isclose(result, value, abs_tol=1e-9):
                problems.append((row.indicator, row.note, "arithmetic"))
            if not math.isclose(float(match["v"]), value, abs_tol=1e-9):
                problems.append((row.indicator, row.note, "stated result differs from value"))
        elif _fmt(value) not in row.quote:
            problems.append((row.indicator, row.value, row.quote))
    assert not problems


@pytest.mark.parametrize("path", ALL_ROW_FILES, ids=_file_id)
def test_no_row_comes_from_the_template(path):
    assert not _read(path)["source"].str.startswith("004_").any()


def test_template_contributes_indicator_names_only():
    used = set(_rows("targets")["indicator"]) | set(_rows("observations")["indicator"])
    indicators = _indicators()
    template_only = indicators[~indicators["indicator"].isin(used)]
    template = _source_text(TEMPLATE)
    named_in_template = [name for name in template_only["name_zh"] if name in template]
    assert len(named_in_template) >= 3, named_in_template
    assert {"农膜回收率", "畜禽粪污综合利用率"} <= set(named_in_template)
    # The template's placeholders are never numbers.
    assert re.search(r"\d", template.replace("20xx", "").replace("20XX", "")) is None


# ------------------------------------------------------------------ (d) consistency
def test_indicators_table():
    frame = _indicators()
    assert frame["indicator"].is_unique
    assert frame["indicator"].str.fullmatch(r"[a-z][a-z0-9_]*").all()
    assert frame["better"].isin({"lower", "higher"}).all()
    assert frame["domain"].isin(DOMAINS).all()
    assert frame["measure"].isin({"level", "annual", "annual_rate"}).all()
    assert frame["unit"].isin(UNIT_WORDS.keys()).all()
    assert (frame["name_zh"] != "").all()
    assert (frame["name_en"] != "").all()


def test_target_ids_unique():
    assert _rows("targets")["target_id"].is_unique


@pytest.mark.parametrize("kind", ["targets", "observations"])
def test_indicators_known_and_units_compatible(kind):
    canonical = dict(zip(_indicators()["indicator"], _indicators()["unit"], strict=True))
    frame = _rows(kind)
    assert frame["indicator"].isin(canonical.keys()).all()
    assert frame["region"].isin(REGIONS).all()
    assert frame["unit"].isin(ALLOWED_UNIT_WORDS).all()
    wrong = [
        (row.indicator, row.unit)
        for row in frame.itertuples()
        if row.unit not in UNIT_WORDS[canonical[row.indicator]]
    ]
    assert not wrong


def test_target_cells():
    frame = _rows("targets")
    assert frame["comparator"].isin(COMPARATORS).all()
    assert frame["kind"].isin(KINDS).all()
    has_upper = frame["upper"] != ""
    assert (frame.loc[has_upper, "comparator"] == "between").all()
    assert (frame.loc[frame["comparator"] == "between", "upper"] != "").all()
    assert frame["target_year"].str.fullmatch(r"\d{4}").all()
    with_base = frame[frame["baseline_year"] != ""]
    assert (with_base["baseline_year"].astype(int) < with_base["target_year"].astype(int)).all()
    assert (frame.loc[frame["baseline_year"] == "", "baseline_value"] == "").all()
    pd.to_numeric(frame["value"])


def test_observation_cells():
    frame = _rows("observations")
    assert frame["period"].str.fullmatch(PERIOD).all()
    pd.to_numeric(frame["value"])


# ------------------------------------------------------------------ (f) duplicates
def test_no_duplicate_observation():
    frame = _rows("observations")
    assert not frame.duplicated(["indicator", "region", "period"]).any()


# ------------------------------------------------------------------ (g) spot checks
# Each expected value typed from the document text, not from the CSVs.
SPOT_CHECKS = [
    # 000: Shenzhen rectification report, first three quarters of 2025
    ("observations", "pm25_annual_mean", "深圳", "2025-01/2025-09", 15.1),
    ("observations", "aqi_good_day_ratio", "深圳", "2025-01/2025-09", 96),
    ("observations", "water_sections_good_ratio", "深圳", "2025-01/2025-09", 95.2),
    ("observations", "river_good_length_ratio", "深圳", "2025-01/2025-09", 88.5),
    ("observations", "noise_night_compliance_rate", "深圳", "2025-01/2025-09", 89),
    ("observations", "rectification_tasks_completed", "深圳", "2025-11", 7),
    ("observations", "petitions_closed", "深圳", "2025-11", 169),
    # 001: Shenzhen 2022 summary
    ("observations", "pm25_annual_mean", "深圳", "2022", 16),
    ("observations", "pm25_annual_mean", "深圳", "2021", 18),
    ("observations", "river_good_length_ratio", "深圳", "2022", 67.6),
    ("observations", "river_good_length_ratio", "深圳", "2021", 50),
    ("observations", "water_sections_good_ratio", "深圳", "2022", 95.2),
    ("observations", "water_sections_good_ratio", "深圳", "2021", 90.5),
    ("observations", "noise_day_compliance_rate", "深圳", "2022", 100),
    ("observations", "noise_night_compliance_rate", "深圳", "2022", 75),
    ("observations", "noise_night_compliance_rate", "深圳", "2021", 69),
    ("observations", "environmental_petitions_yoy_decrease", "深圳", "2022", 23.1),
    ("observations", "vocs_key_enterprises_deep_treatment", "深圳", "2022", 66),
    ("observations", "fuel_quick_tests", "深圳", "2022", 1711),
    ("observations", "dust_patrol_road_length", "深圳", "2022", 6),
    ("observations", "administrative_penalties", "深圳", "2022", 1793),
    ("observations", "penalty_amount", "深圳", "2022", 7366),
    ("observations", "env_treatment_support_funds", "深圳", "2022", 7615),
    ("observations", "medical_waste_disposed", "深圳", "2022", 841),
    ("observations", "carbon_trading_value", "深圳", "2022", 2.3),
    ("observations", "carbon_trading_value", "深圳", "2021", 0.8),
    ("observations", "hazardous_waste_capacity_added", "深圳", "2022", 56),
    # 003: Heyuan
    ("observations", "aqi_good_day_ratio", "河源", "2022", 96.2),
    ("observations", "aqi_good_day_ratio", "河源", "2023-01/2023-05", 98),
    ("observations", "water_sections_good_ratio", "河源", "2023-01/2023-04", 100),
    ("observations", "forest_coverage", "河源", "2022", 73.2),
    ("observations", "rectification_tasks_completed", "河源", "2023-05", 4),
    ("observations", "petitions_closed", "河源", "2023-05", 225),
    ("observations", "old_sewer_pipes_renovated", "河源", "2023-05", 72.414),
    ("observations", "rural_sewage_treatment_rate", "河源", "2023-05", 54.37),
    ("observations", "urban_sewage_collection_rate", "河源", "2023-05", 51),
    ("observations", "pollution_control_funds_raised", "河源", "2022", 12.15),
    ("observations", "pollution_control_funds_raised", "河源", "2023-01/2023-05", 7.34),
    ("observations", "rural_population_centralized_water_supply", "河源", "2021-12", 52.24),
    ("observations", "leachate_treatment_capacity_added", "河源", "2023-05", 1450),
    # 001: Shenzhen 2023 plan
    ("targets", "aqi_good_day_ratio", "深圳", "2023", 95.5),
    ("targets", "pm25_annual_mean", "深圳", "2023", 15),
    ("targets", "water_sections_good_ratio", "深圳", "2023", 95.2),
    ("targets", "environmental_petitions_yoy_decrease", "深圳", "2023", 10),
    ("targets", "vocs_key_enterprises_deep_treatment", "深圳", "2023", 85),
    ("targets", "river_good_length_ratio", "深圳", "2023", 65),
    ("targets", "rural_sewage_facility_operation_rate", "深圳", "2023", 90),
    # 002: Shenzhen action plan 2020-2025
    ("targets", "pm25_annual_mean", "深圳", "2025", 20),
    ("targets", "urban_sewage_collection_rate", "深圳", "2025", 92),
    ("targets", "water_use_per_10k_yuan_gdp", "深圳", "2025", 6),
    ("targets", "construction_waste_utilization_capacity", "深圳", "2025", 1500),
    ("targets", "municipal_sludge_safe_disposal_rate", "深圳", "2022", 100),
    ("targets", "green_travel_share", "深圳", "2025", 80),
    ("targets", "env_health_literacy", "深圳", "2025", 35),
]


@pytest.mark.parametrize(("kind", "indicator", "region", "when", "expected"), SPOT_CHECKS)
def test_spot_check(kind, indicator, region, when, expected):
    frame = _rows(kind)
    column = "period" if kind == "observations" else "target_year"
    hits = frame[
        (frame["indicator"] == indicator) & (frame["region"] == region) & (frame[column] == when)
    ]
    assert len(hits) == 1, hits
    assert float(hits["value"].iloc[0]) == pytest.approx(expected)


# Comparator and kind, typed from the wording (达到 >=, 力争降至 <= aspirational, 超过 >, 以下 <=).
COMPARATOR_CHECKS = [
    ("sz-2023-aqi-good", ">=", "binding"),
    ("sz-2023-pm25", "<=", "aspirational"),
    ("sz-2023-petitions-decrease", ">=", "binding"),
    ("sz-2025-pm25", "<=", "binding"),
    ("sz-2025-water-use-per-gdp", "<=", "binding"),
    ("sz-2025-env-health-literacy", ">", "binding"),
    ("sz-2025-household-waste-recycling", ">=", "binding"),
]


@pytest.mark.parametrize(("target_id", "comparator", "kind"), COMPARATOR_CHECKS)
def test_comparator_and_kind(target_id, comparator, kind):
    frame = _rows("targets").set_index("target_id")
    assert frame.loc[target_id, "comparator"] == comparator
    assert frame.loc[target_id, "kind"] == kind


def test_plan_2023_baselines_are_looked_up_not_typed():
    frame = _rows("targets")
    plan = frame[frame["source"] == "001_d9a362fbed6fc341.txt"]
    assert (plan["baseline_year"] == "2022").all()
    assert (plan["baseline_value"] == "").all()
    action_plan = frame[frame["source"] == "002_f5619f772ee481b0.txt"]
    assert (action_plan["baseline_year"] == "").all()


def test_inferred_periods_are_flagged_and_explained():
    frame = pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False) for p in TABLES["observations"]],
        ignore_index=True,
    )
    assert set(frame["period_inferred"]) == {"true", "false"}
    inferred = frame[frame["period_inferred"] == "true"]
    # every inferred period says what it was inferred from
    assert inferred["note"].str.contains("inferred|taken as|no date|names no period").all()
    # 000's 截至目前 counts: the document gives no date
    tasks = frame[
        (frame["indicator"] == "rectification_tasks_completed") & (frame["region"] == "深圳")
    ]
    assert tasks["period_inferred"].tolist() == ["true"]
    # a period the text gives is not flagged: 2025年前三季度 … PM2.5平均浓度为15.1
    pm25 = frame[
        (frame["indicator"] == "pm25_annual_mean") & (frame["period"] == "2025-01/2025-09")
    ]
    assert pm25["period_inferred"].tolist() == ["false"]
