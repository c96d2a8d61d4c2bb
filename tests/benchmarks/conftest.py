"""Benchmarks: on demand only (`uv run pytest tests/benchmarks -s -n 0`), never in the default run.

Each reports a ratio against a baseline measured in the same run, because machines here are
noisy; the table is printed at the end.
"""

from __future__ import annotations

import pytest

RESULTS: list[tuple[str, str, str, str]] = []


def report(name: str, ours: str, baseline: str, ratio: str) -> None:
    RESULTS.append((name, ours, baseline, ratio))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RESULTS:
        return
    write = terminalreporter.write_line
    write("")
    write(f"{'benchmark':<44} {'likes-tui':>14} {'baseline':>14} {'ratio':>10}")
    for name, ours, base, ratio in RESULTS:
        write(f"{name:<44} {ours:>14} {base:>14} {ratio:>10}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Timings beside three other test processes mean nothing: benchmarks run alone."""
    if getattr(config, "workerinput", None) is None:
        return
    skip = pytest.mark.skip(reason="benchmarks run one at a time: add -n 0")
    for item in items:
        if "benchmarks" in item.nodeid:
            item.add_marker(skip)
