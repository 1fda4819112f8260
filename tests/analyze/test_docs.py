"""Every analytics route, command, rule, engine and setting is documented in docs/analytics.md."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.routing import APIRoute

from redthread.analyze.redflags import RULES
from redthread.api.routes.analytics import router
from redthread.engines import engine_names

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "analytics.md").read_text(encoding="utf-8")


def test_routes_documented() -> None:
    for route in router.routes:
        assert isinstance(route, APIRoute)
        path = re.sub(r"\{\w+\}", "{id}", route.path)
        assert f"`GET {path}" in DOC, f"{route.path} is missing from docs/analytics.md"


def test_commands_rules_engines_settings_documented() -> None:
    for command in ("ownership", "blocked", "path", "exposure", "redflags", "claims", "timeline"):
        assert f"redthread {command}" in DOC, command
    for rule in RULES:
        assert f"`{rule}`" in DOC, rule
    for name in engine_names():
        assert f"`{name}`" in DOC, name
    for setting in ("REDTHREAD_ENGINE", "REDTHREAD_ENGINE_THREADS", "REDTHREAD_CHPL", "REDTHREAD_SPARK_MASTER",
                    "REDTHREAD_SPARK_MEMORY"):
        assert setting in DOC, setting
    assert "docs/analytics.md" in (ROOT / "README.md").read_text(encoding="utf-8")
