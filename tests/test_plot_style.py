import subprocess
import sys

import pytest

from envtargets.plot import STATUS_COLORS, STATUS_ORDER, ChartError, status_colors
from envtargets.plot._labels import format_gap, format_period, format_target, format_value, wrap
from envtargets.plot._style import text_color_on


def test_every_status_has_one_colour_and_they_differ():
    assert set(STATUS_COLORS) == set(STATUS_ORDER)
    assert len(set(STATUS_COLORS.values())) == len(STATUS_ORDER)


def test_colour_overrides_replace_only_the_given_statuses():
    colors = status_colors({"achieved": "#123456"})
    assert colors["achieved"] == "#123456"
    assert colors["not_achieved"] == STATUS_COLORS["not_achieved"]


def test_unknown_status_in_overrides_is_an_error_naming_the_statuses():
    with pytest.raises(ChartError, match="achieved, on_track"):
        status_colors({"done": "#000000"})


@pytest.mark.parametrize(
    ("background", "ink"), [("#FFFFFF", "#000000"), ("#000000", "#FFFFFF"), ("#0072B2", "#FFFFFF")]
)
def test_text_colour_is_the_readable_one(background, ink):
    assert text_color_on(background) == ink


@pytest.mark.parametrize(
    ("gap", "unit", "lang", "text"),
    [
        (0.5, "percentage_point", "en", "+0.5 pp"),
        (0.5, "percentage_point", "zh", "+0.5个百分点"),
        (-4.9, "微克/立方米", "zh", "−4.9 µg/m³"),
        (0.0, "percentage_point", "en", "0 pp"),
        (11.0, "个", "zh", "+11"),
        (float("nan"), "%", "en", "—"),
    ],
)
def test_gaps_carry_sign_and_unit(gap, unit, lang, text):
    assert format_gap(gap, unit, lang) == text


def test_values_targets_and_periods_are_typeset():
    assert format_value(95.5, "%", "en") == "95.5%"
    assert format_value(7615, "万元", "zh") == "7615万元"
    assert format_target(">=", 95.2, None, "%", "zh") == "≥ 95.2%"
    assert format_target("between", 10, 20, "µg/m³", "en") == "10–20 µg/m³"
    assert format_period("2025-01/2025-09", "zh") == "2025年1—9月"
    assert format_period("2025-01/2025-09", "en") == "Jan–Sep 2025"
    assert format_period("2023-05", "zh") == "2023年5月"
    assert format_period("2023", "en") == "2023"


def test_wrapping_counts_chinese_characters_double():
    lines = wrap("国考、省考断面水质优良率", 10).split("\n")
    assert lines == ["国考、省考", "断面水质优", "良率"]


def test_importing_the_package_and_the_palette_does_not_import_matplotlib():
    code = (
        "import sys, envtargets, envtargets.plot, envtargets.styling;"
        "from envtargets.plot import STATUS_COLORS;"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_wrap_never_starts_a_line_with_a_dash():
    from envtargets.plot._labels import wrap

    name = "国考、省考断面水质优良率(Ⅰ—Ⅲ类)"
    for width in range(10, 34):
        wrapped = wrap(name, width)
        for line in wrapped.splitlines()[1:]:
            assert line[0] not in "—)）", (width, line)
        if "…" not in wrapped:  # not cut short: the bracketed group stays on one line
            assert any("(Ⅰ—Ⅲ类)" in line for line in wrapped.splitlines()), (width, wrapped)
