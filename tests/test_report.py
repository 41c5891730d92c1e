"""The annual report: counts, charts, workbook, provenance, offline HTML, all-or-nothing writes."""

import base64
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import envtargets
from envtargets.errors import EnvTargetsError
from envtargets.evaluate import evaluate
from envtargets.plot import STATUS_COLORS
from envtargets.plot._labels import STATUS_LABELS
from envtargets.report import ReportError, build_report
from tests import evaluation_samples as samples
from tests.conftest import REPLACED_DEFINITION

# samples.INDICATORS renames two bundled indicators: the note saying so is expected.
pytestmark = REPLACED_DEFINITION

CHROMIUM = Path("/usr/bin/chromium")


class _Page(HTMLParser):
    """Charts, tables, status cells and every resource reference of an HTML page."""

    def __init__(self):
        super().__init__()
        self.charts, self.tables, self.references = {}, [], []
        self.status_cells, self.text = [], []
        self._figure = None
        self._in_status = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "poster", "data"):
            if name in attrs and not (tag == "figure" and name == "data"):
                self.references.append(attrs[name])
        if tag == "figure":
            self._figure = attrs.get("data-chart")
        if tag == "img" and self._figure:
            self.charts[self._figure] = attrs["src"]
        if tag == "table":
            self.tables.append(attrs.get("id"))
        if tag == "td" and "data-status" in attrs:
            self._in_status = attrs

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in_status is not None:
            self.status_cells.append((self._in_status, data))
            self._in_status = None


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The report of the bundled data, in Chinese, and the evaluation it should state."""
    targets, observations = envtargets.load_targets(), envtargets.load_observations()
    indicators = envtargets.load_indicators()
    folder = tmp_path_factory.mktemp("bundled") / "report"
    html = build_report(targets, observations, indicators, folder, lang="zh", progress=False)
    return folder, html, evaluate(targets, observations, indicators)


def _page(html_path):
    page = _Page()
    page.feed(html_path.read_text(encoding="utf-8"))
    return page


def _expected_counts(evaluation):
    counts = evaluation["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUS_COLORS}


def test_headline_counts_equal_the_evaluation_table(bundled):
    folder, html, evaluation = bundled
    expected = _expected_counts(evaluation)
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    for status, count in expected.items():
        label = STATUS_LABELS["zh"][status]
        assert f"| {label} | {count} |" in markdown
    assert f"本报告共评估目标{len(evaluation)}项" in markdown
    page = _page(html)
    cells = {attrs["data-status"]: None for attrs, _ in page.status_cells}
    assert set(expected) <= set(cells)
    html_text = html.read_text(encoding="utf-8")
    counts_table = re.search(r'<table class="counts" id="status-counts">(.*?)</table>', html_text)
    for status, count in expected.items():
        assert re.search(
            rf'data-status="{status}"[^>]*>[^<]*</td><td[^>]*>{count}</td>', counts_table[1]
        ), status


def test_every_chart_exists_as_png_and_svg_and_is_embedded(bundled):
    folder, html, evaluation = bundled
    page = _page(html)
    stems = {path.stem for path in (folder / "charts").iterdir()}
    assert set(page.charts) == stems
    assert {"status-grid", "dashboard-深圳", "bullet-深圳"} <= stems
    for stem in stems:
        assert (folder / "charts" / f"{stem}.png").stat().st_size > 10_000
        assert (folder / "charts" / f"{stem}.svg").read_text(encoding="utf-8").startswith("<?xml")
        prefix = "data:image/svg+xml;base64,"
        assert page.charts[stem].startswith(prefix)
        assert base64.b64decode(page.charts[stem][len(prefix) :]).startswith(b"<?xml")
    trends = {stem for stem in stems if stem.startswith("trend-深圳-")}
    assert trends and {stem.removeprefix("trend-深圳-") for stem in trends} <= set(
        evaluation["indicator"]
    )


def test_html_has_its_tables_and_no_external_resource(bundled):
    folder, html, evaluation = bundled
    page = _page(html)
    assert page.tables == ["status-counts", "targets-深圳", "target-sources", "observation-sources"]
    assert page.references, "the charts are embedded as data: references"
    assert all(ref.startswith(("data:", "#")) for ref in page.references)
    text = html.read_text(encoding="utf-8")
    assert not re.search(r"url\((?!data:)", text)
    assert "@import" not in text and "<script" not in text and "<link" not in text


def test_every_number_has_its_source_and_quote(bundled):
    folder, html, evaluation = bundled
    text = "".join(_page(html).text)
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    for quote in evaluation["quote"].dropna():
        assert quote in text
        assert " ".join(quote.split()).replace("|", "\\|") in markdown
    observed = evaluation.dropna(subset=["observed_period"])
    observations = envtargets.load_observations()
    used = observations.merge(
        observed[["indicator", "region", "observed_period"]],
        left_on=["indicator", "region", "period"],
        right_on=["indicator", "region", "observed_period"],
    )
    assert len(used) == len(observed)
    for quote in used["quote"]:
        assert quote in text


def test_part_year_figures_are_flagged(bundled):
    folder, html, evaluation = bundled
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    partial = evaluation[evaluation["provisional"].fillna(False).astype(bool)]
    assert len(partial) >= 1
    assert "以下实际值不是完整自然年数据" in markdown
    assert markdown.count("为2025年1—9月数据") == len(partial)


def test_csv_and_workbook(bundled):
    folder, html, evaluation = bundled
    table = pd.read_csv(folder / "evaluation.csv", encoding="utf-8")
    assert list(table["target_id"]) == list(evaluation["target_id"])
    assert list(table["status"]) == list(evaluation["status"])
    assert "indicator_name" in table.columns
    workbook = load_workbook(folder / "evaluation.xlsx")
    regions = list(dict.fromkeys(evaluation["region"]))
    assert workbook.sheetnames == regions
    for region in regions:
        sheet = workbook[region]
        assert sheet.freeze_panes == "A2"
        header = [cell.value for cell in sheet[1]]
        assert header[:2] == ["target_id", "indicator"]
        status_col = header.index("status") + 1
        rows = evaluation[evaluation["region"] == region]
        assert sheet.max_row == len(rows) + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=status_col)
            assert cell.fill.start_color.rgb[-6:] == STATUS_COLORS[cell.value].lstrip("#")
        assert 8 <= sheet.column_dimensions["A"].width <= 60


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Chromium is not installed (/usr/bin/chromium; Debian: apt-get install chromium)",
)
def test_the_report_renders_in_a_headless_browser(bundled, tmp_path):
    folder, html, evaluation = bundled
    shot = tmp_path / "shot.png"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
        "--window-size=1280,2000", html.resolve().as_uri(),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    from PIL import Image

    with Image.open(shot) as image:
        pixels = np.asarray(image.convert("L"), dtype=float)
    assert pixels.shape == (2000, 1280)
    assert pixels.std() > 20  # text, tables and charts, not a blank page
    # Status colours of the counts table show up on screen.
    with Image.open(shot) as image:
        colours = {tuple(c) for c in np.asarray(image.convert("RGB")).reshape(-1, 3)[::7]}
    assert (0x56, 0xB4, 0xE9) in colours  # on_track


# Small hand-made data: year and region selection, errors, re-runs.


@pytest.fixture
def small(tmp_path):
    return samples.targets(), samples.observations(), samples.INDICATORS, tmp_path


def test_year_keeps_only_what_was_known_by_its_end(small):
    targets, observations, indicators, tmp_path = small
    build_report(targets, observations, indicators, tmp_path / "r", year=2024, lang="en",
                 progress=False)  # fmt: skip
    markdown = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "# Environmental targets: annual summary 2024" in markdown
    assert "Reporting year: 2024 (data up to 31 December 2024" in markdown
    table = pd.read_csv(tmp_path / "r" / "evaluation.csv", dtype={"observed_period": str})
    aqi = table.set_index("target_id").loc["a-aqi"]
    assert aqi["observed_period"] == "2024" and aqi["observed_value"] == 88.5
    assert "Jan–Sep 2025" not in markdown


def test_region_selects_one_sheet_and_its_charts(small):
    targets, observations, indicators, tmp_path = small
    build_report(targets, observations, indicators, tmp_path / "r", region="乙市", progress=False)
    assert load_workbook(tmp_path / "r" / "evaluation.xlsx").sheetnames == ["乙市"]
    stems = {p.stem for p in (tmp_path / "r" / "charts").iterdir()}
    assert "dashboard-乙市" in stems and not any("甲市" in stem for stem in stems)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"region": "丙市"},
            "region '丙市' has no targets; the regions with targets are: 乙市, 甲市",
        ),
        ({"year": 2010}, "no observation ends by the end of 2010; the observations start in 2018"),
        ({"year": "2024"}, "year must be a four-digit calendar year"),
        ({"lang": "fr"}, "unknown language 'fr'"),
    ],
)
def test_bad_arguments_are_clear_errors(small, arguments, message):
    targets, observations, indicators, tmp_path = small
    with pytest.raises(ReportError, match=re.escape(message)) as raised:
        build_report(targets, observations, indicators, tmp_path / "r", progress=False, **arguments)
    assert isinstance(raised.value, EnvTargetsError) and isinstance(raised.value, ValueError)
    assert not (tmp_path / "r").exists()


def test_output_that_is_a_file_is_refused(small):
    targets, observations, indicators, tmp_path = small
    (tmp_path / "taken").write_text("mine")
    with pytest.raises(ReportError, match="it is a file"):
        build_report(targets, observations, indicators, tmp_path / "taken", progress=False)


def test_rerun_overwrites_cleanly_and_leaves_other_files(small):
    targets, observations, indicators, tmp_path = small
    out = tmp_path / "r"
    build_report(targets, observations, indicators, out, progress=False)
    (out / "notes.txt").write_text("analyst's own file")
    assert (out / "charts" / "dashboard-甲市.png").exists()
    build_report(targets, observations, indicators, out, region="乙市", progress=False)
    assert not (out / "charts" / "dashboard-甲市.png").exists()  # stale chart gone
    assert (out / "charts" / "dashboard-乙市.svg").exists()
    assert (out / "notes.txt").read_text() == "analyst's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no temporary folders left


def test_a_failure_leaves_the_previous_report_untouched(small, monkeypatch):
    targets, observations, indicators, tmp_path = small
    out = tmp_path / "r"
    build_report(targets, observations, indicators, out, progress=False)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("envtargets.report._build.render_html", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build_report(targets, observations, indicators, out, lang="en", progress=False)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_progress_bar_goes_to_stderr(small, capsys):
    targets, observations, indicators, tmp_path = small
    build_report(targets, observations, indicators, tmp_path / "r", region="乙市")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(r"rendering \d+ charts", captured.err)
    assert re.search(r"(\d+)/\1 charts rendered in", captured.err)


def test_new_output_folder_is_created_with_normal_permissions(small):
    targets, observations, indicators, tmp_path = small
    out = tmp_path / "deep" / "er" / "r"
    build_report(targets, observations, indicators, out, progress=False)
    reference = tmp_path / "plain"
    reference.mkdir()
    assert out.stat().st_mode == reference.stat().st_mode
    shutil.rmtree(out.parent)


class _Terminal:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    def isatty(self):
        return True


def test_progress_bar_redraws_in_place_on_a_terminal():
    from envtargets.report._progress import Progress

    terminal = _Terminal()
    bar = Progress(4, "charts", stream=terminal)
    for name in ["a", "b", "c", "d"]:
        bar.advance(name)
    bar.close()
    assert terminal.text.count("\r") == 6  # start, four steps, summary
    assert "charts ██████░░░░░░░░░░░░░░░░░░ 1/4 a" in terminal.text
    assert terminal.text.endswith("\n")
    assert "4/4 charts rendered" in terminal.text


def test_sheet_names_are_valid_and_unique():
    from envtargets.report._xlsx import sheet_names

    names = sheet_names(["深圳", "a/b", "x" * 40, "X" * 40])
    assert names["a/b"] == "a_b"
    assert len(names["x" * 40]) == 31 and len(names["X" * 40]) == 31
    assert names["x" * 40].casefold() != names["X" * 40].casefold()
