"""A user's indicators extend the bundled table; an indicator in no table is inferred once.

Hand-worked: a noise indicator in no table, ``my_noise`` (dB(A), target ≤ 54 by
2025), falls 60, 59 … 55 in 2018–2023: six points, S = −15, Var(S) = 6·5·17/18
= 28.33, Z = (−15 + 1)/√28.33 = −2.63, p = 0.0085 < 0.05. Lower is better (its
comparator is ≤), so its trend is improving wherever the comparator is known, and
decreasing where it is not (``trend()`` on observations alone).
"""

import subprocess
import sys
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from envtargets import DataCleaningWarning, build_report, load_indicators
from envtargets.evaluate import evaluate
from envtargets.indicators import (
    ORIGIN,
    combine_indicators,
    complete_indicators,
    indicator_labels,
    indicator_table,
    inferred_indicators,
)
from envtargets.trend import trend
from tests.conftest import OBSERVATIONS_HEADER, TARGETS_HEADER

matplotlib.use("Agg")

PM25 = "pm25_annual_mean"
NOISE_NOTE = (
    "indicator 'my_noise' is in no indicators table: unit dB(A) from its rows, "
    "lower is better (comparator <=)"
)
MINE_CSV = """\
indicator,name_zh,name_en,unit,better,domain
pm25_annual_mean,细颗粒物年均浓度,,microgram / meter ** 3,lower,air
river_litter_sites,河道垃圾点位,River litter sites,count,lower,water
green_roofs,屋顶绿化面积,Green roofs,meter ** 2,higher,ecology
"""


def mine() -> pd.DataFrame:
    """Two new indicators and an override of PM2.5 (another Chinese name, no English one)."""
    return pd.DataFrame(
        {
            "indicator": [PM25, "river_litter_sites", "green_roofs"],
            "name_zh": ["细颗粒物年均浓度", "河道垃圾点位", "屋顶绿化面积"],
            "name_en": [None, "River litter sites", "Green roofs"],
            "unit": ["microgram / meter ** 3", "count", "meter ** 2"],
            "better": ["lower", "lower", "higher"],
            "domain": ["air", "water", "ecology"],
        }
    )


def noise_targets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target_id": ["n1"],
            "indicator": ["my_noise"],
            "region": ["甲市"],
            "comparator": ["<="],
            "value": [54.0],
            "unit": ["dB(A)"],
            "target_year": [2025],
        }
    )


def noise_observations() -> pd.DataFrame:
    years = range(2018, 2024)
    return pd.DataFrame(
        {
            "indicator": "my_noise",
            "region": "甲市",
            "period": [str(y) for y in years],
            "value": [60.0 - (y - 2018) for y in years],
            "unit": "dB(A)",
        }
    )


def with_notes(func, *args, **kwargs):
    """Call ``func``; return its result and the DataCleaningWarning messages it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = func(*args, **kwargs)
    other = [w for w in caught if not issubclass(w.category, DataCleaningWarning)]
    assert not other, [str(w.message) for w in other]
    return result, [str(w.message) for w in caught]


def inference_notes(messages: list[str]) -> list[str]:
    return [m for m in messages if "is in no indicators table" in m]


# ------------------------------------------------------------------ combining
def test_a_users_table_extends_the_bundled_one_and_names_what_it_overrides():
    bundled = load_indicators()
    table, messages = with_notes(combine_indicators, mine())
    # 2 new rows; the PM2.5 row replaced, not added.
    assert len(table) == len(bundled) + 2
    assert set(bundled["indicator"]) <= set(table["indicator"])
    assert table["indicator"].is_unique
    pm25 = table.set_index("indicator").loc[PM25]
    assert pm25["name_zh"] == "细颗粒物年均浓度"  # the user's row wins
    # The cell the user left empty keeps the bundled value.
    assert pm25["name_en"] == bundled.set_index("indicator").loc[PM25, "name_en"]
    assert pm25[ORIGIN] == "user"
    assert messages == [
        "your indicators table replaces the definition of 1 bundled indicator: "
        "pm25_annual_mean (name_zh)"
    ]


def test_bundled_rows_passed_back_unchanged_are_no_override():
    table, messages = with_notes(combine_indicators, load_indicators())
    assert messages == []
    assert len(table) == len(load_indicators())


def test_combining_twice_notes_once():
    table, _ = with_notes(combine_indicators, mine())
    again, messages = with_notes(combine_indicators, table)
    assert messages == []
    pd.testing.assert_frame_equal(again, table)


def test_without_a_users_table_the_bundled_one():
    table, messages = with_notes(combine_indicators, None)
    assert messages == []
    assert (table[ORIGIN] == "bundled").all()
    assert table["indicator"].tolist() == load_indicators()["indicator"].tolist()


# ------------------------------------------------------------------ inferring
@pytest.mark.parametrize(
    ("comparators", "better", "said"),
    [
        (["<="], "lower", "lower is better (comparator <=)"),
        (["<", "<="], "lower", "lower is better (comparators <, <=)"),
        ([">=", ">"], "higher", "higher is better (comparators >, >=)"),
        (["=="], None, "direction of improvement unknown (comparator ==)"),
        (["between"], None, "direction of improvement unknown (comparator between)"),
        (["<=", ">="], None, "direction of improvement unknown (comparators <=, >=)"),
        ([], None, "direction of improvement unknown (no target)"),
    ],
)
def test_direction_from_the_comparators(comparators, better, said):
    targets = pd.DataFrame(
        {
            "target_id": [f"t{i}" for i in range(len(comparators))],
            "indicator": "x_index",
            "region": [f"r{i}" for i in range(len(comparators))],
            "comparator": comparators,
            "unit": "1",
        }
    )
    observations = pd.DataFrame({"indicator": ["x_index"], "unit": ["1"]})
    table, messages = with_notes(
        complete_indicators, load_indicators(), targets if comparators else None, observations
    )
    row = table.set_index("indicator").loc["x_index"]
    assert (None if pd.isna(row["better"]) else row["better"]) == better
    assert (row["unit"], row["measure"], row["name_zh"], row["name_en"]) == (
        "1",
        "level",
        "x_index",
        "x_index",
    )
    assert row[ORIGIN] == "inferred"
    assert messages == [
        f"indicator 'x_index' is in no indicators table: unit 1 from its rows, {said}"
    ]


def test_unit_from_the_first_target_row_else_the_observations():
    targets = pd.DataFrame(
        {
            "indicator": ["a_share", "a_share", "b_count"],
            "unit": [None, "%", None],  # the first row with a unit counts
            "comparator": [">=", ">=", ">="],
        }
    )
    observations = pd.DataFrame(
        {"indicator": ["a_share", "b_count", "c_km"], "unit": ["percent", "个", "km"]}
    )
    added = inferred_indicators(load_indicators()["indicator"], targets, observations)
    assert added["indicator"].tolist() == ["a_share", "b_count", "c_km"]
    assert added["unit"].tolist() == ["%", "个", "km"]
    assert added["better"].tolist()[:2] == ["higher", "higher"]
    assert pd.isna(added["better"].iloc[2])


def test_one_note_per_indicator_not_per_row():
    observations = pd.concat([noise_observations()] * 3, ignore_index=True)
    _, messages = with_notes(indicator_table, None, noise_targets(), observations)
    assert messages == [NOISE_NOTE]


def test_a_completed_table_given_again_notes_nothing():
    table, _ = with_notes(indicator_table, mine(), noise_targets(), noise_observations())
    again, messages = with_notes(indicator_table, table, noise_targets(), noise_observations())
    assert messages == []
    assert len(again) == len(table)


# ------------------------------------------------------------------ the same everywhere
def test_evaluate_infers_once():
    evaluation, messages = with_notes(evaluate, noise_targets(), noise_observations())
    assert inference_notes(messages) == [NOISE_NOTE]
    row = evaluation.iloc[0]
    assert (row["observed_value"], row["unit"]) == (55.0, "dB(A)")
    assert row["trend_direction"] == "improving"
    assert row["trend_p"] == pytest.approx(0.0085, abs=1e-4)


def test_trend_infers_the_same_unit_and_no_direction_without_targets():
    table, messages = with_notes(trend, noise_observations())
    unknown = "direction of improvement unknown (no target)"
    assert messages == [NOISE_NOTE.replace("lower is better (comparator <=)", unknown)]
    row = table.iloc[0]
    assert (row["unit"], row["direction"]) == ("dB(A)", "decreasing")
    assert row["slope"] == -1.0
    # With the targets' table, the same direction as evaluate.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)
        indicators = indicator_table(None, noise_targets(), noise_observations())
    row = trend(noise_observations(), indicators).iloc[0]
    assert (row["unit"], row["direction"]) == ("dB(A)", "improving")


def test_charts_infer_once():
    from envtargets.plot import bullet_chart, trend_chart

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)
        evaluation = evaluate(noise_targets(), noise_observations())
    fig, messages = with_notes(
        trend_chart, noise_observations(), "my_noise", "甲市", targets=noise_targets(), lang="en"
    )
    assert messages == [NOISE_NOTE]
    ax = fig.axes[0]
    assert ax.get_ylabel() == "dB(A)"
    assert ax.get_title(loc="left").startswith("my_noise")  # the name is the id
    assert any(line.get_gid() == "trend" for line in ax.lines)
    fig, messages = with_notes(bullet_chart, evaluation, lang="en")
    assert messages == [NOISE_NOTE]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "← lower is better" in texts
    matplotlib.pyplot.close("all")


def test_build_report_infers_once(tmp_path):
    _, messages = with_notes(
        build_report, noise_targets(), noise_observations(), None, tmp_path / "r",
        lang="en", progress=False,
    )  # fmt: skip
    assert inference_notes(messages) == [NOISE_NOTE]
    written = pd.read_csv(tmp_path / "r" / "evaluation.csv", encoding="utf-8-sig")
    assert written.loc[0, "indicator_name"] == "my_noise"
    assert written.loc[0, "trend_direction"] == "improving"


def test_build_report_notes_an_override_once(tmp_path):
    targets = noise_targets().assign(indicator=PM25, unit="µg/m³", value=30.0)
    observations = noise_observations().assign(indicator=PM25, unit="µg/m³")
    _, messages = with_notes(
        build_report, targets, observations, mine(), tmp_path / "r", lang="zh", progress=False
    )
    assert [m for m in messages if "replaces the definition" in m] == [
        "your indicators table replaces the definition of 1 bundled indicator: "
        "pm25_annual_mean (name_zh)"
    ]
    written = pd.read_csv(tmp_path / "r" / "evaluation.csv", encoding="utf-8-sig")
    assert written.loc[0, "indicator_name"] == "细颗粒物年均浓度"


def test_a_python_table_replaces_nothing_it_does_not_list():
    # Only new indicators given: PM2.5 keeps its bundled unit (mg/m³ converts to it).
    targets = noise_targets().assign(indicator=PM25, unit="mg/m³", value=0.054)
    observations = noise_observations().assign(indicator=PM25, unit="µg/m³")
    new_only = mine().iloc[1:]
    evaluation, messages = with_notes(evaluate, targets, observations, new_only)
    assert messages == []
    assert evaluation.loc[0, "observed_value"] == pytest.approx(0.055)
    assert evaluation.loc[0, "trend_direction"] == "improving"


# ------------------------------------------------------------------ the command line
@pytest.fixture
def files(write):
    """Targets and observations of PM2.5, a user's indicator and one in no table."""
    targets = write(
        "t.csv",
        f"{TARGETS_HEADER}\n"
        "t1,pm25_annual_mean,甲市,<=,30,,µg/m³,2025,,,,s,q\n"
        "t2,green_roofs,甲市,>=,5000,,m²,2025,,,,s,q\n"
        "t3,my_noise,甲市,<=,54,,dB(A),2025,,,,s,q\n",
    )
    rows = [
        f"{indicator},甲市,{year},{value},{unit},s,q"
        for indicator, unit, start, step in [
            (PM25, "µg/m³", 40, -2),
            ("green_roofs", "m²", 1000, 500),
            ("my_noise", "dB(A)", 60, -1),
        ]
        for year, value in zip(range(2018, 2024), start + step * np.arange(6), strict=True)
    ]
    observations = write("o.csv", OBSERVATIONS_HEADER + "\n" + "\n".join(rows) + "\n")
    return write("mine.csv", MINE_CSV), targets, observations


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "envtargets.cli", *args], capture_output=True, text=True
    )


def test_cli_evaluate_extends_the_bundled_table_and_infers_once(files, tmp_path):
    indicators, targets, observations = files
    output = tmp_path / "cli.csv"
    result = run(
        "evaluate", "--indicators", str(indicators), "--targets", str(targets),
        "--observations", str(observations), "--output", str(output),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert [n for n in notes if "in no indicators table" in n] == [f"note: {NOISE_NOTE}"]
    assert [n for n in notes if "replaces the definition" in n] == [
        "note: your indicators table replaces the definition of 1 bundled indicator: "
        "pm25_annual_mean (name_zh)"
    ]
    table = pd.read_csv(output, encoding="utf-8-sig").set_index("target_id")
    assert table.loc["t1", "status"] != "no_data"  # PM2.5 is known: not replaced away
    assert table.loc["t3", "trend_direction"] == "improving"

    # The same files through the Python API give the same table.
    from envtargets import read_indicators, read_observations, read_targets
    from envtargets.export import write_table

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)
        python = evaluate(
            read_targets(targets), read_observations(observations), read_indicators(indicators)
        )
    written = write_table(python, tmp_path / "python.csv")
    pd.testing.assert_frame_equal(
        pd.read_csv(output, encoding="utf-8-sig").drop(columns="indicator_name"),
        pd.read_csv(written, encoding="utf-8-sig"),
    )


def test_cli_and_python_build_the_same_indicators_table(files):
    from envtargets import read_indicators, read_observations, read_targets
    from envtargets.cli import build_parser, load_inputs

    indicators, targets, observations = files
    args = build_parser().parse_args(
        ["summary", "--indicators", str(indicators), "--targets", str(targets),
         "--observations", str(observations)]
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataCleaningWarning)
        cli_table, cli_targets, cli_observations = load_inputs(args)
        python = indicator_table(
            read_indicators(indicators), read_targets(targets), read_observations(observations)
        )
    pd.testing.assert_frame_equal(cli_table, python)
    labels = indicator_labels(cli_table, "en")
    assert (labels["my_noise"].unit, labels["my_noise"].better) == ("dB(A)", "lower")
    assert labels[PM25].name == load_indicators().set_index("indicator").loc[PM25, "name_en"]


def test_cli_summary_counts_the_combined_table(files):
    indicators, targets, observations = files
    result = run(
        "summary", "--indicators", str(indicators), "--targets", str(targets),
        "--observations", str(observations),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # bundled + 2 new + my_noise inferred
    assert f"indicators: {len(load_indicators()) + 3}" in result.stdout
    assert result.stderr.count("in no indicators table") == 1


def test_cli_report_takes_the_users_indicators(files, tmp_path):
    indicators, targets, observations = files
    result = run(
        "report", "--indicators", str(indicators), "--targets", str(targets),
        "--observations", str(observations), "--output", str(tmp_path / "r"), "--quiet",
        "--lang", "en",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("in no indicators table") == 1
    assert result.stderr.count("replaces the definition") == 1
    written = pd.read_csv(tmp_path / "r" / "evaluation.csv", encoding="utf-8-sig")
    names = dict(zip(written["indicator"], written["indicator_name"], strict=True))
    assert names["green_roofs"] == "Green roofs" and names["my_noise"] == "my_noise"
