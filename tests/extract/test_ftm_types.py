"""Extraction writes FtM values without importing followthemoney: the same types and the same cleaning.

redthread/extract/ftm_types.py keeps a table of property types generated from FtM's model and calls
the functions FtM's types call. These tests hold both to the installed FtM, and check that a fresh
process extracting a document never imports followthemoney (start-up: bench/extract/startup.py).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from followthemoney import model, registry
from hypothesis import given, settings
from hypothesis import strategies as st

from redthread.extract import ftm_types

ROOT = Path(__file__).resolve().parents[2]

#: Values that take each cleaning path: quotes, spaces, control and combining characters, dates in
#: many shapes, country names and codes, MIME types, ids with and without bad characters.
TRICKY = [
    "", " ", "\t\n", "Foo", "  Foo   Bar  ", "\"Foo Bar\"", "“Foo”", "'Foo'", "«ООО Ромашка»", "Foo\x00Bar", "Foo\u200bBar",
    "Cafe\u0301", "e\u0301", "2023", "2023-05", "2023-05-17", "17 May 2023", "May 2023", "2023-13-45", "2023-05-17T10:00:00",
    "yesterday", "Russia", "RU", "ru", "Russian Federation", "Hong Kong", "Iran", "Türkiye", "Atlantis", "UK", "eu",
    "text/plain", "TEXT/HTML", "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain\nX-Bad: 1", "nonsense", "abc-123", "abc 123", "a.b-c", "-abc", "abc-", "x" * 300, "51 %", "1,200,000", "USD", "Director",
]


def test_the_table_is_ftms_model() -> None:
    assert ftm_types.properties() == ftm_types.generate()  # regenerate: python -m redthread.extract.ftm_types


def test_a_schema_outside_the_table_is_asked_of_ftm() -> None:
    assert "Vessel" not in ftm_types.properties()
    assert ftm_types.property_type("Vessel", "imoNumber") == model.get("Vessel").get("imoNumber").type.name  # type: ignore[union-attr]
    assert ftm_types.property_type("Vessel", "noSuchProperty") is None
    assert ftm_types.property_type("NoSuchSchema", "name") is None
    assert ftm_types.property_type("Company", "noSuchProperty") is None


def _outcome(clean: Callable[[], str | None]) -> object:
    """The cleaned value, or the kind of error (FtM's MIME cleaning refuses a line break by raising)."""
    try:
        return clean()
    except Exception as exc:  # noqa: BLE001 - the same failure is part of the same behaviour
        return type(exc)


def _same(type_name: str, value: str) -> None:
    expected = _outcome(lambda: registry[type_name].clean(value, proxy=None, fuzzy=False))
    assert _outcome(lambda: ftm_types.clean(type_name, value)) == expected, (type_name, value)


def test_every_type_the_table_names_cleans_the_tricky_values_as_ftm() -> None:
    types = {t for props in ftm_types.properties().values() for t in props.values()}
    assert {"name", "string", "text", "entity", "date", "country", "mimetype", "number"} <= types
    for type_name in sorted(types):
        for value in TRICKY:
            _same(type_name, value)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["name", "string", "text", "entity", "date", "country", "mimetype", "number"]),
       st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_text_is_cleaned_as_ftm_cleans_it(type_name: str, value: str) -> None:
    _same(type_name, value)


def test_a_fresh_process_extracts_a_document_without_importing_followthemoney() -> None:
    code = (
        "import sys\n"
        "import redthread.extract as E\n"
        "r = E.extract_text('Orders were placed by Mirek Hasel on behalf of Kestrel Dynamics JSC, a subsidiary of '\n"
        "                   'Borova Holding OAO.', doc_id='a', dataset='b')\n"
        "assert r.by_schema('Ownership') and r.by_schema('Representation'), r.entities\n"
        "print(sorted(m for m in ('followthemoney', 'sqlalchemy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "REDTHREAD_EXTRACT_SECONDS": "0"})
    assert out.stdout.strip() == "[]"


def test_every_schema_the_extractor_writes_is_in_the_table() -> None:
    """A new relation or party schema must join SCHEMATA (and the table), or extraction imports FtM again."""
    from redthread.extract.mentions import PARTY_SCHEMATA
    from redthread.extract.relations import ENDS

    written = {*PARTY_SCHEMATA, *(s for s in ENDS if s != "Attribute"), "Document", "Address", "Asset", "Event"}
    assert written <= set(ftm_types.properties())
