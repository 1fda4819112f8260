"""Relations whose two ends are in different sentences or hidden by a participle (round 3 of #22).

Each case failed before: a sanction on a counted group of people whose members are named in the
next sentences; a sanction of "it" / "the company" stated after the party was introduced; a list
that names its keeper ("the Entity List") when no authority is named; a prefixed irregular verb
("resold"); goods "supplied by X" used by the subject of the sentence. Names are invented.
"""

from __future__ import annotations

import pytest

from redthread.extract import extract_text
from tests.extract.triples import edge_triples


def edges(text: str) -> set[tuple[str, str, str]]:
    """(schema, first end's name, second end's name or the authority) of every edge."""
    return edge_triples(extract_text(text, doc_id="s", dataset="t"))


GROUP = (
    "The U.S. Treasury Department imposed sanctions on Tuesday on three Freedonians it says bought radar parts "
    "for the army.\n\n"
    "\"These networks keep the programme alive,\" said Jane Q. Holloway, a Treasury sanctions official.\n\n"
    "Treasury named the first as Arvo Lindqvist-Mahr, a trader living in Vienna. It accuses Petra Sandoval of "
    "arranging payments and Omar Reyes-Quint of shipping the parts.\n\n"
    "Freedonia's foreign ministry spokesman Tomas Krall called the move illegal."
)


def test_members_of_a_counted_group_are_sanctioned_and_the_official_is_not() -> None:
    found = edges(GROUP)
    ofac = "Office of Foreign Assets Control"
    for person in ("Arvo Lindqvist-Mahr", "Petra Sandoval", "Omar Reyes-Quint"):
        assert ("Sanction", person, ofac) in found
    sanctioned = {a for s, a, _ in found if s == "Sanction"}
    assert "Jane Q. Holloway" not in sanctioned  # the quoted official is not a member
    assert "Tomas Krall" not in sanctioned  # past the count of three


def test_a_group_of_entities_is_not_read_as_persons() -> None:
    text = ("Treasury sanctioned four entities on Monday.\n\nMaria Olsen, a lawyer in Oslo, said the companies "
            "would appeal.")
    assert not any(s == "Sanction" for s, _, _ in edges(text))


@pytest.mark.parametrize("text, expected", [
    ("Kestrel Avionics Ltd sold gyroscopes to Baikal Aero JSC. Baikal Aero JSC was placed on the Entity List "
     "in 2022.", ("Sanction", "Baikal Aero JSC", "Bureau of Industry and Security")),
    ("Baikal Aero JSC buys navigation parts abroad. It was sanctioned by the European Union in 2023.",
     ("Sanction", "Baikal Aero JSC", "European Union")),
    ("Kestrel Avionics Ltd sold gyroscopes to Baikal Aero JSC. The company was added to the Entity List in 2022.",
     ("Sanction", "Baikal Aero JSC", "Bureau of Industry and Security")),
    ("Marten Trade LLC resold the sensors to Kazan Optics JSC.",
     ("EconomicActivity", "Marten Trade LLC", "Kazan Optics JSC")),
    ("Harbor Metals Ltd refined the copper supplied by Tanager Mining SA.",
     ("EconomicActivity", "Tanager Mining SA", "Harbor Metals Ltd")),
    # kinship in a relative clause: "X, whose brother Y"
    ("Arkona Tezgah is run by Levent Ozturk, whose brother Cem Ozturk owns a 40 percent stake in the firm.",
     ("Family", "Levent Ozturk", "Cem Ozturk")),
])
def test_relation_across_sentences_or_participles(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in edges(text)


def test_a_network_used_to_obtain_goods_supplies_its_user() -> None:
    """"X used a network of shell companies, including A and B, to obtain parts": A and B supplied X.

    The short forms are defined in quotes ('(“Tern Harbor”)') and must be known as the parties' names.
    """
    text = ("The order names Tern Harbor International (\u201cTern Harbor\u201d) and Gull Limited (\u201cGull\u201d).\n\n"
            "AeroNord Ltd used a network of shell companies, including Tern Harbor and Gull, to obtain parts.")
    found = edges(text)
    assert ("EconomicActivity", "Tern Harbor International", "AeroNord Ltd") in found
    assert ("EconomicActivity", "Gull Limited", "AeroNord Ltd") in found


def test_using_a_firm_for_something_else_is_no_supply() -> None:
    assert not any(s == "EconomicActivity" for s, _, _ in edges("Finch Trading Ltd used Wren Ltd as a bank."))


def test_a_tdo_is_no_party_and_its_targets_are_read() -> None:
    text = ("On June 12, 2024, the Bureau of Industry and Security issued a TDO against Karpov Aviation LLC, "
            "Petrel Wind International Limited (\u201cPetrel Wind\u201d)\u2014a company Karpov Aviation LLC "
            "controlled\u2014and several other companies, including AeroNord Ltd, a parts supplier.")
    r = extract_text(text, doc_id="s", dataset="t")
    assert not any(e["properties"].get("name") == ["TDO"] for e in r.entities)
    targets = {n for s, n, _ in edges(text) if s == "Sanction"}
    assert {"Karpov Aviation LLC", "Petrel Wind International Limited", "AeroNord Ltd"} <= targets
