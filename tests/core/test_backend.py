"""The real X's backend: what a first request costs the event loop."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

CHILD = Path(__file__).with_name("_warm_child.py")


def first_requests(*args: str) -> dict[str, Any]:
    """In a fresh interpreter (this one has imported everything already)."""
    out = subprocess.run(
        [sys.executable, str(CHILD), *args], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def test_a_warmed_backend_leaves_the_first_requests_nothing_to_import_or_read() -> None:
    """The app warms the backend on its loader thread. Cold, a returning user's first lookup
    imported httpcore, h11 and anyio on the event loop and read certifi's bundle there, once
    per client (about 70 ms during which no key was answered)."""
    cold = first_requests("--cold")  # one context for both clients even so
    assert "httpcore" in cold["imported"] and cold["ca_reads"] == 1
    warm = first_requests()
    assert warm == {"imported": [], "ca_reads": 0}
