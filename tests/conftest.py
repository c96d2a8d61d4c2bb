from __future__ import annotations

import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from likes_tui.api.client import RetryPolicy, XClient
from likes_tui.api.oauth1 import OAuth1Credentials, OAuth1Signer
from likes_tui.api.oauth2 import OAuth2Endpoints, OAuth2Signer, OAuth2Token
from likes_tui.app import LikesApp
from likes_tui.core.context import AppContext
from likes_tui.core.signin import SANDBOX_BASE_URL, Backend
from likes_tui.sandbox import (
    DEMO_ACCESS_TOKEN,
    DEMO_ACCESS_TOKEN_SECRET,
    DEMO_API_KEY,
    DEMO_API_KEY_SECRET,
    DEMO_BEARER,
    DEMO_CLIENT_ID,
    SandboxTransport,
    XSandbox,
    serving,
)
from likes_tui.sandbox.server import SandboxServer
from tests.keyrings import MemoryKeyring

# No test reads or writes the keyring of the machine it runs on, in this process or in the
# processes tests start: "no backend" unless a test installs one from tests/keyrings.py.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

# The processes tests start keep their bytecode as a user's do, in a cache outside the
# checkout: under PYTHONDONTWRITEBYTECODE (CI sets it for the checkout's sake) each of them
# compiled likes-tui, and any library installed without bytecode, from source again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
os.environ.setdefault(
    "PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "likes-tui-tests-pycache")
)

DEMO_OAUTH1 = OAuth1Credentials(
    DEMO_API_KEY, DEMO_API_KEY_SECRET, DEMO_ACCESS_TOKEN, DEMO_ACCESS_TOKEN_SECRET
)
FAST_RETRY = RetryPolicy(attempts=4, base=0.001, cap=0.01)


async def no_sleep(_: float) -> None:
    return None


@pytest.fixture(autouse=True)
def requests_x_would_accept(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every request any sandbox in a test receives must pass X's definition (the sandbox
    answers 400, as X would, and this fails the test that made it), unless the test is
    marked `invalid_requests` because sending them is its point."""
    made: list[XSandbox] = []
    original = XSandbox.__post_init__
    legacy = request.config.getoption("--problem-types") == "twitter"

    def recording(self: XSandbox) -> None:
        original(self)
        self.legacy_problems = self.legacy_problems or legacy
        made.append(self)

    monkeypatch.setattr(XSandbox, "__post_init__", recording)
    yield
    if request.node.get_closest_marker("invalid_requests"):
        return
    violations = [v for box in made for v in box.violations]
    assert not violations, f"requests X's definition rejects: {violations}"


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """An OS keyring that works, in memory, for this test (named in PYTHON_KEYRING_BACKEND
    too, which the app reads to know that keyring is not turned off)."""
    import keyring

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.keyrings.MemoryKeyring")
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def sandbox() -> XSandbox:
    return XSandbox(seed_random=1)


@pytest.fixture
def server(sandbox: XSandbox) -> Iterator[SandboxServer]:
    with serving(sandbox) as srv:
        yield srv


def make_client(
    sandbox: XSandbox,
    auth: str = "oauth2",
    base_url: str | None = None,
    **kw: object,
) -> XClient:
    """A client for the demo user, in-process unless `base_url` (a loopback server) is given."""
    transport = None if base_url else SandboxTransport(sandbox)
    base = base_url or SANDBOX_BASE_URL
    if auth == "oauth1":
        signer: object = OAuth1Signer(DEMO_OAUTH1)
    else:
        signer = OAuth2Signer(
            DEMO_CLIENT_ID, None, OAuth2Token(DEMO_BEARER), OAuth2Endpoints.for_base(base)
        )
    kw.setdefault("retry", FAST_RETRY)
    return XClient(signer, base_url=base, transport=transport, **kw)  # type: ignore[arg-type]


@pytest.fixture(params=["in-process", "loopback"])
async def any_client(request: pytest.FixtureRequest, sandbox: XSandbox) -> AsyncIterator[XClient]:
    """The same tests run against the sandbox in-process and over real loopback HTTP."""
    if request.param == "loopback":
        with serving(sandbox) as srv:
            client = make_client(sandbox, base_url=srv.base_url)
            yield client
            await client.aclose()
    else:
        client = make_client(sandbox)
        yield client
        await client.aclose()


os.environ["TZ"] = "UTC"
time.tzset()


class Apps:
    """Builds LikesApp instances over a fresh config dir and an in-process sandbox."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.opened: list[AppContext] = []

    def demo(self, *, clock: Callable[[], float] = time.time, **sandbox_kw: object) -> LikesApp:
        backend = Backend.in_process_sandbox(clock=clock, **sandbox_kw)
        ctx = AppContext.open(
            demo=True, config_dir=str(self.tmp_path / "cfg"), backend=backend, clock=clock
        )
        self.opened.append(ctx)
        return self._app(ctx)

    @staticmethod
    def _app(ctx: AppContext) -> LikesApp:
        app = LikesApp(ctx)
        app.animation_level = "none"  # a snapshot must not catch a tab underline mid-slide
        return app

    def fresh(self, **sandbox_kw: object) -> LikesApp:
        """No account yet: starts on the set-up screen."""
        backend = Backend.in_process_sandbox(**sandbox_kw)
        ctx = AppContext.open(config_dir=str(self.tmp_path / "cfg"), backend=backend)
        self.opened.append(ctx)
        return self._app(ctx)


@pytest.fixture
def apps(tmp_path: Path) -> Iterator[Apps]:
    factory = Apps(tmp_path)
    yield factory
    for ctx in factory.opened:
        ctx.close()


def in_process(**sandbox_kw: object) -> tuple[Backend, XSandbox]:
    """A backend over an in-process sandbox, and that sandbox (to set its limits, read its
    log and bill)."""
    backend = Backend.in_process_sandbox(**sandbox_kw)
    sandbox = backend.sandbox
    assert isinstance(sandbox, XSandbox)
    return backend, sandbox


def sandbox_of(app: LikesApp) -> XSandbox:
    sandbox = app.ctx.backend.sandbox  # type: ignore[attr-defined]
    assert isinstance(sandbox, XSandbox)
    return sandbox


async def wait_for(pilot: Pilot[None], predicate: Callable[[], bool], timeout: float = 10) -> None:
    """Let the app process messages until `predicate` holds (workers and the queue finish)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.01)
    await pilot.pause()  # let what the change started (a new screen's mounts) finish


async def choose_oauth1(pilot: Pilot[None]) -> None:
    """Pick the OAuth 1.0a tab as a person does: focus the tab bar, press →."""
    from textual.widgets import TabbedContent, Tabs

    content = pilot.app.screen.query_one(TabbedContent)
    content.query_one(Tabs).focus()
    await pilot.press("right")
    await pilot.pause()
    assert content.active == "oauth1"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--problem-types",
        choices=("x", "twitter"),
        default="x",
        help="problem `type` prefix every sandbox answers with: api.x.com (the definition's, "
        "default) or api.twitter.com (what many real answers still carry)",
    )
