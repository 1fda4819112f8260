"""The engine registry: engine modules register a factory by name at import."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redthread.engines.base import Engine

_FACTORIES: dict[str, Callable[[], Engine]] = {}


def register(name: str, factory: Callable[[], Engine]) -> None:
    """Make ``factory`` available as ``--engine name``."""
    _FACTORIES[name] = factory


def factories() -> dict[str, Callable[[], Engine]]:
    return _FACTORIES
