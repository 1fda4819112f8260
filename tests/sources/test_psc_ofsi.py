"""UK registers and lists: Companies House PSC snapshot lines (and the OFSI consolidated list)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from redthread.ingest import ingest
from redthread.ingest.base import sniff_loader
from redthread.store import Store

PSC = "data/formats/uk-psc/psc-snapshot-lines.jsonl"


def test_psc_snapshot_lines(store: Store, shared: Path) -> None:
    assert sniff_loader(shared / PSC).name == "uk-psc"
    (result,), errors = ingest(store, [shared / PSC], "psc")
    assert errors == []
    parties = {s.entity_id for s in store.statements(dataset="psc") if s.entity_id.startswith("gb-psc-")
               and s.prop == "id" and s.schema in ("Person", "Company", "LegalEntity")}
    assert len(parties) == 18  # 35 lines: 16 totals, one PSC statement, 18 persons with control
    feldman = next(e for e in store.entities(dataset="psc") if e["caption"] == "Mr Marc Anthony Feldman")
    assert feldman["properties"]["birthDate"] == ["1961-12"] and feldman["properties"]["lastName"] == ["Feldman"]
    stakes = [e for e in store.entities(dataset="psc", schemata=["Ownership"])
              if e["properties"].get("owner") == [feldman["id"]]]
    assert [s["properties"]["percentage"] for s in stakes] == [["75-100"]]
    assert stakes[0]["properties"]["asset"] == ["gb-coh-08209948"]
    kinds = Counter(e["schema"] for e in store.entities(dataset="psc"))
    assert kinds["UnknownLink"] == 5  # appointing directors, significant influence
    company = store.entity("gb-coh-08209948")
    assert company is not None and any("no-individual-or-entity" in n for n in company["properties"]["notes"])


OFSI = "data/formats/uk-ofsi-csv/ofsi-conlist-2018-04-13.csv"


def test_ofsi_consolidated_list(store: Store, shared: Path) -> None:
    assert sniff_loader(shared / OFSI).name == "uk-ofsi"
    (result,), errors = ingest(store, [shared / OFSI], "ofsi")
    assert errors == [] and result.source == "uk-ofsi-conlist"
    kinds = Counter(s.schema for s in store.statements(dataset="ofsi") if s.prop == "id")
    assert (kinds["Person"], kinds["Organization"], kinds["Sanction"]) == (1426, 680, 2106)  # one per Group ID
    names = [s for s in store.statements(dataset="ofsi") if s.prop == "name"]
    assert len(names) == 2106  # the Prime Alias is the name, every other row an alias
    person = store.entity("ofsi-13349")
    assert person is not None
    assert person["properties"]["birthDate"] == ["1980", "1981"]  # 00/00/1980: the year only
    assert person["properties"]["nationality"] == ["qa", "sa"]  # "1) Saudi Arabia 2) Qatar"
    sanction = store.entity("ofsi-13349-sanction")
    assert sanction is not None and sanction["properties"]["unscId"] == ["QDe.004"]
    assert sanction["properties"]["listingDate"] == ["2016-04-01"]


def test_psc_roles_carry_the_level_of_each_nature(store: Store, shared: Path) -> None:
    """Each nature of control keeps how it is held: ``-as-trust`` / ``-as-firm`` natures are held through
    the trustees or the firm (indirect), a relevant legal entity holds its interest itself (direct), an
    individual's plain nature does not say (unknown). Before, every role was the bare nature (read as
    direct). Counts from the raw lines of the real snapshot."""
    import json

    expected: Counter[tuple[str, str]] = Counter()
    for raw in (shared / PSC).read_text().splitlines():
        data = json.loads(raw)["data"]
        kind = data.get("kind", "")
        for nature in data.get("natures_of_control") or []:
            level = ("indirect" if "-as-trust" in nature or "-as-firm" in nature
                     else "direct" if kind.startswith(("corporate-entity", "legal-person")) else "unknown")
            expected[(nature, level)] += 1
    assert expected[("ownership-of-shares-more-than-25-percent-as-firm-registered-overseas-entity", "indirect")] == 1
    ingest(store, [shared / PSC], "psc")
    found: Counter[tuple[str, str]] = Counter()
    for link in store.entities(dataset="psc", schemata=["Ownership", "UnknownLink"]):
        (role,) = link["properties"]["role"]
        nature, _, level = role.rpartition(" (")
        found[(nature, level.rstrip(")"))] += 1
    assert found == expected
    assert sum(n for (_, level), n in found.items() if level == "indirect") == 2
    # The graph reads the indirect stake as an indirect holding, kept apart from direct stakes.
    from redthread.analyze.graph import KIND, load_graph

    graph = load_graph(store)
    indirect = [graph.link_labels[j] for j in range(len(graph.link_ids)) if graph.kind[j] == KIND["IndirectOwnership"]]
    assert len(indirect) == 1
    assert indirect[0].startswith("ownership-of-shares-more-than-25-percent-as-firm-registered-overseas-entity (indirect)")


def test_psc_record_of_the_wrong_shape_costs_that_record(store: Store, tmp_path: Path) -> None:
    """Narrowed JSON: a part of the wrong type (name elements as a list, a nature as a number) makes its
    record bad, named by line; the good record of the same file loads."""
    import orjson

    from redthread.errors import InputError

    good = {"company_number": "01234567", "data": {
        "kind": "individual-person-with-significant-control", "name": "Ann Example",
        "name_elements": {"forename": "Ann", "surname": "Example"}, "date_of_birth": {"year": 1970, "month": 3},
        "natures_of_control": ["ownership-of-shares-75-to-100-percent"], "links": {"self": "/company/x/psc/1"}}}
    listy = {"company_number": "07654321", "data": {**good["data"], "name_elements": ["Ann", "Example"],
                                                    "links": {"self": "/company/y/psc/2"}}}
    numeric = {"company_number": "07654322", "data": {**good["data"], "natures_of_control": [75],
                                                      "links": {"self": "/company/z/psc/3"}}}
    path = tmp_path / "psc.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in (good, listy, numeric)) + b"\n")
    results, errors = ingest(store, [path], "psc", "uk-psc", skip_errors=True)
    assert [e.line for e in errors] == [2, 3] and all(isinstance(e, InputError) for e in errors)
    assert "malformed PSC record" in errors[0].reason
    owned = [e for e in store.entities() if e["schema"] == "Ownership"]
    assert [o["properties"]["asset"] for o in owned] == [["gb-coh-01234567"]]
    owner = store.entity(owned[0]["properties"]["owner"][0])
    assert owner is not None and owner["properties"]["birthDate"] == ["1970-03"]


def test_psc_record_that_fails_part_way_leaves_nothing_behind(store: Store, tmp_path: Path) -> None:
    """A record is written whole or not at all: a birth month of the wrong shape is only read after the
    company and the person's name were built, and none of them may stay (the old loader kept the company
    and a nameless-birthday person of the bad line)."""
    import orjson

    person = {"kind": "individual-person-with-significant-control", "name": "Bo Sample",
              "name_elements": {"forename": "Bo", "surname": "Sample"}, "date_of_birth": {"year": 1981, "month": 7},
              "natures_of_control": ["voting-rights-25-to-50-percent"], "links": {"self": "/company/a/psc/1"}}
    bad_month = {**person, "date_of_birth": {"year": 1981, "month": [7]}, "links": {"self": "/company/b/psc/2"}}
    bad_nature = {**person, "natures_of_control": ["voting-rights-25-to-50-percent", {"nature": "x"}],
                  "links": {"self": "/company/c/psc/3"}}
    path = tmp_path / "psc-parts.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps({"company_number": number, "data": data}) for number, data in (
        ("00000011", person), ("00000022", bad_month), ("00000033", bad_nature))) + b"\n")
    _, errors = ingest(store, [path], "psc", "uk-psc", skip_errors=True)
    assert [(e.path, e.line) for e in errors] == [(str(path), 2), (str(path), 3)]
    lines = {s.location for s in store.statements()}
    assert lines == {"psc-parts.jsonl:1"}
    assert store.entity("gb-coh-00000022") is None and store.entity("gb-coh-00000033") is None
    assert store.entity("gb-coh-00000011") is not None
