"""Production capacity from component flows, checked against claims in documents.

A bill of materials (BOM, YAML) lists what one unit of a product needs::

    product: FPV quadcopter
    claim_terms: [drones, quadcopters, UAVs]   # words for the product in claims
    components:
      motor:
        per_unit: 4                 # needed per finished unit
        hs: ["850131", "850132"]    # HS prefixes (any length, dots allowed)
        keywords: [motor]           # words in the goods description
        unit_price_usd: 15          # typical price, to turn value into units

A record shipped to the buyer belongs to the first component whose HS
prefix or keyword matches. Component units come from the declared quantity
when the unit is a piece count, else from value / typical price. Units per
month divided by ``per_unit`` is how many products that component supports;
the smallest such number binds. Claims ("10,000 drones per month") are found
in the texts of documents that name the buyer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from redthread.errors import InputError, NotFound
from redthread.model.analysis import Capacity, CapacityClaim
from redthread.store import Store
from redthread.trade.engine import TradeEngine
from redthread.trade.flows import engine_for, lit
from redthread.trade.hs import normalise_hs
from redthread.trade.parties import normalise_name, party_key

#: Units of measure that are piece counts (lower case).
PIECE_UNITS = ("pcs", "pc", "piece", "pieces", "unit", "units", "u", "ea", "each", "nos", "no", "set", "sets",
               "шт", "штук", "个", "件")
#: Periods a claim may be stated in, as months per period.
PERIODS = {"day": 1 / 30.4, "week": 1 / 4.35, "month": 1.0, "year": 12.0}
#: How far (characters) before or after a claim a buyer's name must be to count as "near".
NEAR_BEFORE, NEAR_AFTER = 600, 200
#: Months counted as "recent" (ending with the buyer's last month with records).
RECENT = 3


@dataclass
class Component:
    name: str
    per_unit: float
    unit_price_usd: float
    hs: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


@dataclass
class BOM:
    product: str
    components: list[Component]
    claim_terms: list[str] = field(default_factory=list)


def parse_bom(data: Any, path: str = "<bom>") -> BOM:
    """Validate a BOM (parsed YAML); errors name the file and field."""
    if not isinstance(data, dict) or not isinstance(data.get("components"), dict) or not data["components"]:
        raise InputError("a BOM needs a 'components' mapping (name: {per_unit, hs, unit_price_usd})", path=path,
                         field="components")
    comps: list[Component] = []
    for name, spec in data["components"].items():
        where = f"components.{name}"
        if not isinstance(spec, dict):
            raise InputError("expected a mapping", path=path, field=where)
        try:
            per_unit = float(spec.get("per_unit", 1))
            price = float(spec["unit_price_usd"])
        except (KeyError, TypeError, ValueError):
            raise InputError("needs numeric 'unit_price_usd' (and 'per_unit')", path=path, field=where) from None
        if per_unit <= 0 or price <= 0:
            raise InputError("per_unit and unit_price_usd must be positive", path=path, field=where)
        codes = []
        for raw in spec.get("hs") or []:
            code = normalise_hs(raw)
            if code is None:
                raise InputError(f"not an HS code: {raw!r}", path=path, field=f"{where}.hs")
            codes.append(code)
        keywords = [str(k).lower() for k in spec.get("keywords") or []]
        if not codes and not keywords:
            raise InputError("give 'hs' codes or 'keywords' to match records", path=path, field=where)
        comps.append(Component(str(name), per_unit, price, codes, keywords))
    terms = [str(t) for t in data.get("claim_terms") or ["units"]]
    return BOM(str(data.get("product") or "product"), comps, terms)


def load_bom(path: Path) -> BOM:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read BOM: {exc}", path=str(path)) from None
    return parse_bom(data, str(path))


def _match_sql(comp: Component) -> str:
    conds = [f"starts_with(hs_code, {lit(c)})" for c in comp.hs]
    conds += [f"contains(lower(coalesce(goods_description, '')), {lit(k)})" for k in comp.keywords]
    return " OR ".join(conds)


def _component_sql(bom: BOM, receivers: list[str], date_from: str | None, date_to: str | None) -> str:
    case = " ".join(f"WHEN {_match_sql(c)} THEN {lit(c.name)}" for c in bom.components)
    price = " ".join(f"WHEN {lit(c.name)} THEN {c.unit_price_usd!r}" for c in bom.components)
    pieces = ", ".join(lit(u) for u in PIECE_UNITS)
    # Straight from the stored rows: the buyer (and the parties merged with it) by integer key.
    conds = [f"receiver_key IN ({', '.join(str(party_key(r)) for r in receivers)})"]
    if date_from:
        conds.append(f"date >= CAST({lit(date_from)} AS DATE)")
    if date_to:
        conds.append(f"date <= CAST({lit(date_to)} AS DATE)")
    return (
        "SELECT *, CASE WHEN quantity IS NOT NULL AND lower(coalesce(unit, '')) IN (" + pieces + ") "
        f"THEN quantity ELSE value_usd / (CASE component {price} END) END AS units FROM ("
        f"SELECT *, CASE {case} ELSE NULL END AS component FROM trade_records WHERE {' AND '.join(conds)}) AS c "
        "WHERE component IS NOT NULL"
    )


def _months_between(first: str, last: str) -> int:
    y0, m0 = (int(p) for p in first.split("-"))
    y1, m1 = (int(p) for p in last.split("-"))
    return (y1 - y0) * 12 + (m1 - m0) + 1


def _last_months(last: str, n: int) -> list[str]:
    y, m = (int(p) for p in last.split("-"))
    idx = y * 12 + m - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(idx - n + 1, idx + 1)]


_NUMBER = r"\d{1,3}(?:[,\u00a0 ]\d{3})+|\d+(?:\.\d+)?"
_MULT = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6}


def _claim_regex(terms: list[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(
        rf"(?P<low>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<high>{_NUMBER}))?\s*(?P<mult>thousand|million|mln|k)?\s+"
        rf"(?:[\w-]+\s+){{0,3}}?(?:{words})\s+(?:(?:per|a|each|every)\s+)(?P<period>day|week|month|year)",
        re.IGNORECASE,
    )


def _number(text: str) -> float:
    return float(re.sub(r"[,\u00a0 ]", "", text))


def find_claims(store: Store, names: list[str], terms: list[str]) -> list[CapacityClaim]:
    """Capacity or output claims ("200-300 drones per month") in documents that name the buyer.

    Each: ``document``, ``title``, ``quote``, ``span``, ``low``/``high`` per
    month, and ``near`` (a buyer name within a few sentences of the claim).
    """
    wanted = [n for n in {normalise_name(n) for n in names} if len(n) >= 3]
    if not wanted:
        return []
    pattern = _claim_regex(terms)
    claims: list[CapacityClaim] = []
    for doc in store.documents():
        text = doc.text or ""
        folded = normalise_name(text)
        if not any(f" {w} " in f" {folded} " for w in wanted):
            continue
        for m in pattern.finditer(text):
            # Claimed amount per month: number x multiplier / months per stated period.
            per_month = _MULT.get((m.group("mult") or "").lower(), 1.0) / PERIODS[m.group("period").lower()]
            low = _number(m.group("low")) * per_month
            high = _number(m.group("high")) * per_month if m.group("high") else low
            window = normalise_name(text[max(0, m.start() - NEAR_BEFORE): m.end() + NEAR_AFTER])
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            claims.append({
                "document": doc.id,
                "title": doc.title,
                "quote": m.group(0),
                "context": text[start: end if end != -1 else len(text)].strip()[:400],
                "span": [m.start(), m.end()],
                "low": low,
                "high": high,
                "near": any(f" {w} " in f" {window} " for w in wanted),
            })
    return claims


def capacity(
    store: Store,
    buyer_id: str,
    bom_path: Path | str | BOM,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    store_or_engine: Store | TradeEngine | None = None,
    engine: str = "duckdb",
) -> Capacity:
    """How many products a month the component flows into ``buyer_id`` could support.

    Returns ``buyer``, ``buyer_name``, ``product``, ``period`` ([first, last]
    month), ``months``, ``components`` (each: ``name``, ``per_unit``,
    ``unit_price_usd``, ``records``, ``value_usd``, ``units``,
    ``units_per_month``, ``supported_per_month`` (average over the buyer's
    whole period), ``recent_supported_per_month``, ``peak_month``,
    ``peak_supported``, ``evidence`` (largest records: source, row, date,
    value)), ``binding`` (the component that limits output), ``supported_per_month``,
    ``peak_supported`` (the weakest component's best month),
    ``recent_supported_per_month`` (the last :data:`RECENT` months), ``missing``
    (components with no recorded flows), ``claims`` (see :func:`find_claims`,
    each with ``ratio`` = claimed high / supported).
    """
    bom = bom_path if isinstance(bom_path, BOM) else load_bom(Path(bom_path))
    buyer = store.canonical_id(buyer_id)
    members = store.members(buyer)
    ent = store.entity(buyer)
    if ent is None:
        raise NotFound(f"no entity {buyer_id!r} in the store")
    inner = _component_sql(bom, members, date_from, date_to)
    with engine_for(store_or_engine or store, engine) as eng:
        monthly = eng.fetch(
            f"SELECT component, month, sum(value_usd) AS value_usd, sum(units) AS units, count(*) AS records "
            f"FROM ({inner}) AS m GROUP BY component, month ORDER BY component, month"
        )
        evidence = eng.fetch(
            "SELECT component, source, \"row\", date, value_usd, goods_description FROM ("
            "SELECT *, row_number() OVER (PARTITION BY component ORDER BY value_usd DESC, source, \"row\") AS k "
            f"FROM ({inner}) AS m) AS e WHERE k <= 3 ORDER BY component, k"
        )
    months_seen = sorted({r["month"] for r in monthly})
    result: Capacity = {
        "buyer": buyer,
        "buyer_name": ent["caption"],
        "product": bom.product,
        "period": [months_seen[0], months_seen[-1]] if months_seen else None,
        "months": _months_between(months_seen[0], months_seen[-1]) if months_seen else 0,
        "components": [],
        "binding": None,
        "supported_per_month": None,
        "peak_supported": None,
        "recent_supported_per_month": None,
        "missing": [],
    }
    span = result["months"] or 1
    recent_months = _last_months(months_seen[-1], RECENT) if months_seen else []
    for comp in bom.components:
        rows = [r for r in monthly if r["component"] == comp.name]
        if not rows:
            result["missing"].append(comp.name)
            continue
        units = sum(r["units"] or 0.0 for r in rows)
        peak = max(rows, key=lambda r: r["units"] or 0.0)
        recent = sum(r["units"] or 0.0 for r in rows if r["month"] in recent_months)
        result["components"].append({
            "name": comp.name,
            "per_unit": comp.per_unit,
            "unit_price_usd": comp.unit_price_usd,
            "hs": comp.hs,
            "records": sum(r["records"] for r in rows),
            "value_usd": sum(r["value_usd"] or 0.0 for r in rows),
            "units": units,
            "units_per_month": units / span,
            "supported_per_month": units / span / comp.per_unit,
            "recent_supported_per_month": recent / len(recent_months) / comp.per_unit,
            "peak_month": peak["month"],
            "peak_supported": (peak["units"] or 0.0) / comp.per_unit,
            "evidence": [
                {"source": e["source"], "row": e["row"], "date": e["date"], "value_usd": e["value_usd"],
                 "goods_description": e["goods_description"]}
                for e in evidence if e["component"] == comp.name
            ],
        })
    if result["components"]:
        bind = min(result["components"], key=lambda c: c["supported_per_month"])
        result["binding"] = bind["name"]
        result["supported_per_month"] = bind["supported_per_month"]
        result["peak_supported"] = min(c["peak_supported"] for c in result["components"])
        result["recent_supported_per_month"] = min(c["recent_supported_per_month"] for c in result["components"])
    names = list(ent["properties"].get("name", [])) + list(ent["properties"].get("alias", []))
    claims = find_claims(store, names, bom.claim_terms)
    for claim in claims:
        supported = result["supported_per_month"]
        claim["ratio"] = claim["high"] / supported if supported else None
    result["claims"] = claims
    return result
