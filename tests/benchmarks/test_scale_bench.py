"""The headless commands at 1,000, 10,000 and 100,000 rows (and 1,000,000 with
LIKES_TUI_BENCH_1M=1): each in a fresh process, against the floor of parsing the same file
with the app's own parser in this process, with peak memory, so growth shows as a ratio."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from likes_tui.sandbox import XSandbox, serving
from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.store.files import Locations
from likes_tui.urls import extract_post_ids
from tests.benchmarks._measure import fill_history, run
from tests.benchmarks.conftest import report
from tests.cli.test_commands import USER, signed_in

pytestmark = pytest.mark.benchmark
SIZES = (1_000, 10_000, 100_000) + ((1_000_000,) if os.environ.get("LIKES_TUI_BENCH_1M") else ())


def floor(text: str) -> float:
    started = time.perf_counter()
    found = extract_post_ids(text)
    assert found.ids
    return time.perf_counter() - started


def test_headless_commands_grow_linearly_near_the_parse_floor(tmp_path: Path) -> None:
    sandbox = XSandbox(post_count=10)  # the likes are queued, then the day's cap stops them
    sandbox.limits["like"] = (100_000, 900.0)
    sandbox.daily_limits["like"] = (1, 86400.0)
    results: dict[str, dict[int, tuple[float, float]]] = {}
    with serving(sandbox) as server:
        for n in SIZES:
            text = "\n".join(str(GENERATED_BASE + i) for i in range(n))
            urls = tmp_path / f"{n}.txt"
            urls.write_text(text)
            base = floor(text)
            cfg = signed_in(tmp_path / f"cfg{n}")
            common = ("--config-dir", str(cfg))
            api = ("--api-base", server.base_url)
            sandbox.windows.clear()
            runs = {
                "like --dry-run --file": run("like", "--dry-run", "--file", str(urls), *common),
                "like --file (queue all)": run("like", "--file", str(urls), "-q", *api, *common),
                "queue list": run("queue", "list", *common),
                "status": run("status", *common),
            }
            fill_history(Locations(cfg).state, USER, n)
            runs["history --json"] = run("history", "--json", *common)
            for name, (seconds, peak, _) in runs.items():
                results.setdefault(name, {})[n] = (seconds, peak)
                report(
                    f"{name} {n:,} (s)", f"{seconds:.2f}", f"{base:.2f}", f"{seconds / base:.1f}x"
                )
    small, big = SIZES[0], SIZES[-1]
    for name, by_size in results.items():
        (t0, m0), (t1, m1) = by_size[small], by_size[big]
        report(f"{name}: {big:,} / {small:,} time", f"{t1:.2f}", f"{t0:.2f}", f"{t1 / t0:.1f}x")
        report(f"{name}: {big:,} / {small:,} peak MB", f"{m1:.0f}", f"{m0:.0f}", f"{m1 / m0:.2f}x")
        peaks = ", ".join(f"{by_size[n][1]:.0f}" for n in SIZES)
        report(f"  peak MB at {', '.join(f'{n:,}' for n in SIZES)}", peaks, "", "")
