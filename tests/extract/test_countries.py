"""The generated Latin-script country table matches rigour, and names resolve as before."""

from __future__ import annotations

import json

from redthread.extract import countries


def test_table_is_what_rigour_builds() -> None:
    """country_names.json is exactly the index built from the installed rigour (regenerate after upgrading it)."""
    table = json.loads(countries.TABLE_PATH.read_text(encoding="utf-8"))
    assert table == countries.build_index(latin=True)
    assert len(table) > 10000


def test_codes_from_table_and_other_scripts() -> None:
    """Latin names come from the table, names in other scripts from rigour's data built on demand."""
    assert countries.country_code("China") == "cn"
    assert countries.country_code(" Côte d’Ivoire ") == "ci"
    assert countries.country_code("Россия") == "ru"
    assert countries.country_code("Kestrel Dynamics") is None
    assert countries.country_code("") is None
