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
DEMO_ACCESS_TOKEN = f"{DEMO_USER_ID}-sandboxAccessToken000000000000000000"
DEMO_ACCESS_TOKEN_SECRET = "sandboxAccessTokenSecret0000000000000000000000"
DEMO_BEARER = "sandbox-demo-user-access-token"
DEMO_REFRESH = "sandbox-demo-user-refresh-token"
