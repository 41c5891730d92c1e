"""Benchmark envtargets.evaluate on a synthetic national panel.

At ``--scale 1`` the panel has 3,000 regions × 33 indicators × 20 years:
~100,000 targets and ~2,000,000 observations, with gaps, partial-year rows
(2025-01/2025-09, 2024-01/2024-06, 2025-10), a run across two years
(2024-10/2025-09), mixed units (mg/m³ and µg/m³ rows in the same series), and
annual amounts and annual rates among the indicators. One run measures, each
in a fresh subprocess:

1. the time pandas takes to read the two CSV files, and the time of
   ``evaluate`` (trends included) on what was read, with and without
   validation; goal: evaluation no slower than reading (ratio ≤ 1);
2. peak memory (``VmHWM``) of reading plus evaluating; goal < 2 GiB;
3. the speed-up over a straightforward per-target loop
   (``reference_loop.evaluate_loop``) on a subsample of targets, and that
   both give the same table.

Usage: ``python benchmarks/bench_evaluate.py [--scale 0.01] [--loop-targets 200]``.
Results are printed and, with ``--output``, written as JSON (the committed run:
docs/benchmark-results/evaluate.json). See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# id, unit, better, unit some sources use instead, typical level, measure
KINDS = [
    ("pm25", "microgram / meter ** 3", "lower", ("mg/m3", 1e-3), 35.0, "level"),
    ("pm10", "microgram / meter ** 3", "lower", ("mg/m3", 1e-3), 60.0, "level"),
    ("no2", "microgram / meter ** 3", "lower", ("mg/m3", 1e-3), 30.0, "level"),
    ("so2", "microgram / meter ** 3", "lower", ("mg/m3", 1e-3), 10.0, "level"),
    ("o3_90th", "microgram / meter ** 3", "lower", ("mg/m3", 1e-3), 150.0, "level"),
    ("co_95th", "milligram / meter ** 3", "lower", ("µg/m³", 1e3), 1.2, "level"),
    ("good_day_ratio", "percent", "higher", None, 85.0, "level"),
    ("water_good_ratio", "percent", "higher", None, 75.0, "level"),
    ("sewage_collection", "percent", "higher", None, 70.0, "level"),
    ("water_use_gdp", "meter ** 3 / wan_yuan", "lower", None, 20.0, "level"),
    ("energy_intensity", "tonne / wan_yuan", "lower", None, 0.6, "level"),
    ("green_space", "kilometer ** 2", "higher", None, 120.0, "level"),
    ("projects", "count", "higher", None, 40.0, "level"),
    # Counted within each year (facilities built), and a year-on-year change.
    ("facilities_built", "count", "higher", None, 12.0, "annual"),
    ("complaints_yoy_decrease", "percent", "higher", None, 8.0, "annual_rate"),
]
INDICATOR_COUNT = 33
REPEATS = 3  # timed repetitions after the first call; their median is reported


def indicators_frame() -> pd.DataFrame:
    """33 synthetic indicators cycling through the kinds above."""
    rows = []
    for i in range(INDICATOR_COUNT):
        name, unit, better, _, _, measure = KINDS[i % len(KINDS)]
        rows.append(
            {
                "indicator": f"{name}_{i:02d}",
                "name_zh": f"指标{i:02d}",
                "name_en": f"indicator {i:02d}",
                "unit": unit,
                "better": better,
                "domain": "synthetic",
                "measure": measure,
            }
        )
    return pd.DataFrame(rows)


def make_panel(scale: float, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (indicators, targets, observations) of the synthetic panel, vectorised."""
    rng = np.random.default_rng(seed)
    regions = max(2, round(3000 * scale))
    indicators = indicators_frame()
    kind = np.arange(INDICATOR_COUNT) % len(KINDS)
    series_indicator = np.tile(np.arange(INDICATOR_COUNT), regions)
    series_region = np.repeat(np.arange(regions), INDICATOR_COUNT)
    n_series = len(series_indicator)
    level = np.array([k[4] for k in KINDS])[kind][series_indicator] * rng.uniform(
        0.6, 1.4, n_series
    )
    lower = np.array([k[2] == "lower" for k in KINDS])[kind][series_indicator]
    drift = rng.normal(np.where(lower, -0.015, 0.01), 0.01)  # relative change per year
    percent = np.array([k[1] == "percent" for k in KINDS])[kind][series_indicator]

    years = np.arange(2005, 2025)
    s = np.repeat(np.arange(n_series), len(years))
    y = np.tile(years, n_series)
    keep = rng.random(len(s)) > 0.04  # gaps
    s, y = s[keep], y[keep]
    periods = y.astype(str).astype(object)
    extra = [  # period, its time on the drift line, the share of a year it covers
        (np.arange(n_series), "2025-01/2025-09", 2025.0, 0.75),
        (np.flatnonzero(rng.random(n_series) < 0.05), "2024-01/2024-06", 2024.0, 0.5),
        (np.flatnonzero(rng.random(n_series) < 0.05), "2025-10", 2025.5, 1 / 12),
        # A run across two years, ending with 1—9月 2025 but longer.
        (np.flatnonzero(rng.random(n_series) < 0.05), "2024-10/2025-09", 2025.0, 1.0),
    ]
    time_of, share = y.astype(float), np.ones(len(s))
    for chosen, period, when, covered in extra:
        s = np.concatenate([s, chosen])
        periods = np.concatenate([periods, np.full(len(chosen), period, dtype=object)])
        time_of = np.concatenate([time_of, np.full(len(chosen), when)])
        share = np.concatenate([share, np.full(len(chosen), covered)])
    value = level[s] * (1 + drift[s] * (time_of - 2005)) + rng.normal(0, 0.03, len(s)) * level[s]
    # An annual amount counted over part of a year is that part of the year's amount.
    counted = np.array([k[5] == "annual" for k in KINDS])[kind][series_indicator][s]
    value = np.where(counted, value * share, value)
    value = np.where(percent[s], np.minimum(value, 100.0), np.maximum(value, 0.01))
    value = np.where(level[s] < 5, np.round(value, 3), np.round(value, 1))
    unit = np.array([k[1] for k in KINDS], dtype=object)[kind][series_indicator][s]
    # Some sources write mg/m³ for µg/m³ series (and the reverse for CO).
    alt = np.array([k[3] is not None for k in KINDS])[kind][series_indicator][s]
    switch = alt & (rng.random(len(s)) < 0.3)
    factors = np.array([k[3][1] if k[3] else 1.0 for k in KINDS])[kind][series_indicator][s]
    alt_units = np.array([k[3][0] if k[3] else "" for k in KINDS], dtype=object)
    unit = np.where(switch, alt_units[kind][series_indicator][s], unit)
    value = np.where(switch, value * factors, value)
    ids = indicators["indicator"].to_numpy(object)
    observations = pd.DataFrame(
        {
            "indicator": ids[series_indicator[s]],
            "region": np.char.add("region-", series_region[s].astype(str)).astype(object),
            "period": periods,
            "value": value,
            "unit": unit,
            "source": "synthetic panel",
            "quote": np.char.add("指标", (series_indicator[s] % 100).astype(str)).astype(object),
        }
    )
    targets = _targets(rng, indicators, series_indicator, series_region, level, lower, scale)
    return indicators, targets, observations


def _targets(rng, indicators, series_indicator, series_region, level, lower, scale):
    n_series = len(series_indicator)
    wanted = max(round(100_000 * scale), 1)  # one target per series, a few series get two
    extra = rng.integers(0, n_series, max(wanted - n_series, 0))
    series = np.concatenate([np.arange(n_series), extra])[:wanted]
    n = len(series)
    comparator = np.where(lower[series], "<=", ">=").astype(object)
    other = rng.random(n)
    comparator = np.where(other < 0.03, "between", comparator)
    comparator = np.where((other >= 0.03) & (other < 0.05), "==", comparator)
    strict = (other >= 0.05) & (other < 0.10)
    comparator = np.where(strict, np.where(lower[series], "<", ">"), comparator)
    value = np.round(level[series] * np.where(lower[series], 0.85, 1.1), 1)
    upper = np.where(comparator == "between", value * 1.2, np.nan)
    # 2004 precedes every observation (no data); by 2006 a series has at most two
    # full years, too few for a trend (not assessable without a baseline).
    target_year = rng.choice(
        [2004, 2006, 2020, 2023, 2025, 2027, 2030], n, p=[0.01, 0.02, 0.2, 0.2, 0.27, 0.1, 0.2]
    )
    with_baseline = (rng.random(n) < 0.6) & (target_year > 2015)
    baseline_year = np.where(with_baseline, 2015, np.nan)
    baseline_value = np.where(
        with_baseline & (rng.random(n) < 0.5), np.round(level[series], 1), np.nan
    )
    units = indicators["unit"].to_numpy(object)[series_indicator[series]]
    in_mg = (units == "microgram / meter ** 3") & (rng.random(n) < 0.1)
    units = np.where(in_mg, "mg/m³", units)
    scale_mg = np.where(in_mg, 1e-3, 1.0)
    return pd.DataFrame(
        {
            "target_id": np.char.add("T", np.arange(n).astype(str)).astype(object),
            "indicator": indicators["indicator"].to_numpy(object)[series_indicator[series]],
            "region": np.char.add("region-", series_region[series].astype(str)).astype(object),
            "comparator": comparator,
            "value": value * scale_mg,
            "upper": upper * scale_mg,
            "unit": units,
            "target_year": target_year,
            "baseline_year": pd.array(baseline_year, dtype="Int64"),
            "baseline_value": baseline_value * scale_mg,
            "kind": rng.choice(["binding", "expected", "aspirational"], n),
            "source": "synthetic plan",
            "quote": "到2025年……",
        }
    )


def _read(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, float]:
    start = time.perf_counter()
    # Periods are text ("2023", "2025-01/2025-09"); left to guess, pandas reads a
    # chunk of plain years as integers.
    targets = pd.read_csv(folder / "targets.csv")
    observations = pd.read_csv(folder / "observations.csv", dtype={"period": str})
    seconds = time.perf_counter() - start
    return pd.read_csv(folder / "indicators.csv"), targets, observations, seconds


def child(folder: Path, validate: bool, storage: str) -> dict:
    """Read the CSV files and evaluate them twice; run in a fresh process."""
    pd.set_option("mode.string_storage", storage)
    from envtargets.evaluate import evaluate
    from envtargets.trend import trend

    reads = []
    for _ in range(REPEATS + 1):  # the first read pays one-off costs too
        indicators, targets, observations, seconds = _read(folder)
        reads.append(seconds)
    rss_after_read = _peak_gib()
    runs = []
    for _ in range(REPEATS + 1):  # the first call pays one-off costs (pint, fresh memory pages)
        start = time.perf_counter()
        table = evaluate(targets, observations, indicators, validate=validate)
        runs.append(time.perf_counter() - start)
    # A lower bound for any evaluation: telling apart the series, periods and
    # units of the observations means hashing these four text columns once.
    keys = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for column in ("indicator", "region", "period", "unit"):
            pd.factorize(observations[column])
        keys.append(time.perf_counter() - start)
    result = {
        "string_storage": type(observations["indicator"].array).__name__,
        "factorize_key_columns_seconds": float(np.median(keys)),
        "read_seconds_first_call": reads[0],
        "read_seconds": float(np.median(reads[1:])),
        "evaluate_seconds_first_call": runs[0],
        "evaluate_seconds": float(np.median(runs[1:])),
        "peak_gib_after_read": rss_after_read,
        "peak_gib": _peak_gib(),
        "statuses": table["status"].value_counts().to_dict(),
    }
    if not validate:
        start = time.perf_counter()
        trend(observations, indicators)
        result["trend_table_seconds"] = time.perf_counter() - start
    return result


def _peak_gib() -> float:
    """Peak resident memory of this process [GiB].

    ``VmHWM`` belongs to the process's own address space; ``ru_maxrss`` would
    be inherited from the parent across exec on Linux.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**20  # kB → GiB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def compare_with_loop(folder: Path, count: int, seed: int) -> dict:
    """Time evaluate and the per-target loop on a subsample, and compare their tables."""
    from reference_loop import evaluate_loop

    from envtargets.evaluate import evaluate

    indicators, targets, observations, _ = _read(folder)
    sample = targets.sample(n=min(count, len(targets)), random_state=seed).reset_index(drop=True)
    start = time.perf_counter()
    fast = evaluate(sample, observations, indicators, validate=False)
    fast_seconds = time.perf_counter() - start
    start = time.perf_counter()
    slow = evaluate_loop(sample, observations, indicators)
    slow_seconds = time.perf_counter() - start
    # The loop re-derives every rule; the Chinese reason translates the English
    # one sentence for sentence, so it adds nothing to check and is left out.
    fast, slow = (table.drop(columns=["status_reason_zh"]) for table in (fast, slow))
    return {
        "targets": len(sample),
        "evaluate_seconds": fast_seconds,
        "loop_seconds": slow_seconds,
        "speedup": slow_seconds / fast_seconds,
        "differences": differences(fast, slow),
    }


def differences(fast: pd.DataFrame, slow: pd.DataFrame) -> list[str]:
    """Columns in which the two tables differ (floats to 1e-9 relative)."""
    problems = []
    if list(fast.columns) != list(slow.columns):
        return ["column names or order"]
    for column in fast.columns:
        a, b = fast[column], slow[column]
        if pd.api.types.is_float_dtype(a.dtype):
            same = np.isclose(
                a.to_numpy(float), b.to_numpy(float), rtol=1e-9, atol=1e-12, equal_nan=True
            )
        else:
            left, right = a.astype(object), b.astype(object)
            same = (left == right).to_numpy(bool) | (left.isna() & right.isna()).to_numpy(bool)
        if not same.all():
            first = int(np.flatnonzero(~same)[0])
            problems.append(
                f"{column}: {(~same).sum()} rows, e.g. {a.iloc[first]!r} vs {b.iloc[first]!r}"
            )
    return problems


def _run_child(folder: Path, validate: bool, storage: str) -> dict:
    command = [sys.executable, __file__, "--child", str(folder), "--storage", storage]
    command += ["--validate"] if validate else []
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"benchmark child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _storages() -> list[str]:
    """String storages to measure: Arrow when pyarrow is installed, and Python objects."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return ["python"]
    return ["pyarrow", "python"]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 3,000 regions")
    parser.add_argument("--loop-targets", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-validate", action="store_true", help="skip the validated run")
    parser.add_argument("--output", type=Path, help="write the results as JSON")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--validate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--storage", default="python", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.validate, args.storage)))
        return {}

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        indicators, targets, observations = make_panel(args.scale, args.seed)
        indicators.to_csv(folder / "indicators.csv", index=False)
        targets.to_csv(folder / "targets.csv", index=False)
        observations.to_csv(folder / "observations.csv", index=False)
        results = {
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{_memory_gib():.0f} GiB, Python {platform.python_version()}, "
            f"pandas {pd.__version__}, numpy {np.__version__}",
            "scale": args.scale,
            "targets": len(targets),
            "observations": len(observations),
            "indicator_measures": indicators["measure"].value_counts().to_dict(),
        }
        storages = _storages()
        for storage in storages:
            run = _run_child(folder, validate=False, storage=storage)
            run["evaluate_over_read"] = run["evaluate_seconds"] / run["read_seconds"]
            run["first_call_over_read"] = run["evaluate_seconds_first_call"] / run["read_seconds"]
            results[f"unvalidated_{storage}"] = run
        if not args.no_validate:
            results["validated"] = _run_child(folder, validate=True, storage=storages[0])
        results["loop"] = compare_with_loop(folder, args.loop_targets, args.seed)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    if results["loop"]["differences"]:
        raise SystemExit("the vectorised and the loop tables differ")
    return results


def _memory_gib() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return float("nan")


if __name__ == "__main__":
    main()
