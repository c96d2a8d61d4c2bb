"""Where secrets live: the OS keyring (an in-memory backend here), the owner-only file where
no keyring is usable, a secret command; the move of older files to the keyring, cut short
too; and what a Windows machine (no POSIX modes) gets."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from likes_tui.api.tokens import OAuth1Credentials, OAuth2Token
from likes_tui.store import platform
from likes_tui.store.credentials import (
    CredentialStore,
    OAuth1Profile,
    OAuth2Profile,
)
from likes_tui.store.files import Locations, atomic_write
from likes_tui.store.secrets import (
    KEYRING_SERVICE,
    SecretsUnavailable,
)
from tests.keyrings import FILE_KEYRING_ENV, MemoryKeyring

if TYPE_CHECKING:
    from likes_tui.store.profiles import SecretPolicy

ROOT = Path(__file__).resolve().parents[2]

OAUTH1 = OAuth1Profile(
    "alice",
    OAuth1Credentials("key-1", "key-secret-1", "42-token-1", "token-secret-1"),
    "42",
    "alice",
)
OAUTH2 = OAuth2Profile(
    "bob",
    "client-1",
    "client-secret-1",
    "http://127.0.0.1:8765/callback",
    OAuth2Token("access-1", "refresh-1", 1_900_000_000.0, "like.write"),
    "43",
    "bob",
)
SECRETS = ("key-secret-1", "token-secret-1", "client-secret-1", "access-1", "refresh-1")


def store(tmp_path: Path, policy: SecretPolicy = "auto") -> CredentialStore:
    return CredentialStore(Locations(tmp_path / "cfg").ensure(), policy)


def file_text(s: CredentialStore, name: str) -> str:
    return s.loc.profile(name).read_text()


def old_format_file(s: CredentialStore, profile: OAuth2Profile) -> None:
    """A profile as likes-tui wrote it before the keyring: secrets inline, no `secrets`."""
    t = profile.token
    data = {
        "kind": "oauth2",
        "user_id": profile.user_id,
        "username": profile.username,
        "client_id": profile.client_id,
        "client_secret": profile.client_secret,
        "redirect_uri": profile.redirect_uri,
        "access_token": t.access_token,
        "refresh_token": t.refresh_token,
        "expires_at": t.expires_at,
        "scope": t.scope,
    }
    atomic_write(s.loc.profile(profile.name), json.dumps(data).encode())


# -- the keyring -------------------------------------------------------------------------------


def test_with_a_keyring_the_file_keeps_only_a_reference(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    s = store(tmp_path)
    for profile in (OAUTH1, OAUTH2):
        info = s.save(profile)
        assert info.home == "keyring" and info.kept_in == "OS keyring"
        text = file_text(s, profile.name)
        assert not any(secret in text for secret in SECRETS), text
        assert json.loads(text)["secrets"] == "keyring"
        assert s.load(profile.name) == profile
    assert len(memory_keyring.items) == 2
    assert {service for service, _ in memory_keyring.items} == {KEYRING_SERVICE}
    assert "OS keyring" in s.where_new_secrets_go()


def test_a_refreshed_token_replaces_the_keyring_item_whole(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    s = store(tmp_path)
    s.save(OAUTH2)
    load, save = s.token_saver("bob")
    new = OAuth2Token("access-2", "refresh-2", 1_900_007_200.0, "like.write")
    save(new)
    assert load() == new
    assert s.load("bob") == OAuth2Profile(**{**OAUTH2.__dict__, "token": new})
    assert "refresh-2" not in file_text(s, "bob")
    assert len(memory_keyring.items) == 1


def test_a_keyring_that_refuses_a_write_never_loses_the_token(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    s = store(tmp_path)
    s.save(OAUTH2)
    memory_keyring.refuse_writes = True  # e.g. the person locked it
    _, save = s.token_saver("bob")
    new = OAuth2Token("access-2", "refresh-2", None, "")
    save(new)
    assert s.info("bob").home == "file"  # type: ignore[union-attr]
    assert s.load("bob").token == new  # type: ignore[union-attr]
    assert any("refused to store" in w and "owner-only file" in w for w in s.warnings)
    assert oct(s.loc.profile("bob").stat().st_mode & 0o777) == "0o600"


def test_secrets_gone_from_the_keyring_are_a_clear_error_naming_the_account(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    s = store(tmp_path)
    s.save(OAUTH1)
    memory_keyring.items.clear()
    with pytest.raises(SecretsUnavailable, match=r"'alice'.*not in the OS keyring"):
        s.load("alice")
    assert s.info("alice") is not None  # the account is still listed, to be removed


# -- no keyring -------------------------------------------------------------------------------


def test_without_a_keyring_secrets_go_to_the_owner_only_file_and_it_says_so(
    tmp_path: Path,
) -> None:
    s = store(tmp_path)  # conftest: the "fail" backend, as on a headless box or CI
    info = s.save(OAUTH2)
    assert info.home == "file" and info.kept_in == "file"
    assert stat.S_IMODE(s.loc.profile("bob").stat().st_mode) == 0o600
    assert "refresh-1" in file_text(s, "bob")
    assert s.load("bob") == OAUTH2
    note = s.where_new_secrets_go()
    assert "PYTHON_KEYRING_BACKEND turns keyring off" in note and "0600" in note


def test_secret_store_keyring_without_a_keyring_refuses_to_save(tmp_path: Path) -> None:
    s = store(tmp_path, "keyring")
    with pytest.raises(SecretsUnavailable, match='secret_store = "keyring"'):
        s.save(OAUTH1)
    assert not s.loc.profile("alice").exists()


def test_secret_store_file_keeps_secrets_out_of_a_usable_keyring(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    s = store(tmp_path, "file")
    old_format_file(s, OAUTH2)
    assert s.save(OAUTH1).home == "file"
    assert s.load("bob") == OAUTH2  # and nothing moves
    assert memory_keyring.items == {}


# -- moving older files to the keyring ----------------------------------------------------------


def test_an_older_file_moves_its_secrets_to_the_keyring_on_first_use(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    s = store(tmp_path)
    old_format_file(s, OAUTH2)
    assert s.info("bob").home == "file"  # type: ignore[union-attr]
    assert s.load("bob") == OAUTH2
    assert s.info("bob").home == "keyring"  # type: ignore[union-attr]
    assert not any(secret in file_text(s, "bob") for secret in SECRETS)
    assert s.load("bob") == OAUTH2
    assert memory_keyring.writes == 1


def test_a_move_the_keyring_refuses_leaves_the_file_as_it_was(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    s = store(tmp_path)
    old_format_file(s, OAUTH2)
    before = file_text(s, "bob")
    memory_keyring.refuse_writes = True
    assert s.load("bob") == OAUTH2
    assert file_text(s, "bob") == before
    assert any("stay in its owner-only file" in w for w in s.warnings)


MOVE_THEN_DIE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import likes_tui.store.credentials as credentials
    from likes_tui.store.files import Locations

    def die(*args, **kwargs):  # the keyring has the secrets; the file is not written yet
        os.kill(os.getpid(), signal.SIGKILL)

    credentials.atomic_write = die
    credentials.CredentialStore(Locations(Path(sys.argv[1]))).load("bob")
    """
)


def test_a_move_killed_between_keyring_and_file_is_made_again_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shelf = tmp_path / "keyring.json"
    monkeypatch.setenv(FILE_KEYRING_ENV, str(shelf))
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.keyrings.FileKeyring",
        "PYTHONPATH": str(ROOT),
    }
    s = store(tmp_path)
    old_format_file(s, OAUTH2)
    before = file_text(s, "bob")
    killed = subprocess.run(
        [sys.executable, "-c", MOVE_THEN_DIE, str(s.loc.root)], env=env, timeout=60
    )
    assert killed.returncode == -9
    assert json.loads(shelf.read_text())  # the keyring got the secrets ...
    assert file_text(s, "bob") == before  # ... and the file still holds them and says so

    import keyring

    from tests.keyrings import FileKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.keyrings.FileKeyring")
    try:
        again = CredentialStore(s.loc)
        assert again.load("bob") == OAUTH2
        assert again.info("bob").home == "keyring"  # type: ignore[union-attr]
        assert len(json.loads(shelf.read_text())) == 1  # the same item, not a second one
        assert not any(secret in file_text(s, "bob") for secret in SECRETS)
    finally:
        keyring.set_keyring(previous)


# -- a secret command ---------------------------------------------------------------------------


def script(tmp_path: Path, body: str) -> tuple[str, ...]:
    path = tmp_path / "secrets.py"
    path.write_text(textwrap.dedent(body))
    return (sys.executable, str(path))


def test_a_secret_command_supplies_oauth1_keys_and_nothing_secret_is_stored(
    tmp_path: Path, memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    command = script(
        tmp_path,
        """
        print("# from the password manager")
        print("api_key: key-1")
        print("api_key_secret: key-secret-1")
        print("access_token = 42-token-1")
        print("access_token_secret: token-secret-1")
        """,
    )
    s = store(tmp_path)
    profile = OAuth1Profile(**{**OAUTH1.__dict__, "secret_command": command})
    info = s.save(profile)
    assert info.kept_in == "secret command"
    assert memory_keyring.items == {}
    assert not any(secret in file_text(s, "alice") for secret in SECRETS)
    assert s.load("alice") == profile
    assert memory_keyring.items == {}  # nothing to move there either
    assert not any(secret in caplog.text for secret in SECRETS)


def test_a_secret_command_supplies_a_client_secret_and_the_tokens_stay_stored(
    tmp_path: Path,
) -> None:
    command = script(
        tmp_path, 'import json; print(json.dumps({"client_secret": "client-secret-1"}))'
    )
    s = store(tmp_path)
    profile = OAuth2Profile(**{**OAUTH2.__dict__, "secret_command": command})
    assert s.save(profile).kept_in == "secret command + file"
    text = file_text(s, "bob")
    assert "client-secret-1" not in text and "refresh-1" in text
    assert s.load("bob") == profile


def test_a_failing_secret_command_is_an_error_naming_the_account_not_its_output(
    tmp_path: Path,
) -> None:
    command = script(
        tmp_path,
        """
        import sys
        print("api_key_secret: key-secret-1")
        print("Error: x/likes is not in the password store.", file=sys.stderr)
        sys.exit(1)
        """,
    )
    s = store(tmp_path)
    s.save(OAuth1Profile(**{**OAUTH1.__dict__, "secret_command": command}))
    with pytest.raises(SecretsUnavailable) as caught:
        s.load("alice")
    message = caught.value.message
    assert "'alice'" in message and "exit status 1" in message
    assert "not in the password store" in message
    assert "key-secret-1" not in message + repr(caught.value)


def test_a_secret_command_that_hangs_is_stopped_at_its_timeout(tmp_path: Path) -> None:
    command = script(tmp_path, "import time; time.sleep(30)")
    s = store(tmp_path)
    s.command_timeout = 0.5
    s.save(OAuth1Profile(**{**OAUTH1.__dict__, "secret_command": command}))
    with pytest.raises(SecretsUnavailable, match=r"'alice'.*did not finish in 0.5 s"):
        s.load("alice")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (("likes-tui-no-such-program",), "was not found"),
        (None, "has an unknown field \\(line 1\\)"),
        (None, "lacks a field \\(api_key_secret is missing\\)"),
    ],
)
def test_secret_command_mistakes_are_plain_errors(
    tmp_path: Path, command: tuple[str, ...] | None, expected: str
) -> None:
    if command is None and "unknown" in expected:
        command = script(tmp_path, 'print("password: hunter2")')
    elif command is None:
        command = script(tmp_path, 'print("api_key: key-1")')
    s = store(tmp_path)
    s.save(OAuth1Profile(**{**OAUTH1.__dict__, "secret_command": command}))
    with pytest.raises(SecretsUnavailable, match=expected) as caught:
        s.load("alice")
    assert "hunter2" not in caught.value.message


# -- Windows ------------------------------------------------------------------------------------


def test_on_windows_no_posix_mode_call_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "WINDOWS", True)
    monkeypatch.delattr(os, "fchmod")

    def no_chmod(*args: object, **kwargs: object) -> None:
        raise AssertionError("chmod called on Windows")

    monkeypatch.setattr(Path, "chmod", no_chmod)
    loc = Locations(tmp_path / "cfg")
    loc.ensure()
    s = CredentialStore(loc)
    s.save(OAUTH1)
    assert s.load("alice") == OAUTH1
    assert s.warnings == []


def test_an_unknown_secret_store_setting_falls_back_to_auto_and_says_so(tmp_path: Path) -> None:
    from likes_tui.store import settings

    loc = Locations(tmp_path / "cfg").ensure()
    loc.settings.write_text('secret_store = "vault"\n')
    loaded, warning = settings.load(loc)
    assert loaded.secret_store == "auto"
    assert warning is not None and "'vault'" in warning and "auto" in warning


def test_a_low_priority_keyring_is_not_trusted_with_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keyrings.alt's plain-text backends rank below 1: the owner-only file is no worse."""
    import keyring

    class PlainText(MemoryKeyring):
        priority = 0.5  # type: ignore[assignment]

    previous = keyring.get_keyring()
    keyring.set_keyring(PlainText())
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    try:
        s = store(tmp_path)
        assert s.save(OAUTH1).home == "file"
        assert "low-priority keyring (PlainText)" in s.where_new_secrets_go()
    finally:
        keyring.set_keyring(previous)


def test_secret_store_file_brings_a_keyring_account_back_to_its_file(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store(tmp_path).save(OAUTH2)
    assert len(memory_keyring.items) == 1
    s = store(tmp_path, "file")
    assert s.load("bob") == OAUTH2
    assert s.info("bob").home == "file"  # type: ignore[union-attr]
    assert "refresh-1" in file_text(s, "bob") and memory_keyring.items == {}
    assert stat.S_IMODE(s.loc.profile("bob").stat().st_mode) == 0o600


BUS_PROBE = (
    "import sys; from likes_tui.store.secrets import keyring_status; s = keyring_status(); "
    "print(s.usable, 'keyring' in sys.modules, s.backend)"
)


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the D-Bus check is for Linux")
@pytest.mark.parametrize(
    ("extra", "loads_keyring"),
    [
        ({}, False),
        ({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}, True),
        ({"PYTHON_KEYRING_BACKEND": "keyring.backends.chainer.ChainerBackend"}, True),
        ({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}, False),
        ({"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}, False),
        ({"config": "keyringrc.cfg"}, True),
    ],
    ids=["no-bus", "bus-address", "backend-named", "fail-named", "null-named", "keyringrc"],
)
def test_without_a_session_bus_keyring_is_not_even_loaded(
    tmp_path: Path, extra: dict[str, str], loads_keyring: bool
) -> None:
    """A cron run (no D-Bus session), or anyone who turned keyring off with its null or
    fail backend, learns there is no OS keyring without the 0.12 s of loading keyring;
    anything that could name a keyring another way has keyring asked."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")
    }
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("XDG_DATA_HOME", None)
    if extra.pop("config", None):
        (tmp_path / "config" / "python_keyring").mkdir(parents=True)
        (tmp_path / "config" / "python_keyring" / "keyringrc.cfg").write_text(
            "[backend]\ndefault-keyring=keyring.backends.fail.Keyring\n"
        )
    env.update(extra)
    out = subprocess.run(
        [sys.executable, "-c", BUS_PROBE], capture_output=True, text=True, env=env, check=True
    )
    usable, loaded, why = out.stdout.strip().split(" ", 2)
    assert usable == "False"
    assert loaded == str(loads_keyring), out.stdout
    named = extra.get("PYTHON_KEYRING_BACKEND", "")
    assert ("D-Bus" in why or "turns keyring off" in why) is not loads_keyring
    if named.endswith(("fail.Keyring", "null.Keyring")):
        assert why == "PYTHON_KEYRING_BACKEND turns keyring off"
