"""Functional-zone compliance rates (GB 3096—2008)."""

import numpy as np
import pandas as pd
import pytest

from envtargets import ValidationError, load_indicators, validate_observations
from envtargets.noise import compliance, energy_mean, limit_table, measurements_table

ZONES = pd.DataFrame(
    {"point": ["P1", "P2", "P3", "P4"], "zone_class": ["1类", "2", "4a", "4b"], "region": "深圳"}
)


def sessions(levels):
    """Session values: (point, day LAeq, night LAeq) for one date."""
    rows = [
        (point, "2025-06-01", session, level)
        for point, day, night in levels
        for session, level in (("昼间", day), ("夜间", night))
    ]
    return pd.DataFrame(rows, columns=["point", "date", "session", "laeq"])


def rate(table, indicator):
    return table.loc[table["indicator"] == indicator, "value"].iloc[0]


def test_day_and_night_rates_overall_and_by_class():
    # Limits day/night: class 1 55/45, class 2 60/50, 4a 70/55, 4b 70/60.
    result = compliance(
        sessions([("P1", 55, 45.1), ("P2", 61, 50), ("P3", 69, 56), ("P4", 70, 60)]), ZONES
    )
    assert rate(result, "noise_day_compliance_rate") == 75.0  # P2 exceeds by day
    assert rate(result, "noise_night_compliance_rate") == 50.0  # P1 and P3 exceed at night
    assert rate(result, "noise_zone_4b_night_compliance_rate") == 100.0
    assert rate(result, "noise_zone_1_night_compliance_rate") == 0.0
    assert validate_observations(result, load_indicators())["value"].notna().all()


def test_shenzhen_night_rate_arithmetic():
    # 深圳: 夜间达标率 75 % — e.g. 3 of 4 point-measurements.
    result = compliance(
        sessions([("P1", 50, 40), ("P2", 55, 45), ("P3", 60, 50), ("P4", 60, 61)]), ZONES
    )
    assert rate(result, "noise_night_compliance_rate") == 75.0


def test_hourly_values_split_into_day_and_night_and_energy_averaged():
    hours = pd.date_range("2025-06-01 06:00", periods=24, freq="h")
    levels = np.where((hours.hour >= 6) & (hours.hour < 22), 50.0, 40.0)
    levels[0] = 70.0  # one loud morning hour dominates the day's energy mean
    table = measurements_table(pd.DataFrame({"point": "P1", "time": hours, "laeq": levels}), ZONES)
    day = table[table["session"] == "day"].iloc[0]
    night = table[table["session"] == "night"].iloc[0]
    assert day["hours"] == 16 and night["hours"] == 8
    assert night["date"] == pd.Timestamp("2025-06-01")  # 00:00–06:00 belongs to the night before
    assert day["laeq"] == pytest.approx(10 * np.log10((10**7 + 15 * 10**5) / 16))
    assert not day["compliant"] and night["compliant"]


def test_energy_mean_of_equal_levels_is_the_level():
    assert energy_mean(np.array([60.0, 60.0]), np.array([0, 0]), 1)[0] == pytest.approx(60.0)


def test_unknown_points_and_classes_named():
    zones = pd.DataFrame({"point": ["P1"], "zone_class": ["5"]})
    with pytest.raises(ValidationError) as caught:
        compliance(sessions([("P1", 50, 40), ("P9", 50, 40)]), zones)
    message = str(caught.value)
    assert "unknown functional-zone class '5'" in message
    assert "point 'P9' is not in the zones table" in message


def test_limits_are_data():
    limits = limit_table().set_index("zone_class")
    assert limits.loc["0", "night"] == 40 and limits.loc["4b", "night"] == 60


@pytest.mark.parametrize(("at_limit", "compliant"), [(True, True), (False, False)])
def test_a_level_at_the_limit_follows_the_unconfirmed_rule(monkeypatch, at_limit, compliant):
    # Class 2 by day: 60 dB(A). The rule (at or below the limit) lives in _unconfirmed.
    from envtargets import _unconfirmed

    monkeypatch.setattr(_unconfirmed, "NOISE_COMPLIANT_AT_LIMIT", at_limit)
    table = measurements_table(sessions([("P2", 60, 49)]), ZONES)
    day = table[table["session"] == "day"].iloc[0]
    assert day["laeq"] == 60 and day["compliant"] == compliant
    assert table.loc[table["session"] == "night", "compliant"].all()


def test_quotes_name_the_session_and_class():
    result = compliance(sessions([("P1", 50, 40), ("P2", 61, 45)]), ZONES)
    quotes = result.set_index("indicator")["quote"]
    assert quotes["noise_day_compliance_rate"] == (
        "1 of 2 day point-measurements within the GB 3096 limit"
    )
    assert quotes["noise_zone_2_day_compliance_rate"].endswith("limit of class 2")


@pytest.mark.parametrize(
    ("start", "hours", "periods"),
    [
        ("2025-06-01 06:00", 24, ["2025-06"]),  # one June day is June, not 2025
        # 00:00–06:00 of 1 January belongs to the night of 31 December.
        ("2025-01-01 00:00", 6, ["2024-12"]),
        ("2025-01-01 06:00", 24 * 365, ["2025"]),
    ],
)
def test_default_periods_are_the_months_the_measurements_cover(start, hours, periods):
    times = pd.date_range(start, periods=hours, freq="h")
    result = compliance(pd.DataFrame({"point": "P1", "time": times, "laeq": 40.0}), ZONES)
    assert sorted(set(result["period"])) == periods


def test_a_given_period_is_kept():
    result = compliance(sessions([("P1", 50, 40)]), ZONES, period="2025")
    assert set(result["period"]) == {"2025"}


def test_each_region_is_labelled_with_its_own_months():
    zones = pd.DataFrame({"point": ["P1", "P2"], "zone_class": "1", "region": ["甲市", "乙市"]})
    rows = [("P1", "2025-03-01", "昼间", 50), ("P1", "2025-06-01", "昼间", 56)]
    rows += [("P2", "2025-03-01", "昼间", 50)]
    measurements = pd.DataFrame(rows, columns=["point", "date", "session", "laeq"])
    result = compliance(measurements, zones)
    overall = result[result["indicator"] == "noise_day_compliance_rate"].set_index("region")
    assert overall["period"].to_dict() == {"甲市": "2025-03/2025-06", "乙市": "2025-03"}
    assert overall.loc["甲市", "value"] == 50.0 and overall.loc["乙市", "value"] == 100.0
