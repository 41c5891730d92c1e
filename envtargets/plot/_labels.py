"""Words and number formats of charts, styled tables and reports, in Chinese and English.

Indicator names and units are never written here: they come from the
indicators table (:mod:`envtargets.indicators`) and from
:func:`envtargets.units.format_unit`. This module holds only the vocabulary of
the presentation itself (status names, "target", "baseline" …) and does not
import matplotlib.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from envtargets.errors import ChartError, UnitError
from envtargets.periods import parse_period
from envtargets.units import format_unit

LANGS = ("zh", "en")

STATUS_LABELS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "achieved": "已达标",
        "on_track": "符合进度",
        "off_track": "滞后",
        "not_achieved": "未达标",
        "not_assessable": "无法评估",
        "no_data": "无数据",
    },
    "en": {
        "achieved": "achieved",
        "on_track": "on track",
        "off_track": "off track",
        "not_achieved": "not achieved",
        "not_assessable": "not assessable",
        "no_data": "no data",
    },
}

KIND_LABELS: Mapping[str, Mapping[str, str]] = {
    "zh": {"binding": "约束性", "expected": "预期性", "aspirational": "力争"},
    "en": {"binding": "binding", "expected": "expected", "aspirational": "aspirational"},
}

WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "target": "目标",
        "baseline": "基期",
        "observed": "实际值",
        "full_year": "全年数据",
        "provisional": "非全年数据(初步)",
        "provisional_short": "非全年",
        "schedule": "时序进度",
        "trend": "Theil–Sen趋势",
        "projection": "趋势外推",
        "confidence": "斜率95%置信区间",
        "better_higher": "越高越好 →",
        "better_lower": "← 越低越好",
        "no_data": "无数据",
        "gap": "差距",
        "status": "状态",
        "year": "年份",
        "count": "数量",
        "targets": "项目标",
        "provisional_note": "* 非全年(初步)数据",
        "gap_note": "格内: 差距 = 实际值 − 目标值",
        "overview": "目标完成情况",
        "key_targets": "重点目标",
        "trends": "变化趋势",
        "total": "合计",
        "meets": "达标区间",
    },
    "en": {
        "target": "target",
        "baseline": "baseline",
        "observed": "observed",
        "full_year": "full-year value",
        "provisional": "part-year value (provisional)",
        "provisional_short": "part-year",
        "schedule": "on-schedule path",
        "trend": "Theil–Sen trend",
        "projection": "projection",
        "confidence": "95 % range of slopes",
        "better_higher": "higher is better →",
        "better_lower": "← lower is better",
        "no_data": "no data",
        "gap": "gap",
        "status": "status",
        "year": "year",
        "count": "count",
        "targets": "targets",
        "provisional_note": "* part-year (provisional) figure",
        "gap_note": "cells: gap = observed − target",
        "overview": "Target status",
        "key_targets": "Key targets",
        "trends": "Trends",
        "total": "total",
        "meets": "meets the target",
    },
}

COMPARATOR_SIGNS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "="}
MINUS = "−"  # U+2212: a real minus sign, as typeset numbers use
# A short bracketed group such as (Ⅰ—Ⅲ类) stays whole; so do runs of Latin
# letters, digits and their punctuation; any other CJK character is a break point.
_TOKENS = re.compile(r"[(（][^()（）]{1,8}[)）]|[0-9A-Za-z.,:;'’()\[\]%/+\-–_]+\s*|\s+|.")
# 避头: closing brackets, punctuation and dashes (Ⅰ—Ⅲ类) never start a line.
_NO_LINE_START = set(")）]】》」』、，。,.;；:：!！?？%％·—–…")
_MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise :class:`ChartError`."""
    if lang not in LANGS:
        raise ChartError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def word(key: str, lang: str) -> str:
    """Return one word of the presentation vocabulary in ``lang``."""
    return WORDS[lang][key]


def status_label(status: object, lang: str) -> str:
    """Return the display name of a status (the code itself if unknown)."""
    return STATUS_LABELS[lang].get(str(status), str(status))


def is_missing(value: object) -> bool:
    """Tell whether a cell is missing (None, NaN, pandas NA)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def format_number(value: float, decimals: int = 3) -> str:
    """Format a number with at most ``decimals`` decimals and no trailing zeros.

    Parameters
    ----------
    value : float
        The number.
    decimals : int, default 3
        Most decimals shown.

    Returns
    -------
    str
        ``"95.5"``, ``"15"``, ``"−0.3"`` (with a true minus sign); ``"—"`` when missing.
    """
    if is_missing(value) or not math.isfinite(float(value)):
        return "—"
    text = f"{float(value):.{decimals}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", MINUS)


@lru_cache(maxsize=256)
def unit_text(unit: str, lang: str) -> str:
    """Typeset a unit with :func:`~envtargets.units.format_unit` (the raw text if unknown)."""
    if is_missing(unit) or not str(unit).strip():
        return ""
    try:
        return format_unit(str(unit), lang)
    except UnitError:
        return str(unit)


def _attach(number: str, unit: str) -> str:
    """Join a number and its unit: % and Chinese unit words attach, symbols take a space."""
    if not unit:
        return number
    if unit.startswith("%") or unicodedata.east_asian_width(unit[0]) in ("W", "F"):
        return f"{number}{unit}"
    return f"{number} {unit}"


def format_value(value: float, unit: str, lang: str) -> str:
    """Format a value with its unit: ``95.5%``, ``15.1 µg/m³``, ``1000 km``."""
    if is_missing(value):
        return "—"
    return _attach(format_number(value), unit_text(unit, lang))


def format_gap(gap: float, gap_unit: str, lang: str) -> str:
    """Format a gap with its sign and unit: ``+0.5 pp``, ``+0.5个百分点``, ``−2 µg/m³``."""
    if is_missing(gap):
        return "—"
    number = format_number(gap)
    if number != "0" and not number.startswith(MINUS):
        number = "+" + number
    return _attach(number, unit_text(gap_unit, lang))


def format_target(comparator: str, value: float, upper: float, unit: str, lang: str) -> str:
    """Format a target as its comparator and threshold: ``≥ 95.5%``, ``10–20 µg/m³``."""
    if comparator == "between":
        return _attach(f"{format_number(value)}–{format_number(upper)}", unit_text(unit, lang))
    sign = COMPARATOR_SIGNS.get(str(comparator), str(comparator))
    return f"{sign} {format_value(value, unit, lang)}"


def format_period(text: object, lang: str) -> str:
    """Write a period as a reader expects it.

    ``2023`` → ``2023年`` / ``2023``; ``2025-01/2025-09`` → ``2025年1—9月`` /
    ``Jan–Sep 2025``; ``2023-05`` → ``2023年5月`` / ``May 2023``.
    """
    if is_missing(text):
        return "—"
    try:
        period = parse_period(str(text))
    except ValueError:
        return str(text)
    sy, sm, ey, em = period.start_year, period.start_month, period.end_year, period.end_month
    if lang == "zh":
        if period.full_year:
            return f"{ey}年"
        if (sy, sm) == (ey, em):
            return f"{ey}年{em}月"
        if sy == ey:
            return f"{ey}年{sm}—{em}月"
        return f"{sy}年{sm}月—{ey}年{em}月"
    if period.full_year:
        return str(ey)
    if (sy, sm) == (ey, em):
        return f"{_MONTHS_EN[em - 1]} {ey}"
    if sy == ey:
        return f"{_MONTHS_EN[sm - 1]}–{_MONTHS_EN[em - 1]} {ey}"
    return f"{_MONTHS_EN[sm - 1]} {sy}–{_MONTHS_EN[em - 1]} {ey}"


def display_width(text: str) -> int:
    """Return the width of ``text`` in Latin-letter widths (CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap(text: str, width: int, max_lines: int = 3) -> str:
    """Wrap text to ``width`` (CJK characters counting two), breaking Chinese anywhere.

    Latin words are kept whole where possible; text beyond ``max_lines`` ends in "…".
    """
    lines: list[str] = []
    current = ""
    # Runs of Latin letters, digits and their punctuation stay whole; any CJK
    # character is a break point.
    for token in _TOKENS.findall(text):
        too_wide = display_width(current + token.rstrip()) > width
        # Closing brackets and punctuation never start a line (避头 in Chinese typesetting).
        if current and too_wide and token[0] not in _NO_LINE_START:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return "\n".join(lines)
