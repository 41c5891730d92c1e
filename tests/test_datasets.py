import subprocess
import sys

import pandas as pd
import pytest

import envtargets
from envtargets.tables import INDICATOR_COLUMNS, OBSERVATION_COLUMNS, TARGET_COLUMNS


def test_bundled_tables_have_the_design_columns():
    assert list(envtargets.load_indicators().columns[:6]) == INDICATOR_COLUMNS
    assert list(envtargets.load_targets().columns[:13]) == TARGET_COLUMNS
    assert list(envtargets.load_observations().columns[:7]) == OBSERVATION_COLUMNS


def test_bundled_tables_are_typed():
    targets = envtargets.load_targets()
    assert targets["value"].dtype == "float64"
    assert str(targets["target_year"].dtype) == "Int64"
    assert envtargets.load_observations()["value"].dtype == "float64"


def test_loaded_tables_are_copies():
    first = envtargets.load_targets()
    first.loc[0, "value"] = -1.0
    assert envtargets.load_targets().loc[0, "value"] != -1.0


@pytest.mark.parametrize(
    ("indicator", "region", "period", "value", "unit"),
    [
        # 000: 2025年前三季度 … PM2.5平均浓度为15.1微克/立方米
        ("pm25_annual_mean", "深圳", "2025-01/2025-09", 15.1, "微克/立方米"),
        # 001: PM2.5浓度从18降至16微克/立方米 (2022 summary)
        ("pm25_annual_mean", "深圳", "2022", 16.0, "微克/立方米"),
        # 003: 2022年,我市空气质量优良率(AQI)为96.2%
        ("aqi_good_day_ratio", "河源", "2022", 96.2, "%"),
        # 003: 2023年1—5月,我市空气质量优良率(AQI)为98%
        ("aqi_good_day_ratio", "河源", "2023-01/2023-05", 98.0, "%"),
    ],
)
def test_bundled_observations_match_the_documents(indicator, region, period, value, unit):
    observations = envtargets.load_observations()
    row = observations[
        (observations["indicator"] == indicator)
        & (observations["region"] == region)
        & (observations["period"] == period)
    ]
    assert row["value"].tolist() == [value]
    assert row["unit"].tolist() == [unit]


def test_template_placeholders_never_become_numbers():
    template = "004_cb2c2972be1141c8.txt"
    assert template not in set(envtargets.load_targets()["source"])
    assert template not in set(envtargets.load_observations()["source"])


def test_bundled_units_fit_their_indicators():
    indicators = envtargets.load_indicators().set_index("indicator")["unit"]
    for table in (envtargets.load_targets(), envtargets.load_observations()):
        for indicator, unit in (
            table[["indicator", "unit"]].drop_duplicates().itertuples(index=False)
        ):
            envtargets.convert(1.0, unit, indicators[indicator])  # raises if incompatible


def test_import_is_light_and_has_no_side_effects():
    script = (
        "import sys, time; t = time.perf_counter(); import envtargets;"
        "print(time.perf_counter() - t);"
        "print('matplotlib' in sys.modules, 'pandera' in sys.modules);"
        "import pint; print(pint.get_application_registry().parse_units('meter'))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    _, loaded, unit = result.stdout.splitlines()
    assert loaded == "False False"
    assert unit == "meter"


def test_public_api_is_listed():
    for name in envtargets.__all__:
        assert hasattr(envtargets, name), name
    assert isinstance(envtargets.__version__, str)
    assert isinstance(envtargets.load_indicators(), pd.DataFrame)
