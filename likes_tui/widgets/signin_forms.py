"""The set-up screen's two sign-in forms, one widget each (the screen handles their buttons)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from likes_tui.core.accounts import DEFAULT_REDIRECT_URI


class OAuth2Form(Vertical):
    """Client ID, optional secret, callback; sign in with the browser or paste the redirect."""

    DEFAULT_CSS = "OAuth2Form { height: auto; }"

    def compose(self) -> ComposeResult:
        yield Label("Client ID")
        yield Static(
            "App settings → Keys and tokens → OAuth 2.0 Client ID and Client Secret.",
            classes="help",
        )
        yield Input(id="o2-client-id", placeholder="e.g. M1M5R3BMVy13QmpScXkzTUt5OE06MTpjaQ")
        yield Label("Client Secret (optional)")
        yield Static(
            "Only for confidential clients (Web App, Automated App or Bot). "
            "Leave empty for a Native App (public client).",
            classes="help",
        )
        yield Input(
            id="o2-client-secret",
            password=True,
            placeholder="empty for a public client",
        )
        yield Label("Callback URI / Redirect URL")
        yield Static(
            "Must be registered exactly in the App's User authentication settings. "
            "127.0.0.1 and localhost are different addresses to X.",
            classes="help",
        )
        yield Input(DEFAULT_REDIRECT_URI, id="o2-redirect")
        with Horizontal(classes="buttons"):
            yield Button("Sign in with browser", id="o2-signin", variant="primary")
            yield Button("Cancel", id="o2-cancel", disabled=True)
            yield Button("Copy URL", id="o2-copy", disabled=True)
        yield Static("", id="o2-url", markup=False)
        yield Input(
            id="o2-pasted",
            placeholder="Browser on another machine? Paste the URL it was redirected to, then Enter",
        )
        yield Static("", id="o2-result", classes="result", markup=False)


class OAuth1Form(Vertical):
    """The four values from the developer portal, in its order, and Verify."""

    DEFAULT_CSS = """
    OAuth1Form { height: auto; }
    OAuth1Form #o1-pin-box { height: auto; display: none; }
    OAuth1Form #o1-pin-box.-open { display: block; }
    OAuth1Form #o1-pin { width: 24; }
    OAuth1Form #o1-pin-url { margin: 1 1 0 1; height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            "App settings → Keys and tokens. Consumer Keys give the API Key and Secret; "
            "Authentication Tokens give the Access Token and Secret (generate them after "
            "setting Read and write permissions).",
            classes="help",
        )
        yield Label("API Key")
        yield Input(id="o1-api-key")
        yield Label("API Key Secret")
        yield Input(id="o1-api-secret", password=True)
        yield Label("Access Token")
        yield Input(id="o1-access-token", placeholder="starts with your numeric user id, then -")
        yield Label("Access Token Secret")
        yield Input(id="o1-access-secret", password=True)
        yield Static("", id="o1-userid", classes="help", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Verify", id="o1-verify", variant="primary")
            yield Button("Sign in with PIN", id="o1-pin-start")
        yield Static(
            "Only the API Key and Secret? Sign in with PIN: approve the App in any browser, as "
            "any account (the portal's Access Token is the App owner's alone), and type the "
            "7-digit PIN X shows.",
            classes="help",
        )
        with Vertical(id="o1-pin-box"):
            yield Static("", id="o1-pin-url", markup=False)
            yield Label("PIN")
            with Horizontal(classes="buttons"):
                yield Input(id="o1-pin", password=True, placeholder="7 digits", max_length=9)
                yield Button("Copy URL", id="o1-pin-copy")
        yield Static("", id="o1-result", classes="result", markup=False)
