import zipfile

import pandas as pd
import pytest

from envtargets import DataCleaningWarning, ValidationError, read_observations, read_targets
from envtargets import read_indicators as read_indicator_file
from tests.conftest import OBSERVATIONS_HEADER, TARGETS_HEADER

TARGET_ROW = "sz-2023-aqi,aqi_good_day_ratio,深圳,>=,95.5,,%,2023,,,binding,001.txt,达到95.5%"
OBS_ROW = "aqi_good_day_ratio,深圳,2025-01/2025-09,96,%,000.txt,达到96%"


def problems(call) -> pd.DataFrame:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.problems


def test_read_targets_csv(write, indicators_file):
    path = write("t.csv", f"{TARGETS_HEADER}\n{TARGET_ROW}\n")
    frame = read_targets(path, indicators=read_indicator_file(indicators_file))
    assert frame["value"].tolist() == [95.5]
    assert frame["source_file"].tolist() == ["t.csv"] and frame["row"].tolist() == [2]


def test_bom_crlf_and_spaces(write):
    text = f"\ufeff{TARGETS_HEADER}\r\n{TARGET_ROW.replace(',95.5,', ',  95.5 ,')}\r\n"
    with pytest.warns(
        DataCleaningWarning, match="row 2, column 'value': '  95.5 ' surrounding spaces"
    ):
        frame = read_targets(write("t.csv", text))
    assert frame["value"].iat[0] == 95.5 and frame["target_id"].iat[0] == "sz-2023-aqi"


def test_gb18030_csv_is_read_and_said(write):
    path = write("gbk.csv", f"{OBSERVATIONS_HEADER}\n{OBS_ROW}\n", encoding="gb18030")
    with pytest.warns(DataCleaningWarning, match="GB18030"):
        frame = read_observations(path)
    assert frame["region"].iat[0] == "深圳"


def test_not_text_is_a_plain_error(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"indicator,region\n\x81\x30\xff\xff\n")
    found = problems(lambda: read_observations(path))
    assert "neither UTF-8 nor GB18030" in found["message"].iat[0]
    assert found["file"].iat[0] == "latin.csv"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "the file is empty"),
        ("   \n\n", "the file is empty"),
        (f"{OBSERVATIONS_HEADER}\n", "no data rows"),
    ],
)
def test_empty_files(write, content, words):
    found = problems(lambda: read_observations(write("o.csv", content)))
    assert found["message"].tolist() == [words] or words in found["message"].iat[0]


def test_missing_column_lists_the_header(write):
    path = write("o.csv", "indicator,region,period,value\naqi_good_day_ratio,深圳,2023,96\n")
    found = problems(lambda: read_observations(path))
    assert found["column"].tolist() == ["unit"]
    assert "missing required column 'unit'" in found["message"].iat[0]
    assert "indicator, region, period, value" in found["message"].iat[0]


def test_problems_in_several_files_come_together(write):
    first = write("a.csv", f"{TARGETS_HEADER}\n{TARGET_ROW}\n")
    bad_row = TARGET_ROW.replace("sz-2023-aqi", "x").replace(">=", "=>>")
    second = write("b.csv", f"{TARGETS_HEADER}\n{TARGET_ROW}\n{bad_row}\n")
    found = problems(lambda: read_targets(first, second))
    located = set(zip(found["file"], found["row"].astype(int), found["column"], strict=False))
    # the id repeats across files, and b.csv row 3 has a bad comparator
    assert {
        ("a.csv", 2, "target_id"),
        ("b.csv", 2, "target_id"),
        ("b.csv", 3, "comparator"),
    } <= located


def test_unreadable_and_missing_files_are_listed(write, tmp_path):
    bad = write("notes.txt", "hello")
    found = problems(lambda: read_targets(bad, tmp_path / "nowhere.csv"))
    assert found["message"].str.contains("unsupported file type").any()
    assert found["message"].str.contains("file not found").any()


def test_malformed_csv(write):
    path = write("o.csv", f'{OBSERVATIONS_HEADER}\n"unclosed,深圳,2023,1,%,s,q\n')
    found = problems(lambda: read_observations(path))
    assert "not a well-formed CSV" in found["message"].iat[0]


def test_xlsx_round_trip(tmp_path):
    frame = pd.DataFrame([TARGET_ROW.split(",")], columns=TARGETS_HEADER.split(","))
    path = tmp_path / "t.xlsx"
    frame.to_excel(path, index=False)
    read = read_targets(path)
    assert read["value"].iat[0] == 95.5 and read["row"].iat[0] == 2


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    found = problems(lambda: read_targets(path))
    assert "not a readable .xlsx" in found["message"].iat[0]


def test_reading_never_changes_the_file(write):
    text = f"{OBSERVATIONS_HEADER}\naqi_good_day_ratio,深圳,2023,９６,%,s,q\n"
    path = write("o.csv", text)
    before = path.read_bytes()
    with pytest.warns(DataCleaningWarning):
        read_observations(path)
    assert path.read_bytes() == before
