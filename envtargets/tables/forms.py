"""Written forms of periods, years, comparators and vocabulary words, read as data.

Chinese reports and the spreadsheets made from them write ``2025年1—9月``,
``前三季度``, ``不低于`` or ``约束性``; the library works with ``2025-01/2025-09``,
``>=`` and ``binding``. The accepted forms are data files next to this module
(``period_forms.csv``, ``comparators.csv``, ``words.csv``); the functions here
read one distinct cell value each and return its canonical text, or raise an
error that says why the value cannot be read. The normaliser of
:mod:`envtargets.tables` calls them once per distinct value, and
:func:`accepted_forms` lists every form for the user guide.
"""

from __future__ import annotations

import csv
import importlib.resources
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from numbers import Real
from typing import cast

import pandas as pd

from envtargets.errors import PeriodError
from envtargets.periods import parse_period
from envtargets.tables.read import number_text

__all__ = [
    "accepted_forms",
    "canonical_comparator",
    "canonical_comparators",
    "canonical_period",
    "canonical_word",
    "canonical_year",
    "word_columns",
]

ACCEPTED_FORM_COLUMNS = ["cell", "written", "read_as", "meaning"]

# The canonical forms themselves; anything matching one of these (and valid)
# is returned unchanged.
_CANONICAL_PERIOD = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:/[0-9]{4}-[0-9]{2})?)?")
_PLACEHOLDER = re.compile(r"[xX×*?]|某")
# Whitespace is dropped unless it separates two ASCII letters or digits
# ("Q3 2025", "2024-03-01 00:00:00"), so "2025 年 3 月" reads as "2025年3月".
_LOOSE_SPACE = re.compile(r"(?<![0-9A-Za-z])\s+|\s+(?![0-9A-Za-z])")
_CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_CHINESE_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_YEAR_FORM = re.compile(r"([0-9]{4})(?:年度?|\.0+)?")
_YEAR_END = re.compile(r"(?:截至|截止)?[0-9]{4}年(?:底|末)")
_SHORT_YEAR = re.compile(r"(?<![0-9])[0-9]{2,3}年")
_NO_YEAR = re.compile(r"(?:[0-9]{1,2}月|季度|半年|Q[1-4])", re.IGNORECASE)

# Year examples for the docs table; the tests read every one.
_YEAR_EXAMPLES = (
    ("2025", "2025", "four digits"),
    ("2025年", "2025", ""),
    ("2025年度", "2025", ""),
    ("２０２５", "2025", "full-width digits"),
    ("二〇二五年", "2025", "Chinese digits"),
    ("2025.0", "2025", "a year read from a number cell"),
)


@dataclass(frozen=True)
class _PeriodPattern:
    """One compiled ``pattern`` row of ``period_forms.csv``."""

    regex: re.Pattern[str]
    example: str
    canonical: str
    meaning: str


def _rows(name: str) -> Iterator[dict[str, str]]:
    """Yield the rows of one bundled CSV file, skipping ``#`` comment lines."""
    resource = importlib.resources.files("envtargets") / "tables" / name
    # The stubs' Traversable.open has no newline=; the files are paths, whose open has.
    with resource.open(encoding="utf-8", newline="") as handle:  # type: ignore[call-overload]
        lines = (line for line in handle if line.strip() and not line.lstrip().startswith("#"))
        for row in csv.DictReader(lines):
            yield {key: (value or "").strip() for key, value in row.items()}


def _fold(text: str) -> str:
    """NFKC-normalise, case-fold and collapse whitespace, for word look-ups."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _as_text(value: object) -> str | None:
    """Return a cell value as text, or None when it is neither text nor a number."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, Real):
        return number_text(cast(float, value))  # mypy does not count int and float as Real
    return None


def _with_arabic_year(text: str) -> str:
    """Write a year in Chinese digits (二〇二五年) in Arabic digits."""
    return _CHINESE_YEAR.sub(lambda match: match[0].translate(_CHINESE_DIGITS), text)


# --- periods ---------------------------------------------------------------


@cache
def _spans() -> dict[str, tuple[int, int]]:
    """Map each span word (case-folded) to its first and last month."""
    return {
        _fold(row["written"]): (int(row["first_month"]), int(row["last_month"]))
        for row in _rows("period_forms.csv")
        if row["rule"] == "span"
    }


@cache
def _period_patterns() -> tuple[_PeriodPattern, ...]:
    """Compile the ``pattern`` rows of ``period_forms.csv``, in file order."""
    spans = sorted(
        (row["written"] for row in _rows("period_forms.csv") if row["rule"] == "span"),
        key=len,
        reverse=True,
    )
    dash = r"\s*[-‐‑‒–—―−~〜至到]+\s*"
    pieces = {
        **{name: rf"(?P<{name}>[0-9]{{4}})" for name in ("year", "year1", "year2")},
        **{name: rf"(?P<{name}>[0-9]{{1,2}})" for name in ("month", "month1", "month2", "day")},
        "span": "(?P<span>" + "|".join(map(re.escape, spans)) + ")",
        "sep": r"\s*[-./年]\s*",
        "dash": dash,
        "to": rf"(?:{dash}|\s*/\s*)",
        "until": r"(?:截至|截止)?",
        "end": r"(?:底|末|份)?",
    }

    def expand(match: re.Match[str]) -> str:
        if match[1] not in pieces:
            raise KeyError(f"period_forms.csv: unknown placeholder {{{match[1]}}}")
        return pieces[match[1]]

    return tuple(
        _PeriodPattern(
            re.compile(re.sub(r"\{([a-z]+[0-9]?)\}", expand, row["written"]), re.IGNORECASE),
            row["example"],
            row["canonical"],
            row["meaning"],
        )
        for row in _rows("period_forms.csv")
        if row["rule"] == "pattern"
    )


def _month_text(year: str, month: str) -> str:
    return f"{year}-{int(month):02d}"


def _read_groups(groups: dict[str, str | None], original: str) -> str:
    """Turn the named groups of a matched period form into canonical text."""
    given = {name for name, value in groups.items() if value is not None}
    if given == {"year"}:
        return str(groups["year"])
    if given == {"year", "span"}:
        first_month, last_month = _spans()[_fold(str(groups["span"]))]
        year = str(groups["year"])
        if (first_month, last_month) == (1, 12):
            return year
        return f"{_month_text(year, str(first_month))}/{_month_text(year, str(last_month))}"
    if given in ({"year", "month"}, {"year", "month", "day"}):
        year, month = str(groups["year"]), str(groups["month"])
        if "day" in given:
            _check_day(original, int(year), int(month), int(str(groups["day"])))
        return _month_text(year, month)
    if given == {"year", "month1", "month2"}:
        first = _month_text(str(groups["year"]), str(groups["month1"]))
        last = _month_text(str(groups["year"]), str(groups["month2"]))
        return f"{first}/{last}"
    if given == {"year1", "month1", "year2", "month2"}:
        first = _month_text(str(groups["year1"]), str(groups["month1"]))
        last = _month_text(str(groups["year2"]), str(groups["month2"]))
        return f"{first}/{last}"
    raise KeyError(f"period_forms.csv: a pattern captures {sorted(given)}, which has no reading")


def _check_day(original: str, year: int, month: int, day: int) -> None:
    if not 1 <= month <= 12:
        return  # parse_period names the month
    try:
        date(year, month, day)
    except ValueError:
        raise PeriodError(original, f"day {day} does not exist in {year}-{month:02d}") from None


@cache
def canonical_period(text: str) -> str:
    """Read a period as Chinese reports write it, in the library's canonical form.

    The canonical forms are ``2023`` (a calendar year), ``2025-03`` (one month,
    or the status at its end) and ``2025-01/2025-09`` (a run of months,
    cumulative; it may cross years). Accepted written forms include
    ``2025年``, ``2025年全年``, ``2025年3月``, ``2025.03``, ``截至2025年3月底``,
    ``2025年1—9月``, ``2025年1月至9月``, ``2025年前三季度``, ``2025年上半年``,
    ``2025年第三季度``, ``2025Q3``, ``Q3 2025``, ``2024年10月至2025年9月``,
    ``2024.10-2025.09`` and an Excel date text such as ``2024-03-01 00:00:00``;
    see ``period_forms.csv`` or :func:`accepted_forms` for all of them.
    Full-width digits and dashes are read after NFKC normalisation.

    Parameters
    ----------
    text : str
        One cell value. A year given as a number (``2025``) is read as text.

    Returns
    -------
    str
        The canonical period; the stripped text itself when it already is one.

    Raises
    ------
    PeriodError
        For placeholders (``20xx年``, ``xx月``), a month outside 1–12, an end
        before the start, a period without its year, or any other text, with
        the reason.

    Examples
    --------
    >>> canonical_period("2025年1—9月")
    '2025-01/2025-09'
    >>> canonical_period("2025年第三季度")
    '2025-07/2025-09'
    >>> canonical_period("2024年10月至2025年9月")
    '2024-10/2025-09'
    """
    written = _as_text(text)
    if written is None or not written.strip():
        raise PeriodError(str(text), "a period must be a non-empty text such as 2023")
    stripped = written.strip()
    if _CANONICAL_PERIOD.fullmatch(stripped):
        return _valid(stripped, written)
    cleaned = _LOOSE_SPACE.sub("", _with_arabic_year(unicodedata.normalize("NFKC", stripped)))
    if _PLACEHOLDER.search(cleaned):
        raise PeriodError(written, "this is a placeholder, not a period; leave the row out")
    for pattern in _period_patterns():
        if match := pattern.regex.fullmatch(cleaned):
            return _valid(_read_groups(match.groupdict(), written), written)
    raise PeriodError(written, _unreadable_reason(cleaned))


def _valid(canonical: str, written: str) -> str:
    """Return ``canonical`` once :func:`parse_period` accepts it, else explain why not."""
    try:
        parse_period(canonical)
    except PeriodError as error:
        raise PeriodError(written, error.reason) from None
    return canonical


def _unreadable_reason(cleaned: str) -> str:
    if _YEAR_END.fullmatch(cleaned):
        return (
            "the end of a year is ambiguous; write the year (2025) for the year's figure "
            "or its last month (2025-12) for the status at 31 December"
        )
    if _SHORT_YEAR.search(cleaned):
        return "write the year with four digits (2025年, not 25年)"
    if not re.search(r"[0-9]{4}", cleaned) and _NO_YEAR.search(cleaned):
        return "the period has no year; write it with its year, e.g. 2025年1-9月"
    return (
        "not a period form envtargets reads; write a year (2023), a month (2025-03) or a run "
        "of months (2025-01/2025-09), or a Chinese form such as 2025年3月, 2025年1-9月 or "
        "2025年前三季度 (envtargets.tables.forms.accepted_forms() lists them all)"
    )


# --- years -----------------------------------------------------------------


@cache
def canonical_year(text: str) -> str:
    """Read a year as four digits.

    Parameters
    ----------
    text : str
        One cell value: ``2025``, ``2025年``, ``2025年度``, ``２０２５``,
        ``二〇二五年`` or ``2025.0`` (a year read from a number cell). A year
        given as a number is read as text.

    Returns
    -------
    str
        The year as four digits.

    Raises
    ------
    ValueError
        For placeholders (``20xx``) and anything that is not one year.

    Examples
    --------
    >>> canonical_year("２０２５年")
    '2025'
    """
    written = _as_text(text)
    if written is None or not written.strip():
        raise ValueError(f"invalid year {text!r}: a year must be four digits such as 2025")
    cleaned = _with_arabic_year(unicodedata.normalize("NFKC", written).strip())
    if _PLACEHOLDER.search(cleaned):
        raise ValueError(f"invalid year {written!r}: this is a placeholder, not a year")
    if match := _YEAR_FORM.fullmatch(cleaned):
        return match[1]
    raise ValueError(f"invalid year {written!r}: a year must be four digits such as 2025")


# --- comparators and vocabulary words --------------------------------------


def _lookup(rows: list[dict[str, str]], source: str) -> dict[str, str]:
    """Map each folded written form to its canonical value; a conflict is a data bug."""
    table: dict[str, str] = {}
    for row in rows:
        for written in (row["written"], row["canonical"]):
            key = _fold(written)
            if table.setdefault(key, row["canonical"]) != row["canonical"]:
                raise KeyError(
                    f"{source}: {written!r} reads as both {table[key]!r} and {row['canonical']!r}"
                )
    return table


@cache
def _comparator_rows() -> tuple[dict[str, str], ...]:
    return tuple(_rows("comparators.csv"))


@cache
def _comparators() -> dict[str, str]:
    return _lookup(list(_comparator_rows()), "comparators.csv")


def canonical_comparators() -> tuple[str, ...]:
    """Return the canonical comparators, in the order of ``comparators.csv``.

    Returns
    -------
    tuple of str
        ``("<=", "<", ">=", ">", "==", "between")``.
    """
    return tuple(dict.fromkeys(row["canonical"] for row in _comparator_rows()))


@cache
def canonical_comparator(text: str) -> str:
    """Read a comparator as targets write it.

    ``<=``, ``<``, ``>=``, ``>``, ``==`` and ``between`` are canonical; ``≤``,
    ``≥``, ``=<``, full-width ``＜＝`` and the Chinese words of
    ``comparators.csv`` (不高于, 不超过, 以下 → ``<=``; 不低于, 以上, 达到 → ``>=``;
    低于 → ``<``; 超过 → ``>``; 等于 → ``==``; 介于 → ``between`` …) read as
    them. 以上 and 以下 include the number, as in Chinese usage.

    Parameters
    ----------
    text : str
        One cell value; case and surrounding spaces do not matter.

    Returns
    -------
    str
        One of ``<=``, ``<``, ``>=``, ``>``, ``==``, ``between``.

    Raises
    ------
    ValueError
        For any other text, listing the accepted forms.

    Examples
    --------
    >>> canonical_comparator("不低于")
    '>='
    >>> canonical_comparator("≤")
    '<='
    """
    table = _comparators()
    if isinstance(text, str) and (canonical := table.get(_fold(text))):
        return canonical
    accepted = ", ".join(dict.fromkeys(row["written"] for row in _comparator_rows()))
    raise ValueError(f"invalid comparator {text!r}: write one of {accepted}")


@cache
def _word_rows() -> tuple[dict[str, str], ...]:
    return tuple(_rows("words.csv"))


@cache
def _words(column: str) -> dict[str, str]:
    rows = [row for row in _word_rows() if row["column"] == column]
    return _lookup(rows, f"words.csv ({column})")


def word_columns() -> tuple[str, ...]:
    """Return the columns whose words :func:`canonical_word` reads.

    Returns
    -------
    tuple of str
        ``("kind", "better", "measure")``, in the order of ``words.csv``.
    """
    return tuple(dict.fromkeys(row["column"] for row in _word_rows()))


@cache
def canonical_word(column: str, text: str) -> str:
    """Read a vocabulary word of a table column as its canonical value.

    Parameters
    ----------
    column : {"kind", "better", "measure"}
        The column the word is written in.
    text : str
        One cell value, e.g. 约束性 (kind), 越低越好 (better) or 同比 (measure);
        the canonical values themselves are accepted in any case.

    Returns
    -------
    str
        ``binding``, ``expected`` or ``aspirational`` for ``kind``; ``lower``
        or ``higher`` for ``better``; ``level``, ``annual`` or ``annual_rate``
        for ``measure``.

    Raises
    ------
    ValueError
        For a column without words, or a word that the column does not know,
        listing the accepted words.

    Examples
    --------
    >>> canonical_word("kind", "约束性指标")
    'binding'
    >>> canonical_word("better", "逆向")
    'lower'
    """
    if column not in word_columns():
        raise ValueError(
            f"no words are known for column {column!r}; columns with words: "
            + ", ".join(word_columns())
        )
    table = _words(column)
    if isinstance(text, str) and (canonical := table.get(_fold(text))):
        return canonical
    by_value: dict[str, list[str]] = {}
    for row in _word_rows():
        if row["column"] == column:
            by_value.setdefault(row["canonical"], []).append(row["written"])
    accepted = "; ".join(f"{value} ({', '.join(words)})" for value, words in by_value.items())
    raise ValueError(f"invalid {column} {text!r}: write one of {accepted}")


# --- the table of accepted forms ---------------------------------------------


def accepted_forms() -> pd.DataFrame:
    """List every accepted written form, built from the data files.

    The user guide's table of accepted forms is generated from (and checked
    against) this frame, so a form added to a data file appears in the docs.

    Returns
    -------
    pandas.DataFrame
        One row per form with columns ``cell`` (``period``, ``target_year``,
        ``comparator`` or a column of ``words.csv``), ``written`` (an example
        as a source writes it), ``read_as`` (its canonical value) and
        ``meaning``.
    """
    rows: list[tuple[str, str, str, str]] = [
        ("period", row["example"], row["canonical"], row["meaning"])
        for row in _rows("period_forms.csv")
    ]
    rows += [("target_year", *example) for example in _YEAR_EXAMPLES]
    rows += [
        ("comparator", row["written"], row["canonical"], row["meaning"])
        for row in _comparator_rows()
    ]
    rows += [
        (row["column"], row["written"], row["canonical"], row["meaning"]) for row in _word_rows()
    ]
    return pd.DataFrame(rows, columns=ACCEPTED_FORM_COLUMNS)
