"""Status overview: a grid of targets (rows) by regions (columns), coloured by status.

Each row is an indicator and target year; each cell is that region's target,
filled with its status colour and showing the gap (observed − target) with its
unit, ``*`` marking a gap computed from a part-year value. When a region has
several targets of one indicator and year (a binding and an aspirational one),
the cell shows the binding one, then expected, then aspirational.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from envtargets.indicators import indicator_labels, indicator_table
from envtargets.plot._common import check_evaluation, flag, number
from envtargets.plot._fonts import chart_context, new_figure, use_chart_fonts
from envtargets.plot._labels import (
    check_lang,
    display_width,
    format_gap,
    status_label,
    word,
    wrap,
)
from envtargets.plot._style import STATUS_ORDER, ChartError, status_colors, text_color_on

_KIND_RANK = {"binding": 0, "expected": 1, "aspirational": 2}
ROW_HEIGHT = 0.32  # inch
COLUMN_WIDTH = 1.45  # inch
NAME_WIDTH = 46  # Latin-letter widths of a row label before it wraps


def status_grid(
    evaluation: pd.DataFrame,
    *,
    indicators: pd.DataFrame | None = None,
    lang: str = "zh",
    ax: Axes | None = None,
    title: str | None = None,
    colors: Mapping[str, str] | None = None,
) -> Figure:
    """Draw a grid of targets by regions, each cell coloured by status with the gap written in.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        The evaluation table (:func:`envtargets.evaluate.evaluate`).
    indicators : pandas.DataFrame, optional
        Your indicator names; they extend the bundled table
        (:func:`envtargets.indicators.indicator_table`).
    lang : {"zh", "en"}, default "zh"
        Language of names and labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; default a new figure sized to the grid.
    title : str, optional
        Title; ``""`` for none.
    colors : mapping of str to str, optional
        Status colours that replace those of the default palette.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into. Cells are :class:`~matplotlib.patches.Rectangle`
        patches with ``gid`` ``cell:<target_id>``; their texts ``gap:<target_id>``.

    Raises
    ------
    ChartError
        For an empty table, an unknown language or colour key.
    """
    check_lang(lang)
    check_evaluation(evaluation)
    if evaluation.empty:
        raise ChartError("no targets to draw: the evaluation table is empty")
    palette = status_colors(colors)
    names = indicator_labels(indicator_table(indicators, evaluation), lang)
    cells = grid_cells(evaluation)
    row_keys = list(dict.fromkeys(zip(cells["indicator"], cells["target_year"], strict=True)))
    regions = list(dict.fromkeys(evaluation["region"].astype(str)))  # columns in table order
    labels = [_row_label(names, indicator, year, lang) for indicator, year in row_keys]
    with chart_context():
        if ax is None:
            width = max(6.5, 4.2 + COLUMN_WIDTH * len(regions))
            # Rows with a label on two lines need more height than one-line rows.
            row_height = ROW_HEIGHT * (1.35 if any("\n" in label for label in labels) else 1)
            fig = new_figure(width, 1.6 + row_height * len(row_keys))
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        row_of = {key: i for i, key in enumerate(row_keys)}
        for cell in cells.to_dict(orient="records"):
            y = row_of[(cell["indicator"], cell["target_year"])]
            _draw_cell(ax, regions.index(str(cell["region"])), y, cell, palette, lang)
        _axes_layout(ax, regions, labels)
        _legend(ax, cells, palette, lang, fig.get_figwidth())
        if title != "":
            ax.set_title(title or word("overview", lang), loc="left", pad=22)
    return fig


def grid_cells(evaluation: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (indicator, target year, region): the target a cell shows.

    Rows are ordered by target year, then as in the table; of several targets
    for one cell, the binding one is kept (then expected, then aspirational).
    """
    frame = evaluation.reset_index(drop=True).copy()
    frame["target_year"] = frame["target_year"].astype("Int64")
    kind = frame["kind"] if "kind" in frame else pd.Series("binding", index=frame.index)
    frame["_rank"] = kind.map(_KIND_RANK).fillna(3)
    frame["_order"] = np.arange(len(frame))
    chosen = frame.sort_values(["_rank", "_order"], kind="stable").drop_duplicates(
        ["indicator", "target_year", "region"]
    )
    # Rows grouped by target year, earliest first, then in the table's order.
    chosen = chosen.sort_values(["target_year", "_order"], kind="stable", na_position="last")
    return chosen.drop(columns=["_rank", "_order"])


def _draw_cell(ax: Axes, column: int, row: int, cell: Mapping, palette, lang: str) -> None:
    status = str(cell["status"])
    color = palette[status]
    ax.add_patch(
        Rectangle(
            (column, row),
            1,
            1,
            facecolor=color,
            edgecolor="white",
            lw=1.5,
            gid=f"cell:{cell['target_id']}",
        )
    )
    gap = number(cell.get("gap"))
    if np.isfinite(gap):
        text = format_gap(gap, str(cell.get("gap_unit") or cell["unit"]), lang)
        text += "*" if flag(cell.get("provisional")) else ""
    else:
        text = "—"
    ax.text(
        column + 0.5,
        row + 0.5,
        text,
        ha="center",
        va="center",
        fontsize=8,
        color=text_color_on(color),
        gid=f"gap:{cell['target_id']}",
    )


def _row_label(names, indicator, year, lang: str) -> str:
    info = names.get(str(indicator))
    name = info.name if info else str(indicator)
    suffix = "" if pd.isna(year) else (f" · {int(year)}年" if lang == "zh" else f" · {int(year)}")
    room = NAME_WIDTH - display_width(suffix)
    return wrap(name, room, max_lines=2) + suffix


def _axes_layout(ax: Axes, regions: list[str], labels: list[str]) -> None:
    ax.set_xlim(0, len(regions))
    ax.set_ylim(len(labels), 0)  # first row at the top
    ax.set_yticks(np.arange(len(labels)) + 0.5, labels)
    ax.set_xticks(np.arange(len(regions)) + 0.5, regions)
    ax.xaxis.tick_top()
    ax.tick_params(length=0, pad=4)
    ax.tick_params(axis="x", labelsize=9)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_aspect("auto")
    use_chart_fonts(ax)


def _legend(ax: Axes, cells: pd.DataFrame, palette, lang: str, width: float) -> None:
    counts = cells["status"].astype(str).value_counts()
    handles = [
        Patch(color=palette[s], label=f"{status_label(s, lang)} {counts.get(s, 0)}")
        for s in STATUS_ORDER
        if counts.get(s, 0)
    ]
    notes = [word("gap_note", lang)]
    if cells.get("provisional", pd.Series(dtype=bool)).fillna(False).astype(bool).any():
        notes.append(word("provisional_note", lang))
    handles += [Patch(color="none", label=note) for note in notes]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, 0),
        ncol=max(1, min(len(handles), int(width / 2.2))),
        fontsize=8,
        handlelength=1.2,
        borderaxespad=0.3,
    )
