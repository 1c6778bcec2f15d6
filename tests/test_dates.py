"""kg.data.dates: partial ISO dates, validity intervals and --as-of days."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.data.dates import DateError, PartialDate, parse_as_of, valid_on

D = dt.date


@pytest.mark.parametrize("text, parsed, precision", [
    ("2025", PartialDate(2025), "year"),
    ("2025-10", PartialDate(2025, 10), "month"),
    ("2025-10-01", PartialDate(2025, 10, 1), "day"),
    (" 2025-10 ", PartialDate(2025, 10), "month"),
    (2025, PartialDate(2025), "year"),
    ("2024-02-29", PartialDate(2024, 2, 29), "day"),
])
def test_parse(text: object, parsed: PartialDate, precision: str) -> None:
    date = PartialDate.parse(text)
    assert date == parsed
    assert date.precision == precision


@pytest.mark.parametrize("text", ["2025", "2025-01", "2025-12-31", "0999-05"])
def test_str_round_trips(text: str) -> None:
    assert str(PartialDate.parse(text)) == text


@pytest.mark.parametrize("value, message", [
    ("2025-13", "'2025-13' has no month 13"),
    ("2025-00", "'2025-00' has no month 0"),
    ("2025-02-30", "'2025-02-30' is not a day of the calendar"),
    ("2025-02-29", "'2025-02-29' is not a day of the calendar"),
    ("2025-04-31", "'2025-04-31' is not a day of the calendar"),
    ("soon", "'soon' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("", "'' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("2025-1", "'2025-1' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("2025/10", "'2025/10' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("25-10-01", "'25-10-01' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("2025-10-01T10:00", "'2025-10-01T10:00' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    (2025.5, "2025.5 is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    (None, "None is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    (True, "True is not a date"),
    (D(2025, 10, 1), "datetime.date(2025, 10, 1) is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
])
def test_invalid_dates(value: object, message: str) -> None:
    with pytest.raises(DateError) as info:
        PartialDate.parse(value)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("text, start, end", [
    ("2025", D(2025, 1, 1), D(2025, 12, 31)),
    ("2025-02", D(2025, 2, 1), D(2025, 2, 28)),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ("2025-10", D(2025, 10, 1), D(2025, 10, 31)),
    ("2025-10-05", D(2025, 10, 5), D(2025, 10, 5)),
])
def test_start_and_end(text: str, start: dt.date, end: dt.date) -> None:
    date = PartialDate.parse(text)
    assert (date.start(), date.end()) == (start, end)


def test_sort_key_orders_by_start_then_coarser_first() -> None:
    texts = ["2025-02", "2025-01-02", "2025", "2024-12-31", "2025-01-01", "2025-01"]
    ordered = sorted((PartialDate.parse(t) for t in texts), key=PartialDate.sort_key)
    assert [str(d) for d in ordered] == [
        "2024-12-31", "2025", "2025-01", "2025-01-01", "2025-01-02", "2025-02"]


def test_valid_on_open_interval() -> None:
    assert valid_on(None, None, D(1990, 1, 1))


def test_valid_on_counts_since_from_the_first_day_of_its_period() -> None:
    since = PartialDate.parse("2025-10")
    assert not valid_on(since, None, D(2025, 9, 30))
    assert valid_on(since, None, D(2025, 10, 1))
    assert valid_on(since, None, D(2030, 1, 1))


def test_valid_on_counts_until_to_the_last_day_of_its_period() -> None:
    until = PartialDate.parse("2025-10")
    assert valid_on(None, until, D(2020, 1, 1))
    assert valid_on(None, until, D(2025, 10, 31))
    assert not valid_on(None, until, D(2025, 11, 1))


def test_valid_on_closed_interval_at_day_precision() -> None:
    since, until = PartialDate.parse("2025-09-30"), PartialDate.parse("2025-10-03")
    assert [valid_on(since, until, D(2025, m, d)) for m, d in
            [(9, 29), (9, 30), (10, 3), (10, 4)]] == [False, True, True, False]


@pytest.mark.parametrize("text, day", [
    ("2025", D(2025, 12, 31)),
    ("2025-02", D(2025, 2, 28)),
    ("2024-02", D(2024, 2, 29)),
    ("2025-10", D(2025, 10, 31)),
    ("2025-10-05", D(2025, 10, 5)),
])
def test_parse_as_of_is_the_last_day_of_the_period(text: str, day: dt.date) -> None:
    assert parse_as_of(text) == day


def test_as_of_a_month_includes_facts_from_later_in_that_month() -> None:
    since = PartialDate.parse("2025-10-20")
    assert valid_on(since, None, parse_as_of("2025-10"))
    assert not valid_on(since, None, parse_as_of("2025-09"))


def test_parse_as_of_rejects_bad_values() -> None:
    with pytest.raises(DateError):
        parse_as_of("last week")


def test_bounds_are_the_first_and_last_day() -> None:
    from kg.data.dates import bounds

    assert bounds(PartialDate.parse("2024-02")) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert bounds(PartialDate.parse("2025")) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert bounds(PartialDate.parse("2025-10-03")) == (dt.date(2025, 10, 3), dt.date(2025, 10, 3))
    assert bounds(None) is None


@pytest.mark.parametrize("value", ["0000", "0000-01", "0000-02-29", 0])
def test_year_zero_is_no_date(value: object) -> None:
    with pytest.raises(DateError):
        PartialDate.parse(value)


@pytest.mark.parametrize("value", ["２０２５", "２０２５-１０", "٢٠٢٥", "2025-1０", "𝟐𝟎𝟐𝟓"])
def test_only_ascii_digits_make_a_date(value: str) -> None:
    with pytest.raises(DateError):
        PartialDate.parse(value)


@pytest.mark.parametrize("value", ["2025\n", "2025-10\n", "2025-10-01\n", "2025\r"])
def test_a_date_with_a_line_break_is_no_date(value: str) -> None:
    with pytest.raises(DateError):
        PartialDate.parse(value)


@pytest.mark.parametrize("value", [-1, 10_000, 10**5000], ids=["negative", "five-digits", "huge"])
def test_a_whole_number_outside_four_digits_is_no_year(value: int) -> None:
    with pytest.raises(DateError):
        PartialDate.parse(value)
