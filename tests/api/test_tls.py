"""The TLS context begun at launch: what httpx would build, built once, failures not lost."""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path

import certifi
import pytest

CHILD = """
import sys
from likes_tui.api import tls
tls.start()
first = tls.context()
print(first is tls.context(), first.verify_mode == __import__("ssl").CERT_REQUIRED,
      first.check_hostname, first.cert_store_stats()["x509_ca"] > 100, "httpx" in sys.modules)
"""


def run_child(code: str, **env: str) -> str:
    import os

    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )
    return out.stdout.strip() or out.stderr.strip().splitlines()[-1]


def test_the_context_begun_at_launch_verifies_x_with_certifis_bundle_and_is_built_once() -> None:
    """On its own thread, without importing httpx; asked for twice, the same context."""
    assert run_child(CHILD) == "True True True True False"


def test_ssl_cert_file_is_honoured_as_httpx_does(tmp_path: Path) -> None:
    bundle = tmp_path / "corporate-ca.pem"
    bundle.write_text(Path(certifi.where()).read_text().split("-----END CERTIFICATE-----")[0]
                      + "-----END CERTIFICATE-----\n")  # fmt: skip
    code = "from likes_tui.api import tls; print(tls.context().cert_store_stats()['x509_ca'])"
    assert run_child(code, SSL_CERT_FILE=str(bundle)) == "1"


def test_a_bundle_that_cannot_be_read_fails_the_request_that_needs_it(tmp_path: Path) -> None:
    """Raised on the thread that asks for the context, not lost on the launch thread."""
    from likes_tui.api import tls

    missing = str(tmp_path / "nowhere.pem")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SSL_CERT_FILE", missing)
        mp.setattr(tls, "_context", None)
        tls.start()
        with pytest.raises(FileNotFoundError):
            tls.context()
        mp.delenv("SSL_CERT_FILE")
        assert isinstance(tls.context(), ssl.SSLContext)  # the next ask builds it afresh
        mp.setattr(tls, "_context", None)
