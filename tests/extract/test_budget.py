"""Safety on hostile input: a per-document time budget and work that grows linearly with a list.

Speed itself is measured in bench/extract; here we count work, not seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.errors import InputError
from redthread.extract import extract_text
from redthread.extract.budget import ExtractionTimeout, budget, check, seconds_for
from redthread.extract.mentions import Mention
from redthread.extract.relations import SentenceContext


def _list_text(n: int) -> str:
    names = [f"Zor{chr(97 + i % 26)}{chr(97 + (i // 26) % 26)}{chr(97 + (i // 676) % 26)} Trading LLC" for i in range(n)]
    return "The ministry named the following entities: " + ", ".join(names) + "."


def test_budget_stops_a_document_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_EXTRACT_SECONDS", "0.000001")
    with pytest.raises(ExtractionTimeout) as err:
        extract_text(_list_text(400), doc_id="long-list.txt", dataset="t", path="long-list.txt")
    message = str(err.value)
    assert message.startswith("long-list.txt: extraction stopped after")
    assert "REDTHREAD_EXTRACT_SECONDS" in message and "budget" in message


def test_budget_grows_with_the_text_and_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_EXTRACT_SECONDS", "10")
    assert seconds_for(1_000) == 10
    assert seconds_for(1_000_000) == 100
    monkeypatch.setenv("REDTHREAD_EXTRACT_SECONDS", "0")
    assert seconds_for(10_000_000) == 0
    with budget("x", 10) as b:
        assert b is None
        check("anything")  # no budget: never raises
    monkeypatch.setenv("REDTHREAD_EXTRACT_SECONDS", "soon")
    with pytest.raises(InputError, match="REDTHREAD_EXTRACT_SECONDS"):
        seconds_for(1)


def test_ordinary_documents_are_not_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDTHREAD_EXTRACT_SECONDS", raising=False)
    result = extract_text("Norvel Trading LLC is owned by Amsel Holdings Ltd.", doc_id="d", dataset="t")
    assert any(e["schema"] == "Ownership" for e in result.entities)


def _pairs_in_list(n: int) -> int:
    text = ", ".join(f"Name{i:05d}" for i in range(n))
    mentions = []
    for i in range(n):
        start = text.index(f"Name{i:05d}")
        mentions.append(Mention(start, start + 9, f"Name{i:05d}", "legal", party=i))
    return sum(1 for _ in SentenceContext(text, 0, len(text), mentions).pairs())


def test_pairs_in_a_long_list_grow_linearly() -> None:
    # every name paired with every earlier one was quadratic: 3,000 names gave 4.5 M pairs
    small, large = _pairs_in_list(300), _pairs_in_list(3000)
    assert large <= 11 * small, (small, large)


def test_a_long_list_is_still_read_whole() -> None:
    text = _list_text(200) + " Zoraaa Trading LLC is owned by Quillon Holdings Ltd."
    result = extract_text(text, doc_id="d", dataset="t")
    companies = [e for e in result.entities if e["schema"] == "Company"]
    assert len(companies) >= 200
    assert any(e["schema"] == "Ownership" for e in result.entities)


def test_clustering_a_long_list_keeps_names_apart() -> None:
    # the indexed candidate search must give the same parties as comparing with every party
    result = extract_text(_list_text(50) + " Zorbaa Trading was founded in 2020.", doc_id="d", dataset="t")
    names = [e["properties"]["name"][0] for e in result.entities if e["schema"] == "Company"]
    assert len(names) == len(set(names)) == 50


def test_country_names_need_no_full_territory_index() -> None:
    # FtM's country lookup builds an index of every script on first use (seconds in a fresh process);
    # Latin-script text, curly apostrophes included, must stay on our index
    from redthread.extract import countries

    countries.country_code.cache_clear()
    assert countries.country_code("China") == "cn"
    assert countries.country_code("Hong Kong") == "hk"
    assert countries.country_code("Shi’ite") is None
    assert countries.country_code("Côte d’Ivoire") == "ci"
    assert not countries._other_script("Shi’ite militias")
    assert countries._other_script("Россия")


def test_cli_reports_the_budget_and_leaves_no_partial_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from redthread.cli import app

    doc = tmp_path / "list.txt"
    doc.write_text(_list_text(100), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    monkeypatch.setenv("REDTHREAD_EXTRACT_SECONDS", "0.000001")
    res = CliRunner().invoke(app, ["extract", str(doc), "-o", str(out)])
    assert res.exit_code != 0
    assert "per-document budget" in res.output + str(res.exception)  # the CLI's main() prints it
    assert not out.exists() and not (tmp_path / "out.jsonl.part").exists()
