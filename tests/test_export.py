import json
import os
import stat

import pandas as pd
import pytest

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


def test_csv_is_utf8_with_one_header_row(tmp_path):
    path = write_table(TABLE, tmp_path / "out.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
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
