"""BODS 0.2 / 0.3 / 0.4 from Open Ownership's own examples in ../shared/data/formats/bods."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from redthread.analyze.graph import KIND, Graph, load_graph
from redthread.analyze.ownership import blocked, blocked_bounds, effective_owners, owners_tree
from redthread.ingest import ingest
from redthread.ingest.base import sniff_loader
from redthread.ingest.bods import chain_of
from redthread.store import Store

B = "data/formats/bods"


def _links(store: Store, dataset: str) -> list[dict]:
    return list(store.entities(dataset=dataset, schemata=["Ownership", "Directorship", "UnknownLink"]))


@pytest.mark.parametrize(("name", "counts"), [
    ("bods-0.2-libcove-basic_1.json", {"Person": 1, "Company": 1, "Ownership": 1}),
    ("bods-0.3-libcove-basic_1.json", {"Person": 1, "Company": 1, "Ownership": 1}),
    ("bods-0.4-fermcat.json", {"Person": 3, "Company": 1, "Ownership": 3, "Directorship": 2}),
    ("bods-0.4-levent.json", {"Person": 3, "LegalEntity": 1, "UnknownLink": 4}),
    ("bods-0.4-tecido.json", {"Person": 1, "Company": 2, "Ownership": 4, "Directorship": 1}),
    ("bods-0.4-full-pep-declaration.json", {"Person": 1, "Company": 1, "Ownership": 2}),
])
def test_bods_examples_load(store: Store, shared: Path, name: str, counts: dict[str, int]) -> None:
    path = shared / B / name
    assert sniff_loader(path).name == "bods"
    (result,), errors = ingest(store, [path], "b")
    assert errors == []
    found = Counter(e["schema"] for e in store.entities(dataset="b"))
    assert dict(found) == counts


def test_bods_02_direct_shareholding(store: Store, shared: Path) -> None:
    ingest(store, [shared / B / "bods-0.2-libcove-basic_1.json"], "b")
    (own,) = _links(store, "b")
    person = store.entity(own["properties"]["owner"][0])
    company = store.entity(own["properties"]["asset"][0])
    assert person is not None and person["caption"] == "Christopher Taggart"
    assert "Chris Taggart" in person["properties"]["alias"] and person["properties"]["birthDate"] == ["1964-04"]
    assert company is not None and company["properties"]["registrationNumber"] == ["07444723"]
    assert own["properties"]["percentage"] == ["100"] and own["properties"]["startDate"] == ["2016-04-06"]


def test_bods_04_updates_and_closures(store: Store, shared: Path) -> None:
    ingest(store, [shared / B / "bods-0.4-tecido.json"], "t")
    stakes = {(o["properties"]["owner"][0], o["properties"]["ownershipType"][0]): o["properties"]
              for o in _links(store, "t") if o["schema"] == "Ownership"}
    trust = stakes[("bods-033E84672B", "shareholding")]
    assert trust["percentage"] == ["80"]  # the latest statement of the record wins
    maria = stakes[("bods-018AF6B3EB", "shareholding")]
    assert maria["percentage"] == ["30"] and maria["endDate"] == ["2023-03-03"]  # closed


def test_bods_04_share_ranges(store: Store, shared: Path) -> None:
    ingest(store, [shared / B / "bods-0.4-full-pep-declaration.json"], "p")
    pcts = {o["properties"]["percentage"][0] for o in _links(store, "p")}
    assert pcts == {"25-50"}
    person = next(e for e in store.entities(dataset="p") if e["schema"] == "Person")
    assert "role.pep" in person["properties"]["topics"]


def test_bods_04_arrangement_roles(store: Store, shared: Path) -> None:
    ingest(store, [shared / B / "bods-0.4-levent.json"], "l")
    trust = next(e for e in store.entities(dataset="l") if e["schema"] == "LegalEntity")
    assert trust["properties"]["legalForm"] == ["trust"]
    roles = {r.split(" ")[0] for o in _links(store, "l") for r in o["properties"]["role"]}
    assert roles == {"trustee", "settlor", "beneficiaryOfLegalArrangement"}


# An indirect holding through an intermediary, with the BODS 0.4 component records of its chain
# (none of the published examples has one; this file is ours, its parties invented).
CHAIN = Path(__file__).parents[1] / "fixtures" / "bods" / "indirect-chain.json"


def _sanction(tmp_path: Path, who: str) -> Path:
    path = tmp_path / "sanction.jsonl"
    path.write_text(json.dumps({"id": "s-1", "schema": "Sanction", "properties": {
        "entity": [who], "authority": ["Office of Foreign Assets Control"]}}) + "\n")
    return path


def test_bods_04_published_examples_have_no_components(shared: Path) -> None:
    """The contract the component handling rests on: every real 0.4 example says isComponent false."""
    for path in sorted((shared / B).glob("bods-0.4-*.json")):
        for st in json.loads(path.read_text()):
            assert st["recordDetails"]["isComponent"] is False, path.name
            assert "componentRecords" not in st["recordDetails"], path.name


def test_bods_04_component_records_keep_the_chain(store: Store) -> None:
    (result,), errors = ingest(store, [CHAIN], "c")
    assert errors == []
    own = {o["id"]: o["properties"] for o in _links(store, "c")}
    assert len(own) == 4
    indirect = own["bods-rel-orla-tern-indirect-shareholding-indirect-2023-06-01"]
    assert indirect["role"] == ["shareholding (indirect)"] and indirect["percentage"] == ["30"]
    assert chain_of(indirect["description"]) == ["bods-ent-kestrel", "bods-rel-orla-kestrel", "bods-rel-kestrel-tern"]
    component = own["bods-rel-kestrel-tern-shareholding-direct-2023-06-01"]
    assert component["description"] == ["component of indirect relationship bods-rel-orla-tern-indirect"]
    kestrel = store.entity("bods-ent-kestrel")
    assert kestrel is not None and kestrel["properties"]["description"] == [
        "component of indirect relationship bods-rel-orla-tern-indirect"]
    orla = store.entity("bods-per-orla")
    assert orla is not None and orla["properties"]["passportNumber"] == ["X1234567"]


def test_bods_indirect_holding_is_not_a_direct_stake(store: Store, tmp_path: Path) -> None:
    """Orla holds 25 % of Tern directly and 30 % through Kestrel (40 % × 75 %): 55 % in all. Read as
    a direct edge (as before), the stated indirect 30 % stood in for the direct 25 % and the chain
    was added on top: 60 %. Kestrel is not blocked (40 %), so Tern's blocked owners hold 25 %."""
    ingest(store, [CHAIN, _sanction(tmp_path, "bods-per-orla")], "c")
    assert {r["id"] for r in blocked(store)} == set()
    graph = load_graph(store)
    tern = graph.node("bods-ent-tern")
    assert tern is not None
    (owner,) = [o for o in effective_owners(graph, tern) if o["id"] == "bods-per-orla"]
    assert owner["effective_share"] == pytest.approx(25 + 30)  # 25 direct + 40 % × 75 % through Kestrel, once
    tree = owners_tree(store, "bods-ent-tern", graph=graph)
    (ind,) = tree["indirect_owners"]
    assert ind["node"]["id"] == "bods-per-orla" and ind["link"]["type"] == "IndirectOwnership"
    assert ind["link"]["percentage"] == 30
    assert [(c["source"], c["target"]) for c in ind["chain"]] == [
        ("bods-per-orla", "bods-ent-kestrel"), ("bods-ent-kestrel", "bods-ent-tern")]
    assert all(o["link"]["type"] != "IndirectOwnership" for o in tree["owners"])


# Shares held jointly: BODS models them as an ``arrangement`` entity that holds the stake, its
# interested parties being the joint holders (this file is ours, its parties invented).
JOINT = Path(__file__).parents[1] / "fixtures" / "bods" / "joint-holding.json"


def _sanctions(tmp_path: Path, *who: str) -> Path:
    path = tmp_path / "sanctions.jsonl"
    path.write_text("".join(json.dumps({"id": f"s-{w}", "schema": "Sanction", "properties": {
        "entity": [w], "authority": ["Office of Foreign Assets Control"]}}) + "\n" for w in who))
    return path


def test_bods_joint_holders_marked_joint(store: Store) -> None:
    (result,), errors = ingest(store, [JOINT], "j")
    assert errors == []
    own = {o["properties"]["owner"][0]: o["properties"] for o in _links(store, "j") if o["schema"] == "Ownership"}
    for holder in ("bods-per-ada", "bods-per-bram"):
        assert own[holder]["asset"] == ["bods-arr-heron-joint"]
        assert own[holder]["role"] == ["shareholding (direct) (joint)"]
        assert own[holder]["description"] == ["joint holder of arrangement bods-arr-heron-joint"]
        assert "percentage" not in own[holder]  # nothing invented: the source states no share
    assert own["bods-arr-heron-joint"]["percentage"] == ["60"]
    assert own["bods-arr-heron-joint"]["role"] == ["shareholding (direct)"]
    assert own["bods-per-cleo"]["role"] == ["shareholding (direct)"]


def test_bods_jointly_held_stake_of_a_sanctioned_co_holder(store: Store, tmp_path: Path) -> None:
    """Ada and Bram hold 60 % of Heron jointly. A sanctioned co-holder's interest extends to the whole
    undivided holding (OFAC blocks property in which a blocked person has any interest): Ada alone
    blocks the 60 % and so Heron. Before, her link had no share and counted for nothing."""
    ingest(store, [JOINT, _sanctions(tmp_path, "bods-per-ada")], "j")
    found = {r["id"]: r for r in blocked(store)}
    assert set(found) == {"bods-arr-heron-joint", "bods-ent-heron"}
    assert found["bods-ent-heron"]["blocked_share"] == 60
    assert [o["id"] for o in found["bods-ent-heron"]["owners"]] == ["bods-arr-heron-joint"]


def test_bods_joint_stake_counts_once(store: Store, tmp_path: Path) -> None:
    """Both co-holders sanctioned: the jointly held 60 % is one stake, not 60 + 60; with Cleo's 40 %
    (not sanctioned) Heron's blocked owners hold 60 %."""
    ingest(store, [JOINT, _sanctions(tmp_path, "bods-per-ada", "bods-per-bram")], "j")
    heron = {r["id"]: r for r in blocked(store)}["bods-ent-heron"]
    assert heron["blocked_share"] == 60
    graph = load_graph(store)
    node = graph.node("bods-ent-heron")
    assert node is not None
    shares = {o["id"]: o["effective_share"] for o in effective_owners(graph, node)}
    assert shares["bods-per-ada"] == pytest.approx(60) and shares["bods-per-bram"] == pytest.approx(60)
    assert shares["bods-per-cleo"] == pytest.approx(40)


def _co_holders(store: Store, dataset: str) -> set[frozenset[str]]:
    return {frozenset((o["properties"]["subject"][0], o["properties"]["object"][0]))
            for o in _links(store, dataset) if o["properties"].get("role") == ["joint holder with"]}


def test_bods_co_holders_linked_to_each_other(store: Store) -> None:
    """The co-holders of a joint holding are tied to each other, not only through the arrangement."""
    ingest(store, [JOINT], "j")
    assert _co_holders(store, "j") == {frozenset({"bods-per-ada", "bods-per-bram"})}


def test_bods_real_examples_invent_no_joint_holding(store: Store, shared: Path) -> None:
    """None of Open Ownership's examples in shared holds shares jointly (Levent's arrangement is a trust,
    its parties settlor, trustee and beneficiary): no link is marked joint, no co-holders, no holding made."""
    paths = sorted((shared / B).glob("*.json"))
    assert len(paths) == 6
    ingest(store, paths, "b")
    roles = [s.value for s in store.statements(dataset="b") if s.prop == "role"]
    assert roles and not any("(joint)" in r for r in roles)
    assert _co_holders(store, "b") == set()
    forms = [s.value for s in store.statements(dataset="b") if s.prop == "legalForm"]
    assert "arrangement" not in forms and "trust" in forms


# A joint holding said only in the interests' free-text details (no arrangement entity): ours, invented.
JOINT_DETAILS = Path(__file__).parents[1] / "fixtures" / "bods" / "joint-in-details.json"


def test_bods_joint_holding_stated_in_details_becomes_one_holding(store: Store) -> None:
    """Dana and Emil each state 55 % "held jointly with the other registered holder": one holding of
    55 %, not two stakes of 55 % (110 % of the company). Gus says "jointly" but nobody states the same
    stake with him: his 10 % stays his own, as published."""
    (result,), errors = ingest(store, [JOINT_DETAILS], "jd")
    assert errors == []
    own = [o["properties"] for o in _links(store, "jd") if o["schema"] == "Ownership"]
    holdings = [e for e in store.entities(dataset="jd", schemata=["LegalEntity"])]
    assert len(holdings) == 1
    arr = holdings[0]
    assert arr["properties"]["legalForm"] == ["arrangement"]
    assert arr["properties"]["name"] == ["joint holding of Dana Testholder and Emil Testholder"]
    (stake,) = [o for o in own if o["owner"] == [arr["id"]]]
    assert stake["asset"] == ["bods-ent-plover"] and stake["percentage"] == ["55"]
    by_owner = {o["owner"][0]: o for o in own}
    for holder in ("bods-per-dana", "bods-per-emil"):
        assert by_owner[holder]["asset"] == [arr["id"]]
        assert by_owner[holder]["role"] == ["shareholding (direct) (joint)"]
        assert "percentage" not in by_owner[holder]
        assert by_owner[holder]["description"][0] == f"joint holder of arrangement {arr['id']}"
    assert by_owner["bods-per-gus"]["asset"] == ["bods-ent-plover"]
    assert by_owner["bods-per-gus"]["percentage"] == ["10"]
    assert by_owner["bods-per-fenna"]["percentage"] == ["35"]
    assert _co_holders(store, "jd") == {frozenset({"bods-per-dana", "bods-per-emil"})}


def test_bods_joint_stake_in_details_counts_once_and_is_reported_together(store: Store, tmp_path: Path) -> None:
    """Both co-holders sanctioned: 55 % is blocked, not 110 %; with Gus also sanctioned, 65 %. The
    owner is the joint holding, and the rule names its holders, each with the link that says so."""
    ingest(store, [JOINT_DETAILS, _sanctions(tmp_path, "bods-per-dana", "bods-per-emil")], "jd")
    plover = {r["id"]: r for r in blocked(store)}["bods-ent-plover"]
    assert plover["blocked_share"] == 55
    (owner,) = plover["owners"]
    assert owner["id"].startswith("bods-ent-plover-joint-") and owner["share"] == 55
    holders = owner["joint_holders"]
    assert [(h["id"], h["sanctioned"]) for h in holders] == [("bods-per-dana", True), ("bods-per-emil", True)]
    assert all(h["link"]["evidence"] for h in holders)


def test_bods_one_blocked_co_holder_blocks_the_joint_stake(store: Store, tmp_path: Path) -> None:
    """One sanctioned co-holder is enough: the holding's 55 % is blocked property; the other holder is
    reported, not sanctioned."""
    ingest(store, [JOINT_DETAILS, _sanctions(tmp_path, "bods-per-emil")], "jd")
    plover = {r["id"]: r for r in blocked(store)}["bods-ent-plover"]
    assert plover["blocked_share"] == 55
    holders = {h["id"]: h["sanctioned"] for h in plover["owners"][0]["joint_holders"]}
    assert holders == {"bods-per-dana": False, "bods-per-emil": True}
    (bounded,) = [r for r in blocked_bounds(store) if r["id"] == "bods-ent-plover"]
    assert (bounded["status"], bounded["share_min"], bounded["share_max"]) == ("blocked", 55, 55)
    assert {h["id"] for h in bounded["owners"][0]["joint_holders"]} == set(holders)


def test_lazy_graph_ownership_evidence_equals_the_eager_graph(store: Store, shared: Path) -> None:
    """``load_graph(evidence=False)`` fetches a link's evidence when it is shown: for every ownership link
    (direct, indirect, joint) it is the same as the eager graph's, and so are the 50 % rule's owners."""
    ingest(store, [shared / B / "bods-0.4-tecido.json", JOINT, JOINT_DETAILS], "b")
    eager, lazy = load_graph(store), load_graph(store, evidence=False)
    assert eager.evidence is not None and lazy.evidence is None

    def ownership(graph: Graph) -> dict[str, dict]:
        kinds = {KIND["Ownership"], KIND["IndirectOwnership"]}
        return {graph.link_ids[j]: graph.link(j) for j in range(len(graph.link_ids)) if int(graph.kind[j]) in kinds}

    def key(ev: dict) -> str:
        return json.dumps(ev, sort_keys=True)

    first, second = ownership(eager), ownership(lazy)
    assert set(first) == set(second) and len(first) >= 10
    for lid, link in first.items():
        assert link["evidence"], lid
        assert sorted(map(key, link["evidence"])) == sorted(map(key, second[lid]["evidence"])), lid
        assert {k: v for k, v in link.items() if k != "evidence"} == {
            k: v for k, v in second[lid].items() if k != "evidence"}


def test_bods_record_that_fails_part_way_leaves_nothing_behind(store: Store, tmp_path: Path) -> None:
    """A statement is written whole or not at all: a person type or entity type of the wrong shape is
    read after the name was built, and that name may not stay (the old loader kept it, an entity of
    half a statement). The error names the file and the statement; the good statements load."""
    def person(sid: str, name: str, ptype: object) -> dict:
        return {"statementID": sid, "statementType": "personStatement", "personType": ptype,
                "names": [{"type": "individual", "fullName": name}]}

    statements = [
        person("p-good", "Cleo Whole", "knownPerson"),
        person("p-bad", "Dan Half", ["knownPerson"]),
        {"statementID": "e-bad", "statementType": "entityStatement", "entityType": [["registeredEntity"]],
         "name": "Half Holdings Ltd"},
        {"statementID": "e-good", "statementType": "entityStatement", "entityType": "registeredEntity",
         "name": "Whole Trading Ltd"},
        {"statementID": "r-1", "statementType": "ownershipOrControlStatement",
         "subject": {"describedByEntityStatement": "e-good"},
         "interestedParty": {"describedByPersonStatement": "p-good"},
         "interests": [{"type": "shareholding", "share": {"exact": 60}}]},
    ]
    path = tmp_path / "parts.json"
    path.write_text(json.dumps(statements))
    _, errors = ingest(store, [path], "parts", "bods", skip_errors=True)
    assert sorted(e.reason.split(" at ")[0] for e in errors) == [
        "malformed BODS entity 'e-bad'", "malformed BODS person 'p-bad'"]
    assert all(e.path == str(path) for e in errors)
    names = {v for e in store.entities(dataset="parts") for v in e["properties"].get("name", [])}
    assert names == {"Cleo Whole", "Whole Trading Ltd"}
    assert store.entity("bods-p-bad") is None and store.entity("bods-e-bad") is None
    assert [o["properties"]["percentage"] for o in store.entities(dataset="parts", schemata=["Ownership"])] == [["60"]]
