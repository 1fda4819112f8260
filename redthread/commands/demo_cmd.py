"""demo: the example case end to end (the README's first command)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from redthread.commands._common import console, progress_bar
from redthread.demo import DemoResult, DemoSummary, run_demo, viewer_key

_STATUS = {"ran": "[green]ran[/]", "skipped": "[yellow]skipped[/]", "failed": "[red]failed[/]"}


def _money(value: Any) -> str:
    return f"${float(value or 0) / 1e6:,.1f}M"


def _findings(s: DemoSummary) -> list[str]:
    """One line per headline finding of the steps that ran."""
    lines = []
    if s.get("blocked"):
        lines.append("[bold]blocked by ownership:[/] " + "; ".join(
            f"{b['name']} ({b['blocked_share']:g} %)" for b in s["blocked"][:8]))
    if s.get("exposure_top"):
        lines.append("[bold]closest to sanctioned parties:[/] " + "; ".join(
            f"{e.get('name')} ({e.get('hops')} hop(s))" for e in s["exposure_top"][:4]))
    if s.get("flows", {}).get("chpl_by_buyer"):
        lines.append("[bold]largest CHPL buyers:[/] " + "; ".join(
            f"{r.get('buyer_name')} {_money(r.get('value_usd'))}" for r in s["flows"]["chpl_by_buyer"][:4]))
    for cap in s.get("capacity", [])[:1]:
        lines.append(
            f"[bold]capacity:[/] {cap.get('buyer_name')}: components for about "
            f"{float(cap.get('supported_per_month') or 0):,.0f} units/month, "
            f"bound by {cap.get('binding')}")
    if s.get("impact_top"):
        lines.append("[bold]designation candidates:[/] " + "; ".join(
            f"{r.get('name')} (cuts {float(r.get('cut_share') or 0):.0%})" for r in s["impact_top"][:3]))
    if s.get("redflags"):
        lines.append("[bold]top red flags:[/] " + "; ".join(
            f"{rule} ×{n}" for rule, n in list(s["redflags"]["by_rule"].items())[:5]))
    if s.get("claims", {}).get("conflicts_top"):
        lines.append(f"[bold]conflicting claims:[/] {s['claims']['conflicts']}")
    return lines


def _hints(s: DemoSummary) -> list[str]:
    """Commands worth trying next, about parties the demo found."""
    hints = ["stats", "loads --dataset registry"]
    named = [b["name"] for b in s.get("blocked", [])[:1]]
    named += [r.get("buyer_name") for r in s.get("flows", {}).get("chpl_by_buyer", [])[:1]]
    hints += [f'entity "{name}"' for name in named if name]
    return hints


def _print_summary(result: DemoResult) -> None:
    s = result.summary
    table = Table("what", "count", title="redthread demo: the case")
    table.add_row("datasets", ", ".join(s["datasets"]))
    table.add_row("documents", str(s["documents"]))
    table.add_row("parties (after resolution)", str(s["parties"]))
    table.add_row("links", str(s["links"]))
    for schema, n in s["links_by_type"].items():
        table.add_row(f"  {schema}", str(n))
    table.add_row("values removed by a later load", str(s["removed_statements"]))
    if "resolution" in s:
        table.add_row("same-party pairs accepted", str(s["resolution"]["auto_accepted"]))
    if "blocked" in s:
        table.add_row("derived-blocked parties (50 % rule)", str(len(s["blocked"])))
    if "claims" in s:
        table.add_row("conflicting claims", str(s["claims"]["conflicts"]))
    if "redflags" in s:
        table.add_row("red flags", str(s["redflags"]["total"]))
    console.print(table)
    for line in _findings(s):
        console.print(line)
    steps = Table("step", "status", "detail", "s", title="what ran")
    for st in result.steps:
        steps.add_row(st.name, _STATUS.get(st.status, st.status), st.detail, f"{st.seconds:.1f}")
    console.print(steps)


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        out: Path = typer.Option(Path("demo-output"), "--out", "-o", help="Folder for the demo's outputs."),
        no_serve: bool = typer.Option(False, "--no-serve", help="Stop after writing the files."),
        host: str = typer.Option("127.0.0.1", "--host", help="Interface the web UI listens on."),
        port: int = typer.Option(8000, "--port", "-p", help="TCP port of the web UI."),
    ) -> None:
        """Load the example case into its own store, analyse it, write the outputs."""
        with progress_bar("demo") as update:
            result, store = run_demo(out, progress=update)
        _print_summary(result)
        console.print(f"outputs in {out.resolve()}: " + ", ".join(result.summary["outputs"]))
        console.print(f"explore: export REDTHREAD_STORE={result.store_url}", soft_wrap=True)
        for hint in _hints(result.summary):
            console.print(f"         .venv/bin/redthread {hint}", soft_wrap=True)
        if no_serve:
            store.close()
            return
        key = viewer_key(store)
        store.close()
        _serve(result.store_url, host, port, key)


def _serve(store_url: str, host: str, port: int, key: str | None) -> None:
    """The web UI over the demo store (what `redthread serve` runs)."""
    import uvicorn

    from redthread import settings
    from redthread.api.app import create_app

    console.print(f"[bold]web UI:[/] http://{host}:{port}/  (API docs at /docs; Ctrl-C stops)")
    if key:
        console.print("viewer key (paste it in the UI's key dialog):")
        print(key, flush=True)
    uvicorn.run(create_app(store_url), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=settings.shutdown_grace_seconds())
