"""Dashboard: one A4 page that sums up a region.

Top: how many targets have each status. Middle: bullet charts of the key
targets. Bottom: trend charts of the indicators with the longest series. Key
targets are those with an observed value, the ones needing attention first
(not achieved, off track, then on track, achieved, not assessable), binding
before expected and aspirational, earlier target years first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from envtargets.indicators import indicator_labels, indicator_table
from envtargets.plot._common import check_evaluation, select_targets
from envtargets.plot._fonts import chart_context, new_figure
from envtargets.plot._labels import check_lang, status_label, word
from envtargets.plot._style import (
    MUTED_TEXT,
    STATUS_ORDER,
    ChartError,
    status_colors,
    text_color_on,
)
from envtargets.plot.bullet import add_legend, draw_bullet
from envtargets.plot.trend import draw_trend_axes

A4_PORTRAIT = (8.27, 11.69)  # inch
_ATTENTION = {
    "not_achieved": 0,
    "off_track": 1,
    "on_track": 2,
    "achieved": 3,
    "not_assessable": 4,
    "no_data": 5,
}
_KIND_RANK = {"binding": 0, "expected": 1, "aspirational": 2}


def dashboard(
    evaluation: pd.DataFrame,
    region: str,
    *,
    observations: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    target_ids: Sequence[str] | None = None,
    max_targets: int = 6,
    max_trends: int = 2,
    lang: str = "zh",
    title: str | None = None,
    colors: Mapping[str, str] | None = None,
) -> Figure:
    """Draw a one-page summary of a region: status counts, key targets, trends.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        The evaluation table (:func:`envtargets.evaluate.evaluate`).
    region : str
        The region to summarise.
    observations : pandas.DataFrame, optional
        Observations for the trend charts; without them the page has no trends.
    indicators : pandas.DataFrame, optional
        Your names and directions of improvement; they extend the bundled
        table (:func:`envtargets.indicators.indicator_table`).
    target_ids : sequence of str, optional
        Key targets to show as bullets; default chosen as the module describes.
    max_targets : int, default 6
        Most bullet rows.
    max_trends : int, default 2
        Most trend charts.
    lang : {"zh", "en"}, default "zh"
        Language of names and labels.
    title : str, optional
        Page title; ``""`` for none. Default: the region and "target status".
    colors : mapping of str to str, optional
        Status colours that replace those of the default palette.

    Returns
    -------
    matplotlib.figure.Figure
        An A4 portrait figure.

    Raises
    ------
    ChartError
        For a region without targets (listing those with targets).
    """
    check_lang(lang)
    check_evaluation(evaluation)
    rows = evaluation[evaluation["region"].astype(str) == region].reset_index(drop=True)
    if rows.empty:
        known = ", ".join(sorted(evaluation["region"].astype(str).unique()))
        raise ChartError(f"region {region!r} has no targets; regions with targets: {known}")
    palette = status_colors(colors)
    # One table for the page: the trend panels below note nothing again.
    indicators = indicator_table(indicators, rows)
    lookup = indicator_labels(indicators, lang)
    key = select_targets(rows, target_ids) if target_ids else key_targets(rows, max_targets)
    trends = _trend_series(rows, observations, max_trends) if observations is not None else []
    with chart_context():
        fig = new_figure(*A4_PORTRAIT)
        ratios = [1.25, max(1.2, 0.75 * len(key) + 0.9), 4.6 if trends else 0.01]
        top, middle, bottom = fig.subfigures(3, 1, height_ratios=ratios)
        if title != "":
            fig.suptitle(title or f"{region} · {word('overview', lang)}", fontsize=14)
        _status_tiles(top, rows, palette, lang)
        _key_bullets(middle, key, lookup, palette, lang)
        if trends:
            axes = np.atleast_1d(bottom.subplots(1, len(trends)))
            for axis, indicator in zip(axes, trends, strict=True):
                handles = draw_trend_axes(
                    axis,
                    observations,
                    indicator,
                    region,
                    targets=rows,
                    indicators=indicators,
                    trend_table=None,
                    lang=lang,
                    palette=palette,
                    title=None,
                    title_width=44,
                )
                # Below each panel: the targets differ from panel to panel.
                axis.legend(
                    handles=handles,
                    loc="upper center",
                    bbox_to_anchor=(0.5, -0.09),
                    ncol=1,
                    fontsize=7,
                )
            bottom.suptitle(word("trends", lang), x=0.02, ha="left", fontsize=11)
    return fig


def key_targets(rows: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Return the targets a dashboard shows first (see the module docstring)."""
    observed = rows[rows["observed_value"].notna()] if "observed_value" in rows else rows
    order = pd.DataFrame(
        {
            "attention": observed["status"].map(_ATTENTION).fillna(9),
            "kind": observed.get("kind", pd.Series(index=observed.index)).map(_KIND_RANK).fillna(3),
            "year": pd.to_numeric(observed["target_year"], errors="coerce"),
            "position": np.arange(len(observed)),
        },
        index=observed.index,
    )
    chosen = order.sort_values(["attention", "kind", "year", "position"]).index[:limit]
    return rows.loc[chosen].reset_index(drop=True)


def _trend_series(rows: pd.DataFrame, observations: pd.DataFrame, limit: int) -> list[str]:
    """Return the indicators of the region's targets with the most observations (≥ 2)."""
    here = observations[observations["region"].astype(str) == str(rows["region"].iat[0])]
    counts = here["indicator"].astype(str).value_counts()
    counts = counts[counts.index.isin(rows["indicator"].astype(str)) & (counts >= 2)]
    return list(counts.sort_values(ascending=False, kind="stable").index[:limit])


def _status_tiles(subfig, rows: pd.DataFrame, palette, lang: str) -> None:
    """One coloured tile per status with its count (ids ``tile:<status>``)."""
    ax = subfig.add_subplot()
    counts = rows["status"].astype(str).value_counts()
    for i, status in enumerate(STATUS_ORDER):
        color = palette[status]
        ax.add_patch(
            Rectangle(
                (i + 0.05, 0), 0.9, 1, facecolor=color, edgecolor="none", gid=f"tile:{status}"
            )
        )
        ink = text_color_on(color)
        count = int(counts.get(status, 0))
        ax.text(
            i + 0.5,
            0.6,
            str(count),
            ha="center",
            va="center",
            fontsize=22,
            color=ink,
            gid=f"count:{status}",
        )
        ax.text(
            i + 0.5,
            0.2,
            status_label(status, lang),
            ha="center",
            va="center",
            fontsize=9,
            color=ink,
        )
    total = f"{word('total', lang)} {len(rows)} {word('targets', lang)}"
    ax.text(0.05, 1.08, total, ha="left", va="bottom", fontsize=9, color=MUTED_TEXT)
    ax.set_xlim(0, len(STATUS_ORDER))
    ax.set_ylim(0, 1.3)
    ax.axis("off")


def _key_bullets(subfig, key: pd.DataFrame, lookup, palette, lang: str) -> None:
    subfig.suptitle(word("key_targets", lang), x=0.02, ha="left", fontsize=11)
    if key.empty:
        ax = subfig.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, word("no_data", lang), ha="center", va="center", color=MUTED_TEXT)
        return
    axes = np.atleast_1d(subfig.subplots(len(key), 1, squeeze=False)[:, 0])
    for axis, row in zip(axes, key.to_dict(orient="records"), strict=True):
        draw_bullet(axis, row, lookup.get(str(row["indicator"])), lang, palette)
    add_legend(subfig, key, palette, lang)
