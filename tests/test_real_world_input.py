"""Files as analysts hold them: Excel percent and date cells, decimal commas, Chinese forms.

Every accepted form is read to the value it means, with a note said once per
kind of change; every rejected one is an error naming file, row and column.
Each case runs through the public readers, in CSV (UTF-8 and GBK) and .xlsx.
"""

import datetime as dt
import subprocess
import sys
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envtargets import (
    DataCleaningWarning,
    ValidationError,
    evaluate,
    read_indicators,
    read_observations,
    read_targets,
    validate_observations,
    validate_targets,
)

OBS_COLUMNS = ["indicator", "region", "period", "value", "unit"]
TARGET_COLUMNS = ["target_id", "indicator", "region", "comparator", "value", "unit", "target_year"]


def write_csv(path: Path, header: list[str], rows: list[list], *, sep=",", encoding="utf-8"):
    lines = [sep.join(header)] + [sep.join(_csv_cell(c, sep) for c in row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _csv_cell(cell, sep: str) -> str:
    text = "" if cell is None else str(cell)
    return f'"{text}"' if sep in text or "," in text else text


def write_xlsx(path: Path, header: list[str], rows: list[list], formats: dict | None = None):
    """Write a workbook; ``formats`` maps (row, column) positions to Excel number formats."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for (r, c), number_format in (formats or {}).items():
        sheet.cell(row=r + 2, column=c + 1).number_format = number_format
    for row in sheet.iter_rows(min_row=2):
        for cell in row:  # text typed as text ('=<' in Excel), not a formula
            if isinstance(cell.value, str) and cell.value.startswith("=") and cell.value != "=1+1":
                cell.data_type = "s"
    workbook.save(path)
    return path


def read_quietly(reader, *paths, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = reader(*paths, **kwargs)
    notes = [str(w.message) for w in caught if issubclass(w.category, DataCleaningWarning)]
    others = [w for w in caught if not issubclass(w.category, DataCleaningWarning)]
    assert not others, [str(w.message) for w in others]
    return frame, "\n".join(notes)


def problems(call) -> pd.DataFrame:
    with pytest.raises(ValidationError) as caught, warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)
        call()
    return caught.value.problems


def obs_row(period="2025", value="30", unit="微克/立方米", region="深圳"):
    return ["pm25_annual_mean", region, period, value, unit]


# --- Excel cells --------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "expected_unit"), [("%", "%"), (None, "%")])
def test_excel_percent_cell_is_the_percent_it_shows(tmp_path, unit, expected_unit):
    path = write_xlsx(
        tmp_path / "o.xlsx",
        OBS_COLUMNS,
        [["aqi_good_day_ratio", "深圳", "2024", 0.952, unit]],
        {(0, 3): "0.0%"},
    )
    frame, notes = read_quietly(read_observations, path)
    assert frame["value"].tolist() == [95.2]
    assert frame["unit"].tolist() == [expected_unit]
    assert "percent cell: Excel stores the fraction (0.952 for 95.2%)" in notes
    assert "'95.2%' read as 95.2" in notes
    assert "o.xlsx, row 2, column 'value'" in notes


def test_excel_percent_cell_with_another_unit_is_an_error(tmp_path):
    path = write_xlsx(
        tmp_path / "o.xlsx", OBS_COLUMNS, [obs_row(value=0.83, unit="微克/立方米")], {(0, 3): "0%"}
    )
    found = problems(lambda: read_observations(path))
    assert found[["file", "row", "column"]].to_numpy().tolist() == [["o.xlsx", 2, "value"]]
    assert "% sign but the row's unit is '微克/立方米'" in found["message"].iat[0]


def test_plain_excel_number_cell_is_not_scaled(tmp_path):
    path = write_xlsx(tmp_path / "o.xlsx", OBS_COLUMNS, [obs_row(value=0.83, unit="%")])
    frame, notes = read_quietly(read_observations, path)
    assert frame["value"].tolist() == [0.83] and notes == ""


def test_excel_date_cell_in_a_period_column_names_its_month(tmp_path):
    path = write_xlsx(
        tmp_path / "o.xlsx",
        OBS_COLUMNS,
        [obs_row(period=dt.datetime(2024, 3, 1)), obs_row(period=dt.date(2024, 4, 30), value=31)],
    )
    frame, notes = read_quietly(read_observations, path)
    assert frame["period"].tolist() == ["2024-03", "2024-04"]
    assert "'2024-03-01' read as 2024-03" in notes


def test_excel_rows_keep_the_numbers_excel_shows(tmp_path):
    path = write_xlsx(
        tmp_path / "o.xlsx", OBS_COLUMNS, [obs_row(), [None] * 5, obs_row(period="20xx")]
    )
    found = problems(lambda: read_observations(path))
    assert found[["row", "column"]].to_numpy().tolist() == [[4, "period"]]


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1,234", 1234.0),
        ("12,345.6", 12345.6),
        ("1,234,567", 1234567.0),
        ("-1,234", -1234.0),
        ("１，２３４", 1234.0),
        ("95.2", 95.2),
        (" 95.2 ", 95.2),
        ("９５．２", 95.2),
        ("1e3", 1000.0),
    ],
)
def test_numbers_as_written(tmp_path, written, value):
    path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, [obs_row(value=written)])
    frame, _ = read_quietly(read_observations, path)
    assert frame["value"].tolist() == [value]


@pytest.mark.parametrize("written", ["12,5", "74,5", "1,23", "1,2345", "12,50", ",5", "1,234,56"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_decimal_comma_is_an_error_never_a_bigger_number(tmp_path, written, suffix):
    rows = [obs_row(), obs_row(period="2024", value=written)]
    path = tmp_path / f"o{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, OBS_COLUMNS, rows)
    found = problems(lambda: read_observations(path))
    assert found[["file", "row", "column"]].to_numpy().tolist() == [[path.name, 3, "value"]]
    assert "decimal comma is not accepted" in found["message"].iat[0]


def test_semicolon_file_with_decimal_commas_is_refused_not_misread(tmp_path):
    path = write_csv(
        tmp_path / "o.csv", OBS_COLUMNS, [obs_row(value="12,5"), obs_row("2024", "13")], sep=";"
    )
    found = problems(lambda: read_observations(path))
    assert found["row"].tolist() == [2] and "decimal comma" in found["message"].iat[0]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters(tmp_path, sep):
    path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, [obs_row(), obs_row("2024", "31.5")], sep=sep)
    frame, _ = read_quietly(read_observations, path)
    assert frame["value"].tolist() == [30.0, 31.5]


def _number_forms(value: float) -> st.SearchStrategy:
    """Ways a spreadsheet user writes the same number (a CSV cell)."""
    plain = repr(value)
    grouped = f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) >= 1000 else plain
    full_width = plain.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    return st.sampled_from([plain, f"  {plain} ", grouped, full_width])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.decimals(min_value=-(10**7), max_value=10**7, places=4, allow_nan=False).map(float),
    st.data(),
)
def test_any_accepted_form_reads_to_the_same_value(tmp_path, value, data):
    written = data.draw(_number_forms(value))
    path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, [obs_row(value=written)])
    frame, _ = read_quietly(read_observations, path)
    assert frame["value"].iat[0] == float(repr(value))
    # The same number as an Excel cell, plain and as a percent cell with unit %.
    path = write_xlsx(
        tmp_path / "o.xlsx", OBS_COLUMNS, [obs_row(value=value / 100, unit="%")], {(0, 3): "0.00%"}
    )
    frame, _ = read_quietly(read_observations, path)
    assert frame["value"].iat[0] == pytest.approx(value, rel=1e-12, abs=1e-9)


# --- Chinese forms ------------------------------------------------------------------------


PERIODS = [
    ("2025年", "2025"),
    ("2025年3月", "2025-03"),
    ("2025.03", "2025-03"),
    ("2025/3", "2025-03"),
    ("2025年1-9月", "2025-01/2025-09"),
    ("2025年1—9月", "2025-01/2025-09"),
    ("2025年1至9月", "2025-01/2025-09"),
    ("2025年1～9月", "2025-01/2025-09"),
    ("2025年前三季度", "2025-01/2025-09"),
    ("2025年上半年", "2025-01/2025-06"),
    ("2025年第三季度", "2025-07/2025-09"),
    ("2025年三季度", "2025-07/2025-09"),
    ("2025Q3", "2025-07/2025-09"),
    ("2024年10月至2025年9月", "2024-10/2025-09"),
    ("2025年全年", "2025"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_chinese_periods_in_a_csv(tmp_path, encoding):
    rows = [
        obs_row(period=w, value=str(20 + i), region=f"r{i}") for i, (w, _) in enumerate(PERIODS)
    ]
    # Two forms of the same period with the same value are one observation, not a conflict.
    rows[2][1] = rows[3][1] = rows[1][1]
    rows[2][3] = rows[3][3] = rows[1][3]
    path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, rows, encoding=encoding)
    frame, notes = read_quietly(read_observations, path)
    assert frame["period"].tolist() == [canonical for _, canonical in PERIODS]
    assert "'2025年1-9月' read as 2025-01/2025-09" in notes


def test_chinese_periods_in_a_workbook(tmp_path):
    rows = [obs_row(period=w, value=20 + i, region=f"r{i}") for i, (w, _) in enumerate(PERIODS)]
    path = write_xlsx(tmp_path / "o.xlsx", OBS_COLUMNS, rows)
    frame, _ = read_quietly(read_observations, path)
    assert frame["period"].tolist() == [canonical for _, canonical in PERIODS]


def test_each_rewrite_is_noted_once_not_once_per_row(tmp_path):
    rows = [obs_row(period="2025年1-9月", region=f"城市{i}") for i in range(500)]
    path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, rows)
    _, notes = read_quietly(read_observations, path)
    assert notes.count("'2025年1-9月' read as 2025-01/2025-09") == 1
    assert "rows 2, 3, 4, 5, 6 … (500 rows)" in notes


@pytest.mark.parametrize(
    ("written", "comparator"),
    [
        ("≤", "<="),
        ("≥", ">="),
        ("＜", "<"),
        ("＞", ">"),
        ("＝", "=="),
        ("不高于", "<="),
        ("不超过", "<="),
        ("以下", "<="),
        ("以内", "<="),
        ("控制在", "<="),
        ("不低于", ">="),
        ("不少于", ">="),
        ("以上", ">="),
        ("达到", ">="),
        ("低于", "<"),
        ("少于", "<"),
        ("小于", "<"),
        ("高于", ">"),
        ("超过", ">"),
        ("多于", ">"),
        ("大于", ">"),
    ],
)
def test_comparator_words(tmp_path, written, comparator):
    row = ["t1", "pm25_annual_mean", "深圳", written, "15", "微克/立方米", "2025年"]
    path = write_csv(tmp_path / "t.csv", TARGET_COLUMNS, [row])
    frame, _ = read_quietly(read_targets, path)
    assert frame["comparator"].tolist() == [comparator]
    assert frame["target_year"].tolist() == [2025]


def test_an_unknown_comparator_word_is_an_error(tmp_path):
    row = ["t1", "pm25_annual_mean", "深圳", "大约", "15", "微克/立方米", "2025"]
    found = problems(lambda: read_targets(write_csv(tmp_path / "t.csv", TARGET_COLUMNS, [row])))
    assert found[["file", "row", "column"]].to_numpy().tolist() == [["t.csv", 2, "comparator"]]


def test_chinese_headers_of_all_three_tables(tmp_path):
    indicators = write_csv(
        tmp_path / "i.csv",
        ["指标", "名称", "单位", "方向"],
        [["my_noise", "我的噪声", "分贝", "越低越好"]],
    )
    targets = write_csv(
        tmp_path / "t.csv",
        ["目标编号", "指标", "地区", "比较", "目标值", "单位", "目标年份", "类型", "来源", "原文"],
        [
            [
                "n1",
                "my_noise",
                "青山",
                "不超过",
                "55",
                "分贝",
                "2025年",
                "约束性",
                "plan.docx",
                "噪声控制在55分贝以内",
            ]
        ],
    )
    observations = write_csv(
        tmp_path / "o.csv",
        ["指标", "区域", "时间", "监测值", "单位"],
        [["my_noise", "青山", "2025年1-9月", "53.5", "分贝"]],
    )
    table, notes = read_quietly(read_indicators, indicators)
    assert table[["indicator", "name_zh", "better"]].to_numpy().tolist() == [
        ["my_noise", "我的噪声", "lower"]
    ]
    assert "i.csv, row 1: headers read as 指标 → indicator, 名称 → name_zh" in notes
    frame, _ = read_quietly(read_targets, targets, indicators=table)
    assert frame[["target_id", "comparator", "value", "kind"]].to_numpy().tolist() == [
        ["n1", "<=", 55.0, "binding"]
    ]
    observed, _ = read_quietly(read_observations, observations, indicators=table)
    assert observed[["region", "period", "value"]].to_numpy().tolist() == [
        ["青山", "2025-01/2025-09", 53.5]
    ]
    result = evaluate(frame, observed, table)
    assert result["status"].tolist() == ["on_track"]  # 53.5 ≤ 55 already, part of the year


def test_two_headers_that_mean_the_same_column_are_an_error(tmp_path):
    path = write_csv(tmp_path / "o.csv", [*OBS_COLUMNS, "地区"], [[*obs_row(), "深圳"]])
    found = problems(lambda: read_observations(path))
    assert "both mean 'region'" in found["message"].iat[0]


@pytest.mark.parametrize("unit", ["微克每立方米", "微克/立方米", "µg/m3", "ug/m³"])
def test_unit_words(tmp_path, unit):
    path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, [obs_row(unit=unit)])
    frame, _ = read_quietly(read_observations, path)
    assert frame["unit"].tolist() == [unit]


def test_an_unknown_unit_lists_the_nearest_known_words(tmp_path):
    path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, [obs_row(unit="微克立方米")])
    found = problems(lambda: read_observations(path))
    message = found["message"].iat[0]
    assert "nearest known" in message and "微克/立方米" in message
    assert "docs/" not in message


# --- the command line ---------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "envtargets.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("bad", ["12,5", "2025年13月"])
def test_cli_bad_input_exits_2_naming_file_row_column_and_writes_nothing(tmp_path, bad):
    rows = [obs_row(), obs_row(period=bad) if "月" in bad else obs_row("2024", bad)]
    observations = write_csv(tmp_path / "o.csv", OBS_COLUMNS, rows)
    output = tmp_path / "out.csv"
    done = run("evaluate", "--observations", str(observations), "--output", str(output))
    assert done.returncode == 2
    assert "o.csv, row 3, column" in done.stderr
    assert "Traceback" not in done.stderr
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [observations]


def test_cli_and_python_give_the_same_table_for_chinese_files(tmp_path):
    targets = write_csv(
        tmp_path / "t.csv",
        ["编号", "指标", "地区", "比较", "目标值", "单位", "目标年份"],
        [
            ["a", "pm25_annual_mean", "深圳", "不超过", "18", "微克每立方米", "2025年"],
            ["b", "aqi_good_day_ratio", "深圳", "不低于", "95", "%", "2025年"],
        ],
    )
    observations = write_xlsx(
        tmp_path / "o.xlsx",
        ["指标", "地区", "时间", "数值", "单位"],
        [
            ["pm25_annual_mean", "深圳", "2025年1-9月", 16.5, "微克/立方米"],
            ["aqi_good_day_ratio", "深圳", "2025年前三季度", 0.962, None],
            ["aqi_good_day_ratio", "深圳", "2024年", 0.951, "%"],
        ],
        {(1, 3): "0.0%", (2, 3): "0.0%"},
    )
    output = tmp_path / "cli.csv"
    done = run(
        "evaluate",
        "--targets",
        str(targets),
        "--observations",
        str(observations),
        "--output",
        str(output),
    )
    assert done.returncode == 0, done.stderr
    assert "note:" in done.stderr and "percent cell: Excel stores the fraction" in done.stderr
    from_cli = pd.read_csv(output, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    t, _ = read_quietly(read_targets, targets)
    o, _ = read_quietly(read_observations, observations)
    from_python = evaluate(t, o)
    assert from_cli["target_id"].tolist() == ["a", "b"]
    assert from_cli["observed_value"].astype(float).tolist() == [16.5, 96.2]
    assert from_cli["status"].tolist() == from_python["status"].tolist()
    assert from_cli["gap"].astype(float).tolist() == pytest.approx(from_python["gap"].tolist())


# --- the user guide lists what the readers accept -----------------------------------------


def test_the_user_guide_lists_every_accepted_form_and_header():
    from envtargets.tables.forms import accepted_forms
    from envtargets.tables.headers import _aliases

    guide = (Path(__file__).parents[1] / "docs" / "user-guide.md").read_text(encoding="utf-8")
    assert "## Files from Excel and from Chinese reports" in guide
    written = [*accepted_forms()["written"], *_aliases()["alias"]]
    missing = [w for w in written if f"`{w}`".replace("|", "\\|") not in guide]
    assert not missing, f"not in docs/user-guide.md: {missing}"


# --- cells that show something else than they store (review cases) -----------------------


@pytest.mark.parametrize("number_format", ['0.0"%"', "0.0\\%"])
def test_a_percent_sign_written_into_the_format_is_text_not_a_percent_cell(tmp_path, number_format):
    path = write_xlsx(
        tmp_path / "o.xlsx", OBS_COLUMNS, [obs_row(value=93.0, unit="%")], {(0, 3): number_format}
    )
    frame, notes = read_quietly(read_observations, path)
    assert frame["value"].tolist() == [93.0] and "percent cell" not in notes


def test_a_number_shown_with_fixed_decimals_keeps_them_so_october_stays_october(tmp_path):
    path = write_xlsx(tmp_path / "o.xlsx", OBS_COLUMNS, [obs_row(period=2024.10)], {(0, 2): "0.00"})
    frame, _ = read_quietly(read_observations, path)
    assert frame["period"].tolist() == ["2024-10"]


def test_a_fractional_number_from_code_is_no_period():
    frame = pd.DataFrame([obs_row(period=2024.10)], columns=OBS_COLUMNS)
    found = problems(lambda: read_quietly(validate_observations, frame))
    assert found[["row", "column"]].to_numpy().tolist() == [[2, "period"]]
    assert "write the period as text" in found["message"].iat[0]


@pytest.mark.parametrize(
    ("number_format", "period"), [("yyyy", "2024"), ("yyyy-mm", "2024-03"), ("yyyy/m/d", "2024-03")]
)
def test_a_date_cell_is_read_as_its_format_shows_it(tmp_path, number_format, period):
    path = write_xlsx(
        tmp_path / "o.xlsx",
        OBS_COLUMNS,
        [obs_row(period=dt.datetime(2024, 3 if period != "2024" else 1, 1))],
        {(0, 2): number_format},
    )
    frame, _ = read_quietly(read_observations, path)
    assert frame["period"].tolist() == [period]


def test_a_formula_without_a_saved_result_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "o.xlsx", OBS_COLUMNS, [obs_row(), obs_row("2024", "=1+1")])
    found = problems(lambda: read_observations(path))
    assert found[["row", "column"]].to_numpy().tolist() == [[3, "value"]]
    assert "formula without a saved result" in found["message"].iat[0]


def test_a_row_with_an_extra_cell_is_named_not_shifted(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(
        "indicator,region,period,value,unit\n"
        "pm25_annual_mean,深圳,2024,18,微克/立方米\n"
        "pm25_annual_mean,深圳,2023,19,微克/立方米,多余\n",
        encoding="utf-8",
    )
    found = problems(lambda: read_observations(path))
    assert "line 3 has 6 cells but the header 5" in found["message"].iat[0]


def test_blank_and_empty_rows_keep_the_numbers_excel_shows(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(
        "indicator,region,period,value,unit\n"
        "pm25_annual_mean,深圳,2024,18,微克/立方米\n"
        "\n"
        ",,,,\n"
        "pm25_annual_mean,深圳,2023,12,5,微克/立方米\n",
        encoding="utf-8",
    )
    found = problems(lambda: read_observations(path))
    assert "line 5 has 6 cells" in found["message"].iat[0]
    path.write_text(path.read_text(encoding="utf-8").replace("12,5", "12.5"), encoding="utf-8")
    frame, _ = read_quietly(read_observations, path)
    assert frame["row"].tolist() == [2, 5] and frame["value"].tolist() == [18.0, 12.5]


@pytest.mark.parametrize("written", ["1_000", "1__0"])
def test_underscores_are_no_digit_grouping(tmp_path, written):
    path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, [obs_row(value=written)])
    assert "is not a number" in problems(lambda: read_observations(path))["message"].iat[0]


def test_frames_from_code_read_chinese_headers_as_files_do():
    frame = pd.DataFrame(
        [["a", "pm25_annual_mean", "深圳", "降至", "15", "微克/立方米", "2025年"]],
        columns=["编号", "指标", "地区", "比较", "目标值", "单位", "目标年份"],
    )
    typed, notes = read_quietly(validate_targets, frame)
    assert typed[["target_id", "comparator", "target_year"]].to_numpy().tolist() == [
        ["a", "<=", 2025]
    ]
    assert "headers read as 编号 → target_id" in notes


def test_an_unreadable_upper_bound_is_one_problem():
    frame = pd.DataFrame(
        [["a", "pm25_annual_mean", "深圳", "between", "10", "12,5", "微克/立方米", "2025"]],
        columns=[*TARGET_COLUMNS[:5], "upper", *TARGET_COLUMNS[5:]],
    )
    found = problems(lambda: validate_targets(frame))
    assert found[["row", "column"]].to_numpy().tolist() == [[2, "upper"]]


# --- every written form the guide lists, through real files -------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_listed_period_and_comparator_reads_through_a_file(tmp_path, suffix):
    from envtargets.tables.forms import accepted_forms

    forms = accepted_forms()
    periods = forms[forms["cell"] == "period"]
    comparators = forms[forms["cell"] == "comparator"]
    rows = [obs_row(period=w, region=f"r{i}") for i, w in enumerate(periods["written"])]
    if suffix == ".csv":
        path = write_csv(tmp_path / "o.csv", OBS_COLUMNS, rows, encoding="gb18030")
    else:
        path = write_xlsx(tmp_path / "o.xlsx", OBS_COLUMNS, rows)
    frame, _ = read_quietly(read_observations, path)
    assert frame["period"].tolist() == periods["read_as"].tolist()

    rows = [
        [f"t{i}", "pm25_annual_mean", "深圳", w, "15", "微克/立方米", "2025年"]
        for i, w in enumerate(comparators["written"])
    ]
    for row, read_as in zip(rows, comparators["read_as"], strict=True):
        if read_as == "between":
            row[4] = "10"
    header = TARGET_COLUMNS
    if "between" in comparators["read_as"].tolist():
        header = [*TARGET_COLUMNS, "upper"]
        rows = [
            [*r, "20" if a == "between" else None]
            for r, a in zip(rows, comparators["read_as"], strict=True)
        ]
    path = tmp_path / f"t{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, header, rows)
    frame, _ = read_quietly(read_targets, path)
    assert frame["comparator"].tolist() == comparators["read_as"].tolist()
