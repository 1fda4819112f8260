"""Document structure the sentence rules never read: bulleted designation lists and shipment tables.

Documents written by us; each test fails before issue #22 (no list or table reading).
"""

from __future__ import annotations

from typing import Any

from redthread.extract import extract_text


def _edges(text: str, schema: str) -> list[tuple[str, ...]]:
    r = extract_text(text, doc_id="d", dataset="t")
    names = {e["id"]: (e["properties"].get("name") or ["?"])[0] for e in r.entities}
    out = []
    for e in r.entities:
        p: dict[str, Any] = e["properties"]
        if e["schema"] == schema == "Sanction":
            out.append((names[p["entity"][0]], p["authority"][0]))
        elif e["schema"] == schema == "EconomicActivity":
            out.append((names[p["sender"][0]], names[p["receiver"][0]], (p.get("goodsDescription") or [""])[0],
                        (p.get("customsAmount") or [""])[0], (p.get("startDate") or [""])[0]))
    return sorted(out)


NOTICE = """Designations Update

WASHINGTON — The Department of State today took action against an arms network.

The Department is designating the following entities:

1. Corvane Marine Services LLC, a ship manager in Sharjah.
2. Elbrin Heavy Industries Co., Ltd.
3) Tamsk Avionics JSC

Corvane Marine Services LLC shipped the cargo.
"""


def test_bulleted_designations_take_the_issuer_as_authority() -> None:
    assert _edges(NOTICE, "Sanction") == [
        ("Corvane Marine Services LLC", "US Department of State"),
        ("Elbrin Heavy Industries Co., Ltd.", "US Department of State"),
        ("Tamsk Avionics JSC", "US Department of State"),
    ]


def test_a_list_without_a_sanction_phrase_designates_nobody() -> None:
    text = NOTICE.replace("is designating the following entities:", "met the following entities:")
    assert _edges(text, "Sanction") == []


TABLE = """Flows we traced

| Month | Shipper | Consignee | Description | Value (USD) |
|---|---|---|---|---|
| 2024-03 | Harlow Precision Ltd | Amur Systems OOO | servo motors | 84,000 |
| 2024-05 | Qinlan Trading Co., Ltd. | Amur Systems OOO | lithium cells | 1,250,000 |
| 2024-06 | unknown | Amur Systems OOO | cables | 5,000 |
"""


def test_shipment_table_rows_are_supplies() -> None:
    assert _edges(TABLE, "EconomicActivity") == [
        ("Harlow Precision Ltd", "Amur Systems OOO", "servo motors", "84000", "2024-03"),
        ("Qinlan Trading Co., Ltd.", "Amur Systems OOO", "lithium cells", "1250000", "2024-05"),
    ]


def test_a_table_without_sender_and_receiver_columns_is_not_a_flow() -> None:
    text = TABLE.replace("Shipper", "Company").replace("Consignee", "Partner")
    assert _edges(text, "EconomicActivity") == []
