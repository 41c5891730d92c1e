"""Benchmark the user's whole path on a national panel: read, validate, evaluate, write.

The panel is bench_evaluate.py's (``make_panel``), written out as a user's files
would be: regions with Chinese names, units as people write them (μg/m³, %,
立方米/万元), values as written text, periods as text, ``source`` the name of a
document (《某市2023年生态环境状况公报》) and ``quote`` a Chinese sentence from it,
nearly all distinct. Each scale's files are generated once into a cache folder.

Each measurement runs in a fresh subprocess:

a. bare ``pandas.read_csv`` of the targets and observations files (default settings);
b. ``read_indicators`` + ``read_targets`` + ``read_observations``, with the
   indicators given (as the command line reads them);
c. ``evaluate(targets, observations, indicators)`` on what (b) returned, in the
   same process (so its peak memory is that of the whole path);
d. the command line, ``envtargets.cli.main(["evaluate", ..., "--output", x.csv])``;
e. the command line's yardstick: bare read of the two files plus ``to_csv`` of
   the evaluation table that (d) wrote.

Goals (the read issue): (b + c) / a ≤ 5; d / e ≤ 6; reading time linear in
the file size; peak memory (``VmHWM``) < 2 GiB. Headline times are medians of
``--repeats`` warm repetitions after a first call (skipped for stages slower
than ``--slow`` seconds); first calls are reported too.

Usage::

    python benchmarks/bench_read.py                         # 0.5, 1, 2 and 4 M observations
    python benchmarks/bench_read.py --scales 0.05           # a quick run (100,000 rows)
    python benchmarks/bench_read.py --scales 0.25 --repeats 1 --output results.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_evaluate import _memory_gib, _peak_gib, make_panel  # noqa: E402

GIB_GOAL = 2.0
PATH_GOAL = 5.0  # (read_* + evaluate) / bare read
CLI_GOAL = 6.0  # command line / (bare read + to_csv of the result)
FILES_VERSION = 1  # bump when the written files change, to regenerate the cache

# How a user writes each unit of the generated panel, and its Chinese word for quotes.
UNIT_TEXT = {
    "microgram / meter ** 3": ("μg/m³", "微克/立方米"),
    "milligram / meter ** 3": ("mg/m³", "毫克/立方米"),
    "mg/m3": ("mg/m³", "毫克/立方米"),
    "mg/m³": ("mg/m³", "毫克/立方米"),
    "µg/m³": ("µg/m³", "微克/立方米"),
    "percent": ("%", "%"),
    "meter ** 3 / wan_yuan": ("立方米/万元", "立方米/万元"),
    "tonne / wan_yuan": ("吨/万元", "吨标准煤/万元"),
    "kilometer ** 2": ("平方公里", "平方公里"),
    "count": ("个", "个"),
}
INDICATOR_NAMES = {
    "pm25": "细颗粒物（PM2.5）年均浓度",
    "pm10": "可吸入颗粒物（PM10）年均浓度",
    "no2": "二氧化氮年均浓度",
    "so2": "二氧化硫年均浓度",
    "o3_90th": "臭氧日最大8小时平均第90百分位浓度",
    "co_95th": "一氧化碳日均值第95百分位浓度",
    "good_day_ratio": "空气质量优良天数比率",
    "water_good_ratio": "地表水水质优良（达到或好于Ⅲ类）比例",
    "sewage_collection": "城市生活污水集中收集率",
    "water_use_gdp": "万元地区生产总值用水量",
    "energy_intensity": "单位地区生产总值能耗",
    "green_space": "建成区绿地面积",
    "projects": "重点生态环境治理项目",
    "facilities_built": "新建污水处理设施",
    "complaints_yoy_decrease": "生态环境信访投诉量同比降幅",
}
# Two syllables make a region's name: 80 × 80 names before a number is needed.
FIRST = (
    "安宝滨昌长承川春大丹德东丰福广桂海汉和河红华淮黄吉济嘉江金锦荆景九康乐丽临龙鹿罗"
    "梅南宁平青庆泉仁瑞三沙山韶石松苏泰唐天通铜万威文武西仙湘新信兴徐许宣雅阳宜义永玉"
    "元岳云枣湛漳肇镇舟"
)
SECOND = (
    "安北城川春德定都丰峰港关光海汉和湖华化淮江津京康口乐林陵隆宁平浦齐清庆泉山沙源台"
    "潭阳田通乡西溪兴州雄阴原远岳月云泽章昭正中洲庄宗邑城门梁南东化州壁坪石峡岗塘湾埠"
    "头桥亭"
)


def _region_names(count: int) -> np.ndarray:
    first = list(dict.fromkeys(FIRST))
    second = list(dict.fromkeys(SECOND))
    index = np.arange(count)
    names = [
        first[i % len(first)]
        + second[(i // len(first)) % len(second)]
        + (str(i // (len(first) * len(second))) if i >= len(first) * len(second) else "")
        + "市"
        for i in index
    ]
    return np.array(names, dtype=object)


def _period_words(period: str) -> str:
    """A period as a Chinese document writes it: 2025年1—9月, 2024年上半年."""
    start, _, end = period.partition("/")
    if len(start) == 4:
        return f"{start}年"
    year, month = int(start[:4]), int(start[5:7])
    if not end:
        return f"{year}年{month}月"
    end_year, end_month = int(end[:4]), int(end[5:7])
    if end_year != year:
        return f"{year}年{month}月至{end_year}年{end_month}月"
    if (month, end_month) == (1, 6):
        return f"{year}年上半年"
    return f"{year}年{month}—{end_month}月"


def _as_written(numbers: np.ndarray) -> np.ndarray:
    """Numbers as a person types them (35.2, 0.0352, 1234), blanks for NaN."""
    text = np.char.mod("%.10g", np.asarray(numbers, dtype=float)).astype(object)
    text[np.isnan(np.asarray(numbers, dtype=float))] = ""
    return text


def user_files(scale: float, seed: int, cache: Path) -> Path:
    """Write the panel at ``scale`` as a user's CSV files, once; return their folder."""
    folder = cache / f"scale-{scale:g}-seed-{seed}-v{FILES_VERSION}"
    if (folder / "complete").exists():
        return folder
    indicators, targets, observations = make_panel(scale, seed)
    rng = np.random.default_rng(seed + 1)
    kind_of = dict(zip(indicators["indicator"], indicators["indicator"].str[:-3], strict=True))
    indicators["name_zh"] = [
        f"{INDICATOR_NAMES[kind_of[i]]}（{i[-2:]}）" for i in indicators["indicator"]
    ]
    regions = _region_names(int(observations["region"].str[len("region-") :].astype(int).max()) + 1)
    observations = _user_observations(observations, regions, kind_of, rng)
    targets = _user_targets(targets, regions, kind_of, rng)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)  # left by an interrupted run
    partial.mkdir(parents=True)
    indicators.to_csv(partial / "indicators.csv", index=False)
    targets.to_csv(partial / "targets.csv", index=False)
    observations.to_csv(partial / "observations.csv", index=False)
    (partial / "complete").write_text(
        json.dumps({"targets": len(targets), "observations": len(observations)})
    )
    partial.rename(folder)
    return folder


def _user_observations(observations, regions, kind_of, rng) -> pd.DataFrame:
    n = len(observations)
    region = regions[observations["region"].str[len("region-") :].astype(int).to_numpy()]
    unit_codes, unit_values = pd.factorize(observations["unit"])
    unit = np.array([UNIT_TEXT[u][0] for u in unit_values], dtype=object)[unit_codes]
    unit_words = np.array([UNIT_TEXT[u][1] for u in unit_values], dtype=object)[unit_codes]
    period_codes, period_values = pd.factorize(observations["period"])
    when = np.array([_period_words(p) for p in period_values], dtype=object)[period_codes]
    full_year = np.array([len(p) == 4 for p in period_values])[period_codes]
    names = observations["indicator"].map(lambda i: INDICATOR_NAMES[kind_of[i]]).to_numpy()
    value = _as_written(np.round(observations["value"].to_numpy(float), 6))
    change = np.char.mod("%.1f", rng.uniform(0.1, 15.0, n)).astype(object)
    direction = np.where(rng.random(n) < 0.6, "下降", "上升").astype(object)
    rank = rng.integers(1, 40, n)
    template = rng.integers(0, 4, n)
    quotes = [
        (
            f"{w}，{r}{nm}为{v}{u}，同比{d}{c}%。",
            f"{r}{w}{nm}{v}{u}，较上年{d}{c}%，在全省排名第{k}位。",
            f"据监测，{w}全市{nm}达到{v}{u}，比上年{d}{c}%。",
            f"{w}，{r}{nm}为{v}{u}（按实况数据统计，同比{d}{c}%）。",
        )[t]
        for t, w, r, nm, v, u, d, c, k in zip(
            template, when, region, names, value, unit_words, direction, change, rank, strict=True
        )
    ]
    sources = np.where(
        full_year,
        "《" + region + when + "生态环境状况公报》",
        "《" + region + when + "环境质量通报》",
    )
    return pd.DataFrame(
        {
            "indicator": observations["indicator"].to_numpy(),
            "region": region,
            "period": observations["period"].to_numpy(),
            "value": value,
            "unit": unit,
            "source": sources,
            "quote": quotes,
        }
    )


def _user_targets(targets, regions, kind_of, rng) -> pd.DataFrame:
    region = regions[targets["region"].str[len("region-") :].astype(int).to_numpy()]
    unit_codes, unit_values = pd.factorize(targets["unit"])
    unit = np.array([UNIT_TEXT[u][0] for u in unit_values], dtype=object)[unit_codes]
    unit_words = np.array([UNIT_TEXT[u][1] for u in unit_values], dtype=object)[unit_codes]
    names = targets["indicator"].map(lambda i: INDICATOR_NAMES[kind_of[i]]).to_numpy()
    value = _as_written(np.round(targets["value"].to_numpy(float), 6))
    upper = _as_written(np.round(targets["upper"].to_numpy(float), 6))
    baseline = _as_written(np.round(targets["baseline_value"].to_numpy(float), 6))
    phrase = {
        "<=": "控制在{v}{u}以内",
        "<": "低于{v}{u}",
        ">=": "达到{v}{u}以上",
        ">": "高于{v}{u}",
        "==": "保持在{v}{u}",
        "between": "保持在{v}至{up}{u}之间",
    }
    year = targets["target_year"].to_numpy()
    plan = np.where(
        year <= 2020,
        "“十三五”生态环境保护规划",
        np.where(year <= 2025, "“十四五”生态环境保护规划", "美丽城市建设实施方案"),
    )
    quotes = [
        f"到{y}年，{r}{nm}"
        + phrase[c].format(v=v, up=up, u=u)
        + (f"（以2015年{b}{u}为基准）" if b else "")
        + "。"
        for y, r, nm, c, v, up, u, b in zip(
            year,
            region,
            names,
            targets["comparator"],
            value,
            upper,
            unit_words,
            baseline,
            strict=True,
        )
    ]
    written = targets.assign(
        region=region,
        value=value,
        upper=upper,
        unit=unit,
        baseline_value=baseline,
        source="《" + region + plan + "》",
        quote=quotes,
    )
    return written


# --- the measurements, each run in a fresh subprocess -------------------------------------


def _timed(run, repeats: int, slow: float) -> tuple[list[float], object]:
    """Run ``run`` once, then ``repeats`` more times unless it is slower than ``slow`` s."""
    seconds, result = [], None
    for attempt in range(repeats + 1):
        result = None  # let the previous result go before the next one is built
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
        if attempt == 0 and seconds[0] > slow:
            break
    return seconds, result


def _summary(seconds: list[float]) -> dict:
    warm = seconds[1:] or seconds
    return {"first": seconds[0], "seconds": float(np.median(warm)), "runs": seconds}


def _bare_read(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with warnings.catch_warnings():
        # Left to guess, pandas reads the chunks of plain years as integers and says so.
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        return pd.read_csv(folder / "targets.csv"), pd.read_csv(folder / "observations.csv")


def child_bare_read(folder: Path, repeats: int, slow: float, out: Path) -> dict:
    seconds, (targets, observations) = _timed(lambda: _bare_read(folder), repeats, slow)
    return {
        "read": _summary(seconds),
        "string_storage": type(observations["quote"].array).__name__,
        "peak_gib": _peak_gib(),
    }


def child_library(folder: Path, repeats: int, slow: float, out: Path) -> dict:
    start = time.perf_counter()
    from envtargets import read_indicators, read_observations, read_targets
    from envtargets.evaluate import evaluate

    import_seconds = time.perf_counter() - start
    indicators = read_indicators(folder / "indicators.csv")

    def read():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            begin = time.perf_counter()
            targets = read_targets(folder / "targets.csv", indicators=indicators)
            middle = time.perf_counter()
            observations = read_observations(folder / "observations.csv", indicators=indicators)
            parts.append((middle - begin, time.perf_counter() - middle))
        notes.extend(str(w.message).splitlines()[0] for w in caught)
        return targets, observations

    parts: list[tuple[float, float]] = []
    notes: list[str] = []
    read_seconds, (targets, observations) = _timed(read, repeats, slow)
    peak_after_read = _peak_gib()
    evaluate_seconds, table = _timed(
        lambda: evaluate(targets, observations, indicators), repeats, slow
    )
    warm = parts[1:] or parts
    return {
        "import_seconds": import_seconds,
        "read": _summary(read_seconds),
        "read_targets_seconds": float(np.median([p[0] for p in warm])),
        "read_observations_seconds": float(np.median([p[1] for p in warm])),
        "evaluate": _summary(evaluate_seconds),
        "peak_gib_after_read": peak_after_read,
        "peak_gib": _peak_gib(),
        "string_storage": type(observations["quote"].array).__name__,
        "notes": sorted(set(notes)),
        "statuses": table["status"].value_counts().to_dict(),
    }


def child_cli(folder: Path, repeats: int, slow: float, out: Path) -> dict:
    start = time.perf_counter()
    from envtargets.cli import main

    import_seconds = time.perf_counter() - start
    command = ["evaluate", "--targets", str(folder / "targets.csv")]
    command += ["--observations", str(folder / "observations.csv")]
    command += ["--indicators", str(folder / "indicators.csv"), "--output", str(out)]

    def run():
        status = main(command)
        if status:
            raise SystemExit(f"envtargets evaluate exited with {status}")

    seconds, _ = _timed(run, repeats, slow)
    return {"import_seconds": import_seconds, "cli": _summary(seconds), "peak_gib": _peak_gib()}


def child_yardstick(folder: Path, repeats: int, slow: float, out: Path) -> dict:
    table = pd.read_csv(out)  # the evaluation table the command line wrote
    written = out.with_name("yardstick.csv")
    parts: list[tuple[float, float]] = []

    def run():
        begin = time.perf_counter()
        _bare_read(folder)
        middle = time.perf_counter()
        table.to_csv(written, index=False)
        parts.append((middle - begin, time.perf_counter() - middle))

    seconds, _ = _timed(run, repeats, slow)
    warm = parts[1:] or parts
    return {
        "yardstick": _summary(seconds),
        "read_seconds": float(np.median([p[0] for p in warm])),
        "to_csv_seconds": float(np.median([p[1] for p in warm])),
        "result_rows": len(table),
        "result_mb": out.stat().st_size / 1e6,
        "peak_gib": _peak_gib(),
    }


CHILDREN = {
    "bare_read": child_bare_read,
    "library": child_library,
    "cli": child_cli,
    "yardstick": child_yardstick,
}


def _run_child(stage: str, folder: Path, out: Path, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--child", stage, "--folder", str(folder)]
    command += ["--out", str(out), "--repeats", str(args.repeats), "--slow", str(args.slow)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"timed_out_after_seconds": args.timeout}
    if done.returncode:
        raise SystemExit(f"benchmark child {stage} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(scale: float, args: argparse.Namespace) -> dict:
    folder = user_files(scale, args.seed, args.cache)
    sizes = json.loads((folder / "complete").read_text())
    result = {
        "scale": scale,
        **sizes,
        "observations_mb": (folder / "observations.csv").stat().st_size / 1e6,
        "targets_mb": (folder / "targets.csv").stat().st_size / 1e6,
        "files": str(folder),
    }
    with tempfile.TemporaryDirectory(prefix="bench-read-") as tmp:
        out = Path(tmp) / "evaluation.csv"
        for stage in CHILDREN:
            if stage == "yardstick" and not out.exists():
                break  # the command line did not finish
            print(f"scale {scale:g}: {stage} ...", file=sys.stderr, flush=True)
            # Other jobs on a shared machine slow every stage; the load says how busy it was.
            load = os.getloadavg()[0]
            result[stage] = _run_child(stage, folder, out, args)
            result[stage]["load_average_before"] = load
    _ratios(result)
    return result


def _seconds(result: dict, stage: str, key: str) -> float:
    return result.get(stage, {}).get(key, {}).get("seconds", math.nan)


def _ratios(result: dict) -> None:
    bare = _seconds(result, "bare_read", "read")
    read = _seconds(result, "library", "read")
    path = read + _seconds(result, "library", "evaluate")
    cli = _seconds(result, "cli", "cli")
    yardstick = _seconds(result, "yardstick", "yardstick")
    peaks = [result[s]["peak_gib"] for s in CHILDREN if "peak_gib" in result.get(s, {})]
    result["ratios"] = {
        "read_over_bare_read": read / bare,
        "path_seconds": path,
        "path_over_bare_read": path / bare,
        "cli_over_yardstick": cli / yardstick,
        "peak_gib": max(peaks, default=math.nan),
        "bare_read_seconds_per_million_rows": bare / result["observations"] * 1e6,
        "read_seconds_per_million_rows": read / result["observations"] * 1e6,
    }


def _growth(results: list[dict], key: str) -> float:
    """Exponent b of seconds ∝ rows^b over the scales (1: linear, 2: quadratic)."""
    rows = [r["observations"] for r in results]
    seconds = [_seconds(r, *key.split(".")) for r in results]
    usable = [(n, s) for n, s in zip(rows, seconds, strict=True) if s == s and s > 0]
    if len(usable) < 2:
        return math.nan
    x, y = np.log([u[0] for u in usable]), np.log([u[1] for u in usable])
    return float(np.polyfit(x, y, 1)[0])


def table(results: list[dict]) -> str:
    """The results as a Markdown table, one column per scale."""

    def fmt(value: float, digits: int = 2) -> str:
        return "—" if value != value else f"{value:.{digits}f}"

    def seconds(stage: str, key: str):
        return lambda r: fmt(_seconds(r, stage, key))

    def ratio(key: str):
        return lambda r: fmt(r["ratios"][key], 1)

    def peaks(r: dict) -> str:
        stages = ("bare_read", "library", "cli")
        return " / ".join(fmt(r.get(s, {}).get("peak_gib", math.nan)) for s in stages)

    rows = [
        (
            "observations (M rows) / MB",
            lambda r: f"{r['observations'] / 1e6:.2f} / {r['observations_mb']:.0f}",
        ),
        ("targets", lambda r: f"{r['targets']:,}"),
        ("(a) bare read_csv, s", seconds("bare_read", "read")),
        ("(b) read_targets + read_observations, s", seconds("library", "read")),
        (
            "    of which read_observations, s",
            lambda r: fmt(r.get("library", {}).get("read_observations_seconds", math.nan)),
        ),
        ("(c) evaluate, s", seconds("library", "evaluate")),
        ("(b + c) / a — goal ≤ 5", ratio("path_over_bare_read")),
        ("(d) CLI evaluate → CSV, s", seconds("cli", "cli")),
        ("(e) bare read + to_csv, s", seconds("yardstick", "yardstick")),
        ("d / e — goal ≤ 6", ratio("cli_over_yardstick")),
        ("(b) s per M observations", lambda r: fmt(r["ratios"]["read_seconds_per_million_rows"])),
        ("peak GiB: a / b+c / d — goal < 2", peaks),
    ]
    header = "| | " + " | ".join(f"scale {r['scale']:g}" for r in results) + " |"
    lines = [header, "|---" * (len(results) + 1) + "|"]
    lines += [
        "| " + name + " | " + " | ".join(get(r) for r in results) + " |" for name, get in rows
    ]
    return "\n".join(lines)


def _code_version(package: Path) -> str:
    """The git commit of the measured envtargets, or "no git checkout" for a copy."""
    try:
        head = subprocess.run(
            ["git", "-C", str(package), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown"
    return head.stdout.strip() or "no git checkout"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default="0.25,0.5,1,2", help="comma-separated; 1 = 2 M observations"
    )
    parser.add_argument("--repeats", type=int, default=3, help="warm repetitions after the first")
    parser.add_argument(
        "--slow", type=float, default=60.0, help="no repetitions of a stage slower than this [s]"
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="per subprocess [s]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "envtargets-bench-read",
        help="where the generated files are kept between runs",
    )
    parser.add_argument("--output", type=Path, help="write the results as JSON")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.folder, args.repeats, args.slow, args.out)))
        return {}

    import envtargets

    results = [measure(float(scale), args) for scale in args.scales.split(",")]
    summary = {
        "machine": f"{os.cpu_count()} cores, {_memory_gib():.0f} GiB, Python "
        f"{sys.version.split()[0]}, pandas {pd.__version__}, numpy {np.__version__}",
        "code": f"{envtargets.__file__} at {_code_version(Path(envtargets.__file__).parent)}",
        "goals": {
            "path_over_bare_read": PATH_GOAL,
            "cli_over_yardstick": CLI_GOAL,
            "peak_gib": GIB_GOAL,
        },
        "growth_exponent": {
            "bare_read": _growth(results, "bare_read.read"),
            "read": _growth(results, "library.read"),
            "evaluate": _growth(results, "library.evaluate"),
            "cli": _growth(results, "cli.cli"),
        },
        "scales": results,
    }
    print(table(results))
    print("growth exponents (1 = linear):", json.dumps(summary["growth_exponent"]))
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(summary, indent=2, ensure_ascii=False), "utf-8")
    return summary


if __name__ == "__main__":
    main()
