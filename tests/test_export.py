import codecs
import json
import os
import stat

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pandas.api.types import is_float_dtype
from pandas.testing import assert_frame_equal

from envtargets import OutputError
from envtargets.export import write_table

TABLE = pd.DataFrame(
    {"target_id": ["a", "b"], "gap": [1.5, float("nan")], "region": ["深圳", "河源"]}
)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_written_files_get_ordinary_permissions(tmp_path, suffix):
    old = os.umask(0o022)
    try:
        path = write_table(TABLE, tmp_path / f"out{suffix}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == [f"out{suffix}"]  # no temporary left


def test_csv_is_utf8_with_a_byte_order_mark_and_one_header_row(tmp_path):
    path = write_table(TABLE, tmp_path / "out.csv")
    assert path.read_bytes().startswith(codecs.BOM_UTF8 + b"target_id,")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "target_id,gap,region" and lines[1] == "a,1.5,深圳" and len(lines) == 3


def test_json_has_null_for_missing(tmp_path):
    records = json.loads(write_table(TABLE, tmp_path / "out.json").read_text(encoding="utf-8"))
    assert records[1] == {"target_id": "b", "gap": None, "region": "河源"}


def test_unknown_format_writes_nothing(tmp_path):
    with pytest.raises(OutputError, match="ending in .csv, .xlsx, .json"):
        write_table(TABLE, tmp_path / "out.txt")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_writer_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("old", encoding="utf-8")
    monkeypatch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_table(TABLE, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


# Texts that a spreadsheet would run as a formula (or show as an error) if stored as one.
FORMULA_TEXTS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.com","x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "#N/A",
]
FORMULA_TABLE = pd.DataFrame(
    {
        "region": pd.Series(FORMULA_TEXTS, dtype="str"),
        "quote": pd.Series(FORMULA_TEXTS[::-1], dtype="str"),
        "source": pd.Series([f"{text} 公报" for text in FORMULA_TEXTS], dtype="str"),
        "value": [1.5, float("nan"), 3.0, -4.25, 0.0, 1e-9, 2.5e6],
    }
)


def test_xlsx_keeps_formula_like_text_as_text_and_numbers_as_numbers(tmp_path):
    path = write_table(FORMULA_TABLE, tmp_path / "out.xlsx")
    sheet = load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    assert header == list(FORMULA_TABLE.columns)
    for column in ("region", "quote", "source"):
        cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=header.index(column) + 1)]
        assert [cell.data_type for cell in cells] == ["s"] * len(FORMULA_TABLE)
        assert [cell.value for cell in cells] == list(FORMULA_TABLE[column])
    numbers = [
        row[0]
        for row, value in zip(
            sheet.iter_rows(min_row=2, min_col=header.index("value") + 1),
            FORMULA_TABLE["value"],
            strict=True,
        )
        if not pd.isna(value)
    ]
    assert [cell.data_type for cell in numbers] == ["n"] * len(numbers)
    assert [cell.value for cell in numbers] == list(FORMULA_TABLE["value"].dropna())


def test_xlsx_with_formula_like_text_reads_back_with_pandas(tmp_path):
    path = write_table(FORMULA_TABLE, tmp_path / "out.xlsx")
    assert_frame_equal(_read_back(path, FORMULA_TABLE), FORMULA_TABLE)


def test_csv_with_formula_like_text_reads_back_with_pandas(tmp_path):
    path = write_table(FORMULA_TABLE, tmp_path / "out.csv")
    assert_frame_equal(_read_back(path, FORMULA_TABLE), FORMULA_TABLE)


# Text the way bulletins and spreadsheets hold it: Chinese, spaces, quotes and
# commas, and the characters that start a spreadsheet formula.
_CHARACTERS = st.sampled_from(
    list("河源深圳市空气质量优良比例，。（）abcNAnul019 .,;'\"|!%()/#=+-@")
)
TEXT = st.one_of(
    st.sampled_from(FORMULA_TEXTS),
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from(["", "=", "+", "-", "@", " "]), st.text(_CHARACTERS, max_size=12)
        ),
    ),
).filter(bool)  # a CSV has one empty cell for "" and for missing; readers take it as missing
# openpyxl writes 16 significant digits (Excel shows 15), which would round the
# largest floats up to infinity.
NUMBER = st.floats(min_value=-1e300, max_value=1e300)
_TEXT_COLUMNS = ("region", "quote", "source")
_NUMBER_COLUMNS = ("value", "baseline_value")


@st.composite
def _tables(draw) -> pd.DataFrame:
    rows = draw(st.integers(min_value=1, max_value=6))
    # Every table the library writes has a key in each row; a row of empty
    # cells only would be skipped by pandas.read_excel.
    keys = {
        _TEXT_COLUMNS[0]: pd.Series(
            draw(st.lists(TEXT, min_size=rows, max_size=rows)), dtype="str"
        )
    }
    texts = {
        column: pd.Series(
            draw(st.lists(st.none() | TEXT, min_size=rows, max_size=rows)), dtype="str"
        )
        for column in _TEXT_COLUMNS[1:]
    }
    numbers = {
        column: pd.Series(
            draw(st.lists(st.none() | NUMBER, min_size=rows, max_size=rows)), dtype=float
        )
        for column in _NUMBER_COLUMNS
    }
    return pd.DataFrame(keys | texts | numbers)


def _read_back(path, like: pd.DataFrame) -> pd.DataFrame:
    """Read a written table back: text columns as text, and only empty cells as missing."""
    options = {
        # An .xlsx number is a float whether or not it is whole, as it is in the table.
        "dtype": {
            column: "float64" if is_float_dtype(like[column]) else "str" for column in like.columns
        },
        "keep_default_na": False,
        "na_values": [""],
    }
    if path.suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8-sig", **options)
    return pd.read_excel(path, **options)


PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(table=_tables())
def test_a_written_csv_reads_back_unchanged(tmp_path, table):
    path = write_table(table, tmp_path / "out.csv")
    assert_frame_equal(_read_back(path, table), table)


@PROPERTY_SETTINGS
@given(table=_tables())
def test_a_written_xlsx_reads_back_unchanged_with_text_in_text_cells(tmp_path, table):
    path = write_table(table, tmp_path / "out.xlsx")
    # Numbers are stored with openpyxl's 16 significant digits.
    assert_frame_equal(_read_back(path, table), table, check_exact=False, rtol=1e-15)
    text_cells = [
        cell
        for row in load_workbook(path).active.iter_rows(min_row=2, max_col=len(_TEXT_COLUMNS))
        for cell in row
        if cell.value is not None
    ]
    assert {cell.data_type for cell in text_cells} == {"s"}
