"""Which charts a report has, and drawing them to PNG and SVG files.

The report draws one status grid of all targets, and for each region a
dashboard, bullet charts of the targets that have an observed value (at most
:data:`BULLETS_PER_CHART` per chart, by target year) and a trend chart of each
indicator with a target and at least two observed values (at most
:data:`TRENDS_PER_REGION`, the longest series first).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from envtargets.report._content import TEXTS, Chart, indicator_name
from envtargets.report._progress import Progress

BULLETS_PER_CHART = 10
TRENDS_PER_REGION = 12
PNG_DPI = 200
_UNSAFE = re.compile(r"[^\w.-]+")  # \w keeps CJK letters: file names stay readable


@dataclass
class ChartJob:
    """A chart to draw: where it goes and the function that returns its Figure."""

    chart: Chart
    draw: Callable[[], object]


def slug(text: str) -> str:
    """Turn a region or indicator into a file-name part (letters, digits, ``-``, ``.``, ``_``)."""
    return _UNSAFE.sub("-", str(text)).strip("-.") or "x"


def plan_charts(
    evaluation: pd.DataFrame,
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    trend_table: pd.DataFrame,
    names,
    lang: str,
) -> tuple[list[ChartJob], dict[str | None, list[Chart]]]:
    """List the report's charts; also return them grouped by region (None: the overview)."""
    from envtargets.plot.bullet import bullet_chart
    from envtargets.plot.grid import status_grid
    from envtargets.plot.region_page import dashboard
    from envtargets.plot.trend import trend_chart

    texts = TEXTS[lang]
    jobs = [
        ChartJob(
            Chart("status-grid", texts["status_grid"], None),
            lambda: status_grid(evaluation, indicators=indicators, lang=lang),
        )
    ]
    for region, rows in evaluation.groupby("region", sort=False):
        region = str(region)
        jobs.append(
            ChartJob(
                Chart(
                    f"dashboard-{slug(region)}", texts["dashboard"].format(region=region), region
                ),
                lambda r=region: dashboard(
                    evaluation, r, observations=observations, indicators=indicators, lang=lang
                ),
            )
        )
        observed = rows[rows["observed_value"].notna()].sort_values("target_year", kind="stable")
        ids = list(observed["target_id"].astype(str))
        for number, start in enumerate(range(0, len(ids), BULLETS_PER_CHART), start=1):
            chunk = ids[start : start + BULLETS_PER_CHART]
            suffix = f"-{number}" if len(ids) > BULLETS_PER_CHART else ""
            jobs.append(
                ChartJob(
                    Chart(
                        f"bullet-{slug(region)}{suffix}",
                        texts["bullets"].format(region=region),
                        region,
                    ),
                    lambda c=chunk: bullet_chart(evaluation, c, indicators=indicators, lang=lang),
                )
            )
        for indicator in _trend_indicators(rows, observations, region):
            name = indicator_name(names, indicator)
            jobs.append(
                ChartJob(
                    Chart(
                        f"trend-{slug(region)}-{slug(indicator)}",
                        texts["trend"].format(region=region, name=name),
                        region,
                    ),
                    lambda r=region, i=indicator: trend_chart(
                        observations, i, r, targets=evaluation, indicators=indicators,
                        trend_table=trend_table, lang=lang,
                    ),
                )
            )  # fmt: skip
    grouped: dict[str | None, list[Chart]] = {}
    for job in jobs:
        grouped.setdefault(job.chart.region, []).append(job.chart)
    return jobs, grouped


def _trend_indicators(rows: pd.DataFrame, observations: pd.DataFrame, region: str) -> list[str]:
    here = observations[observations["region"].astype(str) == region]
    counts = here["indicator"].astype(str).value_counts()
    wanted = counts[counts.index.isin(rows["indicator"].astype(str)) & (counts >= 2)]
    # Longest series first; ties in the order the targets list them.
    order = {name: i for i, name in enumerate(dict.fromkeys(rows["indicator"].astype(str)))}
    ranked = sorted(wanted.index, key=lambda name: (-wanted[name], order[name]))
    return ranked[:TRENDS_PER_REGION]


def render(jobs: list[ChartJob], folder: Path, progress: bool) -> None:
    """Draw every chart into ``folder`` as ``<slug>.png`` and ``<slug>.svg``.

    Figures are closed as soon as they are saved, so a report with many
    charts does not hold them all in memory.
    """
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    bar = Progress(len(jobs), "charts", enabled=progress)
    try:
        for job in jobs:
            fig = job.draw()
            try:
                fig.savefig(folder / f"{job.chart.slug}.png", dpi=PNG_DPI)
                # No date in the SVG: re-running a report gives identical files.
                fig.savefig(folder / f"{job.chart.slug}.svg", metadata={"Date": None})
            finally:
                plt.close(fig)
            bar.advance(job.chart.slug)
    finally:
        bar.close()
