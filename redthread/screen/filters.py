"""yente's result filters: which datasets, schemata, topics and change dates a match may come from.

yente's ``/match`` and ``/search`` take ``include_dataset``,
``exclude_dataset``, ``exclude_schema``, ``topics`` and ``changed_since``.
Datasets and schemata are known to the screening index, so they filter
candidates before scoring. Topics (the entity's own and those our analytics
add: ``sanction``, ``sanction.linked``) and the last change date live on the
stored entity, so they filter the scored results (from the whole candidate
pool, before the ``limit`` cut, so a filter never leaves a query short of
results that were there).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from followthemoney import model
from typing_extensions import TypedDict

from redthread.errors import InputError


def _when(value: str, field: str) -> datetime:
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{value!r} is not an ISO date or date-time", field=field) from None
    return when.replace(tzinfo=None)


class IndexFilters(TypedDict):
    """The filters :meth:`~redthread.screen.index.ScreeningIndex.search` applies to candidates (its keywords)."""

    datasets: set[str] | None
    exclude_datasets: set[str] | None
    exclude_schemata: set[str] | None


@dataclass(frozen=True)
class MatchFilters:
    """The filters of one ``/match`` or ``/search`` request (all optional)."""

    include_datasets: frozenset[str] = frozenset()
    exclude_datasets: frozenset[str] = frozenset()
    #: Excluded schemata with their descendants (excluding LegalEntity drops Company too).
    exclude_schemata: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    changed_since: datetime | None = None

    @classmethod
    def parse(cls, include_dataset: Iterable[str] = (), exclude_dataset: Iterable[str] = (),
              exclude_schema: Iterable[str] = (), topics: Iterable[str] = (),
              changed_since: str | None = None) -> MatchFilters:
        """Filters from request values; an unknown schema or a bad date names its parameter."""
        excluded: set[str] = set()
        for name in exclude_schema:
            schema = model.get(name)
            if schema is None:
                raise InputError(f"unknown schema {name!r}", field="exclude_schema")
            excluded.update(s.name for s in model.schemata.values() if s.is_a(schema))
        return cls(frozenset(include_dataset), frozenset(exclude_dataset), frozenset(excluded),
                   frozenset(t for t in topics if t),
                   _when(changed_since, "changed_since") if changed_since else None)

    @property
    def on_results(self) -> bool:
        """Whether some filter needs the stored entity (topics, change date)."""
        return bool(self.topics) or self.changed_since is not None

    def index_kwargs(self) -> IndexFilters:
        """The filters the screening index applies to candidates."""
        return {"datasets": set(self.include_datasets) or None,
                "exclude_datasets": set(self.exclude_datasets) or None,
                "exclude_schemata": set(self.exclude_schemata) or None}

    def keeps(self, result: Mapping[str, Any]) -> bool:
        """Whether a result body (yente ``ScoredEntityResponse``) passes the topic and date filters."""
        if self.topics:
            have = {str(t) for t in result.get("properties", {}).get("topics", [])}
            if not have & self.topics:
                return False
        if self.changed_since is not None:
            last = result.get("last_change") or result.get("last_seen")
            if not last:
                return False
            try:
                if _when(str(last), "last_change") < self.changed_since:
                    return False
            except InputError:
                return False
        return True


NO_FILTERS = MatchFilters()
