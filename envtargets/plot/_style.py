"""The one palette of every chart, table and workbook that envtargets draws.

Colours come from Okabe & Ito's colour-blind-safe set [1]_, chosen so that the
six statuses stay apart for the common colour-vision deficiencies and keep a
lightness order (good = darker green, bad = darker red-orange) when printed in
grey. The bullet chart, trend chart, status grid, dashboard, the pandas Styler
and the XLSX export all read :data:`STATUS_COLORS`, so a status has the same
colour everywhere.

This module does not import matplotlib: the Styler and the XLSX writer use it
without paying for matplotlib.

References
----------
.. [1] Okabe, M. and Ito, K. (2008). Color Universal Design (CUD): how to make
   figures and presentations that are friendly to colorblind people.
   https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

from collections.abc import Mapping

from envtargets.errors import ChartError

# Okabe–Ito
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

# The order in which statuses are listed (legends, counts, tables): best first.
STATUS_ORDER = ("achieved", "on_track", "off_track", "not_achieved", "not_assessable", "no_data")

STATUS_COLORS: Mapping[str, str] = {
    "achieved": BLUISH_GREEN,
    "on_track": SKY_BLUE,
    "off_track": ORANGE,
    "not_achieved": VERMILLION,
    "not_assessable": "#A6A6A6",
    "no_data": "#E0E0E0",
}

# Elements that are not statuses.
OBSERVED_COLOR = BLUE
TREND_COLOR = REDDISH_PURPLE
TARGET_COLOR = BLACK
BASELINE_COLOR = "#555555"
SCHEDULE_COLOR = "#555555"
MUTED_TEXT = "#555555"
GRID_LINE = "#FFFFFF"

# Qualitative bands of the bullet chart (Few: darker means worse), from worst to best.
BAND_COLORS = ("#BDBDBD", "#D9D9D9", "#F0F0F0")

# Observation markers: full-year values filled, part-year (provisional) values hollow,
# so that the difference survives greyscale printing.
OBSERVED_MARKER = {"marker": "o", "markersize": 7, "markerfacecolor": OBSERVED_COLOR}
PROVISIONAL_MARKER = {
    "marker": "o",
    "markersize": 7,
    "markerfacecolor": "white",
    "markeredgewidth": 1.6,
}
BASELINE_MARKER = {"marker": "D", "markersize": 7, "markerfacecolor": "white"}
TARGET_MARKER = {"marker": "*", "markersize": 12}
PROVISIONAL_HATCH = "////"
PROVISIONAL_ALPHA = 0.45


def status_colors(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the status → colour mapping, with optional overrides.

    Parameters
    ----------
    overrides : mapping of str to str, optional
        Colours (any matplotlib/CSS colour text, e.g. ``"#1b9e77"``) for some
        statuses; the others keep the default palette.

    Returns
    -------
    dict of str to str
        One colour per status of :data:`STATUS_ORDER`.

    Raises
    ------
    ChartError
        For a key that is not a status.
    """
    colors = dict(STATUS_COLORS)
    if overrides:
        unknown = sorted(set(overrides) - set(STATUS_ORDER))
        if unknown:
            raise ChartError(
                f"unknown status {', '.join(map(repr, unknown))} in colors; "
                f"the statuses are {', '.join(STATUS_ORDER)}"
            )
        colors.update(overrides)
    return colors


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    """Return the red, green and blue parts of a ``#rrggbb`` colour, each in [0, 1]."""
    text = color.lstrip("#")
    if len(text) == 3:
        text = "".join(2 * part for part in text)
    return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def text_color_on(background: str) -> str:
    """Return black or white, whichever reads better on ``background``.

    Picks the one with the higher WCAG 2 contrast ratio against the background
    (for the default palette that is black on every status colour).

    Parameters
    ----------
    background : str
        A ``#rrggbb`` colour.

    Returns
    -------
    str
        ``"#000000"`` or ``"#FFFFFF"``.
    """
    try:
        channels = hex_to_rgb(background)
    except ValueError:
        return BLACK
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05): equal at L ≈ 0.179.
    return "#FFFFFF" if luminance < 0.179 else BLACK
