"""Amounts, shares and dates as written in reports → values."""

from __future__ import annotations

import pytest

from redthread.extract.normalize import Money, Period, parse_date, parse_money, parse_percentage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$304 million", Money(304_000_000, "USD")),
        ("8 million rubles", Money(8_000_000, "RUB")),
        ("430 million yuan", Money(430_000_000, "CNY")),
        ("RUB 650,000", Money(650_000, "RUB")),
        ("US$8,317", Money(8317, "USD")),
        ("a 7.1 billion ruble investment", Money(7_100_000_000, "RUB")),
        ("€2.5m", Money(2_500_000, "EUR")),
        ("no money here", None),
    ],
)
def test_money(text: str, expected: Money | None) -> None:
    assert parse_money(text) == expected


def test_money_value_has_no_exponent() -> None:
    assert Money(304_000_000, "USD").value == "304000000"
    assert Money(2.5, "EUR").value == "2.5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("95%", 95.0), ("60 percent", 60.0), ("half of the shares", 50.0), ("the sole shareholder", 100.0),
     ("majority-owned", None), ("150%", None)],
)
def test_percentage(text: str, expected: float | None) -> None:
    assert parse_percentage(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 2024", Period("2024-06")),
        ("late 2025", Period("2025-09", "2025-12")),
        ("early 2023", Period("2023-01", "2023-04")),
        ("in the fall of 2022", Period("2022-09", "2022-11")),
        ("born 14 March 1979", Period("1979-03-14")),
        ("on May 22, 2023", Period("2023-05-22")),
        ("2025-01-02", Period("2025-01-02")),
        ("yesterday", None),
    ],
)
def test_dates(text: str, expected: Period | None) -> None:
    assert parse_date(text) == expected
