"""Accounts ("profiles"): one JSON file each in profiles/, 0600, written atomically, and
their secrets wherever the account keeps them.

The file always holds what is not secret (who, which kind, the OAuth 2.0 Client ID). The
secrets sit in the OS keyring by default (the file keeps a reference), in the file itself
where no keyring is usable or the person chose it, and a secret command may supply them from a
password manager. A file without a `secrets` field is an older one, with its secrets inline;
it moves them to the keyring on first use, and the file stays the truth until that move has
landed, so an interrupted move loses nothing.

The OAuth 2.0 refresh token rotates, so reading and rewriting it happens under a per-account
file lock shared by every running copy of the app, whichever store holds it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from likes_tui.api.tokens import OAuth1Credentials, OAuth2Token
from likes_tui.store import platform
from likes_tui.store.files import (
    Locations,
    StoreError,
    atomic_write,
    valid_profile_name,
)
from likes_tui.store.locks import file_lock
from likes_tui.store.profiles import (
    COMMAND_FIELDS,
    COMMAND_TIMEOUT,
    OAUTH1_SECRETS,
    ProfileFiles,
    ProfileInfo,
    _text,
    info_json,
    stored_fields,
)

if TYPE_CHECKING:
    from likes_tui.store.profiles import SecretHome, SecretPolicy
    from likes_tui.store.secrets import KeyringStatus


@dataclass(frozen=True)
class OAuth2Profile:
    name: str
    client_id: str
    client_secret: str | None = field(repr=False)
    redirect_uri: str
    token: OAuth2Token
    user_id: str = ""
    username: str = ""
    kind: Literal["oauth2"] = "oauth2"
    secret_command: tuple[str, ...] = ()
    owns_app: bool = False
    """Asked at sign-in; "no" when unsure (see ProfileInfo.owns_app)."""


@dataclass(frozen=True)
class OAuth1Profile:
    name: str
    creds: OAuth1Credentials
    user_id: str = ""
    username: str = ""
    kind: Literal["oauth1"] = "oauth1"
    secret_command: tuple[str, ...] = ()
    owns_app: bool = True
    """The portal's Access Token is the App owner's; a PIN sign-in sets this from the
    person's answer."""


Profile = OAuth1Profile | OAuth2Profile


valid_name = valid_profile_name


def profile_name_for(username: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.@-]", "", username.lstrip("@"))[:64]
    return cleaned or "default"


def _secrets_of(profile: Profile) -> dict[str, Any]:
    if isinstance(profile, OAuth1Profile):
        c = profile.creds
        return {
            "api_key": c.api_key,
            "api_key_secret": c.api_key_secret,
            "access_token": c.access_token,
            "access_token_secret": c.access_token_secret,
        }
    t = profile.token
    return {
        "client_secret": profile.client_secret,
        "access_token": t.access_token,
        "refresh_token": t.refresh_token,
        "expires_at": t.expires_at,
        "scope": t.scope,
    }


def _expiry(value: Any) -> float | None:
    """`expires_at` as seconds; anything unusable means unknown (the token is refreshed when
    X refuses it), not a crash."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _build(info: ProfileInfo, secrets: dict[str, Any]) -> Profile:
    if info.kind == "oauth1":
        return OAuth1Profile(
            info.name,
            OAuth1Credentials(*(_text(secrets, key, required=True) for key in OAUTH1_SECRETS)),
            info.user_id,
            info.username,
            secret_command=info.secret_command,
            owns_app=info.owns_app,
        )
    return OAuth2Profile(
        info.name,
        info.client_id,
        _text(secrets, "client_secret") or None,
        info.redirect_uri,
        OAuth2Token(
            _text(secrets, "access_token", required=True),
            _text(secrets, "refresh_token") or None,
            _expiry(secrets.get("expires_at")),
            _text(secrets, "scope"),
        ),
        info.user_id,
        info.username,
        secret_command=info.secret_command,
        owns_app=info.owns_app,
    )


def _info_of(profile: Profile, home: SecretHome, ref: str = "") -> ProfileInfo:
    if isinstance(profile, OAuth1Profile):
        return ProfileInfo(
            profile.name,
            "oauth1",
            profile.user_id,
            profile.username,
            home=home,
            secret_ref=ref,
            secret_command=profile.secret_command,
            owns_app=profile.owns_app,
        )
    return ProfileInfo(
        profile.name,
        "oauth2",
        profile.user_id,
        profile.username,
        profile.client_id,
        profile.redirect_uri,
        home,
        ref,
        profile.secret_command,
        profile.owns_app,
    )


class CredentialStore(ProfileFiles):
    """Every account's file and secrets. Its calls block (files, the keyring, a secret
    command): the app makes them off the event loop."""

    def __init__(self, loc: Locations, policy: SecretPolicy = "auto") -> None:
        super().__init__(loc)
        self.policy = policy
        self._keyring: KeyringStatus | None = None
        self._not_moved: set[str] = set()
        self.command_timeout = COMMAND_TIMEOUT

    # -- where secrets go --------------------------------------------------------------------

    def keyring(self) -> KeyringStatus:
        """Whether an OS keyring is usable (asked once per process: it loads keyring)."""
        from likes_tui.store.secrets import KeyringStatus, keyring_status

        if self.policy == "file":
            return KeyringStatus(False, 'secret_store = "file" in settings.toml')
        if self._keyring is None:
            self._keyring = keyring_status()
        return self._keyring

    def where_new_secrets_go(self) -> str:
        """One sentence for the set-up screen and `account --help`."""
        status = self.keyring()
        if status.usable:
            return f"Secrets are kept in the OS keyring ({status.backend})."
        return (
            f"Secrets are kept in each account's file in profiles/ ({status.backend}). "
            f"{platform.FILE_PROTECTION}"
        )

    def _ref(self, name: str) -> str:
        """The keyring item's name: the same for one account in one config dir, so a move
        that is retried after an interruption rewrites the same item instead of leaving one
        behind."""
        import uuid  # (it loads `platform`; only a save needs it, never the first paint)

        seed = f"{self.loc.root.resolve()}/{name}"
        return f"{name}/{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"

    # -- reading -----------------------------------------------------------------------------

    def load(self, name: str) -> Profile | None:
        """The account with its secrets, or None if absent. An account whose secrets are
        still in its file moves them to the keyring first, where the policy wants that.
        Raises SecretsUnavailable when the keyring or the secret command fails."""
        found = self.read(name)
        if found is None:
            return None
        info, data = found
        if self._move_due(info):
            if info.home == "file":
                self._move_to_keyring(name)
            else:
                self._move_to_file(name)
            info, data = self.read(name) or found
        return self._with_secrets(info, data)

    def _with_secrets(self, info: ProfileInfo, data: dict[str, Any]) -> Profile:
        from likes_tui.store.secrets import SecretsUnavailable, run_secret_command

        secrets = dict(data) if info.home == "file" else self._from_keyring(info)
        if info.secret_command:
            secrets.update(
                run_secret_command(
                    info.name,
                    info.secret_command,
                    COMMAND_FIELDS[info.kind],
                    self.command_timeout,
                )
            )
        try:
            return _build(info, secrets)
        except ValueError as exc:
            raise SecretsUnavailable(
                f"Account {info.name!r}: its secret command's output lacks a field ({exc}); "
                f"it prints {', '.join(COMMAND_FIELDS[info.kind])}."
                if info.secret_command
                else f"Account {info.name!r}: its OS keyring item is incomplete ({exc}). "
                "Remove the account and set it up again."
            ) from None

    def _from_keyring(self, info: ProfileInfo) -> dict[str, Any]:
        from likes_tui.store.secrets import KeyringVault, SecretsUnavailable

        stored = KeyringVault(info.name).get(info.secret_ref)
        if stored is None:
            raise SecretsUnavailable(
                f"Account {info.name!r}: its secrets are not in the OS keyring any more "
                "(removed there, or this is another user or machine). Remove the account "
                "and set it up again."
            )
        return stored

    # -- moving secrets to where the policy wants them ----------------------------------------

    def _move_due(self, info: ProfileInfo) -> bool:
        """Older files (and "auto"/"keyring") move to the keyring; "file" brings them back."""
        if info.home == "keyring":
            return self.policy == "file"
        return (
            bool(stored_fields(info))
            and info.name not in self._not_moved
            and self.policy != "file"
            and self.keyring().usable
        )

    def _move_to_keyring(self, name: str) -> None:
        """Keyring first, read back, then the file without its secrets (atomically): until
        that last write lands the file holds the secrets and says so, so a move cut short
        anywhere is simply made again next time."""
        with self.lock(name):
            found = self.read(name)
            if found is None or found[0].home != "file":
                return
            info, data = found
            moved = info._replace(home="keyring", secret_ref=self._ref(name))
            try:
                self._store(moved, {key: data.get(key) for key in stored_fields(info)})
            except StoreError as exc:
                self._not_moved.add(name)
                self.warnings.append(
                    f"{exc.message} The secrets of {name!r} stay in its owner-only file."
                )

    def _move_to_file(self, name: str) -> None:
        """secret_store = "file": an account in the keyring comes back to its file. The file
        (with the secrets, atomically) first, then the keyring item goes; a keyring that
        refuses to let go leaves a copy there, and says so."""
        from likes_tui.store.secrets import KeyringVault

        with self.lock(name):
            found = self.read(name)
            if found is None or found[0].home != "keyring":
                return
            info = found[0]
            secrets = self._from_keyring(info)
            self._store(info._replace(home="file", secret_ref=""), secrets)
            try:
                KeyringVault(name).delete(info.secret_ref)
            except StoreError as exc:
                self.warnings.append(
                    f"{exc.message} The secrets of {name!r} are in its file now; a copy "
                    "stays in the keyring."
                )

    # -- writing -----------------------------------------------------------------------------

    def save(self, profile: Profile) -> ProfileInfo:
        """Store the account where it already keeps its secrets, a new one where the policy
        says. A keyring that refuses a write never loses the secret: it goes to the file,
        with a warning. Not locked here: a token refresh calls this under `lock`."""
        if not valid_name(profile.name):
            raise StoreError(f"{profile.name!r} is not a usable profile name.")
        self.loc.ensure()
        existing = self.info(profile.name)
        if existing is not None and existing.kind == profile.kind:
            home = existing.home
        elif self.policy == "file":
            home = "file"
        elif self.keyring().usable:
            home = "keyring"
        elif self.policy == "keyring":
            from likes_tui.store.secrets import SecretsUnavailable

            raise SecretsUnavailable(
                f'settings.toml asks for secret_store = "keyring", but {self.keyring().backend}. '
                f'Set it to "auto" or "file" to keep {profile.name!r} in an owner-only file.'
            )
        else:
            home = "file"
        try:
            return self._write(profile, home)
        except StoreError as exc:  # the keyring refused (or the file cannot be written)
            if home != "keyring":
                raise
            self.warnings.append(f"{exc.message} They were saved in the owner-only file instead.")
            return self._write(profile, "file")

    def _write(self, profile: Profile, home: SecretHome) -> ProfileInfo:
        if profile.secret_command and profile.kind == "oauth1":
            home = "file"  # the command gives every secret: none to keep anywhere
        ref = self._ref(profile.name) if home == "keyring" else ""
        info = _info_of(profile, home, ref)
        secrets = _secrets_of(profile)
        return self._store(info, {key: secrets[key] for key in stored_fields(info)})

    def _store(self, info: ProfileInfo, secrets: dict[str, Any]) -> ProfileInfo:
        data = info_json(info)
        if info.home == "keyring":
            from likes_tui.store.secrets import KeyringVault, SecretsUnavailable

            vault = KeyringVault(info.name)
            vault.put(info.secret_ref, secrets)
            if vault.get(info.secret_ref) != json.loads(json.dumps(secrets)):
                raise SecretsUnavailable(
                    f"Account {info.name!r}: the OS keyring did not give back what was stored."
                )
        else:
            data.update(secrets)
        atomic_write(self.loc.profile(info.name), json.dumps(data, indent=2).encode())
        return info

    def set_owns_app(self, name: str, owns: bool) -> ProfileInfo | None:
        """Say whether the account owns the developer App (its own liked posts then cost
        $0.001, not $0.005); None if there is no such account. Its secrets stay where they
        are: only the file's description changes, atomically, under the account's lock."""
        with self.lock(name):
            found = self.read(name)
            if found is None:
                return None
            info, data = found
            changed = info._replace(owns_app=owns)
            raw = info_json(changed)
            if changed.home == "file":
                raw.update({key: data[key] for key in stored_fields(changed) if key in data})
            atomic_write(self.loc.profile(name), json.dumps(raw, indent=2).encode())
            return changed

    def delete(self, name: str) -> None:
        """Forget the account here: its keyring item (if any), then its file. A keyring that
        refuses raises, and the file stays, so the account can be removed again later."""
        info = self.info(name)
        if info is not None and info.home == "keyring":
            from likes_tui.store.secrets import KeyringVault

            KeyringVault(name).delete(info.secret_ref)
        path = self.loc.profile(name)
        path.unlink(missing_ok=True)
        self.loc.lock(name).unlink(missing_ok=True)

    def lock(self, name: str) -> AbstractContextManager[None]:
        self.loc.ensure()
        return file_lock(self.loc.lock(name))

    def token_saver(
        self, name: str
    ) -> tuple[Callable[[], OAuth2Token | None], Callable[[OAuth2Token], None]]:
        """Load/save callables for OAuth2Signer, bound to this account (called under `lock`).
        They touch the token only: no secret command runs and nothing moves stores. A store
        that fails becomes the API's error, so the queue holds with the reason."""

        from likes_tui.api.errors import SecretsMissing, SignInRequired

        def load() -> OAuth2Token | None:
            try:
                return read()
            except StoreError as exc:
                raise SecretsMissing(exc.message) from None

        def save(token: OAuth2Token) -> None:
            try:
                write(token)
            except StoreError as exc:
                raise SignInRequired(
                    f"{exc.message} X renewed the sign-in but it could not be kept here, so "
                    "sign in again."
                ) from None

        def read() -> OAuth2Token | None:
            found = self.read(name)
            if found is None or found[0].kind != "oauth2":
                return None
            info, data = found
            stored = data if info.home == "file" else self._from_keyring(info)
            access = stored.get("access_token")
            if not isinstance(access, str) or not access:
                return None
            return OAuth2Token(
                access,
                _text(stored, "refresh_token") or None,
                _expiry(stored.get("expires_at")),
                _text(stored, "scope"),
            )

        def write(token: OAuth2Token) -> None:
            found = self.read(name)
            if found is None or found[0].kind != "oauth2":
                return
            info, data = found
            secrets = data if info.home == "file" else self._from_keyring(info)
            profile = _build(info, secrets)
            assert isinstance(profile, OAuth2Profile)
            self.save(replace(profile, token=token))

        return load, save
