"""A busy state database is waited for, never mistaken for a damaged one (real processes)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from likes_tui.store.files import StoreError
from likes_tui.store.state import StateDB

HOLD = textwrap.dedent(
    """
    import sqlite3, sys, time
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS other (x)")
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO other VALUES (1)")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    db.execute("COMMIT")
    """
)


def hold_write_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holds a write transaction on `path` for `seconds`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_locked_database_is_waited_for_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    StateDB(path).close()
    holder = hold_write_lock(path, 0.8)
    started = time.monotonic()
    db = StateDB(path, busy_timeout=10)
    waited = time.monotonic() - started
    holder.wait(timeout=10)
    assert db.warning is None
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert waited >= 0.5
    db.history.record("u", "1", "like", "ok")
    assert len(db.history.entries("u")) == 1
    db.close()


def test_a_database_locked_too_long_is_an_error_not_damage(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    StateDB(path).close()
    holder = hold_write_lock(path, 5)
    try:
        with pytest.raises(StoreError) as info:
            StateDB(path, busy_timeout=0.3)
    finally:
        holder.kill()
        holder.wait()
    assert "in use" in info.value.message
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert path.exists()


OPEN = "import sys; from likes_tui.store.state import StateDB; StateDB(sys.argv[1]).close()"


def test_two_processes_creating_the_schema_at_once(tmp_path: Path) -> None:
    """Pairs of processes open fresh databases at the same moment: none is moved aside."""
    procs = []
    for n in range(12):
        path = tmp_path / f"s{n}" / "state.db"
        path.parent.mkdir()
        procs += [
            subprocess.Popen([sys.executable, "-c", OPEN, str(path)], stderr=subprocess.PIPE)
            for _ in range(2)
        ]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs), errors
    assert not list(tmp_path.glob("*/*.corrupt-*"))
    for n in range(12):
        db = StateDB(tmp_path / f"s{n}" / "state.db")
        assert db.warning is None
        db.close()
