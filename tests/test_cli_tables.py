"""Commands lay out their lists through one helper (``commands._common.print_table``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

import redthread
from redthread.cli import app as cli_app

COMMANDS = Path(redthread.__file__).parent / "commands"


def test_list_commands_print_their_rows(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_STORE", f"sqlite:///{tmp_path / 'tables.db'}")
    monkeypatch.setenv("COLUMNS", "300")
    runner = CliRunner()
    res = runner.invoke(cli_app, ["ingest", str(fixtures / "starter.ftm.jsonl"), "-d", "starter"])
    assert res.exit_code == 0, res.output
    assert "dataset starter" in res.output and "starter.ftm.jsonl" in res.output
    for args, expect in ((["datasets"], ["dataset", "starter"]), (["loads"], ["loaded at", "starter.ftm.jsonl"]),
                         (["stats"], ["redthread store", "Company"]), (["formats"], ["description", "ftm"]),
                         (["search", "Aero-HIT"], ["rt-aerohit", "Company"])):
        res = runner.invoke(cli_app, args)
        assert res.exit_code == 0, res.output
        for text in expect:
            assert text in res.output, (args, res.output)


@pytest.mark.parametrize("module", ["analyze_cmds.py", "store_cmds.py"])
def test_no_command_builds_its_own_table(module: str) -> None:
    """The copied 'make a Table, add rows, print it' blocks are gone from these modules."""
    tree = ast.parse((COMMANDS / module).read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Table"]
    assert calls == []
