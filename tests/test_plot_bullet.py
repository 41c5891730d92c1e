import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba

from envtargets.plot import STATUS_COLORS, ChartError, bullet_chart
from envtargets.plot._style import BASELINE_MARKER
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION

# samples.INDICATORS renames two bundled indicators: the note saying so is expected.
pytestmark = REPLACED_DEFINITION


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def evaluation():
    return samples.evaluation()


def _by_gid(fig, gid):
    found = [a for ax in fig.axes for a in ax.findobj() if a.get_gid() == gid]
    assert found, f"no artist {gid!r}"
    return found


def test_one_row_per_target_and_the_target_marker_sits_at_the_target(evaluation):
    fig = bullet_chart(evaluation, indicators=samples.INDICATORS, lang="en")
    assert len(fig.axes) == len(evaluation)
    for row in evaluation.itertuples():
        (line,) = _by_gid(fig, f"target:{row.target_id}")[:1]
        assert line.get_xdata()[0] == pytest.approx(row.value)


def test_a_range_target_draws_both_bounds():
    evaluation = samples.evaluation()
    fig = bullet_chart(evaluation, "a-forest", indicators=samples.INDICATORS)
    bounds = sorted(line.get_xdata()[0] for line in _by_gid(fig, "target:a-forest"))
    assert bounds == [60.0, 70.0]


def test_the_bar_is_the_observed_value_in_its_status_colour(evaluation):
    fig = bullet_chart(evaluation, ["a-pm25", "b-pm25"], indicators=samples.INDICATORS)
    expected = [("a-pm25", "achieved", 28.0), ("b-pm25", "not_achieved", 27.5)]
    for target_id, status, observed in expected:
        (bar,) = _by_gid(fig, f"observed:{target_id}")
        assert bar.get_width() == pytest.approx(observed)
        assert bar.get_facecolor() == pytest.approx(to_rgba(STATUS_COLORS[status]))
        assert not bar.get_hatch()


def test_provisional_values_are_hatched_and_starred(evaluation):
    fig = bullet_chart(evaluation, "a-aqi", indicators=samples.INDICATORS, lang="en")
    (bar,) = _by_gid(fig, "observed:a-aqi")
    assert bar.get_hatch()
    assert bar.get_edgecolor() == pytest.approx(to_rgba(STATUS_COLORS["on_track"]))
    (text,) = _by_gid(fig, "value:a-aqi")
    assert text.get_text() == "86.5%*  (gap −3.5 pp)"


def test_baseline_marker_and_gap_text(evaluation):
    fig = bullet_chart(evaluation, "b-pm25", indicators=samples.INDICATORS, lang="zh")
    (baseline,) = _by_gid(fig, "baseline:b-pm25")
    assert baseline.get_xdata()[0] == 35.0
    assert baseline.get_marker() == BASELINE_MARKER["marker"]
    (text,) = _by_gid(fig, "value:b-pm25")
    assert text.get_text() == "27.5 µg/m³  (差距 +2.5 µg/m³)"


def test_no_data_draws_no_bar(evaluation):
    fig = bullet_chart(evaluation, "a-forest", indicators=samples.INDICATORS, lang="en")
    assert not [a for a in fig.axes[0].findobj() if a.get_gid() == "observed:a-forest"]
    assert _by_gid(fig, "value:a-forest")[0].get_text() == "no data"


def test_colour_overrides_and_given_axes(evaluation):
    fig, ax = plt.subplots()
    returned = bullet_chart(
        evaluation, "a-pm25", ax=ax, colors={"achieved": "#112233"}, indicators=samples.INDICATORS
    )
    assert returned is fig
    (bar,) = _by_gid(fig, "observed:a-pm25")
    assert bar.get_facecolor() == pytest.approx(to_rgba("#112233"))


def test_bad_arguments_are_clear_errors(evaluation):
    _, ax = plt.subplots()
    with pytest.raises(ChartError, match="ax= draws one target"):
        bullet_chart(evaluation, ax=ax)
    with pytest.raises(ChartError, match="'nope' not in the evaluation table"):
        bullet_chart(evaluation, "nope")
    with pytest.raises(ChartError, match="unknown language"):
        bullet_chart(evaluation, lang="fr")
    with pytest.raises(ChartError, match="lacks the evaluation column"):
        bullet_chart(evaluation.drop(columns="status"))
