"""Exporters, registered by name: ``ftm`` (JSON lines), ``csv`` (statements)."""

from redthread.export.base import export, exporters, register

__all__ = ["export", "exporters", "register"]
