"""The dossier's first page: what the case shows, in five sentences, each with its strongest evidence.

An editor reads this before anything else, so each sentence states one
finding with the figure or the party that makes it, and says where it comes
from (the source or the number of sources). Sentences come from the same
analyses as the sections after it; one whose analysis is not installed, or
finds nothing, is left out rather than filled with anything invented.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from redthread.model.records import EvidenceFields
from redthread.report.subject import NotInstalled, Subject, capability

Sentence = Callable[[Subject], str | None]
MAX_SENTENCES = 5


def _usd(value: float) -> str:
    return f"${value / 1e6:,.1f} million" if value >= 1e6 else f"${value:,.0f}"


def _names(items: list[str], limit: int = 3) -> str:
    items = list(dict.fromkeys(i for i in items if i))
    head = ", ".join(items[:limit])
    return head + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _sources(evidence: Sequence[EvidenceFields] | None) -> str:
    """"(source: X)" / "(3 sources: X, Y, ...)" from evidence items."""
    names = list(dict.fromkeys(str(e.get("source") or e.get("dataset") or "") for e in evidence or []))
    names = [n for n in names if n]
    if not names:
        return ""
    return f" (source: {names[0]})" if len(names) == 1 else f" ({len(names)} sources: {_names(names, 2)})"


# ---------------------------------------------------------------- case sentences
def case_sanctioned(subject: Subject) -> str | None:
    nodes = [n for n in subject.network.nodes.values() if n.sanctioned]
    if not nodes:
        return None
    authorities = sorted({str(s["authority"]).split(",")[0] for n in nodes for s in n.sanctioned if s.get("authority")})
    parties = len(subject.network.nodes)
    return (f"Of {parties} linked parties, {len(nodes)} are sanctioned ({_names([n.caption for n in nodes])})"
            + (f", designated by {_names(authorities, 2)}" if authorities else "") + ".")


def case_blocked(subject: Subject) -> str | None:
    rows = subject.call(capability("redthread.analyze.ownership", "blocked"), subject.store, "all")
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: -(r.get("blocked_share") or 0))
    top = rows[0]
    owners = _names([o.get("name") or o.get("id") for o in top.get("owners", [])], 2)
    chain = [e for link in top.get("chain", []) for e in (link.get("evidence") or [])]
    more = f"; {len(rows) - 1} more part{'y is' if len(rows) == 2 else 'ies are'} blocked the same way" if len(rows) > 1 else ""
    return (f"{top['name']} is blocked by operation of law: {top.get('blocked_share')} % is held by "
            f"sanctioned or blocked owners ({owners}){_sources(chain)}{more}.")


def case_trade(subject: Subject) -> str | None:
    flows = capability("redthread.trade.flows", "flows")
    try:
        rows = flows(subject.store, "buyer,supplier", chpl_only=True, top=1)
        total = flows(subject.store, "dataset")
    except NotInstalled:
        raise
    except Exception:  # no customs records in this store
        return None
    if not rows:
        return None
    value = sum(float(r.get("value_usd") or 0) for r in total)
    top = rows[0]
    return (f"Customs records show {_usd(value)} of shipments; the largest flow of goods on the Common High "
            f"Priority List is {_usd(float(top.get('value_usd') or 0))} from {top.get('supplier_name')} to "
            f"{top.get('buyer_name')} in {top.get('records')} record(s), {top.get('first_date')} to {top.get('last_date')}.")


def case_exposure(subject: Subject) -> str | None:
    rows = subject.call(capability("redthread.analyze.exposure", "exposure"), subject.store, 3, 1, authority="all")
    if not rows:
        return None
    top = rows[0]
    nearest = (top.get("nearest") or {}).get("name", "a sanctioned party")
    evidence = [e for link in top.get("path", []) for e in (link.get("evidence") or [])]
    return (f"The most exposed party not itself sanctioned is {top['name']}, {top['hops']} link(s) from {nearest}"
            f"{_sources(evidence)}.")


def case_flags(subject: Subject) -> str | None:
    flags = subject.call(capability("redthread.analyze.redflags", "evaluate"), subject.store, None)
    if not flags:
        return None
    high = [f for f in flags if f.get("severity") == "high"] or flags
    top = max(high, key=lambda f: len(f.get("evidence") or []))
    who = _names([p.get("name", "") for p in top.get("parties") or [top.get("entity") or {}]], 2)
    return (f"{len(flags)} red flag(s) were raised; the best-supported is “{top.get('title')}” for {who}"
            f"{_sources(top.get('evidence'))}.")


# ---------------------------------------------------------------- entity sentences
def entity_who(subject: Subject) -> str | None:
    ent = subject.entity
    if ent is None:
        return None
    where = _names(ent.values_of("country") or ent.values_of("jurisdiction"), 2)
    return (f"{ent.caption} is a {ent.schema.lower()}" + (f" in {where.upper()}" if where else "")
            + f", known from {len(ent.datasets)} dataset(s): {_names(ent.datasets)}.")


def entity_status(subject: Subject) -> str | None:
    st = capability("redthread.analyze.status", "entity_status")(subject.store, subject.entity_id or "")
    name = subject.entity.caption if subject.entity else None
    if st["status"] == "sanctioned":
        d = st["designations"][0]
        return (f"{name} is sanctioned: {_names(d['authorities'], 2)}" + (f", {d['program']}" if d["program"] else "")
                + (f", since {d['start_date']}" if d["start_date"] else "") + f" ({len(d['sources'])} source(s)).")
    if st["status"] == "blocked":
        owners = _names([o.get("name", "") for o in st["blocked"]["owners"]], 2)
        return f"{name} is blocked by ownership: {st['blocked']['share']} % is held by {owners}."
    if st["status"] == "exposed":
        return f"{name} is {st['exposure']['hops']} link(s) from a sanctioned party."
    return f"{name} is not sanctioned, blocked by ownership or within three links of a sanctioned party in this store."


def entity_trade(subject: Subject) -> str | None:
    t = capability("redthread.trade.summary", "party_trade")(subject.store, subject.entity_id or "")
    parts = []
    for role, verb in (("buyer", "bought"), ("supplier", "sold")):
        r = t["roles"].get(role)
        if r:
            top = r["counterparties"][0] if r["counterparties"] else {}
            parts.append(f"{verb} {_usd(r['value_usd'])} ({round(r['chpl_share'] * 100)} % CHPL goods) in {r['records']} "
                         f"record(s), most {'from' if role == 'buyer' else 'to'} {top.get('party_name', '?')}")
    if not parts:
        return None
    return f"In customs records it {' and '.join(parts)}."


def entity_links(subject: Subject) -> str | None:
    eid = subject.entity_id
    edges = [e for e in subject.network.edges if eid in (e.source, e.target) and e.schema not in ("EconomicActivity",)]
    if not edges:
        return None
    other = [subject.network.nodes[e.target if e.source == eid else e.source].caption for e in edges
             if (e.target if e.source == eid else e.source) in subject.network.nodes]
    return f"It has {len(edges)} ownership, control or role link(s), with {_names(other)}."


def entity_flags(subject: Subject) -> str | None:
    flags = subject.call(capability("redthread.analyze.redflags", "evaluate"), subject.store, subject.entity_id)
    if not flags:
        return None
    top = max(flags, key=lambda f: (f.get("severity") == "high", len(f.get("evidence") or [])))
    return f"{len(flags)} red flag(s) name it; the best-supported: “{top.get('title')}”{_sources(top.get('evidence'))}."


CASE: list[Sentence] = [case_sanctioned, case_blocked, case_trade, case_exposure, case_flags]
ENTITY: list[Sentence] = [entity_who, entity_status, entity_trade, entity_links, entity_flags]


def brief(subject: Subject) -> list[str]:
    """At most five sentences, strongest findings first; a failing analysis costs its sentence only."""
    out: list[str] = []
    for make in CASE if subject.entity_id is None else ENTITY:
        try:
            text = make(subject)
        except NotInstalled:
            continue
        except Exception:  # one analysis failing must not sink the brief
            continue
        if text:
            out.append(text)
    return out[:MAX_SENTENCES]
