"""Every setting is read in ``redthread.settings``; bad values name the variable."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import redthread
from redthread import settings
from redthread.errors import ConfigError

PACKAGE = Path(redthread.__file__).parent


def _reads_environment(tree: ast.AST) -> list[int]:
    """Lines that touch ``os.environ`` or call ``os.getenv``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") \
                and isinstance(node.value, ast.Name) and node.value.id == "os":
            lines.append(node.lineno)
    return lines


def test_only_settings_reads_the_environment() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "settings.py" and path.parent == PACKAGE or "node_modules" in path.parts:
            continue
        for line in _reads_environment(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(PACKAGE)}:{line}")
    assert offenders == []


def test_values_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REDTHREAD_ENGINE_THREADS", "REDTHREAD_SCREEN_CACHE", "REDTHREAD_CHPL", "REDTHREAD_LLM_URL",
                 "REDTHREAD_LLM_MODEL", "REDTHREAD_LLM_KEY", "REDTHREAD_LLM_TIMEOUT", "REDTHREAD_EXTRACT_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    assert settings.engine_threads() == 0 and settings.screen_cache() is True
    assert settings.chpl_override() is None and settings.extract_backend() == "rules"
    assert settings.llm().timeout == 120.0 and settings.llm().key is None
    monkeypatch.setenv("REDTHREAD_ENGINE_THREADS", " 3 ")
    monkeypatch.setenv("REDTHREAD_SCREEN_CACHE", "Off")
    monkeypatch.setenv("REDTHREAD_LLM_URL", "http://127.0.0.1:9/v1/")
    assert settings.engine_threads() == 3 and settings.screen_cache() is False
    assert settings.llm().url == "http://127.0.0.1:9/v1"


@pytest.mark.parametrize(("name", "value", "call"), [
    ("REDTHREAD_ENGINE_THREADS", "four", settings.engine_threads),
    ("REDTHREAD_LLM_TIMEOUT", "soon", settings.llm),
    ("REDTHREAD_SHUTDOWN_GRACE_S", "-1", settings.shutdown_grace_seconds),
    ("REDTHREAD_SHUTDOWN_GRACE_S", "later", settings.shutdown_grace_seconds),
])
def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str, call: object) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        call()  # type: ignore[operator]
