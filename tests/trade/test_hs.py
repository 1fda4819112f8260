from hypothesis import given
from hypothesis import strategies as st

from redthread.trade import fx, hs
from redthread.trade.parties import normalise_name, party_id


def test_normalise_hs_forms() -> None:
    assert hs.normalise_hs("8507.60") == "850760"
    assert hs.normalise_hs("8542.31.00") == "85423100"
    assert hs.normalise_hs(" 8542 31 90 00 ") == "8542319000"
    assert hs.normalise_hs("85423100.0") == "85423100"  # spreadsheet float
    assert hs.normalise_hs(30490) == "030490"  # lost leading zero
    assert hs.normalise_hs("85") == "85"
    for bad in ("", "ABC", "8", "12345678901", "00123456", None, "85.4x"):
        assert hs.normalise_hs(bad) is None


@given(st.text(alphabet="0123456789. -", max_size=14))
def test_normalised_codes_are_valid_and_stable(raw: str) -> None:
    code = hs.normalise_hs(raw)
    if code is not None:
        assert code.isdigit() and len(code) in hs.VALID_LENGTHS
        assert hs.normalise_hs(code) == code


def test_chpl_tiers_from_shipped_list() -> None:
    assert hs.chpl_tier("85423190") == "1"
    assert hs.chpl_tier("852589") == "3.A"
    assert hs.chpl_tier("8542") is None  # CHPL is matched at HS-6
    assert hs.chpl_tier("030354") is None
    assert hs.tier_rank("3.A") == 3 and hs.tier_rank(None) is None


def test_fx_rates_interpolate_and_carry_forward() -> None:
    from datetime import date

    assert fx.rate("USD", date(2024, 5, 1)) == 1
    assert fx.rate("eur", date(2022, 4, 15)) == 0.92
    mid = fx.rate("CNY", date(2023, 2, 1))
    assert mid is not None and 6.78 < mid < 6.91  # between the 2023-01 and 2023-04 anchors
    last = fx.anchors()["RUB"][-1][1]
    assert fx.rate("RUB", date(2027, 6, 1)) == last
    assert fx.to_usd(100.0, "XXX", date(2024, 1, 1)) is None
    assert {"USD", "EUR", "CNY", "RUB", "HKD", "AED", "TRY", "KZT", "INR"} <= set(fx.currencies())
    months = {m for cur, m, _ in fx.monthly_table() if cur == "AED"}
    assert "2020-01" in months and "2026-12" in months


def test_party_ids_ignore_case_punctuation_accents() -> None:
    a = party_id("Lingxi Motor Technology Co., Ltd.", "cn")
    assert a == party_id("LINGXI MOTOR TECHNOLOGY CO LTD", "cn")
    assert a != party_id("Lingxi Motor Technology Co., Ltd.", "hk")
    assert normalise_name("Société Générale") == "societe generale"
    assert normalise_name("ООО «Ромашка»") == "ооо ромашка"
    assert party_id("  ...  ", None) is None
