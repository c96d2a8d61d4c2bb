"""Snapshots of every screen and state a person sees. After a deliberate UI change, look at
the failure report, then accept with `uv run pytest tests/snapshots --snapshot-update`."""

from __future__ import annotations

import pytest

from tests.conftest import Apps
from tests.snapshots.scenarios import SCENARIOS, Scenario


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_screen(snap_compare, apps: Apps, scenario: Scenario) -> None:
    app = scenario.make(apps)
    assert snap_compare(
        app, press=scenario.press, terminal_size=scenario.size, run_before=scenario.run_before
    )
