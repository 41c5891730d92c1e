"""Trend chart of one indicator in one region: the series, its targets and where it is heading.

Full-year values are filled points joined by a line; part-year (provisional)
values are hollow points labelled with their months and left unjoined, since a
January–September mean is not comparable with annual ones. Each target is a
dashed line ending in a star at its target year (a shaded band for a range),
the baseline a diamond, and the dotted line from baseline to target the
on-schedule path (时序进度). The Theil–Sen line is drawn over the full-year
values and, dashed, projected to the last target year, inside the band of its
slope's confidence interval pivoted at the median year of the data.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from envtargets.indicators import IndicatorInfo, indicator_labels, indicator_table
from envtargets.periods import period_table
from envtargets.plot._common import baseline_of, number
from envtargets.plot._fonts import chart_context, new_figure, use_chart_fonts
from envtargets.plot._labels import (
    check_lang,
    format_period,
    format_target,
    is_missing,
    status_label,
    unit_text,
    word,
    wrap,
)
from envtargets.plot._style import (
    BASELINE_COLOR,
    BASELINE_MARKER,
    OBSERVED_COLOR,
    OBSERVED_MARKER,
    PROVISIONAL_MARKER,
    SCHEDULE_COLOR,
    TARGET_COLOR,
    TARGET_MARKER,
    TREND_COLOR,
    ChartError,
    status_colors,
)
from envtargets.units import conversion_factor


def trend_chart(
    observations: pd.DataFrame,
    indicator: str,
    region: str,
    *,
    targets: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    trend_table: pd.DataFrame | None = None,
    lang: str = "zh",
    ax: Axes | None = None,
    title: str | None = None,
    colors: Mapping[str, str] | None = None,
    legend: bool = True,
) -> Figure:
    """Draw the observed series of an indicator and region with its targets and trend.

    Parameters
    ----------
    observations : pandas.DataFrame
        Observations (the documented columns); the rows of ``indicator`` and ``region`` are drawn.
    indicator, region : str
        The series to draw.
    targets : pandas.DataFrame, optional
        Targets or the evaluation table; its rows for this indicator and region
        are drawn (target line or range, baseline, on-schedule path). With the
        evaluation table, the target star takes its status colour.
    indicators : pandas.DataFrame, optional
        Your names, units and directions of improvement; they extend the
        bundled table (:func:`envtargets.indicators.indicator_table`; an
        indicator in no table takes the unit of its first target, else of its
        first observation).
    trend_table : pandas.DataFrame, optional
        The output of :func:`envtargets.trend.trend`; default computed here
        from ``observations``.
    lang : {"zh", "en"}, default "zh"
        Language of names and labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; default a new figure.
    title : str, optional
        Axes title; ``""`` for none. Default: indicator name and region.
    colors : mapping of str to str, optional
        Status colours that replace those of the default palette.
    legend : bool, default True
        Add a legend (below the axes in a new figure, inside given axes).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into.

    Raises
    ------
    ChartError
        When the series has neither observations nor targets, or for an unknown language.

    Notes
    -----
    Values are shown in the unit of the first target of the series, or else
    the indicator's unit. The band is ``y_m + b·(x − x_m)`` for the lower and
    upper slope of the interval, with ``(x_m, y_m)`` the point of the trend line
    at the median year of the full-year values.
    """
    check_lang(lang)
    palette = status_colors(colors)
    with chart_context():
        own_figure = ax is None
        if ax is None:
            fig = new_figure(7.0, 4.8)
            ax = fig.add_subplot()
        fig = ax.figure
        handles = draw_trend_axes(
            ax, observations, indicator, region, targets=targets, indicators=indicators,
            trend_table=trend_table, lang=lang, palette=palette, title=title,
            title_width=78 if own_figure else 46,
        )  # fmt: skip
        if legend and own_figure:
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
        elif legend:
            ax.legend(handles=handles, loc="best", fontsize=7)
    return fig


def draw_trend_axes(
    ax: Axes,
    observations: pd.DataFrame,
    indicator: str,
    region: str,
    *,
    targets: pd.DataFrame | None,
    indicators: pd.DataFrame | None,
    trend_table: pd.DataFrame | None,
    lang: str,
    palette: Mapping[str, str],
    title: str | None,
    title_width: int,
) -> list[Artist]:
    """Draw the trend chart into ``ax`` and return its legend handles, in legend order."""
    series = _rows(observations, indicator, region)
    goals = _rows(targets, indicator, region) if targets is not None else series.iloc[:0]
    if series.empty and goals.empty:
        raise ChartError(_nothing_to_draw(observations, indicator, region))
    # The indicator's rows in every region: an inferred unit is its first target's, as in evaluate.
    indicators = indicator_table(
        indicators, _of_indicator(targets, indicator), _of_indicator(observations, indicator)
    )
    info = indicator_labels(indicators, lang).get(indicator)
    unit = _display_unit(goals, info, series)
    points = _points(series, unit)
    handles = _draw_points(ax, points, lang)
    target_handles, last_year = _draw_targets(ax, goals, palette, lang)
    line = _trend_row(trend_table, series, indicator, region, indicators)
    if line is not None:
        handles += _draw_trend(ax, line, points, unit, last_year, lang)
    handles += target_handles
    name = info.name if info else indicator
    if title != "":
        ax.set_title(title or wrap(f"{name} · {region}", title_width, max_lines=2), loc="left")
    ax.set_ylabel(unit_text(unit, lang) or word("count", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#E5E5E5", lw=0.6)
    ax.set_axisbelow(True)
    low, high = ax.get_xlim()
    ax.set_xlim(low - 0.2, high + 0.6)  # room for the part-year labels
    use_chart_fonts(ax)
    return handles


def _rows(frame: pd.DataFrame, indicator: str, region: str) -> pd.DataFrame:
    mask = (frame["indicator"].astype(str) == indicator) & (frame["region"].astype(str) == region)
    return frame.loc[mask].reset_index(drop=True)


def _of_indicator(frame: pd.DataFrame | None, indicator: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame[frame["indicator"].astype(str) == indicator]


def _nothing_to_draw(observations: pd.DataFrame, indicator: str, region: str) -> str:
    in_region = observations.loc[observations["region"].astype(str) == region, "indicator"]
    if in_region.empty:
        regions = ", ".join(sorted(observations["region"].astype(str).unique()))
        return f"no observations for region {region!r}; the regions observed are: {regions}"
    listed = ", ".join(sorted(in_region.astype(str).unique())[:12])
    return f"no observations or targets of {indicator!r} in {region!r}; it has: {listed}"


def _display_unit(goals: pd.DataFrame, info: IndicatorInfo | None, series: pd.DataFrame) -> str:
    if not goals.empty:
        return str(goals["unit"].iat[0])
    if info is not None and info.unit:
        return info.unit
    return str(series["unit"].iat[0])


def _points(series: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Observed values in ``unit`` with their year and whether they cover a full year."""
    if series.empty:
        return pd.DataFrame(columns=["year", "value", "full_year", "period"])
    factors = series["unit"].astype(str).map(lambda u: conversion_factor(u, unit))
    parts = period_table(series["period"])
    points = pd.DataFrame(
        {
            "year": parts["year"].to_numpy(float),
            "value": series["value"].to_numpy(float) * factors.to_numpy(float),
            "full_year": parts["full_year"].to_numpy(bool),
            "period": series["period"].astype(str).to_numpy(),
            "end": parts["period_end"].to_numpy(float),
        }
    )
    return points.sort_values(["end"], kind="stable", ignore_index=True)


def _draw_points(ax: Axes, points: pd.DataFrame, lang: str) -> list[Artist]:
    handles = []
    edge = {"markeredgecolor": OBSERVED_COLOR}
    full = points[points["full_year"]]
    if not full.empty:
        handles += ax.plot(full["year"], full["value"], color=OBSERVED_COLOR, lw=1.6, zorder=4,
                           label=word("full_year", lang), gid="observed",
                           **edge, **OBSERVED_MARKER)  # fmt: skip
    partial = points[~points["full_year"]]
    if not partial.empty:
        handles += ax.plot(partial["year"], partial["value"], linestyle="none", zorder=5,
                           label=word("provisional", lang), gid="provisional",
                           **edge, **PROVISIONAL_MARKER)  # fmt: skip
        for year, value, period in partial[["year", "value", "period"]].itertuples(index=False):
            ax.annotate(format_period(period, lang), (year, value), xytext=(6, -3),
                        textcoords="offset points", fontsize=7.5, color=OBSERVED_COLOR,
                        va="top")  # fmt: skip
    return handles


def _draw_targets(
    ax: Axes, goals: pd.DataFrame, palette: Mapping[str, str], lang: str
) -> tuple[list[Artist], float]:
    """Draw each target; return legend handles and the last target year (NaN if none)."""
    handles: list[Artist] = []
    extras: list[Artist] = []  # baseline and schedule entries, listed after the targets
    last_year = np.nan
    drawn = ax.dataLim.intervalx[np.isfinite(ax.dataLim.intervalx)]
    starts = [*goals.get("baseline_year", pd.Series(dtype=float)).dropna(), *drawn]
    start = min(starts, default=np.nan)
    for row in goals.to_dict(orient="records"):
        year = number(row["target_year"])
        value, upper = number(row["value"]), number(row.get("upper"))
        first = start if np.isfinite(start) else year - 1
        tid = str(row["target_id"])
        line = {"color": TARGET_COLOR, "lw": 1.1, "ls": "--", "zorder": 3}
        if str(row["comparator"]) == "between" and np.isfinite(upper):
            ax.fill_between([first, year], value, upper, color=TARGET_COLOR, alpha=0.08, lw=0,
                            gid=f"target_range:{tid}")  # fmt: skip
            ax.plot([first, year], [upper, upper], **line)
        ax.plot([first, year], [value, value], **line)
        status = row.get("status")
        face = "white" if is_missing(status) else palette.get(str(status), "white")
        marker = {"markerfacecolor": face, "markeredgecolor": TARGET_COLOR, **TARGET_MARKER}
        ax.plot([year], [value], linestyle="none", zorder=6, gid=f"target:{tid}", **marker)
        text = format_target(str(row["comparator"]), value, upper, str(row["unit"]), lang)
        label = f"{word('target', lang)} {text} ({int(year)})"
        if not is_missing(status):
            label += f" · {status_label(status, lang)}"
        handles.append(Line2D([], [], label=label, **line, **marker))
        extras += _draw_baseline(ax, row, year, value, upper, lang, extras)
        last_year = np.nanmax([last_year, year])
    return handles + extras, last_year


def _draw_baseline(ax, row, year, value, upper, lang, handles) -> list[Artist]:
    """Draw the baseline and on-schedule path; return legend handles not yet in ``handles``."""
    baseline, base_year = baseline_of(row), number(row.get("baseline_year"))
    if not (np.isfinite(baseline) and np.isfinite(base_year)):
        return []
    tid = str(row["target_id"])
    marker = {"markeredgecolor": BASELINE_COLOR, **BASELINE_MARKER}
    ax.plot([base_year], [baseline], linestyle="none", zorder=6, gid=f"baseline:{tid}", **marker)
    new = [Line2D([], [], linestyle="none", label=word("baseline", lang), **marker)]
    goal = value
    if str(row["comparator"]) == "between" and np.isfinite(upper):
        goal = upper if baseline > upper else value
    if base_year < year:
        schedule = {"color": SCHEDULE_COLOR, "lw": 1.2, "ls": ":"}
        ax.plot([base_year, year], [baseline, goal], zorder=3, gid=f"schedule:{tid}", **schedule)
        new.append(Line2D([], [], label=word("schedule", lang), **schedule))
    labels = {handle.get_label() for handle in handles}
    return [handle for handle in new if handle.get_label() not in labels]


def _trend_row(trend_table, series, indicator, region, indicators) -> Mapping | None:
    """Return the trend of the series: from ``trend_table``, else computed here.

    Computed here, it is in the indicator's unit, and converted to the unit
    drawn as a row of ``trend_table`` is.
    """
    if trend_table is None:
        from envtargets.trend import trend

        if series.empty:
            return None
        trend_table = trend(series, indicators)
    rows = _rows(trend_table, indicator, region)
    if rows.empty or not np.isfinite(number(rows["slope"].iat[0])):
        return None
    return rows.iloc[0].to_dict()


def _draw_trend(ax, line, points, unit, last_target_year, lang) -> list[Artist]:
    factor = conversion_factor(str(line["unit"]), unit)
    slope, intercept = number(line["slope"]) * factor, number(line["intercept"]) * factor
    low, high = number(line["slope_low"]) * factor, number(line["slope_high"]) * factor
    first, last = number(line["first_year"]), number(line["last_year"])
    years = points.loc[points["full_year"], "year"]
    years = years[(years >= first) & (years <= last)]
    pivot_x = float(np.median(years)) if len(years) else (first + last) / 2
    pivot_y = intercept + slope * pivot_x
    end = max(last, last_target_year) if np.isfinite(last_target_year) else last
    x = np.linspace(first, end, 50)
    bounds = np.vstack([pivot_y + low * (x - pivot_x), pivot_y + high * (x - pivot_x)])
    style = {"color": TREND_COLOR, "lw": 1.6}
    handles = ax.plot([first, last], [intercept + slope * first, intercept + slope * last],
                      label=word("trend", lang), gid="trend", **style)  # fmt: skip
    if end > last:
        handles += ax.plot([last, end], [intercept + slope * last, intercept + slope * end],
                           ls="--", label=word("projection", lang), gid="projection",
                           **style)  # fmt: skip
    band = ax.fill_between(x, bounds.min(axis=0), bounds.max(axis=0), color=TREND_COLOR,
                           alpha=0.14, lw=0, label=word("confidence", lang),
                           gid="trend_band")  # fmt: skip
    return [*handles, band]
