"""The TLS context for the real X, built on a thread from launch.

Loading the CA bundle is about 20 ms of OpenSSL parsing certificates with the GIL released:
on its own thread it overlaps the first paint and the loader's imports (which hold the GIL)
instead of following them on the way to a returning user's first lookup. It is what
`httpx.create_ssl_context()` builds by default (SSL_CERT_FILE and SSL_CERT_DIR honoured),
made without importing httpx, whose import would take the GIL from the first paint."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

_lock = threading.Lock()
_thread: threading.Thread | None = None
_context: ssl.SSLContext | None = None
_error: BaseException | None = None


def build() -> ssl.SSLContext:
    """As httpx's default: SSL_CERT_FILE, else SSL_CERT_DIR, else certifi's bundle."""
    import ssl

    if cafile := os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=cafile)
    if capath := os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=capath)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _build_in_background() -> None:
    global _context, _error
    try:
        _context = build()
    except BaseException as exc:  # raised again, on the thread that asks for the context
        _error = exc


def start() -> None:
    """Begin building the context on a daemon thread (once per process)."""
    global _thread
    with _lock:
        if _thread is None and _context is None:
            _thread = threading.Thread(target=_build_in_background, name="tls", daemon=True)
            _thread.start()


def settle() -> None:
    """Wait for a context being built (the process is about to exit)."""
    with _lock:
        thread = _thread
    if thread is not None:
        thread.join()


def context() -> ssl.SSLContext:
    """The process's context: the one started at launch (waited for), or built now."""
    global _context, _error, _thread
    start()
    settle()
    with _lock:
        _thread = None
        if _error is not None:
            error, _error = _error, None
            raise error
        if _context is None:
            _context = build()
        return _context
