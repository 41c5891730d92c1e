import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envtargets.errors import PeriodError
from envtargets.periods import parse_period
from envtargets.tables.forms import (
    ACCEPTED_FORM_COLUMNS,
    accepted_forms,
    canonical_comparator,
    canonical_comparators,
    canonical_period,
    canonical_word,
    canonical_year,
    word_columns,
)

# --- periods ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        # a calendar year
        ("2025年", "2025"),
        ("2025年度", "2025"),
        ("2025年全年", "2025"),
        ("2025全年", "2025"),
        ("2025.0", "2025"),  # a year cell read as a float
        ("二〇二五年", "2025"),
        # one month, or the status at its end
        ("2025年3月", "2025-03"),
        ("2025.03", "2025-03"),
        ("2025.3", "2025-03"),
        ("2025/3", "2025-03"),
        ("2025/03", "2025-03"),
        ("2025-3", "2025-03"),
        ("2025年03月", "2025-03"),
        ("2025年3月份", "2025-03"),
        ("2025年3月底", "2025-03"),
        ("2025年3月末", "2025-03"),
        ("截至2025年3月", "2025-03"),
        ("截至2025年3月底", "2025-03"),
        ("截止2025年12月底", "2025-12"),
        ("2025年10月", "2025-10"),
        ("2025.10", "2025-10"),
        # months of one year, cumulative
        ("2025年1-9月", "2025-01/2025-09"),
        ("2025年1—9月", "2025-01/2025-09"),  # em dash, as the Shenzhen reports write it
        ("2025年1–9月", "2025-01/2025-09"),  # en dash
        ("2025年1～9月", "2025-01/2025-09"),
        ("2025年1~9月", "2025-01/2025-09"),
        ("2025年1至9月", "2025-01/2025-09"),
        ("2025年1到9月", "2025-01/2025-09"),
        ("2025年1月-9月", "2025-01/2025-09"),
        ("2025年1月至9月", "2025-01/2025-09"),
        ("2025年1-9月份", "2025-01/2025-09"),
        ("2023年1—4月", "2023-01/2023-04"),
        ("2025年10-12月", "2025-10/2025-12"),
        # spans named by words
        ("2025年前三季度", "2025-01/2025-09"),
        ("2025前三季度", "2025-01/2025-09"),
        ("2025年前两季度", "2025-01/2025-06"),
        ("2025年上半年", "2025-01/2025-06"),
        ("2025年下半年", "2025-07/2025-12"),
        # a quarter is a run of three months
        ("2025年第一季度", "2025-01/2025-03"),
        ("2025年一季度", "2025-01/2025-03"),
        ("2025年第二季度", "2025-04/2025-06"),
        ("2025年第三季度", "2025-07/2025-09"),
        ("2025年三季度", "2025-07/2025-09"),
        ("2025年第3季度", "2025-07/2025-09"),
        ("2025年四季度", "2025-10/2025-12"),
        ("2025Q3", "2025-07/2025-09"),
        ("2025 Q3", "2025-07/2025-09"),
        ("2025-Q3", "2025-07/2025-09"),
        ("2025q3", "2025-07/2025-09"),
        ("Q3 2025", "2025-07/2025-09"),
        ("Q1 2024", "2024-01/2024-03"),
        # runs of months across years
        ("2024年10月至2025年9月", "2024-10/2025-09"),
        ("2024年10月-2025年9月", "2024-10/2025-09"),
        ("2024年10月—2025年9月", "2024-10/2025-09"),
        ("2024.10-2025.09", "2024-10/2025-09"),
        ("2024.10-2025.9", "2024-10/2025-09"),
        ("2024-10至2025-09", "2024-10/2025-09"),
        ("2024/10-2025/09", "2024-10/2025-09"),
        ("2025年1月至2025年9月", "2025-01/2025-09"),
        # the canonical forms, loosely written
        ("2025-1/2025-9", "2025-01/2025-09"),
        ("2025-01 / 2025-09", "2025-01/2025-09"),
        ("2024-10/2025-9", "2024-10/2025-09"),
        ("2025 年 3 月", "2025-03"),
        # dates as Excel hands them over as text
        ("2024-03-01", "2024-03"),
        ("2024-03-01 00:00:00", "2024-03"),
        ("2024-03-31T00:00:00", "2024-03"),
        ("2024/3/1", "2024-03"),
        ("2024-02-29", "2024-02"),  # a leap day
    ],
)
def test_canonical_period_reads_written_forms(written, canonical):
    assert canonical_period(written) == canonical
    parse_period(canonical)  # the result is a period the library parses


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("２０２５年３月", "2025-03"),
        ("２０２５年１－９月", "2025-01/2025-09"),  # full-width hyphen
        ("２０２５年１～９月", "2025-01/2025-09"),  # full-width tilde
        ("２０２５年前三季度", "2025-01/2025-09"),
        ("２０２５Ｑ３", "2025-07/2025-09"),
        ("Ｑ３　２０２５", "2025-07/2025-09"),  # ideographic space
        ("２０２４年１０月至２０２５年９月", "2024-10/2025-09"),
        ("２０２５", "2025"),
        ("２０２５－０３", "2025-03"),
    ],
)
def test_canonical_period_reads_full_width_forms(written, canonical):
    assert canonical_period(written) == canonical


@pytest.mark.parametrize("text", ["2023", "2025-03", "2025-01/2025-09", "2024-10/2025-09"])
def test_canonical_period_returns_canonical_text_unchanged(text):
    assert canonical_period(text) == text
    assert canonical_period(f"  {text}\t") == text


def test_canonical_period_reads_a_year_given_as_a_number():
    assert canonical_period(2025) == "2025"
    assert canonical_period(2025.0) == "2025"


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("20xx", "placeholder"),
        ("20XX年", "placeholder"),
        ("2025年xx月", "placeholder"),
        ("xx月", "placeholder"),
        ("xx", "placeholder"),
        ("20××年", "placeholder"),
        ("2025年某月", "placeholder"),
        ("2025年?月", "placeholder"),
        ("2025年13月", "month 13 is not between 1 and 12"),
        ("2025-13", "month 13 is not between 1 and 12"),
        ("2025.13", "month 13 is not between 1 and 12"),
        ("2025年0月", "month 0 is not between 1 and 12"),
        ("2025年1-13月", "month 13 is not between 1 and 12"),
        ("2025年9-1月", "end month is before the start month"),
        ("2025年9月至1月", "end month is before the start month"),
        ("2025-09/2025-01", "end month is before the start month"),
        ("2025年10月至2024年9月", "end month is before the start month"),
        ("2024-02-30", "day 30 does not exist in 2024-02"),
        ("2025年底", "end of a year is ambiguous"),
        ("截至2025年末", "end of a year is ambiguous"),
        ("1-9月", "has no year"),
        ("前三季度", "has no year"),
        ("Q3", "has no year"),
        ("全市空气质量优良天数比率", "not a period form"),
        ("25年3月", "four digits"),
        ("2025年第五季度", "not a period form"),
        ("", "non-empty"),
        ("   ", "non-empty"),
    ],
)
def test_canonical_period_rejects_with_a_reason(written, reason):
    with pytest.raises(PeriodError, match=reason) as caught:
        canonical_period(written)
    assert caught.value.text == written  # the error names the cell as written
    assert isinstance(caught.value, ValueError)


def test_canonical_period_rejects_non_text():
    with pytest.raises(PeriodError):
        canonical_period(None)
    with pytest.raises(PeriodError):
        canonical_period(True)


def test_every_period_form_reads_as_its_documented_example():
    forms = accepted_forms()
    periods = forms[forms["cell"] == "period"]
    assert len(periods) >= 30
    for written, canonical in zip(periods["written"], periods["read_as"], strict=True):
        assert canonical_period(written) == canonical, written


_MONTH_RANGES = st.tuples(st.integers(1990, 2100), st.integers(1, 12), st.integers(1, 12)).map(
    lambda t: (t[0], min(t[1:]), max(t[1:]))
)


def _full_width(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789-"})


@given(_MONTH_RANGES)
def test_written_forms_of_a_run_of_months_agree(year_months):
    year, first, last = year_months
    canonical = f"{year}-{first:02d}/{year}-{last:02d}"
    written = [
        f"{year}年{first}-{last}月",
        f"{year}年{first}—{last}月",
        f"{year}年{first}至{last}月",
        f"{year}年{first}月至{last}月",
        f"{year}年{first:02d}月-{last:02d}月份",
        f"{year}.{first}-{year}.{last:02d}",
        f"{year}年{first}月至{year}年{last}月",
        f"{year}-{first}/{year}-{last}",
        _full_width(f"{year}年{first}-{last}月"),
        canonical,
    ]
    assert {canonical_period(text) for text in written} == {canonical}
    period = parse_period(canonical_period(written[0]))
    assert period.months == last - first + 1
    assert (period.start_year, period.start_month) == (year, first)


@given(st.integers(1990, 2100), st.integers(1, 12))
def test_written_forms_of_a_month_agree(year, month):
    canonical = f"{year}-{month:02d}"
    written = [
        f"{year}年{month}月",
        f"{year}年{month:02d}月",
        f"{year}.{month}",
        f"{year}/{month:02d}",
        f"{year}-{month}",
        f"截至{year}年{month}月底",
        f"{year}-{month:02d}-01 00:00:00",
        _full_width(f"{year}年{month}月"),
    ]
    assert {canonical_period(text) for text in written} == {canonical}
    assert parse_period(canonical_period(written[0])).months == 1


_QUARTER_WORDS = {1: "一", 2: "二", 3: "三", 4: "四"}


@given(st.integers(1990, 2100), st.integers(1, 4))
def test_written_forms_of_a_quarter_agree(year, quarter):
    first = 3 * quarter - 2
    canonical = f"{year}-{first:02d}/{year}-{first + 2:02d}"
    word = _QUARTER_WORDS[quarter]
    written = [
        f"{year}年第{word}季度",
        f"{year}年{word}季度",
        f"{year}年第{quarter}季度",
        f"{year}Q{quarter}",
        f"{year} Q{quarter}",
        f"{year}-Q{quarter}",
        f"Q{quarter} {year}",
        f"{year}年{first}-{first + 2}月",
    ]
    assert {canonical_period(text) for text in written} == {canonical}
    assert parse_period(canonical).months == 3


@given(st.integers(1990, 2099), st.integers(1, 12), st.integers(1, 12))
def test_written_forms_across_years_agree(year, first, last):
    canonical = f"{year}-{first:02d}/{year + 1}-{last:02d}"
    written = [
        f"{year}年{first}月至{year + 1}年{last}月",
        f"{year}年{first}月-{year + 1}年{last}月",
        f"{year}.{first:02d}-{year + 1}.{last:02d}",
        f"{year}-{first:02d}至{year + 1}-{last:02d}",
        f"{year}-{first}/{year + 1}-{last}",
    ]
    assert {canonical_period(text) for text in written} == {canonical}
    assert parse_period(canonical).months == 12 - first + 1 + last


def test_ten_thousand_distinct_periods_read_quickly():
    month_pairs = [(first, last) for first in range(1, 13) for last in range(first, 13)]
    texts = [
        f"{year}年{first}-{last}月" for year in range(1900, 2100) for first, last in month_pairs
    ]
    texts = texts[:10_000]
    assert len(set(texts)) == 10_000
    canonical_period.cache_clear()
    started = time.perf_counter()
    for text in texts:
        canonical_period(text)
    assert time.perf_counter() - started < 5  # about 0.1 s on a laptop


def test_canonical_period_reads_each_distinct_text_once():
    canonical_period.cache_clear()
    canonical_period("2025年1—9月")
    canonical_period("2025年1—9月")
    assert canonical_period.cache_info().hits == 1


# --- years -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("2025", "2025"),
        (" 2025 ", "2025"),
        ("2025年", "2025"),
        ("2025年度", "2025"),
        ("２０２５", "2025"),
        ("２０２５年", "2025"),
        ("2025.0", "2025"),
        ("二〇二五年", "2025"),
        (2025, "2025"),
        (2025.0, "2025"),
    ],
)
def test_canonical_year(written, year):
    assert canonical_year(written) == year


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("20xx", "placeholder"),
        ("20XX年", "placeholder"),
        ("2025.5", "four digits"),
        ("25", "four digits"),
        ("2025-03", "four digits"),
        ("2025年3月", "four digits"),
        ("二〇二五", "four digits"),  # Chinese digits only with 年
        ("", "four digits"),
        ("明年", "four digits"),
    ],
)
def test_canonical_year_rejects_with_a_reason(written, reason):
    with pytest.raises(ValueError, match=reason) as caught:
        canonical_year(written)
    assert repr(written) in str(caught.value)


# --- comparators -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        *[(c, c) for c in ("<=", "<", ">=", ">", "==", "between")],
        ("BETWEEN", "between"),
        ("Between", "between"),
        (" <= ", "<="),
        ("≤", "<="),
        ("≦", "<="),
        ("=<", "<="),
        ("＜＝", "<="),
        ("≥", ">="),
        ("≧", ">="),
        ("=>", ">="),
        ("＞＝", ">="),
        ("＜", "<"),
        ("＞", ">"),
        ("=", "=="),
        ("＝", "=="),
        ("＝＝", "=="),
        *[
            (word, "<=")
            for word in ["不高于", "不超过", "以下", "以内", "控制在", "不大于", "不多于"]
            + ["小于等于", "低于等于"]
        ],
        *[
            (word, ">=")
            for word in ["不低于", "不少于", "以上", "达到", "不小于", "大于等于", "至少"]
        ],
        *[(word, "<") for word in ["低于", "少于", "小于"]],
        *[(word, ">") for word in ["高于", "超过", "多于", "大于"]],
        ("等于", "=="),
        ("介于", "between"),
        ("区间", "between"),
        (" 不低于 ", ">="),
        ("At Least", ">="),
    ],
)
def test_canonical_comparator(written, canonical):
    assert canonical_comparator(written) == canonical


@pytest.mark.parametrize("written", ["", "约", "=<=", "下降", "≈", "!=", None])
def test_canonical_comparator_rejects_listing_the_accepted_forms(written):
    with pytest.raises(ValueError, match="write one of") as caught:
        canonical_comparator(written)
    message = str(caught.value)
    assert repr(written) in message
    assert "不低于" in message and "<=" in message and "between" in message


def test_canonical_comparators_are_the_libraries_six():
    assert canonical_comparators() == ("<=", "<", ">=", ">", "==", "between")


# --- vocabulary words ------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "written", "canonical"),
    [
        ("kind", "约束性", "binding"),
        ("kind", "约束性指标", "binding"),
        ("kind", "预期性", "expected"),
        ("kind", "预期性指标", "expected"),
        ("kind", "力争", "aspirational"),
        ("kind", "力争目标", "aspirational"),
        ("kind", "binding", "binding"),
        ("kind", "Binding", "binding"),
        ("kind", " EXPECTED ", "expected"),
        ("better", "越低越好", "lower"),
        ("better", "逆向", "lower"),
        ("better", "负向", "lower"),
        ("better", "越高越好", "higher"),
        ("better", "正向", "higher"),
        ("better", "Lower", "lower"),
        ("measure", "同比", "annual_rate"),
        ("measure", "当年新增", "annual"),
        ("measure", "累计", "level"),
        ("measure", "annual_rate", "annual_rate"),
    ],
)
def test_canonical_word(column, written, canonical):
    assert canonical_word(column, written) == canonical


@pytest.mark.parametrize(
    ("column", "written"),
    [("kind", "lower"), ("better", "binding"), ("better", "越多越好"), ("measure", "")],
)
def test_canonical_word_rejects_words_of_other_columns(column, written):
    with pytest.raises(ValueError, match=f"invalid {column}") as caught:
        canonical_word(column, written)
    message = str(caught.value)
    assert repr(written) in message
    assert {"kind": "约束性", "better": "越低越好", "measure": "同比"}[column] in message


def test_canonical_word_names_the_columns_it_knows():
    assert word_columns() == ("kind", "better", "measure")
    with pytest.raises(ValueError, match="kind, better, measure"):
        canonical_word("comparator", "不低于")


# --- the table of accepted forms ---------------------------------------------


def test_accepted_forms_lists_every_data_row_and_reads_true():
    forms = accepted_forms()
    assert list(forms.columns) == ACCEPTED_FORM_COLUMNS
    assert set(forms["cell"]) == {
        "period",
        "target_year",
        "comparator",
        "kind",
        "better",
        "measure",
    }
    assert not forms[["cell", "written", "read_as"]].isna().any().any()
    assert (forms[["cell", "written", "read_as"]] != "").all().all()
    read = {
        "period": canonical_period,
        "target_year": canonical_year,
        "comparator": canonical_comparator,
    }
    for cell, written, read_as in forms[["cell", "written", "read_as"]].itertuples(index=False):
        reader = read.get(cell) or (lambda text, cell=cell: canonical_word(cell, text))
        assert reader(written) == read_as, (cell, written)
    kinds = forms.loc[forms["cell"] == "kind", "read_as"]
    assert set(kinds) == {"binding", "expected", "aspirational"}
    assert set(forms.loc[forms["cell"] == "better", "read_as"]) == {"lower", "higher"}
