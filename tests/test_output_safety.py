"""Files the library writes open safely in Excel and read back as written.

CSV is UTF-8 with a byte-order mark; in every workbook (``write_table``, the
report's ``evaluation.xlsx``, the monitoring commands' outputs) text stays in
text cells, so a quote beginning with ``=`` is never run as a formula.
"""

import codecs
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pandas.testing import assert_frame_equal

from envtargets import (
    DataCleaningWarning,
    build_report,
    cli,
    read_observations,
    read_targets,
    validate_observations,
    validate_targets,
)
from envtargets.export import write_table
from envtargets.report._xlsx import write_workbook
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION
from tests.test_export import FORMULA_TEXTS, NUMBER, TEXT

LOCATION = ["source_file", "row"]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Validation trims cells, so a key cell needs more than spaces.
KEY_TEXT = TEXT.filter(str.strip)


def _text_cells(path, text: str) -> list:
    """Every cell of every sheet whose value is ``text``."""
    workbook = load_workbook(path)
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == text
    ]


# Observation and target tables: written by the library, read by its readers.


@st.composite
def _observations(draw) -> pd.DataFrame:
    rows = draw(st.integers(min_value=1, max_value=5))

    def column(values: st.SearchStrategy) -> list:
        return draw(st.lists(values, min_size=rows, max_size=rows))

    return pd.DataFrame(
        {
            "indicator": "pm25_annual_mean",
            "region": column(KEY_TEXT),
            "period": [str(2000 + year) for year in range(rows)],
            "value": column(st.none() | NUMBER),
            "unit": "微克/立方米",
            "source": column(st.none() | TEXT),
            "quote": column(st.none() | TEXT),
        }
    )


@st.composite
def _targets(draw) -> pd.DataFrame:
    rows = draw(st.integers(min_value=1, max_value=5))

    def column(values: st.SearchStrategy) -> list:
        return draw(st.lists(values, min_size=rows, max_size=rows))

    baselines = column(st.none() | st.tuples(st.integers(min_value=2000, max_value=2020), NUMBER))
    return pd.DataFrame(
        {
            "target_id": [f"{text}-{number}" for number, text in enumerate(column(KEY_TEXT))],
            "indicator": "pm25_annual_mean",
            "region": column(KEY_TEXT),
            "comparator": column(st.sampled_from(["<=", ">="])),
            "value": column(NUMBER),
            "unit": "微克/立方米",
            "target_year": column(st.integers(min_value=2021, max_value=2035)),
            "baseline_year": [None if pair is None else pair[0] for pair in baselines],
            "baseline_value": [None if pair is None else pair[1] for pair in baselines],
            "kind": column(st.none() | st.sampled_from(["binding", "expected", "aspirational"])),
            "source": column(st.none() | TEXT),
            "quote": column(st.none() | TEXT),
        }
    )


def _written_and_read(table: pd.DataFrame, path, read) -> pd.DataFrame:
    """Write a validated table (without where it came from) and read it back."""
    write_table(table.drop(columns=LOCATION, errors="ignore"), path)
    with warnings.catch_warnings():
        # A table the library wrote needs no cleaning: a warning fails the test.
        warnings.simplefilter("error", DataCleaningWarning)
        return read(path)


def _validated(validate, raw: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)  # trimmed spaces are reported
        return validate(raw, file="raw.csv")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@SETTINGS
@given(raw=_observations())
def test_observations_read_back_unchanged(tmp_path, suffix, raw):
    observations = _validated(validate_observations, raw)
    again = _written_and_read(observations, tmp_path / f"observations{suffix}", read_observations)
    # Numbers in .xlsx carry openpyxl's 16 significant digits.
    assert_frame_equal(
        again.drop(columns=LOCATION, errors="ignore"),
        observations.drop(columns=LOCATION, errors="ignore"),
        check_exact=suffix == ".csv",
        rtol=1e-15,
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@SETTINGS
@given(raw=_targets())
def test_targets_read_back_unchanged(tmp_path, suffix, raw):
    targets = _validated(validate_targets, raw)
    again = _written_and_read(targets, tmp_path / f"targets{suffix}", read_targets)
    assert_frame_equal(
        again.drop(columns=LOCATION, errors="ignore"),
        targets.drop(columns=LOCATION, errors="ignore"),
        check_exact=suffix == ".csv",
        rtol=1e-15,
    )


# Formula-like text in every workbook the library writes.


def _with_formula_texts(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every formula-like text in its source and quote columns."""
    assert len(table) >= len(FORMULA_TEXTS) / 2
    count = len(FORMULA_TEXTS)
    return table.assign(
        source=[FORMULA_TEXTS[i % count] for i in range(len(table))],
        quote=[FORMULA_TEXTS[-1 - i % count] for i in range(len(table))],
    )


def test_report_workbook_keeps_formula_like_text(tmp_path):
    table = _with_formula_texts(samples.evaluation()).assign(region="=1+1")
    write_workbook(table, tmp_path / "evaluation.xlsx")
    for text in [*FORMULA_TEXTS, "=1+1"]:
        cells = _text_cells(tmp_path / "evaluation.xlsx", text)
        assert cells and {cell.data_type for cell in cells} == {"s"}, text
    sheet = load_workbook(tmp_path / "evaluation.xlsx").worksheets[0]
    header = [cell.value for cell in sheet[1]]
    value = sheet.cell(row=2, column=header.index("value") + 1)
    assert value.data_type == "n" and value.value == table["value"].iat[0]
    back = pd.read_excel(tmp_path / "evaluation.xlsx", dtype=str, keep_default_na=False)
    assert list(back["quote"]) == list(table["quote"])
    assert list(back["source"]) == list(table["source"])


@REPLACED_DEFINITION  # samples.INDICATORS renames two bundled indicators
def test_report_files_are_excel_ready(tmp_path):
    targets, observations = _with_formula_texts(samples.targets()), samples.observations()
    build_report(targets, observations, samples.INDICATORS, tmp_path / "r", progress=False)
    csv_path, xlsx_path = tmp_path / "r" / "evaluation.csv", tmp_path / "r" / "evaluation.xlsx"
    assert csv_path.read_bytes().startswith(codecs.BOM_UTF8 + b"target_id,")
    table = pd.read_csv(csv_path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table["source"]) == list(targets["source"])
    assert list(table["quote"]) == list(targets["quote"])
    for text in FORMULA_TEXTS:
        cells = _text_cells(xlsx_path, text)
        assert cells and {cell.data_type for cell in cells} == {"s"}, text
    sheets = pd.read_excel(xlsx_path, sheet_name=None, keep_default_na=False)
    read = pd.concat(sheets.values()).set_index("target_id")
    assert read.loc[targets["target_id"], "quote"].tolist() == list(targets["quote"])


@pytest.mark.parametrize("region", FORMULA_TEXTS)
def test_monitoring_outputs_are_excel_ready(tmp_path, capsys, region):
    # The noise command carries the zones file's region into its observations.
    pd.DataFrame({"point": ["P1"], "zone_class": ["1"], "region": [region]}).to_csv(
        tmp_path / "zones.csv", index=False
    )
    hours = pd.date_range("2025-06-01 06:00", periods=24, freq="h")
    pd.DataFrame({"point": "P1", "time": hours, "laeq": 48.0}).to_csv(
        tmp_path / "m.csv", index=False
    )
    for output in ("n.csv", "n.xlsx"):
        status = cli.main(
            ["noise", "--measurements", str(tmp_path / "m.csv"), "--zones",
             str(tmp_path / "zones.csv"), "--output", str(tmp_path / output)]
        )  # fmt: skip
        assert status == 0, capsys.readouterr().err
    assert (tmp_path / "n.csv").read_bytes().startswith(codecs.BOM_UTF8)
    csv_regions = pd.read_csv(
        tmp_path / "n.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert set(csv_regions["region"]) == {region}
    cells = _text_cells(tmp_path / "n.xlsx", region)
    assert cells and {cell.data_type for cell in cells} == {"s"}
    sheet = load_workbook(tmp_path / "n.xlsx").active
    header = [cell.value for cell in sheet[1]]
    values = sheet.iter_rows(min_row=2, min_col=header.index("value") + 1, max_col=None)
    assert {row[0].data_type for row in values} == {"n"}
    observations = read_observations(tmp_path / "n.xlsx")
    assert set(observations["region"]) == {region}
