"""What a screening hit *is*: sanctioned, by whom and since when, or blocked by the 50 % rule.

A name match alone says nothing about risk: an SDN and a plain registry
record look the same. Every hit therefore carries its listing status, worked
out from our own analytics (read-only: :mod:`redthread.analyze.ownership` and
the evidence graph), the way OpenSanctions shows topics on every hit:

- ``sanction``: the entity is the target of a ``Sanction`` (any authority);
  each one listed with authority, program, listing date, source and dataset;
- ``sanction.linked``: not listed itself but blocked by operation of law —
  owned 50 % or more, in aggregate, by blocked parties under OFAC's rule
  (``us`` variant) or the EU's (``eu``: owned *more* than 50 %, or
  controlled); with the blocked share, the authority and the blocked owners.

The status is computed once per store content (the graph load is the cost)
and cached with the store's other per-content state (:mod:`redthread.screen.state`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from typing_extensions import TypedDict

from redthread.store import Store

#: (authority, 50 %-rule variant) pairs whose blocked parties are ``sanction.linked``.
RULES: tuple[tuple[str, str], ...] = (("OFAC", "us"), ("EU", "eu"))


class Listed(TypedDict):
    """One sanction on an entity: by whom, under which program, since when, from where."""

    authority: str
    program: str
    listing_date: str | None
    dataset: str | None
    source: str | None


class BlockingOwner(TypedDict):
    """A blocked owner behind a 50 %-rule block, with its share."""

    id: str
    name: str
    share: float


class Blocked(TypedDict):
    """One 50 %-rule block: which authority's rule, the blocked share and the blocked owners."""

    authority: str
    variant: str
    blocked_share: float
    owners: list[BlockingOwner]


class Listing(TypedDict):
    """What a hit carries: its topics, and the sanctions and blocks behind them (empty when none)."""

    topics: list[str]
    sanctions: list[Listed]
    blocked: list[Blocked]


@dataclass
class ListingStatus:
    """Sanctions and 50 %-rule blocks by entity id."""

    sanctions: dict[str, list[Listed]] = field(default_factory=dict)
    blocked: dict[str, list[Blocked]] = field(default_factory=dict)

    def of(self, entity_id: str) -> Listing:
        """``topics``, ``sanctions`` and ``blocked`` (one item per rule that blocks it) of one entity."""
        sanctions = self.sanctions.get(entity_id, [])
        blocked = self.blocked.get(entity_id, [])
        topics = (["sanction"] if sanctions else []) + (["sanction.linked"] if blocked else [])
        return {"topics": topics, "sanctions": sanctions, "blocked": blocked}


def listing_status(store: Store) -> ListingStatus:
    """Every sanctioned and every 50 %-rule-blocked entity of a store."""
    from redthread.analyze.graph import load_graph
    from redthread.analyze.ownership import blocked

    # Not the columnar fast path (``evidence=False``): it opens the SQLite file
    # through ADBC's own copy of SQLite, and a second SQLite library closing
    # the file in a serving process drops the locks of the store's own
    # connections (their next write fails with "disk I/O error").
    graph = load_graph(store, evidence=True)
    status = ListingStatus()
    for node, items in graph.sanctions.items():
        status.sanctions[graph.ids[node]] = [
            {"authority": "; ".join(item.get("authority") or []), "program": "; ".join(item.get("program") or []),
             "listing_date": item.get("start_date"), "dataset": item.get("dataset"), "source": item.get("source")}
            for item in items
        ]
    for authority, variant in RULES:
        for item in blocked(store, authority, variant, graph=graph):
            status.blocked.setdefault(item["id"], []).append({
                "authority": authority,
                "variant": variant,
                "blocked_share": item["blocked_share"],
                "owners": [{"id": o["id"], "name": o["name"], "share": o["share"]} for o in item["owners"]],
            })
    return status
