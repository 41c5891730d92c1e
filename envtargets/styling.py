"""A styled view of the evaluation table for notebooks and HTML (a pandas ``Styler``).

Status cells take the colours of the charts (:data:`envtargets.plot.STATUS_COLORS`),
gaps are written with their sign and unit (percentage points for percent
targets), values with their unit, and part-year (provisional) values are
marked with ``*`` and set in italics. Numbers stay numbers underneath, so
``style_evaluation(table).to_excel("table.xlsx")`` keeps them usable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from envtargets.indicators import indicator_labels, indicator_table
from envtargets.plot._common import check_evaluation
from envtargets.plot._labels import (
    check_lang,
    format_gap,
    format_period,
    format_target,
    format_value,
    status_label,
)
from envtargets.plot._style import status_colors, text_color_on

if TYPE_CHECKING:  # pragma: no cover
    from pandas.io.formats.style import Styler

COLUMNS = [
    "target_id",
    "indicator",
    "region",
    "target",
    "target_year",
    "observed_value",
    "observed_period",
    "gap",
    "status",
    "status_reason",
]
HEADERS = {
    "en": [
        "target",
        "indicator",
        "region",
        "target value",
        "target year",
        "observed",
        "period",
        "gap",
        "status",
        "why",
    ],
    "zh": [
        "目标编号",
        "指标",
        "地区",
        "目标值",
        "目标年",
        "实际值",
        "数据期",
        "差距",
        "状态",
        "判定依据",
    ],
}
CAPTIONS = {
    "en": "Gap = observed − target (pp: percentage points). * part-year (provisional) value.",
    "zh": "差距 = 实际值 − 目标值。* 非全年(初步)数据。",
}


def style_evaluation(
    table: pd.DataFrame,
    lang: str = "en",
    *,
    indicators: pd.DataFrame | None = None,
    colors: Mapping[str, str] | None = None,
) -> Styler:
    """Return the evaluation table styled for reading: status colours, units, signs.

    Parameters
    ----------
    table : pandas.DataFrame
        The evaluation table (:func:`envtargets.evaluate.evaluate`).
    lang : {"en", "zh"}, default "en"
        Language of headers, status names and indicator names.
    indicators : pandas.DataFrame, optional
        Your indicator names; they extend the bundled table (an indicator in
        no table is shown by its id, :func:`envtargets.indicators.indicator_table`).
    colors : mapping of str to str, optional
        Status colours that replace those of the default palette.

    Returns
    -------
    pandas.io.formats.style.Styler
        One row per target with columns target, indicator, region, target
        value, target year, observed [target unit], period, gap [target unit or
        pp], status and the reason for the status. Display it in a notebook,
        or call ``.to_html()`` / ``.to_excel()``.

    Raises
    ------
    envtargets.plot.ChartError
        When ``table`` is not an evaluation table or ``lang`` is unknown.

    Examples
    --------
    >>> import envtargets
    >>> from envtargets.evaluate import evaluate
    >>> table = evaluate(envtargets.load_targets(), envtargets.load_observations())
    >>> style_evaluation(table, lang="zh")  # doctest: +SKIP
    """
    check_lang(lang)
    check_evaluation(table)
    palette = status_colors(colors)
    table = table.reset_index(drop=True)
    view = _display_frame(table, indicators, lang)
    styler = view.style.hide(axis="index")
    provisional = _provisional(table)
    units = table["unit"].astype(str)
    gap_units = table["gap_unit"].astype(str) if "gap_unit" in table else units
    # One format call per distinct unit, not per row.
    for (unit, marked), rows in view.groupby([units, provisional], sort=False).groups.items():
        styler.format(_value_formatter(unit, lang, marked), subset=(rows, "observed_value"))
    for unit, rows in view.groupby(gap_units, sort=False).groups.items():
        styler.format(lambda v, u=unit: format_gap(v, u, lang), subset=(rows, "gap"))
    styler.format(lambda s: status_label(s, lang), subset="status")
    styler.format(lambda p: format_period(p, lang), subset="observed_period")
    styler.map(lambda s: _status_css(s, palette), subset="status")
    styler.apply(
        lambda _: provisional.map({True: "font-style: italic", False: ""}),
        subset="observed_value",
        axis=0,
    )
    styler.relabel_index(HEADERS[lang], axis="columns")
    styler.set_caption(CAPTIONS[lang])
    styler.set_table_styles(
        [
            {"selector": "th", "props": "text-align: left; padding: 3px 8px;"},
            {"selector": "td", "props": "padding: 3px 8px;"},
            {"selector": "caption", "props": "caption-side: bottom; color: #555; font-size: 90%;"},
        ]
    )
    return styler


def _display_frame(table: pd.DataFrame, indicators: pd.DataFrame | None, lang: str):
    names = indicator_labels(indicator_table(indicators, table), lang)
    view = pd.DataFrame(index=table.index)
    view["target_id"] = table["target_id"]
    view["indicator"] = (
        table["indicator"].astype(str).map(lambda i: names[i].name if i in names else i)
    )
    view["region"] = table["region"]
    upper = table["upper"] if "upper" in table else pd.Series(float("nan"), index=table.index)
    view["target"] = [
        format_target(c, v, u, unit, lang)
        for c, v, u, unit in zip(
            table["comparator"], table["value"], upper, table["unit"], strict=True
        )
    ]
    for column in ("target_year", "observed_value", "observed_period", "gap", "status_reason"):
        view[column] = table[column] if column in table else pd.NA
    if lang == "zh" and "status_reason_zh" in table:
        view["status_reason"] = table["status_reason_zh"].fillna(view["status_reason"])
    view["status"] = table["status"]
    return view[COLUMNS]


def _provisional(table: pd.DataFrame) -> pd.Series:
    if "provisional" not in table:
        return pd.Series(False, index=table.index)
    return table["provisional"].astype("boolean").fillna(False).astype(bool)


def _value_formatter(unit: str, lang: str, marked: bool):
    suffix = "*" if marked else ""
    return lambda value: format_value(value, unit, lang) + ("" if pd.isna(value) else suffix)


def _status_css(status: object, palette: Mapping[str, str]) -> str:
    color = palette.get(str(status))
    if color is None:
        return ""
    return f"background-color: {color}; color: {text_color_on(color)};"
