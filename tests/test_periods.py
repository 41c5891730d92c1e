from datetime import date

import pandas as pd
import pytest

from envtargets import PeriodError, parse_period
from envtargets.periods import period_table


@pytest.mark.parametrize(
    ("text", "start", "end", "full_year", "months", "end_decimal"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31), True, 12, 2024.0),  # Y → Y + 1
        ("2025-03", date(2025, 3, 1), date(2025, 3, 31), False, 1, 2025 + 3 / 12),
        # 1—9月 of 2025, the Shenzhen 前三季度 figures: 2025 + 9/12
        ("2025-01/2025-09", date(2025, 1, 1), date(2025, 9, 30), False, 9, 2025.75),
        ("2023-01/2023-04", date(2023, 1, 1), date(2023, 4, 30), False, 4, 2023 + 4 / 12),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), False, 1, 2024 + 2 / 12),  # leap year
        ("2023-01/2023-12", date(2023, 1, 1), date(2023, 12, 31), True, 12, 2024.0),
        ("2022-11/2023-02", date(2022, 11, 1), date(2023, 2, 28), False, 4, 2023 + 2 / 12),
        (" 2022 ", date(2022, 1, 1), date(2022, 12, 31), True, 12, 2023.0),
    ],
)
def test_parse_period(text, start, end, full_year, months, end_decimal):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.full_year is full_year
    assert period.months == months
    assert period.end_decimal == pytest.approx(end_decimal)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2025-09/2025-01", "before the start"),
        ("2025-13", "month 13"),
        ("2025-00", "month 0"),
        ("20xx", "placeholder"),
        ("20XX-xx", "placeholder"),
        ("", "non-empty"),
        ("2025年", "write a year"),
        ("Q3 2025", "write a year"),
    ],
)
def test_bad_periods_get_a_clear_message(text, words):
    with pytest.raises(PeriodError, match=words) as caught:
        parse_period(text)
    assert repr(text) in str(caught.value)


def test_integer_year_is_accepted():
    assert parse_period(2022).full_year


def test_period_table_parses_each_distinct_text_once():
    periods = pd.Series(["2023", "2025-01/2025-09", "2023"], index=[10, 11, 12])
    table = period_table(periods)
    assert list(table.index) == [10, 11, 12]
    assert table["end_decimal"].tolist() == [2024.0, 2025.75, 2024.0]
    assert table["full_year"].tolist() == [True, False, True]
    assert table["year"].tolist() == [2023, 2025, 2023]
