"""The built wheel carries the bundled data and works outside the source checkout."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy: a build leaves build/ and *.egg-info behind, and a
    # stale build/lib in the checkout could slip deleted modules into a wheel.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    for folder in ("envtargets", "data"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    # --no-isolation: build with the installed setuptools, so no network is needed.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (built,) = out.glob("envtargets-*.whl")
    return built


def test_wheel_contains_the_bundled_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data_files = [
        p for p in (ROOT / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    expected = {"envtargets/data/" + p.relative_to(ROOT / "data").as_posix() for p in data_files}
    assert any(name.startswith("envtargets/data/targets/") for name in expected)
    assert any(name.startswith("envtargets/data/sources/") for name in expected)
    assert expected <= names, sorted(expected - names)
    package_files = [
        p
        for p in (ROOT / "envtargets").rglob("*")
        if p.suffix in {".py", ".csv", ".txt", ".typed"} and "__pycache__" not in p.parts
    ]
    expected_code = {
        "envtargets/" + p.relative_to(ROOT / "envtargets").as_posix() for p in package_files
    }
    assert "envtargets/air/breakpoints.csv" in expected_code
    assert expected_code <= names, sorted(expected_code - names)


def test_installed_wheel_loads_the_bundled_data(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import envtargets, envtargets.air, envtargets.plot, envtargets.report, pathlib;"
        "print(pathlib.Path(envtargets.__file__).parent);"
        "print(len(envtargets.load_targets()), len(envtargets.load_observations()))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    package_dir, counts = result.stdout.splitlines()
    assert Path(package_dir) == site / "envtargets"
    targets, observations = map(int, counts.split())
    assert targets > 0 and observations > 0
