"""Serve the sandbox over real HTTP on 127.0.0.1, so any X client (curl, xurl) can use it."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from likes_tui.sandbox.core import Dropped, XSandbox

X_HOSTS = frozenset({"api.x.com", "api.twitter.com", "x.com", "twitter.com"})
"""Hosts X serves only over https."""


def _handler(sandbox: XSandbox, log: Callable[[str], None] | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True
        server_version = "likes-tui-sandbox"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if len(body) < length:
                # The client went (a SIGKILL between the headers and the body): X never sees
                # half a request, so neither does the sandbox; it is not a request to judge.
                self.close_connection = True
                return
            host = self.headers.get("Host") or f"127.0.0.1:{self.connection.getsockname()[1]}"
            # A client routed here under X's name (X's sample code, tweepy) signed https://
            # and that host: the URL it signed is the one to check.
            scheme = "https" if host.partition(":")[0].lower() in X_HOSTS else "http"
            url = f"{scheme}://{host}{self.path}"
            faulty = sandbox.faulty(self.command, url)
            if sandbox.faults.latency and faulty:
                time.sleep(sandbox.faults.latency)
            try:
                reply = sandbox.handle(self.command, url, dict(self.headers.items()), body)
            except Dropped:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(2)
                if log:
                    log(f"{time.strftime('%H:%M:%S')} {self.command} {urlsplit(url).path} dropped")
                return
            if log:
                kind = reply.headers.get("content-type", "").split(";")[0]
                log(
                    f"{time.strftime('%H:%M:%S')} {self.command} {urlsplit(url).path} "
                    f"{reply.status}{' ' + kind if reply.status >= 400 else ''}"
                    f"{f'  billed ${reply.billed:.3f}' if reply.billed else ''}"
                )
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                if key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if sandbox.faults.trickle and faulty:
                self._trickle(reply.body, sandbox.faults.trickle)
            else:
                self.wfile.write(reply.body)

        def _trickle(self, body: bytes, every: float) -> None:
            """One byte, a pause, one byte: each read sees progress, the whole never ends."""
            self.wfile.flush()
            for i in range(len(body)):
                time.sleep(every)
                try:
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                except OSError:
                    self.close_connection = True
                    return

        do_GET = do_POST = do_DELETE = do_PUT = _serve

        def log_message(self, format: str, *args: object) -> None:
            """http.server's own lines would include OAuth query parameters; `log` gets the
            method, the path without its query, and the status."""

    return Handler


class SandboxServer:
    """A running loopback server; `base_url` is what clients point at."""

    def __init__(
        self,
        sandbox: XSandbox,
        port: int = 0,
        host: str = "127.0.0.1",
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.httpd = ThreadingHTTPServer((host, port), _handler(sandbox, log))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port!s}"

    def start(self) -> SandboxServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def serving(sandbox: XSandbox, port: int = 0) -> Iterator[SandboxServer]:
    server = SandboxServer(sandbox, port).start()
    try:
        yield server
    finally:
        server.stop()
