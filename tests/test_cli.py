"""The command line, run as a user runs it: a real process on real files."""

import subprocess
import sys

import pytest

from tests.conftest import OBSERVATIONS_HEADER


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "envtargets.cli", *args], capture_output=True, text=True, cwd=cwd
    )


def test_summary_on_bundled_data():
    result = run("summary")
    assert result.returncode == 0, result.stderr
    assert "targets: 37" in result.stdout
    assert "深圳" in result.stdout and "河源" in result.stdout


def test_bad_input_exits_non_zero_without_traceback(write, indicators_file):
    bad = write(
        "o.csv",
        f"{OBSERVATIONS_HEADER}\n"
        "pm25_annual_mean,深圳,2025-13,15.1,微克/立方米,s,q\n"
        "pm25_annual_mean,深圳,2023,abc,微克/立方米,s,q\n",
    )
    result = run("summary", "--observations", str(bad), "--indicators", str(indicators_file))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "o.csv, row 2, column 'period'" in result.stderr
    assert "o.csv, row 3, column 'value': 'abc' is not a number" in result.stderr


def test_missing_file_is_a_plain_message(tmp_path):
    result = run("summary", "--targets", str(tmp_path / "nowhere.csv"))
    assert result.returncode == 2
    assert "file not found" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["summary", "--help"]])
def test_help(args):
    result = run(*args)
    assert result.returncode == 0
    assert "usage: envtargets" in result.stdout


def test_problems_in_targets_and_observations_come_together(write, indicators_file):
    from tests.conftest import TARGETS_HEADER

    targets = write(
        "t.csv", f"{TARGETS_HEADER}\nt1,pm25_annual_mean,深圳,approx,15,,微克/立方米,2023,,,,s,q\n"
    )
    observations = write(
        "o.csv", f"{OBSERVATIONS_HEADER}\npm25_annual_mean,深圳,2025-13,15.1,微克/立方米,s,q\n"
    )
    result = run(
        "evaluate", "--targets", str(targets), "--observations", str(observations),
        "--indicators", str(indicators_file),
    )  # fmt: skip
    assert result.returncode == 2
    assert "t.csv, row 2, column 'comparator'" in result.stderr
    assert "o.csv, row 2, column 'period'" in result.stderr


def test_summary_counts_every_quoted_document():
    # 000, 001 and 003 give observations; 002 gives only targets; 004 (template) gives none
    assert "sources: 4 documents quoted" in run("summary").stdout


def test_differing_observations_without_a_period_are_empty_cells_not_a_traceback(write):
    from tests.conftest import TARGETS_HEADER

    targets = write(
        "t.csv", f"{TARGETS_HEADER}\nt1,pm25_annual_mean,深圳,<=,15,,微克/立方米,2023,,,,s,q\n"
    )
    observations = write(
        "o.csv",
        f"{OBSERVATIONS_HEADER}\n"
        "pm25_annual_mean,深圳,,15.1,微克/立方米,s,q\n"
        "pm25_annual_mean,深圳,,16,微克/立方米,s,q\n",
    )
    result = run("evaluate", "--targets", str(targets), "--observations", str(observations))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "o.csv, row 2, column 'period': period is empty" in result.stderr
    assert "o.csv, row 3, column 'period': period is empty" in result.stderr
    assert "conflicts" not in result.stderr
