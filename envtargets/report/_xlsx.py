"""The evaluation table as an Excel workbook: one sheet per region, status cells coloured.

Every sheet has the same columns (those of the CSV), a bold frozen header row,
an auto-filter, and column widths fitted to the content (Chinese characters
counting double), capped so that long quotes do not make a sheet unreadable.
Text cells stay text (:func:`envtargets.export.xlsx_writer`): a quote that
begins with ``=`` is shown, never run as a formula.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from envtargets.export import xlsx_writer
from envtargets.plot._labels import display_width
from envtargets.plot._style import STATUS_COLORS

MAX_WIDTH = 60  # characters
MIN_WIDTH = 8
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(regions: list[str]) -> dict[str, str]:
    """Map each region to a valid, unique sheet name (≤ 31 characters, none of ``[]:*?/``)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for region in regions:
        base = _SHEET_FORBIDDEN.sub("_", str(region)).strip("'") or "region"
        name, counter = base[:31], 2
        while name.casefold() in used:
            tail = f" ({counter})"
            name, counter = base[: 31 - len(tail)] + tail, counter + 1
        used.add(name.casefold())
        names[region] = name
    return names


def write_workbook(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` to ``path`` with one sheet per region.

    Parameters
    ----------
    table : pandas.DataFrame
        The evaluation table as exported (must have ``region`` and ``status``).
    path : pathlib.Path
        The ``.xlsx`` file to write.
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    regions = list(dict.fromkeys(table["region"].astype(str)))
    names = sheet_names(regions)
    status_col = table.columns.get_loc("status") + 1
    fills = {
        status: PatternFill("solid", start_color=color.lstrip("#").upper())
        for status, color in STATUS_COLORS.items()
    }
    with xlsx_writer(path) as writer:
        for region in regions:
            rows = table[table["region"].astype(str) == region]
            rows.to_excel(writer, sheet_name=names[region], index=False, freeze_panes=(1, 0))
            sheet = writer.sheets[names[region]]
            for cell in sheet[1]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(vertical="top")
            for (cell,) in sheet.iter_rows(min_row=2, min_col=status_col, max_col=status_col):
                if cell.value in fills:
                    cell.fill = fills[cell.value]
            sheet.auto_filter.ref = sheet.dimensions
            for index, column in enumerate(rows.columns, start=1):
                sheet.column_dimensions[_letter(index)].width = _width(column, rows[column])


def _width(header: str, values: pd.Series) -> float:
    texts = values.dropna().astype(str)
    longest = max([display_width(str(header)), *map(display_width, texts)], default=0)
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
