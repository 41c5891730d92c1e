"""The air, water and noise commands: files in, observations files out, plain errors."""

import json

import numpy as np
import pandas as pd
import pytest

from envtargets import cli, load_indicators, read_observations
from tests.test_air_daily import wide


@pytest.fixture
def run(capsys):
    """Run ``envtargets`` in-process and capture what it prints."""

    def _run(*args):
        status = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return status, out, err

    return _run


def test_air_observations_feed_evaluate(run, tmp_path):
    # One month of hourly data for two stations of 河源; PM2.5 is 80 at one of them.
    hourly = wide(days=31, stations=("1001A", "1002A"), start="2025-01-01")
    hourly.loc[hourly["station"] == "1002A", "PM2.5"] = 80.0
    hourly.to_csv(tmp_path / "hourly.csv", index=False)
    pd.DataFrame({"station": ["1001A", "1002A"], "city": ["河源", "河源"]}).to_csv(
        tmp_path / "stations.csv", index=False
    )
    status, _, err = run(
        "air", "--hourly", tmp_path / "hourly.csv", "--stations", tmp_path / "stations.csv",
        "--period", "2025-01", "--output", tmp_path / "city.csv",
    )  # fmt: skip
    assert status == 0, err
    city_pm25 = read_observations(tmp_path / "city.csv", indicators=load_indicators())
    city_pm25 = city_pm25.set_index(["indicator", "region"]).loc[("pm25_annual_mean", "河源")]
    (tmp_path / "targets.csv").write_text(
        "target_id,indicator,region,comparator,value,unit,target_year\n"
        "hy-pm25,pm25_annual_mean,河源,<=,35,微克/立方米,2025\n",
        encoding="utf-8",
    )
    status, _, err = run(
        "evaluate", "--targets", tmp_path / "targets.csv",
        "--observations", tmp_path / "city.csv", "--output", tmp_path / "evaluation.csv",
    )  # fmt: skip
    assert status == 0, err
    row = pd.read_csv(tmp_path / "evaluation.csv").iloc[0]
    # the city value is the mean of the two stations' hourly values
    assert row["observed_value"] == pytest.approx(city_pm25["value"])
    assert row["observed_period"] == "2025-01" and bool(row["provisional"])
    assert row["gap"] == pytest.approx(city_pm25["value"] - 35)


def test_air_from_hourly_csv_to_observations_that_read_back(run, tmp_path):
    hourly = wide(days=31, stations=("1001A", "1002A"), start="2025-01-01")
    hourly.loc[hourly["station"] == "1002A", "PM2.5"] = 80.0
    hourly.to_csv(tmp_path / "hourly.csv", index=False)
    pd.DataFrame({"station": ["1001A", "1002A"], "city": ["河源", "河源"]}).to_csv(
        tmp_path / "stations.csv", index=False
    )
    status, out, err = run(
        "air",
        "--hourly",
        tmp_path / "hourly.csv",
        "--period",
        "2025-01",
        "--output",
        tmp_path / "obs.csv",
        "--daily-output",
        tmp_path / "daily.xlsx",
    )
    assert status == 0, err
    assert "wrote 34 observations (2 regions; 2025-01)" in out
    assert "note: Daily AQI under the HJ 633 version in force" in err
    observations = read_observations(tmp_path / "obs.csv", indicators=load_indicators())
    pm25 = observations.set_index(["indicator", "region"]).loc[("pm25_annual_mean", "1002A")]
    assert pm25["value"] == 80.0 and pm25["source"].startswith("hourly.csv;")
    assert (tmp_path / "daily.xlsx").exists()

    status, out, err = run(
        "air",
        "--hourly",
        tmp_path / "hourly.csv",
        "--stations",
        tmp_path / "stations.csv",
        "--standard",
        "2026",
        "--period",
        "2025-01",
        "--output",
        tmp_path / "city.json",
    )
    assert status == 0, err
    records = json.loads((tmp_path / "city.json").read_text(encoding="utf-8"))
    ratio = next(r for r in records if r["indicator"] == "aqi_good_day_ratio")
    assert ratio["region"] == "河源" and ratio["value"] == 100.0  # PM2.5 50 → 80 under 2026


def test_air_bad_input_exits_2_naming_rows(run, tmp_path):
    hourly = wide(days=1)
    hourly.loc[4, "SO2"] = -3
    hourly.to_csv(tmp_path / "bad.csv", index=False)
    status, out, err = run("air", "--hourly", tmp_path / "bad.csv", "--output", tmp_path / "o.csv")
    assert status == 2 and "Traceback" not in err
    assert "bad.csv, row 6, column 'SO2': negative value -3.0" in err
    assert not (tmp_path / "o.csv").exists()


def test_water_command(run, tmp_path):
    rows = [(f"S{i}", "2025-03-01", "氨氮", 0.4 if i < 20 else 1.2) for i in range(21)]
    pd.DataFrame(rows, columns=["section", "time", "parameter", "value"]).to_csv(
        tmp_path / "samples.csv", index=False
    )
    status, out, err = run(
        "water",
        "--samples",
        tmp_path / "samples.csv",
        "--region",
        "深圳",
        "--period",
        "2025-01/2025-09",
        "--output",
        tmp_path / "w.csv",
        "--classes-output",
        tmp_path / "classes.csv",
    )
    assert status == 0, err
    result = pd.read_csv(tmp_path / "w.csv")
    assert round(result.loc[0, "value"], 1) == 95.2
    assert len(pd.read_csv(tmp_path / "classes.csv")) == 21


def test_noise_command(run, tmp_path):
    pd.DataFrame({"point": ["P1", "P2"], "zone_class": ["1", "2"]}).to_csv(
        tmp_path / "zones.csv", index=False
    )
    hours = pd.date_range("2025-06-01 06:00", periods=24, freq="h")
    measurements = pd.DataFrame(
        {"point": np.repeat(["P1", "P2"], 24), "time": np.tile(hours, 2), "laeq": 48.0}
    )
    measurements.to_csv(tmp_path / "m.csv", index=False)
    status, out, err = run(
        "noise",
        "--measurements",
        tmp_path / "m.csv",
        "--zones",
        tmp_path / "zones.csv",
        "--output",
        tmp_path / "n.csv",
    )
    assert status == 0, err
    result = pd.read_csv(tmp_path / "n.csv").set_index("indicator")
    assert result.loc["noise_day_compliance_rate", "value"] == 100.0
    assert result.loc["noise_night_compliance_rate", "value"] == 50.0  # 48 > 45 for class 1


@pytest.mark.parametrize(
    ("command", "inputs", "table_output"),
    [
        ("air", "--hourly", "--daily-output"),
        ("water", "--samples", "--classes-output"),
        ("noise", "--measurements", None),
    ],
)
def test_the_three_commands_share_inputs_periods_and_outputs(command, inputs, table_output):
    import argparse

    from envtargets.monitoring_cli import add_air_parser, add_noise_parser, add_water_parser

    commands = argparse.ArgumentParser().add_subparsers()
    add = {"air": add_air_parser, "water": add_water_parser, "noise": add_noise_parser}[command]
    parser = add(commands)
    extra = ["--zones", "z.csv"] if command == "noise" else []
    args = parser.parse_args(
        [inputs, "a.csv", "b.csv", "--period", "2025", "2025-01/2025-06", "--output", "o.csv"]
        + extra
        + ([table_output, "t.csv"] if table_output else [])
    )
    assert getattr(args, inputs[2:]) == ["a.csv", "b.csv"]
    assert args.period == ["2025", "2025-01/2025-06"] and args.output == "o.csv"
    assert getattr(args, "table_output", None) == ("t.csv" if table_output else None)
    assert callable(args.run)
    with pytest.raises(SystemExit):
        parser.parse_args([inputs, "a.csv", *extra])  # --output is required


def test_air_duplicated_negative_row_reports_both_problems(run, tmp_path):
    hourly = wide(days=1)
    doubled = pd.concat([hourly, hourly.iloc[[3]].assign(SO2=-3.0)], ignore_index=True)
    doubled.to_csv(tmp_path / "bad.csv", index=False)
    status, _, err = run("air", "--hourly", tmp_path / "bad.csv", "--output", tmp_path / "o.csv")
    assert status == 2
    assert f"row {len(doubled) + 1}, column 'SO2': negative value -3.0" in err
    assert "row 5, column 'time': duplicated station-hour" in err
    assert f"row {len(doubled) + 1}, column 'time': duplicated station-hour" in err


def _qingshan(tmp_path, days, start):
    hourly = wide(days=days, stations=("1001A",), start=start)
    hourly.to_csv(tmp_path / "hourly.csv", index=False)
    pd.DataFrame({"station": ["1001A"], "city": ["青山市"]}).to_csv(
        tmp_path / "stations.csv", index=False
    )
    (tmp_path / "targets.csv").write_text(
        "target_id,indicator,region,comparator,value,unit,target_year\n"
        "qs,aqi_good_day_ratio,青山市,>=,80,%,2025\n",
        encoding="utf-8",
    )
    return hourly


def test_three_days_are_not_a_year_and_give_no_verdict(run, tmp_path):
    # Three days of March; PM2.5 100 on the third day → 2012 IAQI 100 + 50 × 25/40 → 132.
    hourly = _qingshan(tmp_path, 3, "2025-03-10")
    hourly.loc[48:, "PM2.5"] = 100.0
    hourly.to_csv(tmp_path / "hourly.csv", index=False)
    status, out, err = run(
        "air", "--hourly", tmp_path / "hourly.csv", "--stations", tmp_path / "stations.csv",
        "--output", tmp_path / "air.csv", "--daily-output", tmp_path / "daily.csv",
    )  # fmt: skip
    assert status == 0, err
    assert "(1 regions; 2025-03)" in out
    assert pd.read_csv(tmp_path / "daily.csv")["aqi"].tolist() == [40, 40, 132]
    table = pd.read_csv(tmp_path / "air.csv").set_index("indicator")
    assert set(table["period"]) == {"2025-03"}
    ratio = table.loc["aqi_good_day_ratio"]
    assert not ratio["valid"] and pd.isna(ratio["value"]) and pd.isna(ratio["computed_value"])
    assert ratio["quote"].startswith("2 of 3 days") and "NOT VALID" in ratio["quote"]
    assert table.loc["aqi_valid_days", "value"] == 3
    status, _, err = run(
        "evaluate", "--targets", tmp_path / "targets.csv",
        "--observations", tmp_path / "air.csv", "--output", tmp_path / "evaluation.csv",
    )  # fmt: skip
    assert status == 0, err
    row = pd.read_csv(tmp_path / "evaluation.csv").iloc[0]
    assert row["status"] not in ("achieved", "not_achieved")


def test_a_valid_month_without_period_is_provisional(run, tmp_path):
    _qingshan(tmp_path, 31, "2025-01-01")
    status, out, err = run(
        "air", "--hourly", tmp_path / "hourly.csv", "--stations", tmp_path / "stations.csv",
        "--output", tmp_path / "air.csv",
    )  # fmt: skip
    assert status == 0, err
    ratio = pd.read_csv(tmp_path / "air.csv").set_index("indicator").loc["aqi_good_day_ratio"]
    assert ratio["period"] == "2025-01" and ratio["valid"] and ratio["value"] == 100.0
    status, _, err = run(
        "evaluate", "--targets", tmp_path / "targets.csv",
        "--observations", tmp_path / "air.csv", "--output", tmp_path / "evaluation.csv",
    )  # fmt: skip
    assert status == 0, err
    row = pd.read_csv(tmp_path / "evaluation.csv").iloc[0]
    assert row["observed_period"] == "2025-01" and bool(row["provisional"])
