"""``build_report``: the annual summary of targets as HTML, Markdown, charts, CSV and XLSX.

Everything is written into a temporary folder beside the output folder and
moved into place only when complete, so a failed or interrupted run leaves the
previous report as it was and never a half-written file.
"""

from __future__ import annotations

import os
import shutil
import uuid
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from envtargets.errors import ChartError, ReportError
from envtargets.export import write_csv
from envtargets.indicators import checked_inputs, indicator_labels
from envtargets.periods import period_table
from envtargets.plot._labels import check_lang
from envtargets.report import _charts, _content
from envtargets.report._content import TEXTS, ReportContent
from envtargets.report._html import render_html
from envtargets.report._markdown import render_markdown
from envtargets.report._xlsx import write_workbook

OUTPUT_FILES = ("evaluation.csv", "evaluation.xlsx", "report.md", "report.html")
CHARTS_FOLDER = "charts"


def build_report(
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    indicators: pd.DataFrame | None,
    output_dir: str | os.PathLike,
    *,
    region: str | None = None,
    year: int | None = None,
    lang: str = "zh",
    progress: bool = True,
) -> Path:
    """Write the annual summary report of targets into a folder.

    The folder receives ``report.html`` (self-contained, opens offline),
    ``report.md``, ``charts/`` (every chart as PNG and SVG),
    ``evaluation.csv`` (UTF-8 with a byte-order mark, one header row) and
    ``evaluation.xlsx`` (one sheet per region, status cells coloured, header
    row frozen, text cells never formulas). These names are replaced on a
    re-run; other files in the folder are left alone.

    Parameters
    ----------
    targets, observations : pandas.DataFrame
        Targets and observations (the documented columns), e.g. from
        :func:`envtargets.read_targets` or :func:`envtargets.load_targets`.
    indicators : pandas.DataFrame or None
        Your indicator names, units and directions of improvement; they
        extend the bundled table as in :func:`envtargets.evaluate` (None: the
        bundled table alone). An indicator in no table is inferred from its
        rows, with one note per indicator for the whole report
        (:mod:`envtargets.indicators`).
    output_dir : str or path-like
        Folder to write into; created (with its parents) if needed.
    region : str, optional
        Report on this region only; default every region that has targets.
    year : int, optional
        The reporting year Y: only observations whose period ends by the end
        of Y (31 December) are used, so the report states what was known for
        year Y; later figures are ignored. Every target is assessed, whatever
        its target year. Default: all observations.
    lang : {"zh", "en"}, default "zh"
        Language of the report, chart labels and indicator names.
    progress : bool, default True
        Show a progress bar on standard error while the charts are drawn.

    Returns
    -------
    pathlib.Path
        The path of ``report.html``.

    Raises
    ------
    ReportError
        For an unknown region (naming the regions that have targets), a year
        with no observation ending by its end, an unknown language, or an
        output path that is a file.
    envtargets.ValidationError
        When the tables do not validate.
    """
    from envtargets.evaluate import evaluate

    _check_lang(lang)
    output_dir = Path(output_dir)
    if output_dir.exists() and not output_dir.is_dir():
        raise ReportError(f"cannot write the report into {output_dir}: it is a file, not a folder")
    if len(targets) == 0:
        raise ReportError("there are no targets to report on: the targets table is empty")
    targets, observations = _select_region(targets, observations, region)
    observations, latest = _select_year(observations, year)

    # Validated, and the indicators table built (and noted) once for the whole report.
    targets, observations, indicators = checked_inputs(targets, observations, indicators)
    evaluation = evaluate(targets, observations, indicators, validate=False)
    names = indicator_labels(indicators, lang)
    used = _used_observations(observations, evaluation)
    trend_table = _trend_table(used, indicators)
    jobs, charts = _charts.plan_charts(evaluation, used, indicators, trend_table, names, lang)
    content = _content_of(evaluation, used, names, charts, year, latest, lang)

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    # Not tempfile.mkdtemp: its folder is private (0700) and would become the output folder.
    staging = output_dir.parent / f".{output_dir.name}.{uuid.uuid4().hex[:12]}.partial"
    staging.mkdir()
    try:
        _charts.render(jobs, staging / CHARTS_FOLDER, progress)
        export = _export_table(evaluation, names)
        write_csv(export, staging / "evaluation.csv")
        write_workbook(export, staging / "evaluation.xlsx")
        (staging / "report.md").write_text(render_markdown(content), encoding="utf-8")
        html = render_html(content, staging / CHARTS_FOLDER)
        (staging / "report.html").write_text(html, encoding="utf-8")
        _publish(staging, output_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return output_dir / "report.html"


def _check_lang(lang: str) -> None:
    try:
        check_lang(lang)
    except ChartError as error:
        raise ReportError(str(error)) from None


def _select_region(targets, observations, region):
    if region is None:
        return targets, observations
    regions = sorted(targets["region"].dropna().astype(str).unique())
    if str(region) not in regions:
        listed = ", ".join(regions) if regions else "none"
        raise ReportError(
            f"region {region!r} has no targets; the regions with targets are: {listed}"
        )
    return (
        targets[targets["region"].astype(str) == str(region)],
        observations[observations["region"].astype(str) == str(region)],
    )


def _select_year(observations: pd.DataFrame, year) -> tuple[pd.DataFrame, str]:
    """Keep the observations known by the end of ``year``; also return the latest period kept."""
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999
    ):
        raise ReportError(f"year must be a four-digit calendar year such as 2024, not {year!r}")
    if observations.empty:
        return observations, ""
    parts = period_table(observations["period"])
    if year is not None:
        keep = (parts["period_end"] <= year + 1).to_numpy()
        if not keep.any():
            first = int(parts["year"].min())
            raise ReportError(
                f"no observation ends by the end of {year}; the observations start in {first}"
            )
        observations, parts = observations[keep], parts[keep]
    latest = str(observations["period"].iloc[int(parts["period_end"].to_numpy().argmax())])
    return observations, latest


def _used_observations(observations: pd.DataFrame, evaluation: pd.DataFrame) -> pd.DataFrame:
    """Observations of the (indicator, region) pairs that have targets: all the report shows."""
    pairs = pd.MultiIndex.from_frame(evaluation[["indicator", "region"]].astype(str))
    keys = pd.MultiIndex.from_frame(observations[["indicator", "region"]].astype(str))
    return observations[keys.isin(pairs)].reset_index(drop=True)


def _trend_table(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    from envtargets.trend import trend

    if observations.empty:
        return pd.DataFrame(columns=["indicator", "region", "slope"])
    return trend(observations, indicators)


def _content_of(evaluation, used, names, charts, year, latest, lang) -> ReportContent:
    counts = _content.status_counts(evaluation["status"])
    regions = []
    for region, rows in evaluation.groupby("region", sort=False):
        region_counts = _content.status_counts(rows["status"])
        regions.append(
            _content.RegionSection(
                region=str(region),
                headline=_content.headline(
                    region_counts, lang, "region_headline", region=str(region)
                ),
                table=_content.region_table(rows, names, lang),
                charts=charts.get(str(region), []),
            )
        )
    texts = TEXTS[lang]
    title = texts["title"].format(year=year) if year is not None else texts["title_latest"]
    region_names = [section.region for section in regions]
    return ReportContent(
        lang=lang,
        title=title,
        meta=_content.meta_lines(year, latest, region_names, _version(), lang),
        headline=_content.headline(counts, lang, "headline"),
        counts=_content.counts_table(counts, lang),
        overview_charts=charts.get(None, []),
        regions=regions,
        provisional=_content.provisional_notes(evaluation, names, lang),
        target_sources=_content.target_sources(evaluation, names, lang),
        observation_sources=_content.observation_sources(used, names, lang),
        texts=texts,
    )


def _export_table(evaluation: pd.DataFrame, names) -> pd.DataFrame:
    """Return the evaluation table with the indicator's display name next to its id."""
    table = evaluation.copy()
    position = table.columns.get_loc("indicator") + 1
    table.insert(position, "indicator_name", _content_names(table["indicator"], names))
    return table


def _content_names(indicators: pd.Series, names) -> pd.Series:
    return indicators.astype(str).map(lambda i: _content.indicator_name(names, i))


def _publish(staging: Path, output_dir: Path) -> None:
    """Move the finished files into ``output_dir`` (each move is an atomic rename)."""
    if not output_dir.exists():
        os.replace(staging, output_dir)
        return
    charts, old = output_dir / CHARTS_FOLDER, None
    if charts.exists():
        old = output_dir / f".{CHARTS_FOLDER}.old-{uuid.uuid4().hex[:8]}"
        os.replace(charts, old)
    os.replace(staging / CHARTS_FOLDER, charts)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    # report.html last: once it is there, everything it describes is there.
    for name in OUTPUT_FILES:
        os.replace(staging / name, output_dir / name)


def _version() -> str:
    try:
        return version("envtargets")
    except PackageNotFoundError:  # pragma: no cover - a checkout never installed
        return "0.0.0"
