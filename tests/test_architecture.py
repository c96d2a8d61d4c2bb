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
    "sending",
    "cli",
    "urls.py",
    "domain.py",
    "durations.py",
    "billing.py",
]
UI = ["app.py", "commands.py", "keymap.py", "screens", "widgets", "messages.py"]


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


FORBIDDEN_IN_UI = ("likes_tui.api", "likes_tui.store", "likes_tui.sending.sender")


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


def runtime_imports(path: Path) -> set[str]:
    """The likes_tui modules a file imports when it runs: anywhere in it (function bodies
    too: they run later, but they run) except `if TYPE_CHECKING:` blocks."""
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            test = node.test
            if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)

        def visit_Import(self, node: ast.Import) -> None:
            found.update(alias.name for alias in node.names)

    Visitor().visit(ast.parse(path.read_text()))
    return {m for m in found if m.startswith("likes_tui.")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in runtime_imports(path) if m in paths and m != name}
        for name, path in paths.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each once (from its smallest module name)."""
    found: list[list[str]] = []

    def walk(start: str, node: str, trail: list[str]) -> None:
        for nxt in graph.get(node, ()):
            if nxt == start:
                found.append([*trail, start])
            elif nxt not in trail and nxt > start:
                walk(start, nxt, [*trail, nxt])

    for start in sorted(graph):
        walk(start, start, [start])
    return found


def test_no_import_cycle_at_run_time() -> None:
    graph = import_graph()
    assert graph["likes_tui.core.service"]  # the graph is real: the service imports its parts
    assert cycles(graph) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
