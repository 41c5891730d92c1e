"""The report as Markdown, with the charts linked as ``charts/<slug>.png``.

Markdown pastes into wikis, issue trackers and (through pandoc) Word; pipe
tables keep every row on one line, so cell text has its ``|`` and line breaks
escaped.
"""

from __future__ import annotations

from envtargets.report._content import Chart, ReportContent, Table


def render_markdown(content: ReportContent) -> str:
    """Return the report as a Markdown document.

    Parameters
    ----------
    content : ReportContent
        What the report says.

    Returns
    -------
    str
        The document; images point to ``charts/<slug>.png`` beside it.
    """
    texts = content.texts
    lines = [f"# {content.title}", ""]
    lines += [f"{line}  " for line in content.meta] + [""]
    lines += [f"## {texts['overview']}", "", content.headline, "", *_table(content.counts), ""]
    lines += [line for chart in content.overview_charts for line in _image(chart)]
    lines += [f"## {texts['by_region']}", ""]
    for section in content.regions:
        lines += [f"### {section.region}", "", section.headline, ""]
        charts = list(section.charts)
        if charts and charts[0].slug.startswith("dashboard-"):
            lines += _image(charts.pop(0))
        lines += [*_table(section.table), ""]
        lines += [line for chart in charts for line in _image(chart)]
    lines += [f"## {texts['caveats']}", ""]
    if content.provisional:
        lines += [texts["provisional_intro"], ""]
        lines += [f"- {note}" for note in content.provisional] + [""]
    else:
        lines += [texts["no_provisional"], ""]
    lines += [texts["definitions"], ""]
    lines += [f"## {texts['provenance']}", "", texts["provenance_intro"], ""]
    lines += [f"### {texts['target_sources']}", "", *_table(content.target_sources), ""]
    lines += [f"### {texts['observation_sources']}", "", *_table(content.observation_sources), ""]
    return "\n".join(lines)


def _image(chart: Chart) -> list[str]:
    return [f"![{_cell(chart.title)}](charts/{chart.slug}.png)", ""]


def _table(table: Table) -> list[str]:
    header = "| " + " | ".join(_cell(h) for h in table.headers) + " |"
    rule = "|" + "|".join("---" for _ in table.headers) + "|"
    return [header, rule, *("| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows)]


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
