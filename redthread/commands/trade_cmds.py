"""flows, capacity, impact: trade records as flows, production capacity, designation impact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import typer
from rich.table import Table

from redthread.commands._common import console, err_console, esc, resolve_entity, store


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return esc(value)  # party names come from customs files


def print_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str = "") -> None:
    """A Rich table of ``rows`` showing ``columns`` (party ids shown by name)."""
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*[_fmt(row.get(f"{c}_name", row.get(c))) for c in columns])
    console.print(table)


def print_json(data: Any) -> None:
    print(orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode())


def register(app: typer.Typer) -> None:
    @app.command()
    def flows(
        by: str = typer.Option("supplier,buyer", "--by", help="Dimensions, comma-separated: supplier, buyer, "
                               "declarant, hs, hs4, hs6, chapter, chpl_tier, month, year, route, origin, destination."),
        chpl_only: bool = typer.Option(False, "--chpl-only", help="Only goods on the Common High Priority List."),
        date_from: str | None = typer.Option(None, "--from", help="First date (YYYY-MM-DD), inclusive."),
        date_to: str | None = typer.Option(None, "--to", help="Last date (YYYY-MM-DD), inclusive."),
        top: int | None = typer.Option(20, "--top", "-n", help="Largest N rows (0: all)."),
        entrants: bool = typer.Option(False, "--entrants", help="New entrants (buyers first seen in the last "
                                      "6 months, or since --from) instead of aggregates."),
        spikes_: bool = typer.Option(False, "--spikes", help="Months where a buyer's value spikes against its "
                                     "own history."),
        chains: bool = typer.Option(False, "--chains", help="Re-export chains A -> B -> C (same HS-4, similar "
                                    "value, within --days)."),
        role: str = typer.Option("buyer", "--role", help="For --entrants/--spikes: buyer or supplier."),
        days: int = typer.Option(30, "--days", help="For --chains: most days between the two shipments."),
        chart: Path | None = typer.Option(None, "--chart", help="Also draw a chart (.svg or .png): flows over "
                                          "time, or a Sankey of the chains with --chains."),
        engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
        json_out: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Trade flows: aggregates by any dimensions, new entrants, spikes, re-export chains."""
        from redthread.trade import patterns
        from redthread.trade.flows import flows as flow_rows

        st = store()
        n = top or None
        if entrants:
            rows = patterns.new_entrants(st, since=date_from, role=role, chpl_only=chpl_only, top=n, engine=engine)
            cols = ["party", "first_date", "records", "counterparties", "value_usd"]
            title = f"new {role}s"
        elif spikes_:
            rows = patterns.spikes(st, role=role, chpl_only=chpl_only, top=n, engine=engine)
            cols = ["party", "month", "value_usd", "baseline_usd", "ratio"]
            title = f"{role} spikes"
        elif chains:
            rows = patterns.reexport_chains(st, max_days=days, chpl_only=chpl_only, date_from=date_from,
                                            date_to=date_to, top=n, engine=engine)
            cols = ["supplier", "intermediary", "buyer", "hs4", "days", "in_usd", "out_usd", "in_row", "out_row"]
            title = "re-export chains"
        else:
            rows = flow_rows(st, by, chpl_only=chpl_only, date_from=date_from, date_to=date_to, top=n,
                             engine=engine)
            cols = [b.strip() for b in by.split(",")] + ["value_usd", "records", "first_date", "last_date"]
            title = "trade flows (USD)"
        if chart is not None:
            from redthread.trade import charts

            if chains:
                charts.sankey(rows, chart)
            else:
                charts.flow_chart(st, chart, chpl_only=chpl_only, date_from=date_from, date_to=date_to)
            err_console.print(f"chart written to {chart}")
        if json_out:
            print_json(rows)
            return
        print_rows(rows, cols, title)

    @app.command()
    def capacity(
        buyer: str = typer.Argument(..., help="Buyer: entity id or name."),
        bom: Path = typer.Option(..., "--bom", help="Bill of materials YAML (see docs/trade.md)."),
        date_from: str | None = typer.Option(None, "--from", help="First date (YYYY-MM-DD)."),
        date_to: str | None = typer.Option(None, "--to", help="Last date (YYYY-MM-DD)."),
        engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
        json_out: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Units per month the component flows into BUYER could support; what binds; claims in documents."""
        from redthread.trade.capacity import capacity as estimate

        st = store()
        result = estimate(st, resolve_entity(st, buyer), bom, date_from=date_from, date_to=date_to, engine=engine)
        if json_out:
            print_json(result)
            return
        console.print(f"[bold]{esc(result['buyer_name'])}[/] · {esc(result['product'])} · "
                      f"{result['months']} month(s) {esc(result['period'] or '')}")
        print_rows(result["components"], ["name", "per_unit", "records", "value_usd", "units_per_month",
                                          "supported_per_month", "recent_supported_per_month", "peak_month",
                                          "peak_supported"], "components")
        if result["missing"]:
            console.print(f"[yellow]no recorded flows for: {esc(', '.join(result['missing']))}[/] "
                          "(they may come from other suppliers or stock)")
        if result["binding"]:
            console.print(f"binding component: [bold]{esc(result['binding'])}[/] → about "
                          f"{result['supported_per_month']:,.0f} units/month on average, "
                          f"{result['recent_supported_per_month']:,.0f} recently, "
                          f"at most {result['peak_supported']:,.0f} in the best month")
        for claim in result["claims"]:
            ratio = f"{claim['ratio']:.1f}× the supported rate" if claim["ratio"] else "no flows to compare"
            near = "" if claim["near"] else " [dim](buyer not named nearby)[/]"
            console.print(esc(f"claim: “{claim['quote']}” — {claim['title'] or claim['document']}: {ratio}") + near)

    @app.command()
    def impact(
        top: int | None = typer.Option(20, "--top", "-n", help="Largest N parties (0: all)."),
        engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
        owned: bool = typer.Option(True, "--owned/--listed-only", help="Count parties owned 50 % or more by "
                                   "sanctioned ones (the 50 % rule) as sanctioned end users too."),
        json_out: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Rank not-yet-sanctioned parties by the (CHPL-weighted) flow to sanctioned buyers a designation would cut."""
        from redthread.trade.impact import impact as rank

        rows = rank(store(), top=top or None, engine=engine, owned=owned)
        if json_out:
            print_json(rows)
            return
        if not rows:
            console.print("no trade flow reaches a sanctioned party (load sanctions lists and resolve parties)")
            return
        for row in rows:
            row["cut_pct"] = 100.0 * row["cut_share"]
            row["reaches"] = ", ".join(row["sanctioned_buyers"])
            row["min_cut"] = "yes" if row["in_min_cut"] else ""
        print_rows(rows, ["name", "cut_usd", "cut_pct", "through_usd", "direct_usd", "min_cut", "reaches"],
                   "designation impact (CHPL-weighted USD)")
