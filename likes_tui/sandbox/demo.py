"""The sandbox's fixed demo identity and credentials: plain strings, so `--demo` can set up its
account before the first paint without loading the emulator itself."""

from __future__ import annotations

DEMO_USER_ID = "1590000000000000001"
DEMO_USERNAME = "likes_tui_demo"
DEMO_CLIENT_ID = "ZGVtby1jbGllbnQtaWQ6MTpjaQ"
DEMO_CONFIDENTIAL_ID = "ZGVtby1jb25maWRlbnRpYWw6MTpjaQ"
DEMO_CONFIDENTIAL_SECRET = "sandbox-confidential-client-secret"
DEMO_API_KEY = "sandboxApiKey0000000000000"
DEMO_API_KEY_SECRET = "sandboxApiKeySecret000000000000000000000000000000"
DEMO_ACCESS_TOKEN = f"{DEMO_USER_ID}-sandboxAccessTokenDemo0000000000000000"
DEMO_ACCESS_TOKEN_SECRET = "sandboxAccessTokenSecretDemo000000000000000000"
DEMO_BEARER = "sandbox-demo-user-access-token"
DEMO_REFRESH = "sandbox-demo-user-refresh-token"
DEMO_APP_BEARER = (
    "AAAAAAAAAAAAAAAAAAAAAL1kcTUAAAAAsandboxAppOnlyBearer%2FZm9yLXNhbmRib3gtb25seQ%3DWrong4Likes"
)
"""An app-only Bearer Token as the developer portal shows one (it starts with many A's): it
reads public data, and X answers 403 when it is used to like."""


class SandboxAccount:
    """One of the sandbox's users, with the credentials a person would have for it (a plain
    class: this module loads before the first paint of --demo)."""

    def __init__(self, user_id: str, username: str, name: str, tag: str) -> None:
        self.user_id = user_id
        self.username = username
        self.name = name
        self.bearer = f"sandbox-{tag}-user-access-token"
        self.refresh = f"sandbox-{tag}-user-refresh-token"
        self.access_token = f"{user_id}-sandboxAccessToken{tag.capitalize():0<20}"
        self.access_token_secret = f"sandboxAccessTokenSecret{tag.capitalize():0<22}"


ACCOUNTS = (
    SandboxAccount(DEMO_USER_ID, DEMO_USERNAME, "Demo Person", "demo"),
    SandboxAccount("1590000000000000002", "likes_tui_alice", "Alice Sandbox", "alice"),
    SandboxAccount("1590000000000000003", "likes_tui_bob", "Bob Sandbox", "bob"),
)
"""The accounts `likes-tui sandbox` prints: switching accounts, a second sign-in and liking as
the wrong user can all be tried locally. The first is the demo user."""
