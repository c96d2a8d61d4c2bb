"""Route requests to X's hosts (api.twitter.com, api.x.com) to a loopback sandbox, the way
/etc/hosts and a proxy would: the client still signs and sends for X's https URL, with X's
Host header; only the connection goes to 127.0.0.1. For clients built on requests (tweepy,
requests-oauthlib, X's sample code), which cannot be pointed at another host."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

X_HOSTS = ("api.twitter.com", "api.x.com")


def install(base_url: str) -> Any:
    """Patch requests' adapter for this process; returns the original `send`."""
    import requests.adapters

    original = requests.adapters.HTTPAdapter.send
    target = urlsplit(base_url)

    def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(request.url)
        if parts.hostname in X_HOSTS:
            request.headers["Host"] = parts.netloc
            request.url = urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))
        return original(self, request, *args, **kwargs)

    requests.adapters.HTTPAdapter.send = send
    return original


@contextmanager
def routed(base_url: str) -> Iterator[None]:
    import requests.adapters

    original = install(base_url)
    try:
        yield
    finally:
        requests.adapters.HTTPAdapter.send = original
