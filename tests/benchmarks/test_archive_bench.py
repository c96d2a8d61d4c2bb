"""X's archive at size: `import` and `unlike --archived` (dry run, and a real run to X's
daily cap over loopback) at 10,000 and 100,000 likes, each against the floor of parsing the
same archive with json.loads in this process, and peak memory at both sizes."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from likes_tui.sandbox import XSandbox, serving
from tests.archive_fixtures import make_zip
from tests.benchmarks._measure import run
from tests.benchmarks.conftest import report
from tests.cli.test_commands import signed_in

pytestmark = pytest.mark.benchmark
SIZES = (10_000, 100_000)


def floor(archive: Path) -> float:
    """Reading every like with json.loads, whole parts in memory: the least any import does."""
    started = time.perf_counter()
    with zipfile.ZipFile(archive) as z:
        found = 0
        for name in z.namelist():
            if "/like" in name:
                text = z.read(name).decode()
                found += len(json.loads(text[text.index("[") :]))
    assert found
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("archives")
    return {n: make_zip(root / f"{n}.zip", n, parts=max(1, n // 40_000)) for n in SIZES}


def test_import_is_linear_near_the_parse_floor_with_flat_memory(
    tmp_path: Path, archives: dict[int, Path]
) -> None:
    seconds: dict[int, float] = {}
    peaks: dict[int, float] = {}
    for n, archive in archives.items():
        cfg = signed_in(tmp_path / str(n))
        seconds[n], peaks[n], out = run("import", str(archive), "--config-dir", str(cfg))
        assert f"imported {n} likes" in out
        _, _, out = run("import", str(archive), "--config-dir", str(cfg))
        assert f"0 new, {n} known already" in out
        base = floor(archive)
        report(
            f"import {n:,} likes (s)",
            f"{seconds[n]:.2f}",
            f"{base:.2f}",
            f"{seconds[n] / base:.1f}x",
        )
    big, small = SIZES[-1], SIZES[0]
    report("import: time 100k / 10k", f"{seconds[big]:.2f}", f"{seconds[small]:.2f}",
           f"{seconds[big] / seconds[small]:.1f}x")  # fmt: skip
    report("import: peak MB 100k / 10k", f"{peaks[big]:.0f}", f"{peaks[small]:.0f}",
           f"{peaks[big] / peaks[small]:.2f}x")  # fmt: skip
    assert peaks[big] < peaks[small] * 1.5  # streamed: memory does not grow with the archive


def test_unlike_archived_dry_run_and_a_real_run_to_the_daily_cap(
    tmp_path: Path, archives: dict[int, Path]
) -> None:
    for n, archive in archives.items():
        cfg = signed_in(tmp_path / str(n))
        run("import", str(archive), "--config-dir", str(cfg))
        seconds, peak, out = run("unlike", "--archived", "--dry-run", "--config-dir", str(cfg))
        assert out.count("would unlike") == n
        base = floor(archive)
        report(f"unlike --archived --dry-run {n:,} (s)", f"{seconds:.2f}", f"{base:.2f}",
               f"{seconds / base:.1f}x")  # fmt: skip
    sandbox = XSandbox(post_count=SIZES[-1])
    sandbox.limits["unlike"] = (100_000, 900.0)  # only the daily cap (1,000) stops it
    cfg = signed_in(tmp_path / "real")
    run("import", str(archives[SIZES[-1]]), "--config-dir", str(cfg))
    with serving(sandbox) as server:
        seconds, peak, out = run(
            "unlike", "--archived", "--api-base", server.base_url, "--config-dir", str(cfg)
        )
    assert "unliked 1000" in out and "99000 left in the queue" in out
    report("unlike --archived 100k: queue + 1,000 sent (s)", f"{seconds:.2f}", "", f"{peak:.0f} MB")
