"""Secrets never reach logs, tracebacks, notifications, screenshots or reprs."""

from __future__ import annotations

import asyncio
import logging
import socket
import traceback
from pathlib import Path

import httpx
import pytest
from textual.widgets import Button, Input

from likes_tui import sandbox as sb
from likes_tui.api import errors
from likes_tui.api.client import RetryPolicy, XClient
from likes_tui.api.oauth1 import OAuth1Credentials, OAuth1Signer
from likes_tui.core.signin import Backend, OAuth2SignIn, client_for
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.seed import SEED_POST_ID
from tests.conftest import DEMO_OAUTH1, Apps, choose_oauth1, wait_for
from tests.keyrings import MemoryKeyring

SECRETS = [
    sb.DEMO_API_KEY_SECRET,
    sb.DEMO_ACCESS_TOKEN_SECRET,
    sb.DEMO_BEARER,
    sb.DEMO_REFRESH,
    sb.DEMO_CONFIDENTIAL_SECRET,
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_clean(text: str, extra: tuple[str, ...] = ()) -> None:
    for secret in (*SECRETS, *extra):
        assert secret not in text


async def test_debug_logs_of_a_whole_session_hold_no_secret(
    caplog: pytest.LogCaptureFixture, server
) -> None:
    caplog.set_level(logging.DEBUG)
    backend = Backend(server.base_url)
    flow = OAuth2SignIn(
        sb.DEMO_CONFIDENTIAL_ID,
        sb.DEMO_CONFIDENTIAL_SECRET,
        f"http://127.0.0.1:{free_port()}/cb",
        backend,
    )
    await flow.listen()
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        _, code = await asyncio.gather(browser.get(flow.url), flow.wait_for_browser(5))
    profile = await flow.finish(code)
    async with client_for(profile, None, backend) as client:
        await client.like(SEED_POST_ID)
    async with XClient(OAuth1Signer(DEMO_OAUTH1), base_url=server.base_url) as client:
        await client.unlike(SEED_POST_ID)
    assert caplog.records, "httpx should have logged the requests"
    token = profile.token
    assert_clean(
        caplog.text, (token.access_token, token.refresh_token or "", flow.request.code_verifier)
    )


async def test_tracebacks_of_api_errors_hold_no_secret() -> None:
    for base in ("http://127.0.0.1:9", None):
        sandbox = XSandbox()
        wrong = OAuth1Credentials(
            DEMO_OAUTH1.api_key,
            "wrong-secret-value",
            DEMO_OAUTH1.access_token,
            DEMO_OAUTH1.access_token_secret,
        )
        transport = None if base else sb.SandboxTransport(sandbox)
        client = XClient(
            OAuth1Signer(wrong),
            base_url=base or "https://api.x.com",
            transport=transport,
            retry=RetryPolicy(attempts=1),
        )
        with pytest.raises(errors.XError) as info:
            await client.me()
        text = "".join(traceback.format_exception(info.value)) + repr(info.value) + str(info.value)
        assert_clean(text, ("wrong-secret-value", DEMO_OAUTH1.access_token))
        assert info.value.__cause__ is None
        assert info.value.__context__ is None or info.value.__suppress_context__
        await client.aclose()


async def test_set_up_screenshot_and_messages_mask_secrets(apps: Apps) -> None:
    app = apps.fresh()
    async with app.run_test(size=(110, 90)) as pilot:
        await pilot.pause()
        screen = app.screen
        await choose_oauth1(pilot)
        values = {
            "#o1-api-key": sb.DEMO_API_KEY,
            "#o1-api-secret": "typed-api-secret",
            "#o1-access-token": sb.DEMO_ACCESS_TOKEN,
            "#o1-access-secret": "typed-token-secret",
        }
        for selector, value in values.items():
            screen.query_one(selector, Input).value = value
        await pilot.pause()
        hidden = app.export_screenshot()
        assert "typed-api-secret" not in hidden and "typed-token-secret" not in hidden
        await pilot.press("ctrl+r")
        await pilot.pause()
        shown = app.export_screenshot()
        assert "typed-api-secret" in shown  # reveal works, so the check above can fail
        await pilot.press("ctrl+r")
        screen.query_one("#o1-verify", Button).press()
        await wait_for(pilot, lambda: "✗" in str(screen.query_one("#o1-result").render()))
        everything = app.export_screenshot() + "".join(n.message for n in app._notifications)
        assert "typed-api-secret" not in everything and "typed-token-secret" not in everything


CRASH = """
import asyncio, httpx
from likes_tui.app import LikesApp
from likes_tui.core.context import AppContext
from likes_tui.sandbox.seed import SEED_POST_ID

async def bug(self, request, **kw):
    raise RuntimeError("a bug deep in the send path")

async def main():
    ctx = AppContext.open(demo=True)
    app = LikesApp(ctx)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            while app.service is None or app.screen.table is None:
                await pilot.pause()
            app.screen.submit_text(SEED_POST_ID)
            while getattr(app.service.rows.get(SEED_POST_ID), "status", "looking") == "looking":
                await pilot.pause()
            httpx.AsyncClient.send = bug
            await pilot.press("l")
            while app.is_running:  # until the bug stops the app
                await pilot.pause()
    finally:
        ctx.close()

asyncio.run(main())
"""


def test_a_crash_while_sending_prints_no_secret() -> None:
    """Textual's crash report shows every frame's locals: none may hold a credential."""
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", CRASH],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    report = out.stdout + out.stderr
    assert out.returncode != 0
    assert "a bug deep in the send path" in report and "locals" in report
    assert "_send_once" in report  # the frame that signed the request is in the report
    assert_clean(report)


def test_keyring_failures_carry_no_secret(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keyring backend's own error may quote what it was given: ours says which account
    and what to do, and its traceback shows no secret."""
    from likes_tui.store.credentials import CredentialStore, OAuth1Profile
    from likes_tui.store.files import Locations, StoreError

    def leaky(service: str, username: str, password: str) -> None:
        raise RuntimeError(f"cannot store {password}")

    monkeypatch.setattr(memory_keyring, "set_password", leaky)
    store = CredentialStore(Locations(tmp_path / "cfg").ensure(), "keyring")
    with pytest.raises(StoreError) as caught:
        store._write(OAuth1Profile("mine", DEMO_OAUTH1, "1", "me"), "keyring")
    report = "".join(traceback.format_exception(caught.value)) + caught.value.message
    assert "'mine'" in report and "refused to store" in report
    assert_clean(report)


def test_a_secret_commands_output_reaches_no_log_or_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import sys

    from likes_tui.store.secrets import SecretsUnavailable, run_secret_command

    caplog.set_level(logging.DEBUG)
    script = tmp_path / "leaky.py"
    script.write_text(
        f"import sys\nprint('api_key_secret: {sb.DEMO_API_KEY_SECRET}')\n"
        "print('oops', file=sys.stderr)\nsys.exit(3)\n"
    )
    with pytest.raises(SecretsUnavailable) as caught:
        run_secret_command("mine", (sys.executable, str(script)), ("api_key_secret",))
    report = "".join(traceback.format_exception(caught.value)) + caplog.text
    assert "exit status 3" in report and "oops" in report
    assert_clean(report)
