"""Sign-out forgets everywhere: X revokes the tokens, and the secrets leave this computer
(keyring item and file), whichever store held them."""

from __future__ import annotations

from pathlib import Path

import pytest

from likes_tui.api.oauth2 import OAuth2Token
from likes_tui.core.accounts import Accounts
from likes_tui.core.backend import Backend
from likes_tui.core.context import AppContext
from likes_tui.core.signin import OAUTH1_NOT_REVOKED
from likes_tui.sandbox import DEMO_CLIENT_ID, XSandbox
from likes_tui.store.credentials import OAuth2Profile
from likes_tui.store.files import StoreError
from tests.conftest import DEMO_OAUTH1, in_process
from tests.keyrings import MemoryKeyring


def signed_in(tmp_path: Path) -> tuple[AppContext, XSandbox, dict[str, str]]:
    backend, sandbox = in_process()
    ctx = AppContext.open(config_dir=str(tmp_path / "cfg"), backend=backend)
    issued = sandbox.issue_token(expires_in=7200)
    token = OAuth2Token.from_response(issued, sandbox.clock())
    profile = OAuth2Profile(
        "me", DEMO_CLIENT_ID, None, "", token, sandbox.demo_user_id, "likes_tui_demo"
    )
    assert ctx.activate(profile) is None
    return ctx, sandbox, issued


@pytest.mark.parametrize("keyring_works", [True, False])
async def test_sign_out_revokes_at_x_and_removes_the_secrets_here(
    tmp_path: Path, keyring_works: bool, request: pytest.FixtureRequest
) -> None:
    keyring = request.getfixturevalue("memory_keyring") if keyring_works else None
    ctx, sandbox, issued = signed_in(tmp_path)
    assert ctx.profile is not None
    expected = "keyring" if keyring_works else "file"
    assert ctx.profile.home is expected
    assert await Accounts(ctx).remove("me") == []
    assert issued["access_token"] not in sandbox.access_tokens
    assert issued["refresh_token"] not in sandbox.refresh_tokens
    assert not ctx.loc.profile("me").exists()
    assert ctx.profile is None and ctx.creds.names() == []
    if keyring is not None:
        assert keyring.items == {}
    ctx.close()


async def test_a_keyring_that_refuses_to_forget_keeps_the_account_to_try_again(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, _, _ = signed_in(tmp_path)

    def locked(service: str, username: str) -> None:
        raise RuntimeError("locked")

    monkeypatch.setattr(memory_keyring, "delete_password", locked)
    with pytest.raises(StoreError, match=r"'me'.*refused to delete"):
        await Accounts(ctx).remove("me")
    assert ctx.loc.profile("me").exists()
    monkeypatch.undo()
    await Accounts(ctx).remove("me")
    assert not ctx.loc.profile("me").exists() and memory_keyring.items == {}
    ctx.close()


async def test_signing_out_of_oauth1_says_the_keys_still_work_at_x(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from likes_tui.store.credentials import OAuth1Profile

    ctx = AppContext.open(config_dir=str(tmp_path / "cfg"), backend=Backend.in_process_sandbox())
    ctx.activate(OAuth1Profile("keys", DEMO_OAUTH1, "1", "likes_tui_demo"))
    assert await Accounts(ctx).remove("keys") == [OAUTH1_NOT_REVOKED]
    assert memory_keyring.items == {} and ctx.creds.names() == []
    ctx.close()


async def test_an_account_whose_secrets_are_gone_can_still_be_removed(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    ctx, _, _ = signed_in(tmp_path)
    memory_keyring.items.clear()
    warnings = await Accounts(ctx).remove("me")
    assert len(warnings) == 1 and "X could not be told" in warnings[0]
    assert ctx.creds.names() == []
    ctx.close()
