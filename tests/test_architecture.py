"""The layers stay as the README draws them: arrows point down only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "likes_tui"
NO_UI = ["api", "store", "sandbox", "core", "queue", "cli", "urls.py"]
UI = ["app.py", "screens", "widgets", "messages.py"]


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def files(parts: list[str]) -> list[Path]:
    out: list[Path] = []
    for part in parts:
        target = PACKAGE / part
        out.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return out


@pytest.mark.parametrize("path", files(NO_UI), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_service_layer_never_imports_textual(path: Path) -> None:
    assert "textual" not in imports(path)


@pytest.mark.parametrize("path", files(UI), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ui_neither_talks_http_nor_parses_json(path: Path) -> None:
    assert not imports(path) & {"httpx", "json", "sqlite3", "urllib", "http", "authlib"}
