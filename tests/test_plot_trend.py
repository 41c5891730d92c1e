import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from envtargets.plot import STATUS_COLORS, ChartError, trend_chart
from envtargets.plot._style import OBSERVED_MARKER, PROVISIONAL_MARKER, TARGET_MARKER
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION

# samples.INDICATORS renames two bundled indicators: the note saying so is expected.
pytestmark = REPLACED_DEFINITION


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _one(fig, gid):
    found = [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist {gid!r}, found {len(found)}"
    return found[0]


def _draw(**kwargs):
    options = {"targets": samples.evaluation(), "indicators": samples.INDICATORS, "lang": "en"}
    return trend_chart(samples.observations(), "aqi_good_day_ratio", "甲市", **(options | kwargs))


def test_full_year_and_part_year_points_are_drawn_differently():
    fig = _draw()
    full, partial = _one(fig, "observed"), _one(fig, "provisional")
    assert list(full.get_xdata()) == [2020, 2022, 2023, 2024]
    assert list(full.get_ydata()) == [80.0, 84.0, 86.5, 88.5]
    assert full.get_marker() == OBSERVED_MARKER["marker"]
    assert list(partial.get_xdata()) == [2025] and list(partial.get_ydata()) == [86.5]
    assert partial.get_linestyle() == "None"  # not joined to the annual series
    assert partial.get_markerfacecolor() == PROVISIONAL_MARKER["markerfacecolor"]
    assert full.get_markerfacecolor() != partial.get_markerfacecolor()
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "Jan–Sep 2025" in labels


def test_target_baseline_and_on_schedule_path():
    fig = _draw()
    star = _one(fig, "target:a-aqi")
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (2025, 90.0)
    assert star.get_marker() == TARGET_MARKER["marker"]
    assert to_rgba(star.get_markerfacecolor()) == pytest.approx(to_rgba(STATUS_COLORS["on_track"]))
    baseline = _one(fig, "baseline:a-aqi")
    assert (baseline.get_xdata()[0], baseline.get_ydata()[0]) == (2020, 80.0)
    schedule = _one(fig, "schedule:a-aqi")
    assert list(schedule.get_xdata()) == [2020, 2025]
    assert list(schedule.get_ydata()) == [80.0, 90.0]


def test_trend_line_projection_and_band_follow_the_trend_table():
    table = pd.DataFrame(
        {
            "indicator": ["aqi_good_day_ratio"], "region": ["甲市"], "unit": ["percent"],
            "n_points": [4], "first_year": [2020], "last_year": [2024], "slope": [1.25],
            "slope_low": [1.0], "slope_high": [1.5], "intercept": [-2445.0],
            "p_value": [0.04], "direction": ["improving"],
        }
    )  # fmt: skip
    fig = _draw(trend_table=table)
    line, projection = _one(fig, "trend"), _one(fig, "projection")
    assert list(line.get_xdata()) == [2020, 2024]
    assert line.get_ydata() == pytest.approx([-2445 + 1.25 * 2020, -2445 + 1.25 * 2024])
    assert list(projection.get_xdata()) == [2024, 2025]  # to the target year
    assert projection.get_ydata()[1] == pytest.approx(-2445 + 1.25 * 2025)
    band = _one(fig, "trend_band").get_paths()[0].vertices
    at_target = band[np.isclose(band[:, 0], 2025), 1]
    assert at_target.min() < -2445 + 1.25 * 2025 < at_target.max()


def test_trend_is_computed_when_not_given():
    fig = trend_chart(
        samples.observations(), "pm25_annual_mean", "甲市",
        targets=samples.evaluation(), indicators=samples.INDICATORS,
    )  # fmt: skip
    line = _one(fig, "trend")
    assert line.get_ydata()[1] < line.get_ydata()[0]  # falling concentrations


def test_a_series_with_too_few_years_has_no_trend_line():
    fig = trend_chart(
        samples.observations(), "pm25_annual_mean", "乙市", indicators=samples.INDICATORS
    )
    assert not [a for a in fig.axes[0].get_children() if a.get_gid() == "trend"]


def test_drawing_into_given_axes_and_errors():
    fig, ax = plt.subplots()
    assert _draw(ax=ax, title="custom") is fig
    assert ax.get_title(loc="left") == "custom"
    with pytest.raises(ChartError, match="regions observed are: 乙市, 甲市"):
        trend_chart(samples.observations(), "aqi_good_day_ratio", "丙市")
    with pytest.raises(ChartError, match="no observations or targets of 'forest_share'"):
        trend_chart(samples.observations(), "forest_share", "乙市")
