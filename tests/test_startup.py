"""What start-up does before the first paint, in a fresh interpreter (as `likes-tui --demo`).

The start-up benchmark (tests/benchmarks) measures the time; these tests keep the reasons for it
from quietly regressing: the network side and the emulator load after the first paint, and the
garbage collector is off until then and on again afterwards.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from likes_tui import startup

PROBE = textwrap.dedent(
    """
    import gc, sys
    from likes_tui.cli.main import main

    report = {}

    def run_app(app):
        painted = app.main_screen_painted
        loaded = app._network_side_loaded

        def at_first_paint():
            report["gc_at_paint"] = gc.isenabled()
            report["loaded"] = sorted(sys.modules)
            painted()
            report["gc_after_paint"] = gc.isenabled()

        def at_service_load(*args):
            report["loaded_for_a_paste"] = sorted(sys.modules)
            loaded(*args)

        app.main_screen_painted = at_first_paint
        app._network_side_loaded = at_service_load

        async def pilot(p):
            while "gc_after_paint" not in report or "loaded_for_a_paste" not in report:
                await p.pause()
            p.app.exit()

        app.run(headless=True, size=(100, 30), auto_pilot=pilot)

    main(["--demo"], run_app=run_app)
    import json  # (not before: the test checks that start-up does not load it)

    print(json.dumps(report))
    """
)


@pytest.fixture(scope="module")
def report() -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_demo_paints_before_loading_the_network_side_and_the_emulator(
    report: dict[str, object],
) -> None:
    loaded = set(report["loaded"])  # type: ignore[arg-type]
    assert "likes_tui.screens.main" in loaded
    late = {
        "httpx",
        "authlib",
        "likes_tui.api.client",
        "likes_tui.api.models",
        "likes_tui.api.oauth2",
        "likes_tui.sending.sender",
        "likes_tui.sandbox.core",
        "likes_tui.sandbox.seed",
        "likes_tui.urls",
        "tomllib",
        # the live list and what the service publishes: the first frame draws a placeholder
        "textual.widgets._data_table",
        "likes_tui.widgets.post_table",
        "likes_tui.core.status",
        "likes_tui.core.posts",
        "filelock",  # the first lock is taken after the first paint
        # secrets are read after it: the token types, the profiles with secrets, keyring
        "likes_tui.api.tokens",
        "likes_tui.store.credentials",
        "likes_tui.store.secrets",
        "keyring",
        "json",  # --demo reads no account file before it
        # a plain launch is read without argparse
        "argparse",
        "likes_tui.cli.parser",
        # the status line's wording and the domain's enums come with the first view
        "likes_tui.widgets.status_line",
        "likes_tui.core.view",
        "likes_tui.domain",
        "likes_tui.widgets.batch_bar",
    }
    assert not loaded & late, sorted(loaded & late)


def test_the_collector_is_off_until_the_first_paint_and_on_after_it(
    report: dict[str, object],
) -> None:
    assert report["gc_at_paint"] is False
    assert report["gc_after_paint"] is True


def test_release_without_hold_changes_nothing() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    startup.release_gc()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_hold_then_release_freezes_what_start_up_built() -> None:
    startup.hold_gc()
    try:
        assert not gc.isenabled()
    finally:
        startup.release_gc()
    try:
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        startup.release_gc()
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_first_run_turns_the_collector_back_on_once_set_up_shows(tmp_path: Path) -> None:
    probe = textwrap.dedent(
        f"""
        import gc, sys
        from likes_tui.cli.main import main

        def run_app(app):
            async def pilot(p):
                while type(p.app.screen).__name__ != "SetupScreen":
                    await p.pause()
                await p.pause()
                print("gc", gc.isenabled(), flush=True)
                p.app.exit()

            app.run(headless=True, size=(100, 30), auto_pilot=pilot)

        main(["--config-dir", {str(tmp_path)!r}], run_app=run_app)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert "gc True" in out.stdout


def test_a_paste_waits_for_no_sign_in_flow_and_no_archive_reader(
    report: dict[str, object],
) -> None:
    """What loads before the service can answer a paste: not the PIN and loopback sign-in
    flows, nor the archive reader (zipfile with it); they load when they are used."""
    loaded = set(report["loaded_for_a_paste"])  # type: ignore[arg-type]
    assert "likes_tui.core.service" in loaded and "httpx" in loaded
    unneeded = {
        "likes_tui.api.oauth1_pin",
        "likes_tui.api.callback",
        "likes_tui.archive",
        "zipfile",
    }
    assert not loaded & unneeded, sorted(loaded & unneeded)
