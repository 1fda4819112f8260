"""Party typing from what the sentence says about a name (invented names only).

Each case failed before ``party_types.py``: the names read like a person's and
carry no legal form or sector word, so only the context can type them.
"""

from __future__ import annotations

import pytest

from redthread.extract import extract_text


def _schemas(text: str) -> dict[str, str]:
    result = extract_text(text, doc_id="typing.txt", dataset="test")
    return {e["properties"]["name"][0]: e["schema"] for e in result.entities if e["schema"] in
            ("Person", "Company", "Organization", "PublicBody")}


@pytest.mark.parametrize(
    ("text", "name", "schema"),
    [
        # a role held at X: X is an organisation
        ("Investigators said Marta Kowal, a director of Selin Arda, met buyers in Minsk. "
         "Selin Arda later hired Tomas Brenner.", "Selin Arda", "Company"),
        # a verb only organisations take
        ("Records show Kerem Tunali was registered in Mersin in 2018. "
         "Kerem Tunali later sent payments to Brightwater Ltd.", "Kerem Tunali", "Company"),
        # X's chief executive: X is an organisation, the office holder a person
        ("Ozan Berk's chief executive, Dilan Sezer, met Hanbury Mills LLC in Rome.", "Ozan Berk", "Company"),
        ("Ozan Berk's chief executive, Dilan Sezer, met Hanbury Mills LLC in Rome.", "Dilan Sezer", "Person"),
        # the people stay people
        ("Investigators said Marta Kowal, a director of Selin Arda, met buyers in Minsk. "
         "Selin Arda later hired Tomas Brenner.", "Marta Kowal", "Person"),
    ],
)
def test_context_types_a_party(text: str, name: str, schema: str) -> None:
    assert _schemas(text).get(name) == schema


def test_predicate_noun_types_a_party() -> None:
    from redthread.extract.lexicon import lexicon
    from redthread.extract.mentions import Mention
    from redthread.extract.party_types import context_type_votes

    text = "Arin Solak is a trading firm in Mersin. Nevra Tan is a retired engineer from Adana."
    firm = Mention(start=0, end=10, text="Arin Solak", source="ner")
    at = text.index("Nevra Tan")
    person = Mention(start=at, end=at + 9, text="Nevra Tan", source="ner")
    context_type_votes(text, firm, lexicon())
    context_type_votes(text, person, lexicon())
    assert dict(firm.votes) == {"Company": 2.0}
    assert dict(person.votes) == {"Person": 2.0}
