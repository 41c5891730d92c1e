"""Chinese-capable fonts and the drawing context of every envtargets chart.

matplotlib's default font (DejaVu Sans) has no Chinese characters, and a fresh
machine may have no CJK font at all. The package depends on
``pylopdf-fonts-zh-cn``, which ships Noto Sans SC (SIL Open Font License); it
is registered with matplotlib's font manager the first time a chart is drawn.
Noto Sans SC comes first in the font list and DejaVu Sans second, so that the
few symbols Noto Sans SC lacks (superscript ⁸ …) fall back to DejaVu Sans.

The fonts are set only inside :func:`chart_context` and stored on the artists
that a chart creates; the user's global ``rcParams`` are never changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure

CJK_FONT = "Noto Sans SC"
FONT_FAMILY = [CJK_FONT, "DejaVu Sans"]

# Sizes for print: 9 pt text stays legible on an A4 page at 100 % scale.
CHART_RC = {
    "font.family": FONT_FAMILY,
    "font.sans-serif": [*FONT_FAMILY, "Arial", "Helvetica", "sans-serif"],
    "font.size": 9.0,
    "axes.titlesize": 11.0,
    "axes.titleweight": "normal",  # Noto Sans SC ships one weight: no faux bold
    "axes.labelsize": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "figure.dpi": 100.0,
    "savefig.dpi": 200.0,
    "svg.fonttype": "path",  # glyphs as outlines: the SVG needs no installed font
    "svg.hashsalt": "envtargets",  # stable ids, so re-runs give identical SVG files
    "axes.unicode_minus": True,
}


@cache
def register_cjk_font() -> str:
    """Register Noto Sans SC with matplotlib's font manager (once per process).

    Returns
    -------
    str
        The family name to use, ``"Noto Sans SC"``.
    """
    import pylopdf_fonts_zh_cn

    font_manager.fontManager.addfont(str(pylopdf_fonts_zh_cn.sans_path()))
    return CJK_FONT


@contextlib.contextmanager
def chart_context() -> Iterator[None]:
    """Draw inside this context: the CJK font registered, the chart rc settings active.

    Yields
    ------
    None
        The settings of :data:`CHART_RC` are restored when the block ends.
    """
    register_cjk_font()
    # Restore only the settings changed here. matplotlib.rc_context would restore
    # every setting, undoing what happens inside the block by the way: the first
    # figure loads the notebook's inline backend, which turns interactive mode
    # on, and resetting it stops later figures from showing inline.
    saved = {key: mpl.rcParams[key] for key in CHART_RC}
    mpl.rcParams.update(CHART_RC)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


class ChartFigure(Figure):
    """A Figure that always renders with the chart fonts.

    Texts created by the chart functions already carry the font family, but a
    figure may be drawn later (inline in a notebook, ``savefig`` by the user)
    when the global defaults are in force again, and tick labels are created
    at draw time; drawing inside :func:`chart_context` keeps them all in the
    CJK-capable font.
    """

    def draw(self, renderer):  # noqa: D102 - same contract as Figure.draw
        with chart_context():
            return super().draw(renderer)


def new_figure(width: float, height: float) -> Figure:
    """Create a pyplot-managed :class:`ChartFigure` with constrained layout.

    Parameters
    ----------
    width, height : float [inch]
        Figure size.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; it shows inline in notebooks and with ``plt.show()``.
    """
    import matplotlib.pyplot as plt

    return plt.figure(figsize=(width, height), FigureClass=ChartFigure, layout="constrained")


def use_chart_fonts(ax) -> None:
    """Make the tick labels of ``ax`` use the chart fonts, also when drawn outside the context.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes the chart drew into (perhaps the user's own).
    """
    ax.tick_params(labelfontfamily=FONT_FAMILY)
