"""The evaluation table as aligned text for a terminal.

Chinese characters take two columns in a terminal, so widths are measured by
East Asian width, not by len().
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from envtargets.units import format_unit

_COMPARATOR_SIGNS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "=", "between": ""}
_STATUS_MARKS = {
    "achieved": "✔ achieved",
    "not_achieved": "✘ not achieved",
    "on_track": "▲ on track",
    "off_track": "▼ off track",
    "not_assessable": "? not assessable",
    "no_data": "· no data",
}
_STATUS_MARKS_ZH = {
    "achieved": "✔ 已达标",
    "not_achieved": "✘ 未达标",
    "on_track": "▲ 符合进度",
    "off_track": "▼ 滞后",
    "not_assessable": "? 无法评估",
    "no_data": "· 无数据",
}
_NAME_WIDTH = 36  # terminal columns for an indicator's name; the full name is in files
_HEADERS = {
    "en": ["target", "region", "indicator", "target", "observed", "gap", "progress", "status"],
    "zh": ["目标编号", "地区", "指标", "目标值", "实际值", "差距", "进度/时序", "状态"],
}


def display_width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (wide characters count two).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    int
        The width in terminal columns.
    """
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _shorten(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` terminal columns, marking the cut with an ellipsis."""
    if display_width(text) <= width:
        return text
    kept = ""
    for char in text:
        if display_width(kept + char) > width - 1:
            break
        kept += char
    return kept + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    filler = " " * (width - display_width(text))
    return filler + text if right else text + filler


def _number(value: float, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "—"
    text = f"{value:+.4g}" if signed else f"{value:.4g}"
    return text


def _target_text(row: pd.Series, lang: str) -> str:
    unit = format_unit(row["unit"], lang)
    if row["comparator"] == "between":
        return f"{_number(row['value'])}–{_number(row['upper'])} {unit}".strip()
    return f"{_COMPARATOR_SIGNS[row['comparator']]} {_number(row['value'])} {unit}".strip()


def _observed_text(row: pd.Series, lang: str) -> str:
    if pd.isna(row["observed_value"]):
        return "—"
    mark = "*" if row["provisional"] is True or row["provisional"] == 1 else ""
    unit = format_unit(row["unit"], lang)
    return f"{_number(row['observed_value'])}{mark} {unit} ({row['observed_period']})".replace(
        "  ", " "
    )


def _gap_text(row: pd.Series, lang: str) -> str:
    if pd.isna(row["gap"]):
        return "—"
    unit = format_unit(row.get("gap_unit", row["unit"]), lang)
    return f"{_number(row['gap'], signed=True)} {unit}".strip()


def _progress_text(row: pd.Series) -> str:
    if pd.isna(row["progress"]):
        return "—"
    return f"{row['progress']:.0%} / {row['time_elapsed']:.0%}"


def format_evaluation(
    table: pd.DataFrame, indicators: pd.DataFrame | None = None, lang: str = "en"
) -> str:
    """Render the evaluation table as aligned text.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`envtargets.evaluate`.
    indicators : pandas.DataFrame, optional
        Indicator names to show instead of ids.
    lang : {"en", "zh"}
        Language of headers, names and status words.

    Returns
    -------
    str
        One line per target, with observed values marked ``*`` when provisional
        (less than a full calendar year) and a legend below.
    """
    names = {}
    if indicators is not None:
        names = dict(
            zip(indicators["indicator"], indicators[f"name_{lang}"].astype(str), strict=True)
        )
    marks = _STATUS_MARKS_ZH if lang == "zh" else _STATUS_MARKS
    rows = [
        [
            str(row["target_id"]),
            str(row["region"]),
            _shorten(names.get(row["indicator"], str(row["indicator"])), _NAME_WIDTH),
            _target_text(row, lang),
            _observed_text(row, lang),
            _gap_text(row, lang),
            _progress_text(row),
            marks.get(row["status"], str(row["status"])),
        ]
        for _, row in table.iterrows()
    ]
    headers = _HEADERS.get(lang, _HEADERS["en"])
    widths = np.max([[display_width(cell) for cell in line] for line in [headers, *rows]], axis=0)
    numeric = {5, 6}
    lines = [
        "  ".join(
            _pad(cell, width, i in numeric)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in [headers, *rows]
    ]
    lines.insert(1, "  ".join("─" * width for width in widths))
    legend = (
        "* 非全年数据(临时值)；进度/时序 = 目标进度 / 时间进度"
        if lang == "zh"
        else "* partial-year (provisional) value; progress = progress / time elapsed"
    )
    return "\n".join([*lines, "", legend])
