"""Every route, command and setting of the web/API layer is documented."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from fastapi.routing import APIRoute

from redthread.api.app import create_app

ROOT = Path(__file__).resolve().parents[2]
OURS = {"entities", "documents", "datasets", "network", "uploads", "keys", "report"}


def test_our_routes_are_in_api_docs(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    create_app(f"sqlite:///{tmp_path / 'd.db'}")  # imports every route module
    checked = 0
    for name in sorted(OURS):
        router = importlib.import_module(f"redthread.api.routes.{name}").router
        for route in router.routes:
            assert isinstance(route, APIRoute)
            path = re.sub(r"\{\w+(:path)?\}", "{id}", route.path)
            assert f"`{path}" in doc, f"{route.path} is not documented in docs/api.md"
            checked += 1
    assert checked >= 10


def test_commands_and_settings_are_documented() -> None:
    web = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in ("redthread serve", "redthread keys create", "redthread keys list", "redthread keys revoke",
                 "REDTHREAD_CORS_ORIGINS", "REDTHREAD_MAX_UPLOAD_MB"):
        assert text in api, text
    for text in ("redthread report", "--case", "--format graphml", "--format gexf", "--format neo4j"):
        assert text in web, text
    for text in ("redthread serve", "redthread keys create", "redthread report", "--format graphml"):
        assert text in readme, text
