"""`redthread extract` in a fresh process imports its own command module, not every other command's.

The command name is matched against each module's declared commands, read from the source; these tests
check that reading against what each module really registers, and that a run stays on its module.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import typer

from redthread import cli

ROOT = Path(__file__).resolve().parents[2]


def _registered(module_name: str) -> set[str]:
    app = typer.Typer()
    importlib.import_module(f"redthread.commands.{module_name}").register(app)
    names = {c.name or (c.callback.__name__.lower().replace("_", "-") if c.callback else "")
             for c in app.registered_commands}
    return names | {g.name or "" for g in app.registered_groups}


def test_the_source_reading_finds_every_command_each_module_registers() -> None:
    modules = cli._modules()
    assert {"extract_cmd", "screen_cmd", "monitor_cmd"} <= set(modules)
    for name, path in modules.items():
        assert cli.declared_commands(path) == _registered(name), name
    assert "eval" in cli.declared_commands(modules["extract_cmd"])
    assert "watchlist" in cli.declared_commands(modules["monitor_cmd"])  # a sub-application


def test_the_imported_app_has_every_command() -> None:
    from redthread.cli import app

    names = {c.name or (c.callback.__name__.lower().replace("_", "-") if c.callback else "")
             for c in app.registered_commands}
    assert {"extract", "eval", "screen", "ingest"} <= names


RUN = """
import sys
sys.argv = ["redthread", *sys.argv[1:]]
from redthread.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(" ".join(sorted(m for m in sys.modules if m.startswith(("redthread.commands.", "redthread.analyze",
                                                             "redthread.monitor", "redthread.screen")))))
"""


def test_an_extract_run_imports_only_its_command(tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("Norvel Trading LLC is owned by Amsel Holdings Ltd.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, "-c", RUN, "extract", str(doc), "-o", str(out)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = done.stdout.split()
    assert [m for m in loaded if m.startswith("redthread.commands.")] == ["redthread.commands._common",
                                                                          "redthread.commands.extract_cmd"]
    # the case's light monitor hook is there; the analyses, screening and re-screening are not
    assert not [m for m in loaded if m.startswith(("redthread.analyze", "redthread.screen", "redthread.monitor.rescreen"))]
    assert '"Ownership"' in out.read_text(encoding="utf-8")


def test_an_unknown_command_still_gets_typers_answer(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "redthread.cli", "no-such-command"], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=False)
    assert done.returncode != 0
    assert "No such command" in done.stdout + done.stderr
