"""Reporting periods: a calendar year, a month, or cumulative months.

Sources report a year (``2023``), a month (``2025-03``) or a cumulative run of
months (``2025-01/2025-09`` for 1—9月). Evaluation needs each period's end as a
decimal year: a full year Y ends at Y + 1, months up to m of year Y end at
Y + m/12 (see docs/methodology.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from envtargets.errors import PeriodError

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4})-(\d{1,2})\s*/\s*(\d{4})-(\d{1,2})$")
_PLACEHOLDER = re.compile(r"[xX×＊*?？]")

PERIOD_COLUMNS = ["period_start", "period_end", "full_year", "months", "year", "end_decimal"]


@dataclass(frozen=True)
class Period:
    """A reporting period, parsed.

    Attributes
    ----------
    text : str
        The period as written.
    start_year, start_month, end_year, end_month : int
        First and last month covered (inclusive).
    """

    text: str
    start_year: int
    start_month: int
    end_year: int
    end_month: int

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.start_year, self.start_month, 1)

    @property
    def end(self) -> date:
        """Last day of the period."""
        following = pd.Timestamp(self.end_year, self.end_month, 1) + pd.offsets.MonthEnd(0)
        return following.date()

    @property
    def months(self) -> int:
        """Number of months covered."""
        return (self.end_year - self.start_year) * 12 + self.end_month - self.start_month + 1

    @property
    def full_year(self) -> bool:
        """True when the period is exactly one calendar year (January to December)."""
        return self.start_year == self.end_year and self.start_month == 1 and self.end_month == 12

    @property
    def year(self) -> int:
        """The calendar year in which the period ends."""
        return self.end_year

    @property
    def end_decimal(self) -> float:
        """Decimal time of the period's end: Y + m/12 (a full year Y gives Y + 1)."""
        return self.end_year + self.end_month / 12

    @property
    def start_decimal(self) -> float:
        """Decimal time of the period's start: Y + (m - 1)/12."""
        return self.start_year + (self.start_month - 1) / 12

    def __str__(self) -> str:
        return self.text


@cache
def parse_period(text: str) -> Period:
    """Parse a period written as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM/YYYY-MM``.

    Parameters
    ----------
    text : str
        The period. ``2023`` is the calendar year, ``2025-03`` one month and
        ``2025-01/2025-09`` months 1 to 9 of 2025, cumulative.

    Returns
    -------
    Period
        Start, end, whether it is a full calendar year, and the decimal end time.

    Raises
    ------
    PeriodError
        For placeholders such as ``20xx``, months outside 1–12, an end before
        the start, or any other form.

    Examples
    --------
    >>> parse_period("2025-01/2025-09").end_decimal
    2025.75
    >>> parse_period("2023").full_year
    True
    """
    if isinstance(text, (int, np.integer)) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        raise PeriodError(str(text), "a period must be a non-empty text such as 2023")
    cleaned = text.strip()
    if _PLACEHOLDER.search(cleaned):
        raise PeriodError(text, "this is a placeholder, not a period; leave the row out")
    if match := _YEAR.match(cleaned):
        year = int(match[1])
        return Period(text, year, 1, year, 12)
    if match := _MONTH.match(cleaned):
        year, month = int(match[1]), _month(text, match[2])
        return Period(text, year, month, year, month)
    if match := _RANGE.match(cleaned):
        start_year, start_month = int(match[1]), _month(text, match[2])
        end_year, end_month = int(match[3]), _month(text, match[4])
        if (end_year, end_month) < (start_year, start_month):
            raise PeriodError(text, "the end month is before the start month")
        return Period(text, start_year, start_month, end_year, end_month)
    raise PeriodError(
        text, "write a year (2023), a month (2025-03) or a run of months (2025-01/2025-09)"
    )


def _month(text: str, digits: str) -> int:
    month = int(digits)
    if not 1 <= month <= 12:
        raise PeriodError(text, f"month {month} is not between 1 and 12")
    return month


def period_table(periods: pd.Series) -> pd.DataFrame:
    """Parse a column of periods into their parts, one row per input row.

    Each distinct text is parsed once, so a national panel with millions of rows
    but few distinct periods costs little.

    Parameters
    ----------
    periods : pandas.Series
        Period texts.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``periods``, with ``period_start`` and ``period_end``
        (decimal years), ``full_year``, ``months``, ``year`` and ``end_decimal``
        (equal to ``period_end``).

    Raises
    ------
    PeriodError
        For the first text that does not parse (validation reports them all).
    """
    texts = periods.astype("string")
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    parsed = [parse_period(str(value)) for value in uniques]
    parts = pd.DataFrame(
        {
            "period_start": [p.start_decimal for p in parsed],
            "period_end": [p.end_decimal for p in parsed],
            "full_year": [p.full_year for p in parsed],
            "months": [p.months for p in parsed],
            "year": [p.year for p in parsed],
        }
    )
    if (codes < 0).any():
        raise PeriodError("", "a period is missing")
    table = parts.iloc[codes].reset_index(drop=True)
    table["end_decimal"] = table["period_end"]
    table.index = periods.index
    return table
