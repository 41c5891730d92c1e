import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba

from envtargets.plot import STATUS_COLORS, ChartError, dashboard
from envtargets.plot.region_page import key_targets
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION

# samples.INDICATORS renames two bundled indicators: the note saying so is expected.
pytestmark = REPLACED_DEFINITION


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _gids(fig):
    return {str(a.get_gid()): a for f in [fig, *fig.subfigs] for a in f.findobj() if a.get_gid()}


def test_dashboard_counts_key_targets_and_trends():
    evaluation = samples.evaluation()
    fig = dashboard(
        evaluation, "甲市", observations=samples.observations(), indicators=samples.INDICATORS
    )
    assert fig.get_size_inches() == pytest.approx([8.27, 11.69])  # A4 portrait
    artists = _gids(fig)
    here = evaluation[evaluation["region"] == "甲市"]["status"].value_counts()
    for status, color in STATUS_COLORS.items():
        assert artists[f"count:{status}"].get_text() == str(here.get(status, 0))
        assert artists[f"tile:{status}"].get_facecolor() == pytest.approx(to_rgba(color))
    # Bullets for the observed targets only, the not-yet-met ones first.
    assert "observed:a-aqi" in artists and "target:a-forest" not in artists
    assert "trend" in artists and "target:a-pm25" in artists


def test_key_targets_put_those_needing_attention_first():
    rows = samples.evaluation()
    assert list(key_targets(rows, 3)["target_id"]) == ["b-pm25", "b-aqi", "a-aqi"]


def test_region_without_targets_lists_the_regions_that_have_them():
    with pytest.raises(ChartError, match="regions with targets: 乙市, 甲市"):
        dashboard(samples.evaluation(), "丙市")
