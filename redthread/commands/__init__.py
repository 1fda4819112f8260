"""CLI command modules; each exposes ``register(app)``.

Helpers shared by commands live in ``_common``.
"""
