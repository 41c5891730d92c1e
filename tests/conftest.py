"""Shared fixtures: small, hand-written input files."""

import textwrap
from pathlib import Path

import pytest

TARGETS_HEADER = (
    "target_id,indicator,region,comparator,value,upper,unit,target_year,"
    "baseline_year,baseline_value,kind,source,quote"
)
OBSERVATIONS_HEADER = "indicator,region,period,value,unit,source,quote"

# Notes a test expects (envtargets.indicators), as marks: an indicator in no
# indicators table, and a user's table that changes bundled definitions
# (evaluation_samples.INDICATORS renames PM2.5 and the AQI ratio).
INFERRED_INDICATOR = pytest.mark.filterwarnings(
    "ignore:indicator .* is in no indicators table:envtargets.DataCleaningWarning"
)
REPLACED_DEFINITION = pytest.mark.filterwarnings(
    "ignore:your indicators table replaces:envtargets.DataCleaningWarning"
)
INDICATORS_CSV = """\
indicator,name_zh,name_en,unit,better,domain
pm25_annual_mean,PM2.5年均浓度,PM2.5 annual mean,microgram / meter ** 3,lower,air
aqi_good_day_ratio,空气质量优良天数比例,AQI good-day ratio,percent,higher,air
"""


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file (dedented) and return its path."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(textwrap.dedent(text).encode(encoding))
        return path

    return _write


@pytest.fixture
def indicators_file(write) -> Path:
    return write("indicators.csv", INDICATORS_CSV)
