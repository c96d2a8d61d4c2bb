"""The layers stay as the README draws them: arrows point down only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "likes_tui"
NO_UI = [
    "api",
    "store",
    "sandbox",
    "core",
    "queue",
    "cli",
    "urls.py",
    "domain.py",
    "durations.py",
    "billing.py",
]
UI = ["app.py", "commands.py", "screens", "widgets", "messages.py"]


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


def likes_modules(path: Path) -> set[str]:
    """Every likes_tui module a file imports, anywhere in it (TYPE_CHECKING blocks and
    imports inside functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m.startswith("likes_tui.")}


FORBIDDEN_IN_UI = ("likes_tui.api", "likes_tui.store", "likes_tui.queue.sender")


@pytest.mark.parametrize(
    "path", files(["screens", "widgets"]), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_screens_and_widgets_reach_x_and_the_store_only_through_the_service(
    path: Path,
) -> None:
    bad = {m for m in likes_modules(path) if m.startswith(FORBIDDEN_IN_UI)}
    assert not bad, f"{path.name} imports {sorted(bad)}: go through likes_tui.core"


def test_the_rule_above_can_fail(tmp_path: Path) -> None:
    sample = tmp_path / "w.py"
    sample.write_text("if True:\n    from likes_tui.store.state import StateDB\n")
    assert {m for m in likes_modules(sample) if m.startswith(FORBIDDEN_IN_UI)}
