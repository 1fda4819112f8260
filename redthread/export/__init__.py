"""Export formats (an explicit list in :mod:`redthread.export.base`): ``ftm`` (JSON lines),
``csv`` (statements), ``bods``, ``graphml``, ``gexf``, ``neo4j``, ``ftm-trade``."""

from redthread.export.base import export, exporters

__all__ = ["export", "exporters"]
