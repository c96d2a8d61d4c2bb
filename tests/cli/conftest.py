"""The sandbox the command-line tests run against, over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from likes_tui.sandbox import XSandbox, serving


@pytest.fixture
def sandbox() -> XSandbox:
    box = XSandbox(post_count=200)
    box.limits["like"] = (1000, 900.0)
    box.limits["unlike"] = (1000, 900.0)
    return box


@pytest.fixture
def base(sandbox: XSandbox) -> Iterator[str]:
    with serving(sandbox) as server:
        yield server.base_url
