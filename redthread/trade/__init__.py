"""Trade records: customs declarations and bills of lading as flows.

Bulk records live in a columnar table (DuckDB, see :mod:`redthread.trade.table`)
keyed to FtM party ids with row-level provenance; parties become FtM entities
in the store. Analytics (flows, patterns, capacity, impact) are SQL written
once and run on DuckDB or Spark (:mod:`redthread.trade.engine`).
"""
