"""The ids a long input has named so far, in memory and then on disk."""

from __future__ import annotations

import pytest

from likes_tui.store.seen import SeenIds


@pytest.mark.parametrize("held", [100, 4, 0], ids=["in-memory", "moves-to-disk", "on-disk"])
def test_only_ids_not_met_before_come_back_in_their_order(held: int) -> None:
    seen = SeenIds(in_memory=held)
    try:
        assert seen.fresh(["30", "10", "20"]) == ["30", "10", "20"]
        assert seen.fresh(["40", "10", "50"]) == ["40", "50"]  # past 4: now on disk
        assert seen.fresh([]) == []
        assert seen.fresh(["50", "30", "9223372036854775807", "60"]) == [
            "9223372036854775807",
            "60",
        ]
        assert seen.fresh(["9223372036854775807"]) == []
    finally:
        seen.close()
