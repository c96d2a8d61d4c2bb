"""The sandbox over real HTTP: what reaches it is what a server would take as a request."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx

from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.demo import DEMO_BEARER
from likes_tui.sandbox.seed import SEED_POST_ID
from likes_tui.sandbox.server import serving


def test_a_request_cut_off_in_its_body_is_not_taken_as_one() -> None:
    """A client killed between the headers and the body (the crash tests SIGKILL one mid
    batch) sent half a like: X never acts on it, so the sandbox neither likes the post nor
    judges the fragment against X's definition; the next client is served as usual."""
    sandbox = XSandbox()
    user = sandbox.demo_user_id
    body = f'{{"tweet_id": "{SEED_POST_ID}"}}'.encode()
    with serving(sandbox) as server:
        address = urlsplit(server.base_url)
        with socket.create_connection((address.hostname, address.port)) as conn:
            conn.sendall(
                f"POST /2/users/{user}/likes HTTP/1.1\r\nHost: {address.netloc}\r\n"
                f"Authorization: Bearer {DEMO_BEARER}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body[:9]
            )
            conn.shutdown(socket.SHUT_WR)
            assert conn.recv(1024) == b""  # closed without an answer
        answer = httpx.post(
            f"{server.base_url}/2/users/{user}/likes",
            headers={"Authorization": f"Bearer {DEMO_BEARER}"},
            json={"tweet_id": SEED_POST_ID},
        )
    assert answer.status_code == 200 and answer.json() == {"data": {"liked": True}}
    assert len(sandbox.requests_to("like")) == 1
    assert sandbox.violations == []
