"""The report as one self-contained HTML file.

Charts are embedded as base64 ``data:`` URIs of their SVG files (sharp when
printed) and the style sheet is inline, so the file opens offline and can be
mailed on its own: it references no external resource.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from envtargets.plot._labels import display_width
from envtargets.plot._style import STATUS_COLORS, text_color_on
from envtargets.report._content import Chart, ReportContent, Table
from envtargets.report._font import font_face_css

NOWRAP_WIDTH = 14  # cells this short (CJK counting two) never wrap

STYLE = """
body { font-family: "envtargets Noto Sans SC", "Noto Sans SC", "Source Han Sans SC",
       "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif;
       color: #1a1a1a; margin: 0; background: #fff; line-height: 1.55; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 1.7em; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #1a1a1a; padding-bottom: 4px; margin-top: 2em; }
h3 { font-size: 1.1em; margin-top: 1.6em; }
p.meta { color: #555; margin: 0.1em 0; font-size: 0.92em; }
p.headline { font-size: 1.08em; }
table { border-collapse: collapse; margin: 0.8em 0 1.2em; font-size: 0.86em; width: 100%; }
th, td { border: 1px solid #d0d0d0; padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.nw, td[data-status] { white-space: nowrap; }
td.quote { font-size: 0.92em; color: #333; }
table.counts { width: auto; min-width: 320px; }
figure { margin: 1em 0 1.6em; break-inside: avoid; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; display: block; border: 1px solid #eee; }
ul.caveats li { margin: 0.2em 0; }
@page { size: A4; margin: 14mm; }
@media print {
  main { max-width: none; padding: 0; }
  section.region { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"""


def render_html(content: ReportContent, charts_folder: Path) -> str:
    """Return the report as an HTML document with every chart embedded.

    Parameters
    ----------
    content : ReportContent
        What the report says.
    charts_folder : pathlib.Path
        Folder holding ``<slug>.svg`` of every chart of ``content``.

    Returns
    -------
    str
        A complete HTML5 document (UTF-8).
    """
    texts = content.texts
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if content.lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(content.title)}</title>",
        "<style>{font}" + STYLE + "</style></head>",
        "<body><main>",
        f"<h1>{escape(content.title)}</h1>",
        *(f'<p class="meta">{escape(line)}</p>' for line in content.meta),
        '<section id="overview">',
        f"<h2>{escape(texts['overview'])}</h2>",
        f'<p class="headline" id="headline">{escape(content.headline)}</p>',
        _table(content.counts, "counts", table_id="status-counts"),
        *(_figure(chart, charts_folder) for chart in content.overview_charts),
        "</section>",
        '<section id="regions">',
        f"<h2>{escape(texts['by_region'])}</h2>",
    ]
    for section in content.regions:
        parts += [
            f'<section class="region" data-region="{escape(section.region)}">',
            f"<h3>{escape(section.region)}</h3>",
            f"<p>{escape(section.headline)}</p>",
        ]
        charts = list(section.charts)
        if charts and charts[0].slug.startswith("dashboard-"):
            parts.append(_figure(charts.pop(0), charts_folder))
        parts.append(_table(section.table, "targets", table_id=f"targets-{section.region}"))
        parts += [_figure(chart, charts_folder) for chart in charts]
        parts.append("</section>")
    parts += [
        "</section>",
        '<section id="notes">',
        f"<h2>{escape(texts['caveats'])}</h2>",
    ]
    if content.provisional:
        parts.append(f"<p>{escape(texts['provisional_intro'])}</p>")
        parts.append('<ul class="caveats">')
        parts += [f"<li>{escape(note)}</li>" for note in content.provisional]
        parts.append("</ul>")
    else:
        parts.append(f"<p>{escape(texts['no_provisional'])}</p>")
    parts += [
        f"<p>{escape(texts['definitions'])}</p>",
        "</section>",
        '<section id="sources">',
        f"<h2>{escape(texts['provenance'])}</h2>",
        f"<p>{escape(texts['provenance_intro'])}</p>",
        f"<h3>{escape(texts['target_sources'])}</h3>",
        _table(content.target_sources, "sources", table_id="target-sources", quote_column=5),
        f"<h3>{escape(texts['observation_sources'])}</h3>",
        _table(
            content.observation_sources, "sources", table_id="observation-sources", quote_column=5
        ),
        "</section>",
        "</main></body></html>",
    ]
    page = "\n".join(parts) + "\n"
    # The font is cut to the characters of the page, so it is built last.
    return page.replace("<style>{font}", "<style>" + font_face_css(page), 1)


def _figure(chart: Chart, folder: Path) -> str:
    svg = (folder / f"{chart.slug}.svg").read_bytes()
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<figure data-chart="{escape(chart.slug)}">'
        # The chart carries its own title, so no visible caption repeats it.
        f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(chart.title)}"></figure>'
    )


def _table(table: Table, css: str, table_id: str, quote_column: int | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    rows = []
    for i, cells in enumerate(table.rows):
        status = table.statuses[i] if i < len(table.statuses) else None
        tds = []
        for j, cell in enumerate(cells):
            if j == table.status_column and status in STATUS_COLORS:
                color = STATUS_COLORS[status]
                style = f"background:{color};color:{text_color_on(color)}"
                tds.append(f'<td data-status="{status}" style="{style}">{escape(cell)}</td>')
            elif j == quote_column:
                tds.append(f'<td class="quote">{escape(cell)}</td>')
            elif display_width(cell) <= NOWRAP_WIDTH:
                tds.append(f'<td class="nw">{escape(cell)}</td>')
            else:
                tds.append(f"<td>{escape(cell)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return (
        f'<table class="{css}" id="{escape(table_id)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
