"""Dossier sections, in the order of :data:`SECTIONS`; each builds itself from the store.

A section whose capability (ownership, trade, red flags, ...) is not
installed in this installation is kept with a note saying so, never filled
with made-up content. Add a section with a builder here and one line in
:data:`SECTIONS` (an explicit list: no registry that importing fills).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from redthread.report.brief import brief as brief_sentences
from redthread.report.figure import bar_svg, network_svg
from redthread.report.network import neighbourhood
from redthread.report.subject import Builder, NotInstalled, Section, Subject, capability

if TYPE_CHECKING:
    from redthread.model.records import EvidenceFields
    from redthread.trade.engine import SqlRow


def build_sections(subject: Subject) -> list[Section]:
    out = []
    for key, title, fn in SECTIONS:
        sec = Section(key, title)
        try:
            fn(subject, sec)
        except NotInstalled as exc:
            sec.note = f"Not included: the capability behind this section ({exc}) is not installed in this installation."
        except Exception as exc:  # one failing analysis must not sink the dossier
            sec.note = f"Could not be computed: {exc}"
        out.append(sec)
    return out


def cell(value: Any, limit: int = 300) -> str:
    """A table cell from any JSON-like value: names over ids, lists joined."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if value.get("source_name") and value.get("target_name"):
            return f"{value['source_name']} —{value.get('label') or value.get('type') or ''}→ {value['target_name']}"[:limit]
        for key in ("name", "caption", "title", "label", "id"):
            if value.get(key):
                return str(value[key])[:limit]
        return json.dumps(value, ensure_ascii=False)[:limit]
    if isinstance(value, list | tuple):
        sep = "; " if value and isinstance(value[0], dict) and "source_name" in value[0] else " → "
        return sep.join(cell(v, 120) for v in value)[:limit]
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)[:limit]


def table(sec: Section, rows: Sequence[Mapping[str, object]], preferred: list[str], limit: int = 60) -> None:
    """Fill a section's table from rows of any record shape (an analysis's TypedDict, a trade
    query's ``SqlRow``), choosing columns that exist."""
    if not rows:
        sec.note = sec.note or "Nothing found."
        return
    present = [c for c in preferred if any(c in r for r in rows)]
    if not present:
        present = list(dict.fromkeys(k for r in rows for k in r))[:6]
    sec.columns = present
    sec.rows = [[cell(r.get(c)) for c in present] for r in rows[:limit]]
    if len(rows) > limit:
        sec.note = f"First {limit} of {len(rows)}."


def _mentions(row: Mapping[str, object], ids: set[str]) -> bool:
    text = json.dumps(row, ensure_ascii=False, default=str)
    return any(f'"{i}"' in text for i in ids)


# ---------------------------------------------------------------- sections
def brief(subject: Subject, sec: Section) -> None:
    sec.sentences = brief_sentences(subject)
    if not sec.sentences:
        sec.note = "Nothing to report yet: no sanctions, ownership, trade or red flags found."


def summary(subject: Subject, sec: Section) -> None:
    st = subject.store
    if subject.entity is None:
        stats = st.stats()
        sec.facts = [("Entities", str(stats["entities"])), ("Statements", str(stats["statements"])),
                     ("Documents", str(stats["documents"])), ("Datasets", ", ".join(d.name for d in st.datasets()))]
        sanctioned = [n for n in subject.network.nodes.values() if n.sanctioned]
        sec.facts.append(("Sanctioned parties", ", ".join(n.caption for n in sanctioned) or "none in the store"))
        blocked = [n for n in subject.network.nodes.values() if n.blocked]
        if blocked:
            sec.facts.append(("Blocked by ownership", ", ".join(n.caption for n in blocked)))
        return
    ent = subject.entity
    sec.facts = [("Name", ent.caption), ("Type", ent.schema), ("Datasets", ", ".join(ent.datasets))]
    for prop in ("alias", "country", "jurisdiction", "nationality", "address", "sector", "classification",
                 "incorporationDate", "dissolutionDate", "registrationNumber", "notes"):
        values = ent.values_of(prop)
        if values:
            sec.facts.append((prop, "; ".join(values)))
    node = subject.network.nodes.get(ent.id)
    if node is not None:
        for s in node.sanctioned:
            sec.facts.append(("Sanctioned", " ".join(x for x in (s["authority"], s["program"], s["startDate"]) if x)))
        if node.blocked:
            share = node.blocked.get("blocked_share")
            sec.facts.append(("Blocked by ownership", f"{share}% held by blocked owners" if share is not None else "yes"))
        links = [e for e in subject.network.edges if ent.id in (e.source, e.target)]
        sec.facts.append(("Direct links", str(len(links))))


def network(subject: Subject, sec: Section) -> None:
    net = subject.network
    if subject.entity_id is not None:
        sub = neighbourhood(net, subject.entity_id, depth=2, limit=60)
    else:
        # Sanctioned and blocked parties with their neighbours first, then the
        # most connected parties, up to 60; parties left without a link are dropped.
        degree: dict[str, int] = {}
        for e in net.edges:
            degree[e.source] = degree.get(e.source, 0) + 1
            degree[e.target] = degree.get(e.target, 0) + 1
        keep: set[str] = set()
        for n in net.nodes.values():
            if (n.sanctioned or n.blocked) and len(keep) < 60:
                keep |= set(neighbourhood(net, n.id, depth=1, limit=12).nodes)
        for node_id, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0])):
            if len(keep) >= 60:
                break
            keep.add(node_id)
        linked = {x for e in net.subgraph(keep).edges for x in (e.source, e.target)}
        sub = net.subgraph(keep & linked)
        if len(net.nodes) > len(sub.nodes):
            sec.note = (f"{len(sub.nodes)} of {len(net.nodes)} parties: sanctioned and blocked parties with "
                        "their neighbours, then the most connected.")
    sec.svg = network_svg(sub, center=subject.entity_id)
    sec.columns = ["from", "link", "to", "datasets"]
    sec.rows = [[sub.nodes[e.source].caption, e.label, sub.nodes[e.target].caption, ", ".join(e.datasets)]
                for e in sub.edges]


def ownership(subject: Subject, sec: Section) -> None:
    if subject.entity_id is None:
        blocked = capability("redthread.analyze.ownership", "blocked")
        rows = subject.call(blocked, subject.store)
        table(sec, rows, ["name", "blocked_share", "owners", "chain"])
        if not rows:
            sec.note = "No party is blocked by operation of law (US 50 % rule, OFAC)."
        return
    tree_fn = capability("redthread.analyze.ownership", "owners_tree")
    sec.tree = subject.call(tree_fn, subject.store, subject.entity_id)


def exposure(subject: Subject, sec: Section) -> None:
    fn = capability("redthread.analyze.exposure", "exposure")
    rows = subject.call(fn, subject.store, max_hops=3)
    if subject.entity_id is not None:
        rows = [r for r in rows if r.get("id") == subject.entity_id]
    for r in rows:
        r["path"] = [f"{p.get('source_name')} —{p.get('label')}→ {p.get('target_name')}" for p in r.get("path") or []]
    table(sec, rows, ["name", "hops", "strength", "blocked", "nearest", "path"], limit=30)


def flows(subject: Subject, sec: Section) -> None:
    fn = capability("redthread.trade.flows", "flows")
    rows = fn(subject.store, ["supplier", "buyer"])
    if subject.entity_id is not None:
        members = set(subject.store.members(subject.entity_id))
        rows = [r for r in rows if r.get("supplier") in members or r.get("buyer") in members]
    rows = rows[:20]
    def label(r: SqlRow) -> str:
        return f"{r.get('supplier_name') or r.get('supplier')} → {r.get('buyer_name') or r.get('buyer')}"

    sec.svg = bar_svg(rows, label, lambda r: r.get("value_usd") or 0.0, unit=" USD")
    table(sec, rows, ["supplier_name", "buyer_name", "value_usd", "records", "first_date", "last_date"])


def evidence_text(evidence: Sequence[EvidenceFields] | None, limit: int = 4) -> str:
    """Statement provenance in words: ``dataset source:line`` or ``chars a–b``, quotes kept.

    Any evidence shape: a statement's (``EvidenceDict``, ``ClaimSource``) or a customs record's
    (``RecordEvidence``), which share these fields."""
    parts = []
    for ev in (evidence or [])[:limit]:
        where = ev.get("location") or ev.get("source") or ""
        span = ev.get("span")
        if span:
            where = f"{ev.get('source')} chars {span[0]}–{span[1]}"
        quote = f' “{ev["quote"]}”' if ev.get("quote") else ""
        fields: Mapping[str, object] = ev  # ``removed_at`` only on a statement's evidence (EvidenceDict)
        removed_at = fields.get("removed_at")
        removed = f" (removed {removed_at})" if removed_at else ""
        parts.append(f"{ev.get('dataset', '')} {where}{removed}{quote}".strip())
    more = len(evidence or []) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def redflags(subject: Subject, sec: Section) -> None:
    fn = capability("redthread.analyze.redflags", "evaluate")
    rows = subject.call(fn, subject.store, entity_id=subject.entity_id)
    for r in rows:
        r["parties"] = ", ".join(cell(p) for p in r.get("parties") or []) or cell(r.get("entity"))
        r["sources"] = evidence_text(r.get("evidence"))
    table(sec, rows, ["severity", "title", "parties", "detail", "why", "sources"])
    if not rows:
        sec.note = "No red-flag rule fired."


def timeline(subject: Subject, sec: Section) -> None:
    fn = capability("redthread.analyze.timeline", "timeline")
    # Customs records have their own section (flows); month by month they would crowd the facts out.
    rows = fn(subject.store, entity_id=subject.entity_id, customs=False)
    for r in rows:
        # one event per fact: every source that states it, then a quote or two
        names = r.get("sources") or sorted({str(ev.get("source")) for ev in r.get("evidence") or []})
        r["sources"] = f"{len(names)} source(s): {', '.join(names)} — {evidence_text(r.get('evidence'), limit=2)}"
        if r.get("disputed"):
            r["event"] = f"{r['event']} (other sources date it {', '.join(r['disputed'])})"
    table(sec, rows, ["date", "event", "kind", "sources"], limit=80)


def claims(subject: Subject, sec: Section) -> None:
    fn = capability("redthread.analyze.claims", "claims")
    try:
        rows = fn(subject.store, conflicts_only=True, entity_id=subject.entity_id)
    except TypeError:  # an older claims() without the entity filter
        rows = fn(subject.store, conflicts_only=True)
        if subject.entity_id is not None:
            rows = [r for r in rows if _mentions(r, subject.ids)]
    for r in rows:
        r["entities"] = ", ".join(dict.fromkeys(cell(e) for e in r.get("entities") or []))
        r["values"] = "; ".join(
            f"{v.get('value')} (said by {', '.join(v.get('publishers') or []) or '?'}: {evidence_text(v.get('sources'), 2)})"
            for v in r.get("values") or [])
    table(sec, rows, ["entities", "prop", "reason", "values"])
    if not rows:
        sec.note = "No sources contradict each other here."


def sources(subject: Subject, sec: Section) -> None:
    st = subject.store
    ids = subject.ids
    captions = {i: n.caption for i, n in subject.network.nodes.items()}
    cmap = st.canonical_map()
    docs = {d.id: d for d in st.documents()}
    seen: set[tuple[str, str]] = set()
    stmts = st.statements(entity_ids=[m for i in ids for m in st.members(i)]) if subject.entity_id else st.statements()
    for s in stmts:
        if not s.quote or s.is_meta or (s.source, s.quote) in seen:
            continue
        seen.add((s.source, s.quote))
        doc = docs.get(s.source)
        sec.quotes.append({
            "entity": captions.get(cmap.get(s.entity_id, s.entity_id), s.entity_id), "prop": s.prop, "value": s.value,
            "quote": s.quote, "dataset": s.dataset, "source": doc.title if doc and doc.title else s.source,
            "where": f"chars {s.span_start}–{s.span_end}" if s.span_start is not None else s.location,
            "hedge": s.hedge or "",
        })
        if len(sec.quotes) >= 200:
            sec.note = "First 200 quotes."
            break
    counts: dict[tuple[str, str], int] = {}
    stmts = st.statements(entity_ids=[m for i in ids for m in st.members(i)]) if subject.entity_id else st.statements()
    for s in stmts:
        if not s.is_meta:
            key = (s.dataset, s.source)
            counts[key] = counts.get(key, 0) + 1
    sec.columns = ["dataset", "source", "title", "statements"]
    sec.rows = [[ds, src, docs[src].title if src in docs else "", str(n)] for (ds, src), n in sorted(counts.items())]
    if not sec.quotes:
        sec.note = "No quoted evidence here: these facts come from structured records, listed by source."


#: The dossier's sections, in order: (key, title, builder).
SECTIONS: list[tuple[str, str, Builder]] = [
    ("brief", "In brief", brief),
    ("summary", "Summary", summary),
    ("network", "Network", network),
    ("ownership", "Ownership and control", ownership),
    ("exposure", "Exposure to sanctioned parties", exposure),
    ("flows", "Trade flows", flows),
    ("redflags", "Red flags", redflags),
    ("timeline", "Timeline", timeline),
    ("claims", "Claims in conflict", claims),
    ("sources", "Sources and quotes", sources),
]
