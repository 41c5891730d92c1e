from html.parser import HTMLParser

import pytest

from envtargets.plot import STATUS_COLORS, ChartError
from envtargets.styling import style_evaluation
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION

# samples.INDICATORS renames two bundled indicators: the note saying so is expected.
pytestmark = REPLACED_DEFINITION


class _Cells(HTMLParser):
    """Collect the text of every <td>, by row and column."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "td":
            self.rows[-1].append(self._cell.strip())
            self._cell = None


def _table(styler):
    parser = _Cells()
    parser.feed(styler.to_html())
    return [row for row in parser.rows if row]


def test_gaps_values_and_status_names_are_written_for_reading():
    rows = _table(style_evaluation(samples.evaluation(), "en", indicators=samples.INDICATORS))
    first, aqi = rows[0], rows[1]
    assert first[:5] == ["a-pm25", "PM2.5 annual mean", "甲市", "≤ 30 µg/m³", "2024"]
    assert first[5:9] == ["28 µg/m³", "2024", "−2 µg/m³", "achieved"]
    assert aqi[5:9] == ["86.5%*", "Jan–Sep 2025", "−3.5 pp", "on track"]
    assert rows[3][5] == "—"  # no data


def test_chinese_headers_and_percentage_points():
    styler = style_evaluation(samples.evaluation(), "zh", indicators=samples.INDICATORS)
    html = styler.to_html()
    assert "差距" in html and "状态" in html
    assert _table(styler)[1][7] == "−3.5个百分点"


def test_status_cells_take_the_palette_colours_and_provisional_values_italics():
    styler = style_evaluation(samples.evaluation(), indicators=samples.INDICATORS)
    styler._compute()
    status_col = list(styler.data.columns).index("status")
    observed_col = list(styler.data.columns).index("observed_value")
    for i, status in enumerate(samples.evaluation()["status"]):
        css = dict(styler.ctx[(i, status_col)])
        assert css["background-color"] == STATUS_COLORS[status]
    assert ("font-style", "italic") in styler.ctx[(1, observed_col)]
    assert ("font-style", "italic") not in styler.ctx.get((0, observed_col), [])


def test_numbers_stay_numbers_underneath():
    styler = style_evaluation(samples.evaluation(), indicators=samples.INDICATORS)
    assert styler.data["gap"].iloc[0] == pytest.approx(-2.0)


def test_colour_override_and_errors():
    styler = style_evaluation(
        samples.evaluation(), colors={"achieved": "#123456"}, indicators=samples.INDICATORS
    )
    assert "#123456" in styler.to_html()
    with pytest.raises(ChartError, match="unknown language"):
        style_evaluation(samples.evaluation(), "de")
    with pytest.raises(ChartError, match="lacks the evaluation column"):
        style_evaluation(samples.observations())
