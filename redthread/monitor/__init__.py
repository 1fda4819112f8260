"""Monitoring: watchlists re-screened on every list update, alerts on what
changed, decisions with an audit trail (docs/monitoring.md).

Library first: :mod:`watchlist` (portfolios), :mod:`rescreen` (the
incremental run), :mod:`alerts`, :mod:`decisions`, :mod:`audit`,
:mod:`notify`; :mod:`hook` re-screens after every load and runs the
scheduled ``refresh``. Tables live in the store (:mod:`tables`).
"""

from __future__ import annotations

from redthread.monitor.tables import MonitorDB

__all__ = ["MonitorDB"]
