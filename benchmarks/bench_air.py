"""Benchmark: a national year of hourly air-quality data through daily() and assess().

Generates a synthetic panel shaped like the national network — about 1,700
stations × 8,760 hours × 6 pollutants ≈ 90 million values, long format, with
gaps that trip the validity rules (scattered missing hours, days with only 19
hours, a missing month at some stations, a broken O3 analyser) — and measures
in one run:

1. one plain pandas group-by mean over the same hourly frame (the yardstick);
2. ``envtargets.air.daily`` followed by ``envtargets.air.assess`` for the year;
3. peak memory (resident set size, sampled every 10 ms).

With ``--dask-years N`` it then runs the same statistics through Dask on an
N-year panel generated partition by partition (never held in memory at once)
and reports the peak memory, which stays bounded by the partition size.

Usage::

    python benchmarks/bench_air.py                 # full scale (≈ 90 M values)
    python benchmarks/bench_air.py --scale 0.05    # 85 stations, a quick check
    python benchmarks/bench_air.py --dask-years 3  # plus the multi-year Dask run
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import threading
import time
from contextlib import contextmanager

import numpy as np
import pandas as pd
import psutil

NATIONAL_STATIONS = 1700
POLLUTANTS = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]
# Typical levels [µg/m³; CO mg/m³] and day-to-day spread (lognormal sigma).
LEVELS = np.array([8.0, 25.0, 0.7, 60.0, 55.0, 30.0])
SPREAD = np.array([0.5, 0.45, 0.35, 0.5, 0.55, 0.6])


class PeakMemory:
    """Sample the process's resident memory in a thread; keep the peak."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.01)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


@contextmanager
def timed(results: dict, name: str):
    gc.collect()
    with PeakMemory() as memory:
        start = time.perf_counter()
        yield
        results[name] = time.perf_counter() - start
    results[f"{name}_peak_rss"] = memory.peak


def make_panel(
    n_stations: int, first_year: int = 2025, years: int = 1, seed: int = 0, offset: int = 0
) -> pd.DataFrame:
    """Long hourly panel: station, time, pollutant, value, unit (categoricals where apt)."""
    rng = np.random.default_rng(seed + offset)
    hours = pd.date_range(
        f"{first_year}-01-01", f"{first_year + years}-01-01", freq="h", inclusive="left"
    ).to_numpy()
    n_hours, n_pol = len(hours), len(POLLUTANTS)
    per_station = n_hours * n_pol
    n = n_stations * per_station
    station = np.repeat(np.arange(n_stations, dtype=np.int32), per_station)
    pollutant = np.tile(np.arange(n_pol, dtype=np.int8), n_stations * n_hours)
    stamp = np.tile(np.repeat(hours, n_pol), n_stations)
    # Lognormal values around each pollutant's level, with a daily cycle for O3.
    value = rng.standard_normal(n, dtype=np.float32)
    value *= SPREAD.astype(np.float32)[pollutant]
    np.exp(value, out=value)
    value *= LEVELS.astype(np.float32)[pollutant]
    hour_of_day = (np.arange(n_hours) % 24).repeat(n_pol)
    o3_cycle = (1 + 0.6 * np.sin((hour_of_day - 9) / 24 * 2 * np.pi)).astype(np.float32)
    value *= np.where(pollutant == 3, np.tile(o3_cycle, n_stations), 1).astype(np.float32)
    value = np.round(value, 1).astype(np.float64)
    _punch_gaps(value, rng, n_stations, n_hours, n_pol)
    names = [f"{1001 + offset + i}A" for i in range(n_stations)]
    return pd.DataFrame(
        {
            "station": pd.Categorical.from_codes(station, categories=names),
            "time": stamp,
            "pollutant": pd.Categorical.from_codes(pollutant, categories=POLLUTANTS),
            "value": value,
            "unit": pd.Categorical.from_codes(
                (pollutant == 2).astype(np.int8), categories=["µg/m³", "mg/m³"]
            ),
        }
    )


def _punch_gaps(value, rng, n_stations, n_hours, n_pol) -> None:
    """Missing values that trip every validity rule somewhere."""
    cube = value.reshape(n_stations, n_hours, n_pol)
    cube[rng.random(cube.shape) < 0.03] = np.nan  # scattered missing hours
    n_days = n_hours // 24
    days = cube.reshape(n_stations, n_days, 24, n_pol)
    # 2 % of station-days keep only 19 hours of every pollutant: invalid days.
    short = rng.random((n_stations, n_days)) < 0.02
    days[short, :5, :] = np.nan
    # One station in twenty loses a month of PM2.5: its annual PM2.5 is invalid.
    broken = rng.random(n_stations) < 0.05
    days[broken, 31:59, :, 5] = np.nan
    # One in fifty has an O3 analyser down every afternoon: too few 8-h windows.
    o3_down = rng.random(n_stations) < 0.02
    days[o3_down, :, 10:17, 3] = np.nan


def run_year(n_stations: int) -> dict:
    from envtargets.air import assess, daily

    results: dict = {"stations": n_stations}
    with timed(results, "generate"):
        panel = make_panel(n_stations)
    results["values"] = len(panel)
    results["frame_bytes"] = int(panel.memory_usage(deep=False).sum())
    with timed(results, "groupby_mean"):
        panel.groupby(["station", "pollutant"], observed=True)["value"].mean()
    with timed(results, "groupby_daily_mean"):
        panel.groupby(["station", "pollutant", panel["time"].dt.floor("D")], observed=True)[
            "value"
        ].mean()
    with timed(results, "daily"):
        table = daily(panel, "2012")
    with timed(results, "assess"):
        observations = assess(table, "2025", "2012")
    results["daily_rows"] = len(table)
    results["observations"] = len(observations)
    results["invalid_days_pm25"] = int((~table["pm25_valid"]).sum())
    results["invalid_statistics"] = int((~observations["valid"]).sum())
    results["statistics"] = results["daily"] + results["assess"]
    results["ratio"] = results["statistics"] / results["groupby_mean"]
    return results


def run_dask(n_stations: int, years: int, per_partition: int) -> dict:
    import dask
    import dask.dataframe as dd

    from envtargets.air import assess, daily

    first_year = 2016
    blocks = [
        (start, min(per_partition, n_stations - start))
        for start in range(0, n_stations, per_partition)
    ]

    def block(spec: tuple[int, int]) -> pd.DataFrame:
        # One partition: a block of stations, every year (as one file per block would be).
        start, size = spec
        return make_panel(size, first_year, years, seed=1, offset=start)

    meta = block((0, 1)).iloc[:0]
    hourly = dd.from_map(block, blocks, meta=meta, enforce_metadata=False)
    periods = [str(first_year + i) for i in range(years)]
    results = {
        "stations": n_stations,
        "years": years,
        "partitions": len(blocks),
        "values": n_stations * years * 8760 * 6,
    }
    # daily() checks that no station spans two partitions, which reads the
    # station column once: that pass belongs in the timed total.
    with timed(results, "dask_total"):
        with dask.config.set(scheduler="threads", num_workers=2):
            observations = assess(daily(hourly, "2012"), periods, "2012")
            computed = observations.compute()
    results["observations"] = len(computed)
    return results


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{memory:.0f} GiB; Python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pd.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 1,700 stations")
    parser.add_argument("--dask-years", type=int, default=0, help="also run N years via Dask")
    parser.add_argument("--per-partition", type=int, default=100, help="stations per partition")
    parser.add_argument("--skip-year", action="store_true", help="only the Dask run")
    args = parser.parse_args()
    n_stations = max(2, round(NATIONAL_STATIONS * args.scale))
    print(f"machine: {machine()}")
    gib = 2**30
    if not args.skip_year:
        r = run_year(n_stations)
        print(
            f"panel: {r['stations']} stations × 8,760 h × 6 = {r['values'] / 1e6:.1f} M values "
            f"({r['frame_bytes'] / gib:.2f} GiB frame), generated in {r['generate']:.1f} s"
        )
        print(f"pandas groupby(station, pollutant).mean(): {r['groupby_mean']:.2f} s")
        print(f"pandas groupby(station, pollutant, day).mean(): {r['groupby_daily_mean']:.2f} s")
        print(f"daily(): {r['daily']:.2f} s  ({r['daily_rows']:,} station-days, "
              f"{r['invalid_days_pm25']:,} with invalid PM2.5)")  # fmt: skip
        print(f"assess(): {r['assess']:.2f} s  ({r['observations']:,} observations, "
              f"{r['invalid_statistics']:,} not valid)")  # fmt: skip
        print(f"daily + assess = {r['statistics']:.2f} s = {r['ratio']:.2f} × the group-by mean")
        print(
            "peak RSS: "
            + ", ".join(
                f"{name} {r[f'{name}_peak_rss'] / gib:.2f} GiB"
                for name in ("generate", "groupby_mean", "daily", "assess")
            )
        )
    if args.dask_years:
        gc.collect()
        d = run_dask(n_stations, args.dask_years, args.per_partition)
        print(
            f"dask: {d['stations']} stations × {d['years']} years = {d['values'] / 1e6:.0f} M "
            f"values in {d['partitions']} partitions: {d['dask_total']:.1f} s, "
            f"peak RSS {d['dask_total_peak_rss'] / gib:.2f} GiB, {d['observations']:,} observations"
        )


if __name__ == "__main__":
    main()
