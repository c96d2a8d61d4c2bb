"""Which account the app starts with, and where X is."""

from __future__ import annotations

import stat
from pathlib import Path

from likes_tui.core.context import AppContext
from likes_tui.store.credentials import CredentialStore, OAuth1Profile
from likes_tui.store.files import Locations
from likes_tui.store.settings import Settings, save
from tests.conftest import DEMO_OAUTH1


def profiles(root: Path, *names: str) -> None:
    store = CredentialStore(Locations(root).ensure())
    for name in names:
        store.save(OAuth1Profile(name, DEMO_OAUTH1, "1590000000000000001", name))


def open_ctx(root: Path, **kw: object) -> AppContext:
    ctx = AppContext.open(config_dir=str(root), **kw)  # type: ignore[arg-type]
    ctx.close()
    return ctx


def test_no_account_means_set_up(tmp_path: Path) -> None:
    assert open_ctx(tmp_path).profile is None


def test_a_single_account_is_used(tmp_path: Path) -> None:
    profiles(tmp_path, "only")
    assert open_ctx(tmp_path).profile.name == "only"  # type: ignore[union-attr]


def test_several_accounts_use_the_active_one_or_the_flag(tmp_path: Path) -> None:
    profiles(tmp_path, "a", "b")
    assert open_ctx(tmp_path).profile is None
    save(Locations(tmp_path), Settings(active_profile="b"))
    assert open_ctx(tmp_path).profile.name == "b"  # type: ignore[union-attr]
    assert open_ctx(tmp_path, profile_name="a").profile.name == "a"  # type: ignore[union-attr]
    missing = open_ctx(tmp_path, profile_name="nope")
    assert missing.profile is None and "nope" in missing.warnings[0]


def test_api_base_from_flag_then_settings_then_x(tmp_path: Path) -> None:
    assert open_ctx(tmp_path).backend.base_url == "https://api.x.com"
    save(Locations(tmp_path), Settings(api_base="http://127.0.0.1:9999"))
    assert open_ctx(tmp_path).backend.base_url == "http://127.0.0.1:9999"
    flagged = open_ctx(tmp_path, api_base="http://127.0.0.1:8710")
    assert flagged.backend.base_url == "http://127.0.0.1:8710"


def test_state_file_is_private(tmp_path: Path) -> None:
    ctx = open_ctx(tmp_path)
    ctx.open_state()
    assert stat.S_IMODE(ctx.loc.state.stat().st_mode) == 0o600


async def test_settings_and_the_account_change_only_on_the_loops_thread(tmp_path: Path) -> None:
    """Issue 24: the store thread used to replace the settings (a toggle) and the account (a
    sign-in) while the loop read them. Now it writes the files; the loop swaps the values."""
    import pytest

    profiles(tmp_path, "a", "b")
    ctx = AppContext.open(config_dir=str(tmp_path), profile_name="a")
    try:
        with pytest.raises(RuntimeError, match="event loop's thread"):
            await ctx.io(ctx.update_settings, auto_like=True)  # the old way, off the loop
        assert ctx.settings.auto_like is False
        assert await ctx.change_settings(auto_like=True) is None
        assert ctx.settings.auto_like is True
        b = ctx.profiles.info("b")
        assert b is not None and await ctx.switch_to(b) is None
        assert ctx.profile == b and ctx.settings.active_profile == "b"
        from likes_tui.store import settings

        assert settings.load(ctx.loc)[0].active_profile == "b"  # and the file says so
    finally:
        ctx.close()
