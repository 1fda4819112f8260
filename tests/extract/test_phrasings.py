"""One sentence, one relation: the phrasings the rules must understand (and the ones they must refuse)."""

from __future__ import annotations

from typing import Any

import pytest

from redthread.extract import extract_text

ENDS = ("owner", "asset", "controller", "controlled", "director", "organization", "employee", "employer",
        "person", "relative", "associate", "agent", "client", "payer", "beneficiary", "sender", "receiver", "entity")


def relations(sentence: str) -> list[tuple[str, list[str], dict[str, Any]]]:
    r = extract_text(sentence, doc_id="s", dataset="t")
    names = {e["id"]: (e["properties"].get("name") or ["?"])[0] for e in r.entities}
    out = []
    for e in r.entities:
        if e["schema"] in ("Person", "Company", "Organization", "PublicBody", "Document", "Address"):
            continue
        p = e["properties"]
        ends = [names[p[k][0]] for k in ENDS if k in p]
        out.append((e["schema"], ends, p))
    return out


CASES = [
    ("Orion Capital LLC acquired a 30% stake in Delta Drones JSC in 2022.",
     "Ownership", ["Orion Capital LLC", "Delta Drones JSC"], {"percentage": ["30"], "startDate": ["2022"]}),
    ("Delta Drones JSC, a subsidiary of Orion Capital LLC, makes airframes.",
     "Ownership", ["Orion Capital LLC", "Delta Drones JSC"], {}),
    ("Orion Capital LLC owns 51% of Vega Motors LLC.",
     "Ownership", ["Orion Capital LLC", "Vega Motors LLC"], {"percentage": ["51"]}),
    ("Delta Drones JSC is headed by Pavel Ivanov.",
     "Directorship", ["Pavel Ivanov", "Delta Drones JSC"], {"role": ["head"]}),
    ("Pavel Ivanov, CEO of Delta Drones JSC, declined to comment.",
     "Directorship", ["Pavel Ivanov", "Delta Drones JSC"], {"role": ["ceo"]}),
    ("Delta Drones JSC CEO Pavel Ivanov declined to comment.",
     "Directorship", ["Pavel Ivanov", "Delta Drones JSC"], {"role": ["ceo"]}),
    ("Anna Petrova was appointed general director of Vega Motors LLC in 2021.",
     "Directorship", ["Anna Petrova", "Vega Motors LLC"], {"role": ["general director"], "startDate": ["2021"]}),
    ("Anna Petrova works for Orion Capital LLC.",
     "Employment", ["Anna Petrova", "Orion Capital LLC"], {}),
    ("Orion Capital LLC transferred $5 million to Vega Motors LLC in May 2023.",
     "Payment", ["Orion Capital LLC", "Vega Motors LLC"], {"amount": ["5000000"], "currency": ["USD"]}),
    ("Vega Motors LLC received $2 million from Orion Capital LLC.",
     "Payment", ["Orion Capital LLC", "Vega Motors LLC"], {"amount": ["2000000"]}),
    ("Delta Drones JSC imported 500 motors from Sunrise Electronics Co., Ltd. in 2024.",
     "EconomicActivity", ["Sunrise Electronics Co., Ltd.", "Delta Drones JSC"], {"goodsDescription": ["500 motors"]}),
    ("Sunrise Electronics Co., Ltd. exported cameras worth $3 million to Delta Drones JSC.",
     "EconomicActivity", ["Sunrise Electronics Co., Ltd.", "Delta Drones JSC"], {"customsAmount": ["3000000"]}),
    ("The EU sanctioned Delta Drones JSC in February 2023.",
     "Sanction", ["Delta Drones JSC"], {"authority": ["European Union"], "startDate": ["2023-02"]}),
    ("Delta Drones JSC was added to the Entity List by the Commerce Department in 2024.",
     "Sanction", ["Delta Drones JSC"], {"authority": ["Bureau of Industry and Security"]}),
    ("Today, the Office of Foreign Assets Control (OFAC) designated Kyrgyz national Ruslan Temirovich Osmonov "
     "(Руслан Темирович Осмонов) pursuant to Executive Order 14024.",
     "Sanction", ["Ruslan Temirovich Osmonov"], {"authority": ["Office of Foreign Assets Control"],
                                                 "program": ["Executive Order 14024"]}),
    ("Vega Motors LLC is under EU sanctions.",
     "Sanction", ["Vega Motors LLC"], {"authority": ["European Union"]}),
    ("Pavel Ivanov is the brother of Anna Petrova.",
     "Family", ["Anna Petrova", "Pavel Ivanov"], {"relationship": ["brother"]}),
    ("Pavel Ivanov and his wife, Maria Ivanova, visited the plant.",
     "Family", ["Pavel Ivanov", "Maria Ivanova"], {"relationship": ["wife"]}),
    ("Pavel Ivanov founded the firm. His wife, Maria Ivanova, keeps the books.",
     "Family", ["Pavel Ivanov", "Maria Ivanova"], {"relationship": ["wife"]}),
    ("Vega Motors LLC is controlled by Pavel Ivanov through Orion Capital LLC.",
     "Control", ["Pavel Ivanov", "Vega Motors LLC"], {}),
]


@pytest.mark.parametrize(("sentence", "schema", "ends", "props"), CASES)
def test_phrasing(sentence: str, schema: str, ends: list[str], props: dict[str, list[str]]) -> None:
    found = [r for r in relations(sentence) if r[0] == schema and r[1] == ends]
    assert len(found) == 1, relations(sentence)
    for key, value in props.items():
        assert found[0][2].get(key) == value, (key, found[0][2])


@pytest.mark.parametrize(
    "sentence",
    [
        "Vega Motors LLC was not sanctioned by the United Kingdom.",
        "Sunrise Electronics Co., Ltd. did not ship anything to Vega Motors LLC.",
        "Sunrise Electronics Co., Ltd. denied selling to Vega Motors LLC.",
        "Orion Capital LLC has never owned shares in Vega Motors LLC.",
        "Vega Motors LLC, the wholesaler that received the motors, said it had never bought goods from Orion Capital LLC.",
    ],
)
def test_negated_phrasings_yield_nothing(sentence: str) -> None:
    assert relations(sentence) == []


def test_hard_wrapped_lines_are_one_sentence() -> None:
    from redthread.extract.text import sentences

    text = ("Sunrise Electronics Co., Ltd., a supplier based in the south of the country, exported\n"
            "cameras worth $3 million to Delta Drones JSC in 2024.\n\nHeading\nNext line.")
    assert [text[a:b] for a, b in sentences(text)][1:] == ["Heading", "Next line."]
    found = [r for r in relations(text) if r[0] == "EconomicActivity"]
    assert found and found[0][1] == ["Sunrise Electronics Co., Ltd.", "Delta Drones JSC"]


def test_birth_date_is_not_the_relation_date() -> None:
    (rel,) = [r for r in relations("Marat Osmonov (born 14 March 1979) is the general director of Vega Motors LLC.")
              if r[0] == "Directorship"]
    assert "startDate" not in rel[2]


def _facts(text: str, prop: str) -> dict[str, list[str]]:
    r = extract_text(text, doc_id="f", dataset="t")
    return {(e["properties"].get("name") or ["?"])[0]: e["properties"][prop]
            for e in r.entities if prop in e["properties"] and e["schema"] not in ("Sanction", "Document")}


def test_indented_continuation_of_a_list_item_is_one_sentence() -> None:
    text = ("Notes.\n\n- Northwind Avionics AO, a Tomsk drone maker, was designated by the Office of\n"
            "  Foreign Assets Control on 3 May 2024.\n- Baltic Rotor LLC was listed by the Office of Foreign "
            "Assets Control on 9 June 2024.\n")
    got = sorted((ends[0], p["authority"][0], p["startDate"][0])
                 for schema, ends, p in relations(text) if schema == "Sanction")
    assert got == [("Baltic Rotor LLC", "Office of Foreign Assets Control", "2024-06-09"),
                   ("Northwind Avionics AO", "Office of Foreign Assets Control", "2024-05-03")]


def test_a_list_of_parties_shares_the_designation() -> None:
    text = "Vega Motors LLC, Delta Drones Ltd and Orion Capital LLC were designated by the Treasury on 2 June 2024."
    got = sorted(ends[0] for schema, ends, _ in relations(text) if schema == "Sanction")
    assert got == ["Delta Drones Ltd", "Orion Capital LLC", "Vega Motors LLC"]
    # a party named between subject and verb that is not part of a list still blocks the reading
    assert not [r for r in relations("Vega Motors LLC said Delta Drones JSC was designated by the Treasury.")
                if r[0] == "Sanction" and r[1] == ["Vega Motors LLC"]]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Kestrel Rotor LLC was registered in October 2022, a directory shows.", {"Kestrel Rotor LLC": ["2022-10"]}),
    ("Kestrel Rotor LLC, a Bishkek trading firm, was incorporated on 4 March 2021.",
     {"Kestrel Rotor LLC": ["2021-03-04"]}),
    ("Kestrel Rotor LLC was founded in Almaty in 2019 by two engineers.", {"Kestrel Rotor LLC": ["2019"]}),
    ("Orion Capital LLC sold parts to Baltic Drone LLP, which was registered in May 2023.",
     {"Baltic Drone LLP": ["2023-05"]}),
    ("Kestrel Rotor LLC was not registered in 2020.", {}),
    ("Kestrel Rotor LLC was registered in early 2021.", {}),  # a period, not a date to compare
    ("Kestrel Rotor LLC was registered at 5 Main Street in 2021.", {}),
])
def test_incorporation_dates_from_prose(sentence: str, expected: dict[str, list[str]]) -> None:
    assert _facts(sentence, "incorporationDate") == expected


def test_each_owner_keeps_the_share_stated_next_to_it() -> None:
    text = "Vega Motors LLC is 30% owned by Pavel Ivanov and 25% owned by Orion Capital LLC."
    got = sorted((ends[0], p.get("percentage")) for schema, ends, p in relations(text) if schema == "Ownership")
    assert got == [("Orion Capital LLC", ["25"]), ("Pavel Ivanov", ["30"])]
