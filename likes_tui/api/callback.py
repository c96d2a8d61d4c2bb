"""The one-shot loopback listener that receives the OAuth 2.0 redirect.

Bound to 127.0.0.1 only, it answers the expected path with the expected `state` exactly once,
then closes. Anything else (a wrong state, a favicon request, a port scan) gets a 400/404 and
does not end the wait. Started before the browser is opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from urllib.parse import urlsplit

from likes_tui.api.oauth2 import AuthorizationFailed, ForeignRedirect, code_from_redirect

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>likes-tui</title></head>
<body style="font-family:sans-serif;margin:4em">
<h1>{title}</h1><p>{body}</p></body></html>"""


class LoopbackListener:
    def __init__(self, redirect_uri: str, state: str) -> None:
        parts = urlsplit(redirect_uri)
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
            raise AuthorizationFailed(
                "The redirect URI must be a loopback address such as "
                "http://127.0.0.1:8765/callback for the built-in listener; paste the "
                "redirected URL instead."
            )
        self.path = parts.path or "/"
        self.port = parts.port or 80
        self._state = state
        self._result: asyncio.Future[str] | None = None
        self._server: asyncio.Server | None = None

    async def start(self) -> LoopbackListener:
        self._result = asyncio.get_running_loop().create_future()
        try:
            self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        except OSError as exc:
            raise AuthorizationFailed(
                f"Cannot listen on 127.0.0.1:{self.port} ({exc.strerror}). Close what uses it "
                "or paste the redirected URL instead."
            ) from None
        return self

    async def wait(self, timeout: float = 300.0) -> str:
        """The authorization code, once the browser comes back."""
        assert self._result is not None
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), timeout)
        except TimeoutError:
            raise AuthorizationFailed(
                "No answer from the browser in time. Try again, or paste the redirected URL."
            ) from None
        finally:
            await self.close()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> LoopbackListener:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), 10)
            while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b"\n", b""):
                pass
            method, target, _ = line.decode("latin-1").split(" ", 2)
        except (TimeoutError, ValueError, ConnectionError):
            writer.close()
            return
        parts = urlsplit(target)
        status, title, body = 404, "Not found", "This address is not part of the sign-in."
        if method == "GET" and parts.path == self.path and self._result and not self._result.done():
            try:
                code = code_from_redirect(target, self._state)
            except ForeignRedirect:
                # Not this sign-in's answer (any web page can make a browser ask): ignored,
                # the wait goes on.
                status, title = 400, "Not this sign-in"
                body = "This request is not from the sign-in in progress; it was ignored."
            except AuthorizationFailed as exc:
                status, title, body = 400, "Sign-in not completed", exc.message
                self._result.set_exception(exc)
            else:
                status, title = 200, "Signed in"
                body = "likes-tui has what it needs. You can close this tab."
                self._result.set_result(code)
        page = PAGE.format(title=html.escape(title), body=html.escape(body)).encode()
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
        writer.write(
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(page)}\r\nConnection: close\r\n\r\n".encode()
            + page
        )
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()
