"""Sanctions, offices and descriptors as officials and reporters word them (sentences we wrote).

Each test fails on the extractor before issue #22: sanctions needed an authority
right after the verb ("designated by OFAC"), titles were swallowed into names,
and "X-based" descriptors were glued onto names.
"""

from __future__ import annotations

from typing import Any

from redthread.extract import extract_text

PARTIES = ("Person", "Company", "Organization", "PublicBody")


def _run(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]], list[tuple[str, str]]]:
    r = extract_text(text, doc_id="s", dataset="t")
    names = {e["id"]: (e["properties"].get("name") or ["?"])[0] for e in r.entities}
    parties = sorted((e["schema"], names[e["id"]]) for e in r.entities if e["schema"] in PARTIES)
    sanctions = sorted((names[e["properties"]["entity"][0]], e["properties"]["authority"][0], "")
                       for e in r.entities if e["schema"] == "Sanction")
    edges: list[tuple[str, str]] = []
    for e in r.entities:
        p: dict[str, Any] = e["properties"]
        if e["schema"] == "Employment":
            edges.append((names[p["employee"][0]], names[p["employer"][0]]))
        if e["schema"] == "Directorship":
            edges.append((names[p["director"][0]], names[p["organization"][0]]))
    return parties, sanctions, sorted(edges)


def targets(text: str) -> list[tuple[str, str]]:
    return [(t, a) for t, a, _ in _run(text)[1]]


def test_issuing_body_is_the_authority_of_a_listed_designation() -> None:
    text = ("WASHINGTON — The U.S. Department of State today announced new measures.\n\n"
            "The Department sanctioned Kalvero Trading LLC, Danish national Petra Holm, and Ostmark Rail AG, "
            "alleging they shipped turbine parts.")
    assert targets(text) == [("Kalvero Trading LLC", "US Department of State"),
                             ("Ostmark Rail AG", "US Department of State"),
                             ("Petra Holm", "US Department of State")]


def test_imposed_sanctions_on_and_designation_of() -> None:
    text = ("The Treasury Department on Monday imposed sanctions on Brenwick Marine Ltd and its parent, "
            "Solvay Ridge Holdings Ltd, for moving fuel. Today's action also includes the designation of "
            "Corvin Aldane, a shipping broker.")
    got = targets(text)
    assert ("Brenwick Marine Ltd", "Office of Foreign Assets Control") in got
    assert ("Corvin Aldane", "Office of Foreign Assets Control") in got


def test_entity_list_additions_and_prefixed_designations() -> None:
    text = ("The Commerce Department added Quarto Devices Co., Ltd. and Pellmark Optics Ltd to the Entity List. "
            "Orrin Systems JSC was added to the Entity List in March. "
            "The shipments went to OFAC-designated Varnak Aero LLC.")
    got = {t for t, _ in targets(text)}
    assert got == {"Quarto Devices Co., Ltd.", "Pellmark Optics Ltd", "Orrin Systems JSC", "Varnak Aero LLC"}


def test_back_reference_to_a_list_already_designated() -> None:
    text = ("Today the State Department acted against a network supporting Halvorsen Dynamics Ltd and "
            "Brisk Tern Aviation LLC, both of which are U.S.-designated entities.")
    got = {t for t, _ in targets(text)}
    assert {"Halvorsen Dynamics Ltd", "Brisk Tern Aviation LLC"} <= got


def test_a_clause_word_ends_the_target_list() -> None:
    text = "OFAC sanctioned Merrow Freight LLC for supplying Tarsis Electronics Ltd with radar parts."
    assert {t for t, _ in targets(text)} == {"Merrow Freight LLC"}


def test_negated_sanctions_are_not_sanctions() -> None:
    text = "The Treasury Department has not sanctioned Peldon Works Ltd."
    assert targets(text) == []


def test_titles_name_the_office_body_and_are_not_parties() -> None:
    text = ("The U.S. Commerce Department acted. The U.S. Treasury Department agreed. "
            "“We act,” said Under Secretary of Commerce for Industry and Security Ilona M. Varga. "
            "Treasury Secretary Dorian Hale said more would come. "
            "Fenna Stroud, a Treasury sanctions official, said so.")
    parties, _, edges = _run(text)
    names = {n for _, n in parties}
    assert "Commerce for Industry and Security" not in names and "Industry and Security Ilona M. Varga" not in names
    assert ("Person", "Ilona M. Varga") in parties
    assert ("Ilona M. Varga", "U.S. Commerce Department") in edges
    assert ("Dorian Hale", "U.S. Treasury Department") in edges
    assert ("Fenna Stroud", "U.S. Treasury Department") in edges


def test_office_after_the_name_goes_to_the_possessed_body() -> None:
    text = ("Assistant Attorney General Noor Halim of the Justice Department’s National Security Division "
            "and Deputy Secretary Ivo Brandt of the Commerce Department’s Bureau of Industry and Security spoke.")
    parties, _, edges = _run(text)
    assert ("Noor Halim", "National Security Division") in edges
    assert ("Ivo Brandt", "Bureau of Industry and Security") in edges
    assert ("PublicBody", "Justice Department") in parties


def test_based_descriptors_are_not_names() -> None:
    text = ("Hong Kong-based Lianfeng Precision Co Limited shipped gyroscopes to Tabriz-based Sanat Parvaz Co Ltd. "
            "Tomas Verhoek, president of the Oslo-based Arctic Policy Institute, commented.")
    parties, _, edges = _run(text)
    names = {n for _, n in parties}
    assert "Lianfeng Precision Co Limited" in names and "Sanat Parvaz Co Ltd." in names
    assert not any("based" in n or n in ("Oslo", "Hong Kong") for n in names)
    assert ("Tomas Verhoek", "Arctic Policy Institute") in edges


def test_short_form_of_a_country_prefixed_body_is_the_same_party() -> None:
    text = "The U.S. Commerce Department issued a rule. The Commerce Department said it would act."
    parties, _, _ = _run(text)
    assert [n for s, n in parties if "Commerce" in n] == ["U.S. Commerce Department"]


def test_initials_do_not_end_a_sentence() -> None:
    from redthread.extract.text import sentences

    text = ("The Department acted against buyers for Corvel Chemicals Ltd and R.K. Venn Ltd, all of which are "
            "U.S.-designated entities. Then it stopped.")
    assert len(sentences(text)) == 2  # "R.K." used to end the first sentence
    assert ("Corvel Chemicals Ltd", "United States") in targets(text)


def test_an_inline_list_after_the_following_colon() -> None:
    text = "OFAC designated the following entities: Merlo Tech LLC, Quist Avia JSC and Danvers Parts Ltd."
    assert {t for t, _ in targets(text)} == {"Merlo Tech LLC", "Quist Avia JSC", "Danvers Parts Ltd."}
