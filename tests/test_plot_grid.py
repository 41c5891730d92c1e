import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from envtargets.plot import STATUS_COLORS, ChartError, status_grid
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION

# samples.INDICATORS renames two bundled indicators: the note saying so is expected.
pytestmark = REPLACED_DEFINITION


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _artists(fig, prefix):
    return {
        a.get_gid().split(":", 1)[1]: a
        for a in fig.axes[0].get_children()
        if str(a.get_gid()).startswith(prefix)
    }


def test_each_cell_has_the_palette_colour_of_its_status():
    evaluation = samples.evaluation()
    fig = status_grid(evaluation, indicators=samples.INDICATORS, lang="en")
    cells = _artists(fig, "cell:")
    assert set(cells) == set(evaluation["target_id"])
    for row in evaluation.itertuples():
        assert cells[row.target_id].get_facecolor() == pytest.approx(
            to_rgba(STATUS_COLORS[row.status])
        )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            {"a-pm25": "−2 µg/m³", "a-aqi": "−3.5 pp*", "b-pm25": "+2.5 µg/m³", "a-forest": "—"},
        ),
        ("zh", {"a-aqi": "−3.5个百分点*", "a-sewer": "−60 km", "b-aqi": "−9个百分点"}),
    ],
)
def test_cells_show_the_hand_computed_gap_with_its_unit(lang, expected):
    fig = status_grid(samples.evaluation(), indicators=samples.INDICATORS, lang=lang)
    texts = _artists(fig, "gap:")
    for target_id, text in expected.items():
        assert texts[target_id].get_text() == text


def test_rows_are_indicator_and_year_columns_regions():
    fig = status_grid(samples.evaluation(), indicators=samples.INDICATORS, lang="en")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["甲市", "乙市"]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[0] == "PM2.5 annual mean · 2023"  # earliest target year first
    assert len(rows) == 5  # the two PM2.5 targets differ in year; the AQI ones share 2025


def test_a_binding_target_wins_over_an_aspirational_one_in_the_same_cell():
    evaluation = samples.evaluation()
    extra = evaluation[evaluation["target_id"] == "a-pm25"].assign(
        target_id="a-pm25-aspire", kind="aspirational", status="not_achieved"
    )
    both = pd.concat([extra, evaluation], ignore_index=True)
    fig = status_grid(both, indicators=samples.INDICATORS)
    assert "a-pm25" in _artists(fig, "cell:") and "a-pm25-aspire" not in _artists(fig, "cell:")


def test_legend_counts_and_errors():
    fig = status_grid(samples.evaluation(), indicators=samples.INDICATORS, lang="en")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "achieved 1" in legend and "* part-year (provisional) figure" in legend
    with pytest.raises(ChartError, match="empty"):
        status_grid(samples.evaluation().iloc[:0])
    with pytest.raises(ChartError, match="unknown status value"):
        status_grid(samples.evaluation().assign(status="done"))
