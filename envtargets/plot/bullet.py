"""Bullet charts (Stephen Few): observed value against target, one row per target.

Each row has its own scale, starting at zero as a bar must. Grey bands behind
the bar are qualitative ranges: the lightest is the range that satisfies the
target, the darker ones fall short (the darkest, when a baseline is known, is
worse than the baseline). The bar is the observed value in its status colour;
a part-year (provisional) value is hatched and lighter. The black line is the
target (two lines for a range), the diamond the baseline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from envtargets.indicators import IndicatorInfo, better_direction, indicator_labels, indicator_table
from envtargets.plot._common import (
    baseline_of,
    flag,
    lighten,
    number,
    one_region,
    select_targets,
)
from envtargets.plot._fonts import chart_context, new_figure, use_chart_fonts
from envtargets.plot._labels import (
    KIND_LABELS,
    check_lang,
    format_gap,
    format_period,
    format_target,
    format_value,
    is_missing,
    status_label,
    word,
    wrap,
)
from envtargets.plot._style import (
    BAND_COLORS,
    BASELINE_COLOR,
    BASELINE_MARKER,
    MUTED_TEXT,
    PROVISIONAL_ALPHA,
    PROVISIONAL_HATCH,
    STATUS_ORDER,
    TARGET_COLOR,
    ChartError,
    status_colors,
)
from envtargets.units import is_percent

ROW_HEIGHT = 0.8  # inch per target
BAR_HEIGHT = 0.38
TARGET_HALF_HEIGHT = 0.3
LABEL_WIDTH = 26  # Latin-letter widths before a name wraps


def bullet_chart(
    evaluation: pd.DataFrame,
    target_ids: Sequence[str] | str | None = None,
    *,
    indicators: pd.DataFrame | None = None,
    lang: str = "zh",
    ax: Axes | None = None,
    title: str | None = None,
    colors: Mapping[str, str] | None = None,
    legend: bool = True,
) -> Figure:
    """Draw bullet charts of targets: observed value, target, baseline and bands.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        The evaluation table (:func:`envtargets.evaluate.evaluate`).
    target_ids : str or sequence of str, optional
        Targets to draw, in this order; default all rows of ``evaluation``.
    indicators : pandas.DataFrame, optional
        Your indicator names and direction of improvement; they extend the
        bundled table (:func:`envtargets.indicators.indicator_table`).
    lang : {"zh", "en"}, default "zh"
        Language of names and labels.
    ax : matplotlib.axes.Axes, optional
        Draw a single target into these axes (the caller's figure keeps its layout).
    title : str, optional
        Figure title; ``""`` for none. Default: the region and "targets".
    colors : mapping of str to str, optional
        Status colours that replace those of the default palette.
    legend : bool, default True
        Add a legend below the rows (not when ``ax`` is given).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into.

    Raises
    ------
    ChartError
        For unknown targets or language, or ``ax`` with more than one target.
    """
    check_lang(lang)
    rows = select_targets(evaluation, target_ids)
    if rows.empty:
        raise ChartError("no targets to draw: the evaluation table is empty")
    if ax is not None and len(rows) != 1:
        raise ChartError(
            f"ax= draws one target, but {len(rows)} were selected; pass target_ids=<one id>"
        )
    palette = status_colors(colors)
    lookup = indicator_labels(indicator_table(indicators, rows), lang)
    with chart_context():
        if ax is None:
            fig = new_figure(7.5, 0.9 + ROW_HEIGHT * len(rows) + (0.5 if legend else 0))
            axes = np.atleast_1d(fig.subplots(len(rows), 1, squeeze=False)[:, 0])
            if title != "":
                fig.suptitle(title or _default_title(rows, lang))
            if legend:
                add_legend(fig, rows, palette, lang)
        else:
            fig, axes = ax.figure, [ax]
            if title:
                ax.set_title(title)
        for axis, row in zip(axes, rows.to_dict(orient="records"), strict=True):
            draw_bullet(axis, row, lookup.get(str(row["indicator"])), lang, palette)
    return fig


def _default_title(rows: pd.DataFrame, lang: str) -> str:
    region = one_region(rows)
    if lang == "zh":
        return f"{region}目标完成情况" if region else "目标完成情况"
    return f"{region}: targets and observed values" if region else "Targets and observed values"


def draw_bullet(
    ax: Axes, row: Mapping, info: IndicatorInfo | None, lang: str, palette: Mapping[str, str]
) -> None:
    """Draw the bullet of one evaluation row into ``ax``.

    Artists carry ids (``gid``) that tests and SVG readers can find:
    ``band:<target_id>:<rank>``, ``observed:<target_id>``, ``target:<target_id>``
    and ``baseline:<target_id>``.
    """
    target_id = str(row["target_id"])
    comparator = str(row["comparator"])
    value, upper = number(row["value"]), number(row.get("upper"))
    observed, baseline = number(row.get("observed_value")), baseline_of(row)
    status = str(row["status"]) if not is_missing(row["status"]) else "no_data"
    provisional = flag(row.get("provisional"))
    low, high = _scale(np.array([observed, value, upper, baseline]), str(row["unit"]))

    for rank, (start, end) in _bands(comparator, value, upper, baseline, low, high):
        ax.axvspan(
            start, end, color=BAND_COLORS[rank], lw=0, zorder=0, gid=f"band:{target_id}:{rank}"
        )
    if np.isfinite(observed):
        color = palette[status]
        style = {"color": color, "edgecolor": color}
        if provisional:
            style = {
                "color": lighten(color, PROVISIONAL_ALPHA),
                "edgecolor": color,
                "hatch": PROVISIONAL_HATCH,
                "linewidth": 0.8,
            }
        bars = ax.barh(0, observed, height=BAR_HEIGHT, zorder=2, **style)
        bars.patches[0].set_gid(f"observed:{target_id}")
    marker = {"color": TARGET_COLOR, "lw": 2.6, "solid_capstyle": "butt", "clip_on": False}
    for threshold in (value, upper) if comparator == "between" else (value,):
        ax.plot([threshold, threshold], [-TARGET_HALF_HEIGHT, TARGET_HALF_HEIGHT], zorder=4,
                gid=f"target:{target_id}", **marker)  # fmt: skip
    if np.isfinite(baseline):
        style = {"linestyle": "none", "markeredgecolor": BASELINE_COLOR, **BASELINE_MARKER}
        ax.plot([baseline], [0], zorder=5, clip_on=False, gid=f"baseline:{target_id}", **style)

    ax.set_xlim(low, high)
    ax.set_ylim(-0.5, 0.5)
    ax.set_yticks([])
    for side in ("left", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", length=2, pad=1.5)
    use_chart_fonts(ax)
    _label_row(ax, row, info, lang, status, provisional, observed)


def _scale(values: np.ndarray, unit: str) -> tuple[float, float]:
    """Axis range: from zero (or the lowest negative value) to a little past the highest."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0
    low, high = min(0.0, float(finite.min())), max(0.0, float(finite.max()))
    span = high - low or abs(high) or 1.0
    top = high + 0.12 * span
    # A share cannot pass 100 %: stop there rather than draw an impossible range.
    if _is_percent(unit) and high <= 100 < top:
        top = 100.0
    bottom = low - 0.12 * span if low < 0 else 0.0
    return bottom, top


def _is_percent(unit: str) -> bool:
    try:
        return is_percent(unit)
    except ValueError:
        return False


def _bands(comparator, value, upper, baseline, low, high):
    """Yield (rank, (start, end)) of the qualitative bands; rank 2 satisfies the target."""
    if not np.isfinite(value):
        return [(1, (low, high))]
    if comparator == "between" and np.isfinite(upper):
        return [(1, (low, value)), (2, (value, upper)), (1, (upper, high))]
    if comparator in (">=", ">"):
        if np.isfinite(baseline) and low < baseline < value:
            return [(0, (low, baseline)), (1, (baseline, value)), (2, (value, high))]
        return [(1, (low, value)), (2, (value, high))]
    if comparator in ("<=", "<"):
        if np.isfinite(baseline) and value < baseline < high:
            return [(2, (low, value)), (1, (value, baseline)), (0, (baseline, high))]
        return [(2, (low, value)), (1, (value, high))]
    return [(1, (low, high))]


def _label_row(ax, row, info, lang, status, provisional, observed) -> None:
    """Name and target on the left, observed value, gap and status on the right."""
    name = info.name if info else str(row["indicator"])
    unit = str(row["unit"])
    target = format_target(str(row["comparator"]), number(row["value"]),
                           number(row.get("upper")), unit, lang)  # fmt: skip
    details = [f"{word('target', lang)} {target}"]
    if not is_missing(row.get("target_year")):
        year = int(row["target_year"])
        details.append(f"{year}年" if lang == "zh" else str(year))
    if not is_missing(row.get("kind")):
        details.append(KIND_LABELS[lang].get(str(row["kind"]), str(row["kind"])))
    left, right, muted = {"ha": "right"}, {"ha": "left"}, {"fontsize": 7.5, "color": MUTED_TEXT}
    _text(ax, -0.02, 0.62, wrap(name, LABEL_WIDTH, max_lines=2), linespacing=1.1, **left)
    _text(ax, -0.02, 0.08, " · ".join(details), **left, **muted)
    if np.isfinite(observed):
        shown = format_value(observed, unit, lang) + ("*" if provisional else "")
        gap = format_gap(number(row.get("gap")), str(row.get("gap_unit") or unit), lang)
        first = f"{shown}  ({word('gap', lang)} {gap})"
        second = f"{format_period(row.get('observed_period'), lang)} · {status_label(status, lang)}"
    else:
        first, second = word("no_data", lang), status_label(status, lang)
    _text(ax, 1.02, 0.62, first, gid=f"value:{row['target_id']}", **right)
    _text(ax, 1.02, 0.08, second, **right, **muted)
    direction = better_direction(info, str(row["comparator"]))
    if direction:
        _text(ax, 1.0, 1.0, word(f"better_{direction}", lang), ha="right", va="bottom",
              fontsize=7, color=MUTED_TEXT)  # fmt: skip


def _text(ax: Axes, x: float, y: float, text: str, **style) -> None:
    """Write text at axes coordinates (x, y), vertically centred unless told otherwise."""
    ax.text(x, y, text, transform=ax.transAxes, **({"va": "center", "fontsize": 8.5} | style))


def add_legend(fig: Figure, rows: pd.DataFrame, palette: Mapping[str, str], lang: str) -> None:
    """Legend below the rows: the statuses drawn, part-year hatch, target, baseline, bands."""
    present = [s for s in STATUS_ORDER if s in set(rows["status"].astype(str))]
    handles = [Patch(color=palette[s], label=status_label(s, lang)) for s in present]
    provisional = rows.get("provisional", pd.Series(dtype=bool))
    if provisional.fillna(False).astype(bool).any():
        hatched = {"facecolor": "white", "edgecolor": MUTED_TEXT, "hatch": PROVISIONAL_HATCH}
        handles.append(Patch(label=word("provisional", lang), **hatched))
    baseline = {"linestyle": "none", "markeredgecolor": BASELINE_COLOR, **BASELINE_MARKER}
    handles += [
        Line2D([], [], color=TARGET_COLOR, lw=2.6, label=word("target", lang)),
        Line2D([], [], label=word("baseline", lang), **baseline),
        Patch(color=BAND_COLORS[2], label=word("meets", lang), ec="#999999", lw=0.5),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 5))
