"""Parties typed and grouped from what the document says about them (round 3 of #22).

Each case failed before: a person found by a relation slot alone ("owned by Ali Kaya") was typed
as a company for want of a vote; a trading name NER cut in two ("Arkona" + "Tezgah Sanayi") gave
two persons; the short form of a firm NER read as a person was kept apart; "the dealer, X," and
"a stake in X" said nothing about X's kind; "the Russian plant" found no plant whose country the
text had not stated. Names are invented.
"""

from __future__ import annotations

from redthread.extract import extract_text
from redthread.extract.relations import ENDS as EDGE_ENDS


def parties_and_edges(text: str) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    r = extract_text(text, doc_id="s", dataset="t")
    names = {e["id"]: (e["properties"].get("name") or ["?"])[0] for e in r.entities}
    kinds = {names[e["id"]]: e["schema"] for e in r.entities
             if e["schema"] in ("Person", "Company", "Organization", "PublicBody")}
    edges = set()
    for e in r.entities:
        if e["schema"] in EDGE_ENDS:
            first, second = EDGE_ENDS[e["schema"]]
            p = e["properties"]
            edges.add((e["schema"], names[p[first][0]],
                       names[p[second][0]] if second else ",".join(p.get("authority", []))))
    return kinds, edges


def test_a_person_found_by_a_slot_is_read_by_ner() -> None:
    kinds, edges = parties_and_edges("Marmara Enerji was owned by Ali Kaya.")
    assert kinds == {"Marmara Enerji": "Company", "Ali Kaya": "Person"}
    assert ("Ownership", "Ali Kaya", "Marmara Enerji") in edges


def test_a_trading_name_without_legal_form_is_one_company() -> None:
    kinds, edges = parties_and_edges(
        "The dealer, Arkona Tezgah Sanayi, sold lathes to Kama Machine Works JSC. Arkona Tezgah is run by "
        "Levent Ozturk, whose brother Cem Ozturk owns a 40 percent stake in the firm.")
    assert kinds.get("Arkona Tezgah Sanayi") == "Company"
    assert "Arkona Tezgah" not in kinds and "Arkona" not in kinds and "Tezgah Sanayi" not in kinds
    assert kinds.get("Cem Ozturk") == "Person"
    assert ("EconomicActivity", "Arkona Tezgah Sanayi", "Kama Machine Works JSC") in edges
    assert ("Ownership", "Cem Ozturk", "Arkona Tezgah Sanayi") in edges


def test_two_names_with_a_comma_between_stay_two() -> None:
    kinds, _ = parties_and_edges("The order names Irina Valko, Saltmarsh Trading Ltd and Kestrel Dynamics JSC.")
    assert "Saltmarsh Trading Ltd" in kinds and not any("," in n for n in kinds)


def test_a_demonym_reference_reaches_a_party_of_unknown_country() -> None:
    _, edges = parties_and_edges(
        "Arkona Trade sold the lathes to Kama Machine Works, a maker of shell casings. The Russian plant was "
        "placed on the Commerce Department's Entity List in 2023.")
    assert ("Sanction", "Kama Machine Works", "Bureau of Industry and Security") in edges


def test_titles_and_offices_are_not_parties() -> None:
    """"Administrative Law Judge", "ALJ Bracken", "Secretary of Commerce for Export Enforcement": offices, not names."""
    kinds, _ = parties_and_edges(
        "Before me is a Recommended Decision issued by Administrative Law Judge (\u201cALJ\u201d) Tommy Bracken. "
        "The Chief ALJ assigned the appeal to ALJ Bracken. The Assistant Secretary of Commerce for Export "
        "Enforcement of the Bureau of Industry and Security issued a TDO against Kestrel Ltd.")
    assert kinds.get("Tommy Bracken") == "Person"
    assert not any(n in kinds for n in ("Administrative Law", "ALJ Bracken", "Commerce for Export Enforcement"))
    assert kinds.get("Bureau of Industry and Security") == "PublicBody"


def test_only_a_public_office_after_a_name_makes_it_a_title() -> None:
    """NER's "Kestrel Dynamics" before "Chairman" stays a party; its "Administrative Law" before "Judge" does not."""
    from redthread.extract.mentions import find_mentions
    from redthread.extract.text import sentences

    text = "Kestrel Dynamics Chairman Ivan Petrov met Administrative Law Judge Tommy Bracken."
    ner = [(0, 16, "ORG"), (26, 37, "PERSON"), (42, 60, "PERSON"), (67, 80, "PERSON")]
    found = {m.text for m in find_mentions(text, ner, [], sentences(text))}
    assert {"Kestrel Dynamics", "Ivan Petrov", "Tommy Bracken"} <= found
    assert "Administrative Law" not in found


def test_romanised_names_with_a_hyphenated_given_name_are_persons() -> None:
    """NER misses "O Song-chol" (a one-letter family name); "Hong Kong-based" is no name."""
    kinds, edges = parties_and_edges(
        "The State Department sanctioned North Korean O Song-chol and Russian entity Vega, LLC. "
        "Hong Kong-based firms and Saudi-led forces were named.")
    assert kinds.get("O Song-chol") == "Person"
    assert ("Sanction", "O Song-chol", "US Department of State") in edges
    assert not any("Kong-based" in n or "Saudi-led" in n for n in kinds)
