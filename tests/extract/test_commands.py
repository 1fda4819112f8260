"""`redthread extract` and `redthread eval` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from redthread.cli import app

SAMPLE = Path(__file__).parents[1] / "fixtures" / "extract" / "sample.txt"
runner = CliRunner()


def test_extract_writes_ftm_json_lines(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["extract", str(SAMPLE), "-o", str(out)])
    assert res.exit_code == 0, res.output
    entities = [json.loads(line) for line in out.read_text().splitlines()]
    schemata = {e["schema"] for e in entities}
    assert {"Company", "Person", "Ownership", "EconomicActivity", "Sanction", "Document"} <= schemata
    assert all(set(e) == {"id", "schema", "properties"} for e in entities)


def test_extract_reads_stdin() -> None:
    res = runner.invoke(app, ["extract", "-"], input="Foo Trading LLC shipped motors to Bar Avia JSC in May 2024.\n")
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    flows = [e for e in lines if e["schema"] == "EconomicActivity"]
    assert flows and flows[0]["properties"]["goodsDescription"] == ["motors"]


def test_extract_statements_option(tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    res = runner.invoke(app, ["extract", str(SAMPLE), "--statements", "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert all(r["span"] is not None and r["quote"] for r in rows)


def test_eval_prints_scores_for_a_gold_folder(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "sample.yaml").write_text(
        f"document: {SAMPLE}\nsplit: tune\nparties:\n"
        "  - {schema: Company, name: Taymyr Avia LLC}\n"
        "  - {schema: Person, name: Ruslan Gareev}\n"
        "relations:\n"
        "  - {schema: Ownership, source: Ruslan Gareev, target: Taymyr Avia LLC, percentage: '60'}\n"
    )
    res = runner.invoke(app, ["eval", "--gold", str(gold), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["all"]["relations"]["tp"] == 1 and data["all"]["relations"]["fn"] == 0
    assert data["all"]["parties"]["recall"] == 1.0
    assert data["all"]["key_properties_recall"] == 1.0
