"""Reference data shipped with redthread (read with ``importlib.resources``).

- ``chpl_hs6.csv``: the Common High Priority List as HS-6 codes and tiers
  (a copy, so the package works on its own).
- ``fx_usd.csv``: approximate monthly exchange rates (units per US dollar) at
  anchor months; see its header and docs/trade.md for sources and precision.
"""
