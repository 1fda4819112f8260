"""Pure functions that turn written amounts, shares and dates into values.

Each returns ``None`` for text it does not understand (never raises), so
callers can try them on any snippet. Patterns are compiled once at import.

- ``parse_money("$304 million")`` → ``Money(304000000, "USD")``
- ``parse_percentage("half of the shares")`` → ``50.0``
- ``parse_date("late 2025")`` → ``Period("2025-09", "2025-12")``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- money -------------------------------------------------------------------

#: Currency words and symbols → ISO 4217 code.
CURRENCY_WORDS: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "us dollars": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP",
    "₽": "RUB", "rub": "RUB", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB",
    "¥": "CNY", "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY",
    "hk$": "HKD", "hkd": "HKD", "aed": "AED", "dirham": "AED", "dirhams": "AED",
    "try": "TRY", "lira": "TRY", "inr": "INR", "rupees": "INR", "kzt": "KZT", "tenge": "KZT",
    "jpy": "JPY", "yen": "JPY", "chf": "CHF", "swiss francs": "CHF",
}
SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "mn": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12,
}
_NUM = r"\d{1,3}(?:[,\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"thousand|million|billion|trillion|mln|bn|mn|m|b|k"
_SYMBOL = r"US\$|HK\$|\$|€|£|¥|₽|USD|EUR|GBP|RUB|CNY|RMB|HKD|AED|KZT|INR|JPY|CHF"
_WORD = (
    r"U\.?S\.? dollars|US dollars|dollars|euros?|pounds sterling|pounds|rubles|roubles|ruble|rouble|"
    r"yuan|renminbi|dirhams?|rupees|tenge|yen|swiss francs"
)
MONEY_RE = re.compile(
    rf"(?:(?P<sym>{_SYMBOL})\s?(?P<n1>{_NUM})(?:[\s-]?(?P<s1>{_SCALE})\b)?)"
    rf"|(?:(?P<n2>{_NUM})(?:[\s-]?(?P<s2>{_SCALE}))?\s+(?P<word>{_WORD}|{_SYMBOL})\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Money:
    amount: float
    currency: str

    @property
    def value(self) -> str:
        """The amount as FtM writes numbers: no exponent, no needless decimals."""
        return f"{self.amount:.2f}".rstrip("0").rstrip(".")


def _number(text: str) -> float | None:
    try:
        return float(re.sub(r"[,\u00a0 ]", "", text))
    except ValueError:
        return None


def _currency(token: str) -> str | None:
    key = token.lower().replace(".", "")
    key = "us dollars" if key in ("us dollars", "u s dollars") else key
    return CURRENCY_WORDS.get(key) or CURRENCY_WORDS.get(token.lower())


def money_from_match(m: re.Match[str]) -> Money | None:
    """A :class:`Money` from a ``MONEY_RE`` match."""
    num = m.group("n1") or m.group("n2")
    scale = m.group("s1") or m.group("s2")
    cur = m.group("sym") or m.group("word")
    amount = _number(num) if num else None
    code = _currency(cur) if cur else None
    if amount is None or code is None:
        return None
    if scale:
        # single letters only count as scales right after a number ("$8m"), not as words
        amount *= SCALE_WORDS.get(scale.lower(), 1.0)
    return Money(round(amount, 2), code)


def parse_money(text: str) -> Money | None:
    """The first amount with a currency in ``text``: "$304 million" → 304000000 USD."""
    for m in MONEY_RE.finditer(text):
        money = money_from_match(m)
        if money is not None:
            return money
    return None


# -- percentages ---------------------------------------------------------------

_FRACTIONS: dict[str, float] = {
    "half": 50.0, "one half": 50.0, "a half": 50.0, "one third": 33.33, "a third": 33.33,
    "two thirds": 66.67, "two-thirds": 66.67, "one quarter": 25.0, "a quarter": 25.0,
    "three quarters": 75.0, "three-quarters": 75.0, "all": 100.0, "the entire": 100.0,
}
PERCENT_RE = re.compile(
    r"(?P<num>\d{1,3}(?:\.\d+)?)\s?(?:%|per\s?cent|percent|pct)"
    r"|(?P<frac>one half|a half|half|one third|a third|two[- ]thirds|one quarter|a quarter|three[- ]quarters)"
    r"\s+of\s+(?:the\s+|its\s+)?(?:shares|stock|equity|capital)"
    r"|(?P<sole>sole (?:shareholder|owner|participant|founder)|wholly[- ]owned|100 ?% owned|fully owned)",
    re.IGNORECASE,
)


def parse_percentage(text: str) -> float | None:
    """A share as a number of percent: "95%", "60 percent", "half of the shares" → 50."""
    m = PERCENT_RE.search(text)
    if m is None:
        return None
    if m.group("num"):
        value = float(m.group("num"))
        return value if 0 < value <= 100 else None
    if m.group("frac"):
        return _FRACTIONS.get(m.group("frac").lower().replace("-", " "), _FRACTIONS.get(m.group("frac").lower()))
    return 100.0


def format_percentage(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# -- dates ---------------------------------------------------------------------

MONTHS: dict[str, int] = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:19|20)\d{2}"
_QUAL = r"(?:early|late|mid|the end of|the start of|the beginning of|the first half of|the second half of|" \
        r"the fall of|the autumn of|the spring of|the summer of|the winter of|fall|autumn|spring|summer|winter|" \
        r"end of|start of|beginning of|first half of|second half of)"
DATE_RE = re.compile(
    rf"(?P<iso>{_YEAR}-\d{{2}}-\d{{2}})"
    rf"|(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,\s+(?P<y2>{_YEAR})"
    rf"|(?:(?P<qual>{_QUAL})[\s-]+(?:of\s+)?)?(?:(?P<m3>{_MONTH})\s+)?(?P<y3>{_YEAR})\b",
    re.IGNORECASE,
)
_QUAL_RANGES: dict[str, tuple[int, int]] = {
    "early": (1, 4), "start of": (1, 3), "beginning of": (1, 3), "mid": (5, 8), "late": (9, 12),
    "end of": (10, 12), "first half of": (1, 6), "second half of": (7, 12),
    "spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 12),
}


@dataclass(frozen=True, slots=True)
class Period:
    """A date or a period; ``end`` is ``None`` for a single date (any precision)."""

    start: str
    end: str | None = None


def period_from_match(m: re.Match[str]) -> Period | None:
    """A :class:`Period` from a ``DATE_RE`` match."""
    if m.group("iso"):
        return Period(m.group("iso"))
    if m.group("y1"):
        month = MONTHS.get(m.group("m1").lower().rstrip("."))
        day = int(m.group("d1"))
        return Period(f"{m.group('y1')}-{month:02d}-{day:02d}") if month and 1 <= day <= 31 else None
    if m.group("y2"):
        month = MONTHS.get(m.group("m2").lower().rstrip("."))
        day = int(m.group("d2"))
        return Period(f"{m.group('y2')}-{month:02d}-{day:02d}") if month and 1 <= day <= 31 else None
    year = m.group("y3")
    qual = (m.group("qual") or "").lower()
    qual = re.sub(r"^the\s+", "", qual).strip()
    if m.group("m3"):
        month = MONTHS.get(m.group("m3").lower().rstrip("."))
        if month is None:
            return None
        if qual in ("early", "start of", "beginning of"):
            return Period(f"{year}-{month:02d}-01", f"{year}-{month:02d}-10")
        if qual in ("late", "end of"):
            return Period(f"{year}-{month:02d}-20", f"{year}-{month:02d}")
        return Period(f"{year}-{month:02d}")
    if qual:
        for key, (a, b) in _QUAL_RANGES.items():
            if qual == key or qual.startswith(key):
                return Period(f"{year}-{a:02d}", f"{year}-{b:02d}")
    return Period(year)


def parse_date(text: str) -> Period | None:
    """The first date or period in ``text``: "June 2024" → 2024-06; "late 2025" → 2025-09..2025-12."""
    for m in DATE_RE.finditer(text):
        period = period_from_match(m)
        if period is not None:
            return period
    return None
