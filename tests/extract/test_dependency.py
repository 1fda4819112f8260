"""Relations read from the dependency parse: grammar the phrase rules cannot see.

Each case puts a relative clause, a passive, an appositive, a collective
subject or a prepositional path between the two parties; the old rules found
none of the relations marked ``parse`` here. Names are invented.
"""

from __future__ import annotations

import pytest

from redthread.extract import extract_text
from redthread.extract.dependency import frames, read_relations
from redthread.extract.mentions import Mention
from redthread.extract.parties import Party
from redthread.extract.relations import ENDS as EDGE_ENDS
from redthread.extract.relations import Relation
from redthread.extract.rules import fit_ranges


def relations(text: str) -> list[tuple[str, list[str], dict]]:
    """(schema, [names of its ends in FtM's order], properties) of every edge extracted from ``text``."""
    r = extract_text(text, doc_id="s", dataset="t")
    names = {e["id"]: (e["properties"].get("name") or ["?"])[0] for e in r.entities}
    out = []
    for e in r.entities:
        if e["schema"] not in EDGE_ENDS:
            continue
        p = e["properties"]
        out.append((e["schema"], [names[p[k][0]] for k in EDGE_ENDS[e["schema"]] if k and k in p], p))
    return out


def _has(found: list, schema: str, ends: list[str]) -> bool:
    return any(s == schema and e == ends for s, e, _ in found)


CASES = [
    # a collective subject stands for the companies just listed
    ("Tarn Metals LLC and Brisk Optics OOO were registered in 2021. These companies procured gyroscopes "
     "for Volkov Avia JSC, a Russian airframe maker.",
     [("EconomicActivity", ["Tarn Metals LLC", "Volkov Avia JSC"]),
      ("EconomicActivity", ["Brisk Optics OOO", "Volkov Avia JSC"])]),
    # a passive inside a relative clause: the owner is the by-phrase, the asset the noun the clause hangs on
    ("The invoices went to Saltmarsh Trading Ltd, which was wholly owned by Irina Valko.",
     [("Ownership", ["Irina Valko", "Saltmarsh Trading Ltd"])]),
    # a prepositional path two levels deep
    ("Orders were placed by Mirek Hasel on behalf of Kestrel Dynamics JSC.",
     [("Representation", ["Mirek Hasel", "Kestrel Dynamics JSC"])]),
    ("Mirek Hasel signed the contracts and acted as a front for Kestrel Dynamics JSC.",
     [("Representation", ["Mirek Hasel", "Kestrel Dynamics JSC"])]),
    # a copula with a noun predicate and its "of" object
    ("Kestrel Dynamics JSC is a state-owned subsidiary of Borova Holding OAO.",
     [("Ownership", ["Borova Holding OAO", "Kestrel Dynamics JSC"])]),
    # "its" is the organisation the sentence before is about; the appositive names the director
    ("Saltmarsh Trading Ltd shipped valves to Kestrel Dynamics JSC. Its director, Irina Valko, signed the invoices.",
     [("Directorship", ["Irina Valko", "Saltmarsh Trading Ltd"])]),
    # "worked with" between two people: the rule's employment becomes an association once both are persons
    ("Irina Valko previously worked with Mr. Mirek Hasel.",
     [("Associate", ["Irina Valko", "Mirek Hasel"])]),
    # a tie in the passive has no doer: its subject is one end
    ("Volkov Avia JSC is closely tied to Borova Holding OAO.",
     [("UnknownLink", ["Volkov Avia JSC", "Borova Holding OAO"])]),
    ("Saltmarsh Trading Ltd has worked with Kestrel Dynamics JSC since 2019.",
     [("UnknownLink", ["Saltmarsh Trading Ltd", "Kestrel Dynamics JSC"])]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_parse_relations(text: str, expected: list[tuple[str, list[str]]]) -> None:
    found = relations(text)
    for schema, ends in expected:
        assert _has(found, schema, ends), (schema, ends, found)


def test_an_appositive_role_is_not_shared_by_the_next_conjunct() -> None:
    """"A, the director of X, and B, a director of Y": B is no director of X."""
    found = relations("The order names Irina Valko, the managing director of Saltmarsh Trading Ltd, "
                      "and Mirek Hasel, a director of Kestrel Dynamics JSC.")
    assert _has(found, "Directorship", ["Irina Valko", "Saltmarsh Trading Ltd"]), found
    assert not _has(found, "Directorship", ["Mirek Hasel", "Saltmarsh Trading Ltd"]), found


def test_payments_received_are_no_supply() -> None:
    found = relations("Saltmarsh Trading Ltd received payments from Kestrel Dynamics JSC in 2023.")
    assert not _has(found, "EconomicActivity", ["Kestrel Dynamics JSC", "Saltmarsh Trading Ltd"]), found


@pytest.mark.parametrize("text", [
    "Irina Valko did not work with Mirek Hasel.",
    "Saltmarsh Trading Ltd denied that it supplied valves to Kestrel Dynamics JSC.",
])
def test_negation_reads_nothing(text: str) -> None:
    found = relations(text)
    assert not [f for f in found if f[0] in ("Associate", "UnknownLink", "EconomicActivity")], found


def test_an_edge_over_a_person_fits_ftm_ranges() -> None:
    """Once the document types its parties, no ownership or directorship points at a person."""
    person = Mention(0, 4, "Irina Valko", "ner", party=0)
    person.vote("Person", 5.0)
    other = Mention(10, 14, "Mirek Hasel", "ner", party=1)
    other.vote("Person", 5.0)
    firm = Mention(20, 24, "Borova Holding OAO", "legal", party=2)
    firm.vote("Company", 5.0)
    parties = [Party(0, [person]), Party(1, [other]), Party(2, [firm])]
    rels = [Relation("Ownership", firm, person, (0, 30), "t"), Relation("Employment", person, other, (0, 30), "t"),
            Relation("Employment", person, firm, (0, 30), "t")]
    kept = [(r.schema, r.source.text, r.target.text if r.target else None) for r in fit_ranges(rels, parties)]
    assert kept == [("Associate", "Irina Valko", "Mirek Hasel"), ("Employment", "Irina Valko", "Borova Holding OAO")]


def test_rules_win_over_the_parse() -> None:
    """A pair the rules already relate gets nothing from the parse (no second, vaguer edge)."""
    found = relations("Borova Holding OAO owns 60% of Saltmarsh Trading Ltd, which works with Borova Holding OAO.")
    assert [f[0] for f in found if f[0] in ("Ownership", "UnknownLink")] == ["Ownership"], found


def test_frames_are_data() -> None:
    fr = frames()
    assert any(f.schema == "EconomicActivity" and f.lemmas and "procure" in f.lemmas for f in fr.verbs)
    assert any(f.schema == "Representation" and "prep:as front for" in f.target for f in fr.verbs)
    # the lexicon's roles become noun frames
    assert any(f.schema == "Directorship" and f.lemmas and "general director" in f.lemmas for f in fr.nouns)
    assert fr.trigger.search("they procured parts") and not fr.trigger.search("the weather was fine")


def test_nothing_to_parse_loads_no_parser() -> None:
    """A sentence with one party and no frame word is never parsed."""
    assert read_relations("Irina Valko lives in Riga.", [(0, 26)], [], [], []) == []


def test_a_numbered_group_is_the_last_parties_listed() -> None:
    """"three companies with which X was affiliated": the three companies named just before, not the agency."""
    text = ("The Bureau of Industry and Security issued an order against Irina Valko, Saltmarsh Trading Ltd, "
            "Tarn Metals LLC and Brisk Optics OOO, three companies with which Irina Valko was affiliated.")
    found = relations(text)
    for firm in ("Saltmarsh Trading Ltd", "Tarn Metals LLC", "Brisk Optics OOO"):
        assert any(s in ("Associate", "UnknownLink") and set(e) == {"Irina Valko", firm} for s, e, _ in found), found
    assert not any("Bureau of Industry and Security" in e and s == "UnknownLink" for s, e, _ in found), found


def test_the_appositive_head_is_its_last_noun() -> None:
    """", a family firm in Bursa": the head is "firm" (a company), not the first word "family"."""
    from redthread.extract.mentions import patterns

    m = patterns().appositive.search(", a family firm in Bursa, delivered lathes")
    assert m is not None and m.group("noun") == "firm"
    m = patterns().appositive.search(", a Shenzhen-based supplier of drones")
    assert m is not None and m.group("noun") == "supplier"
    m = patterns().appositive.search(", a Chinese university closely linked to the military")
    assert m is not None and m.group("noun") == "university"
    # a list is no appositive: "A, the Foo airport and the company B"
    assert patterns().appositive.search(", the Foo airport and the company Bar, which") is None


def test_sanctions_from_the_parse_reach_every_listed_target() -> None:
    """"issued an order against A, B ... and others, including C": every party named is a target."""
    text = ("The Bureau of Industry and Security issued a temporary denial order against Irina Valko, Saltmarsh "
            "Trading Ltd (\u201cSaltmarsh\u201d)\u2014a company she controlled\u2014and several other companies, "
            "including Kestrel Dynamics JSC, a Russian parts supplier.")
    found = relations(text)
    targets = {e[0] for s, e, p in found if s == "Sanction" and p.get("authority") == ["Bureau of Industry and Security"]}
    assert {"Irina Valko", "Saltmarsh Trading Ltd", "Kestrel Dynamics JSC"} <= targets, found


def test_a_negated_sanction_reads_nothing() -> None:
    found = relations("The Treasury did not sanction Saltmarsh Trading Ltd.")
    assert not [f for f in found if f[0] == "Sanction"], found


DENIAL = """BUREAU OF INDUSTRY AND SECURITY
Order Renewing Order Temporarily Denying Export Privileges

In the Matter of:
Kestrel Dynamics JSC, 3 Lesnaya Street, Kazan, Russia;
Mirek Hasel, 22 Harbour Road, Limassol, Cyprus;
Respondents.

The Office of Export Enforcement asked that the order be renewed for 180 days, as the respondents bought
parts from U.S. suppliers.
"""


def test_a_denial_order_caption_lists_its_targets() -> None:
    r = extract_text(DENIAL, doc_id="d", dataset="t")
    names = {e["id"]: e["properties"].get("name", ["?"])[0] for e in r.entities}
    targets = {names[e["properties"]["entity"][0]] for e in r.entities if e["schema"] == "Sanction"
               and e["properties"].get("authority") == ["Bureau of Industry and Security"]}
    assert {"Kestrel Dynamics JSC", "Mirek Hasel"} <= targets, targets


def test_a_court_caption_is_no_sanction() -> None:
    text = DENIAL.replace("Order Renewing Order Temporarily Denying Export Privileges", "Complaint for Damages")
    r = extract_text(text, doc_id="d", dataset="t")
    assert not [e for e in r.entities if e["schema"] == "Sanction"], r.entities
