"""Every chart, drawn with Chinese labels, renders every glyph (no tofu boxes)."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from envtargets.plot import bullet_chart, dashboard, status_grid, trend_chart
from envtargets.plot._fonts import CJK_FONT, register_cjk_font
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION

# samples.INDICATORS renames two bundled indicators: the note saying so is expected.
pytestmark = REPLACED_DEFINITION


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _all_charts(lang):
    evaluation, observations = samples.evaluation(), samples.observations()
    common = {"indicators": samples.INDICATORS, "lang": lang}
    yield "bullet", bullet_chart(evaluation, **common)
    yield (
        "trend",
        trend_chart(observations, "aqi_good_day_ratio", "甲市", targets=evaluation, **common),
    )
    yield "grid", status_grid(evaluation, **common)
    yield "dashboard", dashboard(evaluation, "甲市", observations=observations, **common)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_renders_every_glyph(lang, tmp_path):
    for name, fig in _all_charts(lang):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(tmp_path / f"{name}.png")
            fig.savefig(tmp_path / f"{name}.svg")
        problems = [
            str(w.message)
            for w in caught
            if "missing from font" in str(w.message) or "Glyph" in str(w.message)
        ]
        assert not problems, f"{name}: {problems}"
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_the_chinese_font_comes_from_the_pip_package():
    register_cjk_font()
    path = font_manager.findfont(CJK_FONT, fallback_to_default=False)
    assert "pylopdf_fonts_zh_cn" in path


def test_drawing_leaves_global_matplotlib_settings_alone():
    before = dict(matplotlib.rcParams)
    list(_all_charts("zh"))
    assert dict(matplotlib.rcParams) == before


def test_a_chart_saved_later_under_other_settings_still_uses_the_chinese_font(tmp_path):
    fig = status_grid(samples.evaluation(), indicators=samples.INDICATORS, lang="zh")
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(tmp_path / "later.png")
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_chinese_labels_render_in_given_axes_of_a_plain_figure(tmp_path):
    fig, ax = plt.subplots()  # a plain pyplot figure under the default (DejaVu) settings
    bullet_chart(samples.evaluation(), "a-pm25", ax=ax, indicators=samples.INDICATORS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "mine.png")
    assert not [w for w in caught if "missing from font" in str(w.message)]
