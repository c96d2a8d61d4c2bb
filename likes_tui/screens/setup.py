"""Set-up: sign in with OAuth 2.0 (PKCE) or OAuth 1.0a keys, verify, save; manage accounts."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    Header,
    Input,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from likes_tui.core.accounts import (
    APP_ONLY_ADVICE,
    DEFAULT_REDIRECT_URI,
    Accounts,
    OAuth1Credentials,
    OAuth1Profile,
    Profile,
    StoreError,
    XError,
    looks_app_only,
    profile_name_for,
)
from likes_tui.messages import ProfileActivated
from likes_tui.screens.base import LikesScreen

if TYPE_CHECKING:
    from likes_tui.core.signin import OAuth1PinSignIn, OAuth2SignIn
from likes_tui.widgets.footer import KeyFooter
from likes_tui.widgets.signin_forms import OAuth1Form, OAuth2Form

SECRET_INPUTS = ("#o2-client-secret", "#o1-api-secret", "#o1-access-secret", "#o1-pin")


class SetupScreen(LikesScreen):
    DEFAULT_CSS = """
    SetupScreen #setup-body {
        padding: 0 2;
    }
    SetupScreen .help {
        color: $text-muted;
        margin: 0 0 0 1;
    }
    SetupScreen Label {
        margin: 1 0 0 1;
        text-style: bold;
    }
    SetupScreen .result {
        margin: 1 1 0 1;
        height: auto;
    }
    SetupScreen .result.-ok {
        color: $success;
        text-style: bold;
    }
    SetupScreen .result.-error {
        color: $error;
    }
    SetupScreen .buttons {
        height: auto;
        margin: 1 0 0 1;
    }
    SetupScreen .buttons Button {
        margin-right: 2;
    }
    SetupScreen #o2-url {
        margin: 1 1 0 1;
        height: auto;
        color: $text-muted;
    }
    SetupScreen #accounts {
        height: auto;
        max-height: 8;
        margin: 0 1;
    }
    SetupScreen #accounts-box {
        height: auto;
        border: round $primary-background-lighten-2;
        border-title-color: $text-muted;
        margin: 1 0 0 0;
    }
    SetupScreen TabbedContent {
        height: auto;
    }
    SetupScreen #owns-app {
        display: none;
        margin: 1 0 0 1;
    }
    SetupScreen #owns-app.-ask {
        display: block;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+r", "reveal", "Show/hide secrets"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, first_run: bool) -> None:
        super().__init__()
        self.first_run = first_run
        self.verified: Profile | None = None
        self.flow: OAuth2SignIn | None = None
        self.pin_flow: OAuth1PinSignIn | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="setup-body"):
            if self.first_run:
                yield Static(
                    "Welcome. likes-tui needs a developer App from X's developer portal "
                    "(developer.x.com) with Read and write permissions. Sign in once; the keys stay "
                    "on this computer, in the OS keyring where there is one.\n"
                    "No keys yet? Quit (ctrl+q) and run `likes-tui --demo` to try everything "
                    "against a built-in emulator of X.",
                    classes="help",
                )
            with Vertical(id="accounts-box") as box:
                box.border_title = "Accounts on this computer"
                yield OptionList(id="accounts")
                with Horizontal(classes="buttons"):
                    yield Button("Use this account", id="switch")
                    yield Button("Sign out and remove", id="remove", variant="error")
            with TabbedContent(id="methods"):
                with TabPane("OAuth 2.0 (recommended)", id="oauth2"):
                    yield OAuth2Form()
                with TabPane("OAuth 1.0a", id="oauth1"):
                    yield OAuth1Form()
            yield Static(id="secrets-where", classes="help", markup=False)
            yield Checkbox(
                "This account owns the developer App (its own liked posts are then billed "
                "at $0.001, not $0.005). Leave it off when unsure.",
                id="owns-app",
            )
            with Horizontal(classes="buttons"):
                yield Button("Save and continue", id="save", variant="success", disabled=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Set up an account" if self.first_run else "Accounts"
        self._fill_accounts()
        if self.ctx.demo:
            self._prefill_sandbox()
        else:
            self._prefill_same_app()
        self.query_one("#o2-client-id", Input).focus()

    @work(group="prefill", exclusive=True)
    async def _prefill_same_app(self) -> None:
        app = await self.accounts.oauth2_app()
        client_id = self.query_one("#o2-client-id", Input)
        if app is None or client_id.value:
            return
        existing, client_secret = app
        client_id.value = existing.client_id
        self.query_one("#o2-redirect", Input).value = existing.redirect_uri or DEFAULT_REDIRECT_URI
        if client_secret:
            self.query_one("#o2-client-secret", Input).value = client_secret

    def _prefill_sandbox(self) -> None:
        from likes_tui import sandbox

        values = {
            "#o2-client-id": sandbox.DEMO_CLIENT_ID,
            "#o1-api-key": sandbox.DEMO_API_KEY,
            "#o1-api-secret": sandbox.DEMO_API_KEY_SECRET,
            "#o1-access-token": sandbox.DEMO_ACCESS_TOKEN,
            "#o1-access-secret": sandbox.DEMO_ACCESS_TOKEN_SECRET,
        }
        for selector, value in values.items():
            self.query_one(selector, Input).value = value

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.ctx)

    @work(group="accounts", exclusive=True)
    async def _fill_accounts(self) -> None:
        profiles = await self.accounts.all()
        self.query_one("#secrets-where", Static).update(await self.accounts.where_secrets_go())
        box = self.query_one("#accounts-box")
        accounts = self.query_one("#accounts", OptionList)
        accounts.clear_options()
        active = self.ctx.profile.name if self.ctx.profile else ""
        for profile in profiles:
            marker = "● " if profile.name == active else "  "
            kind = "OAuth 2.0" if profile.kind == "oauth2" else "OAuth 1.0a"
            owner = ", owns the App" if profile.owns_app else ""
            label = (
                f"{marker}{profile.name}  @{profile.username} ({profile.user_id})  {kind}"
                f"{owner}, secrets: {profile.kept_in}"
            )
            accounts.add_option(Option(label, id=profile.name))
        box.display = bool(profiles)

    # -- results -------------------------------------------------------------------------

    def _result(self, selector: str, text: str, ok: bool | None) -> None:
        widget = self.query_one(selector, Static)
        widget.update(text)
        widget.set_class(ok is True, "-ok")
        widget.set_class(ok is False, "-error")

    def _verified(self, selector: str, profile: Profile, answers: list[Any] | None = None) -> None:
        """`answers`: what X answered the sign-in, metered against the account. A PIN or
        OAuth 2.0 sign-in asks whether the account owns the App (portal keys always do)."""
        self.verified = profile
        if answers:
            self.meter_sign_in(profile.user_id, answers)
        asks = not (isinstance(profile, OAuth1Profile) and profile.owns_app)
        owns = self.query_one("#owns-app", Checkbox)
        owns.value = False
        owns.set_class(asks, "-ask")
        self._result(
            selector,
            f"✓ Signed in as @{profile.username} ({profile.user_id}): X accepted the keys "
            "and said who you are (GET /2/users/me). Whether the App's plan includes likes "
            "only the first like can tell: since April 2026 self-serve plans have none. "
            "Save to continue.",
            True,
        )
        save = self.query_one("#save", Button)
        save.disabled = False
        save.focus()

    @work(group="meter", exclusive=False)
    async def meter_sign_in(self, user_id: str, answers: list[Any]) -> None:
        await self.accounts.record_sign_in(user_id, answers)

    # -- OAuth 1.0a ----------------------------------------------------------------------

    def _oauth1_creds(self) -> OAuth1Credentials:
        def val(selector: str) -> str:
            return self.query_one(selector, Input).value.strip()

        return OAuth1Credentials(
            val("#o1-api-key"),
            val("#o1-api-secret"),
            val("#o1-access-token"),
            val("#o1-access-secret"),
        )

    @on(Input.Changed, "#o1-access-token")
    def _token_changed(self, event: Input.Changed) -> None:
        creds = OAuth1Credentials("", "", event.value.strip(), "")
        text = f"User id from the Access Token: {creds.user_id}" if creds.user_id else ""
        if event.value.strip() and not creds.user_id:
            text = "This does not look like an Access Token (it should start with digits and a -)."
        self.query_one("#o1-userid", Static).update(text)

    @on(Input.Changed, "OAuth1Form Input, OAuth2Form Input")
    def _app_only_pasted(self, event: Input.Changed) -> None:
        """The portal's app-only Bearer Token pasted where a user's credential belongs (a
        classic first mistake): say what to use instead, at once."""
        if looks_app_only(event.value):
            oauth1 = event.input.id is not None and event.input.id.startswith("o1-")
            self._result("#o1-result" if oauth1 else "#o2-result", f"✗ {APP_ONLY_ADVICE}", False)

    @on(Input.Submitted, "#o1-api-key, #o1-api-secret, #o1-access-token")
    @on(Input.Submitted, "#o2-client-id, #o2-client-secret")
    def _next_field(self) -> None:
        """Enter in a field moves to the next one, as Tab does."""
        self.focus_next()

    @on(Input.Submitted, "#o2-redirect")
    def _redirect_submitted(self) -> None:
        self._signin_pressed()

    @on(Input.Submitted, "#o1-access-secret")
    @on(Button.Pressed, "#o1-verify")
    def _verify_pressed(self) -> None:
        creds = self._oauth1_creds()
        missing = [
            n
            for n, v in zip(
                ("API Key", "API Key Secret", "Access Token", "Access Token Secret"),
                (
                    creds.api_key,
                    creds.api_key_secret,
                    creds.access_token,
                    creds.access_token_secret,
                ),
                strict=True,
            )
            if not v
        ]
        if missing:
            self._result("#o1-result", f"✗ Fill in: {', '.join(missing)}.", False)
            return
        if any(looks_app_only(v) for v in (creds.access_token, creds.access_token_secret)):
            self._result("#o1-result", f"✗ {APP_ONLY_ADVICE}", False)
            return
        self._result("#o1-result", "Checking with X (GET /2/users/me)…", None)
        self.verify_oauth1(creds)

    @work(group="verify", exclusive=True)
    async def verify_oauth1(self, creds: OAuth1Credentials) -> None:
        from likes_tui.core.signin import verify_oauth1

        answers: list[Any] = []
        try:
            user = await verify_oauth1(creds, self.ctx.backend, answers)
        except XError as exc:
            self._result("#o1-result", f"✗ {exc.message}", False)
            return
        self._verified(
            "#o1-result",
            OAuth1Profile(profile_name_for(user.username), creds, user.id, user.username),
            answers,
        )

    # -- OAuth 1.0a with a PIN -------------------------------------------------------------

    @on(Button.Pressed, "#o1-pin-start")
    def _pin_pressed(self) -> None:
        creds = self._oauth1_creds()
        if not creds.api_key or not creds.api_key_secret:
            self._result("#o1-result", "✗ Fill in the API Key and API Key Secret first.", False)
            return
        self.start_pin(creds.api_key, creds.api_key_secret)

    @work(group="pin", exclusive=True)
    async def start_pin(self, api_key: str, api_key_secret: str) -> None:
        """Step one and two: a request token from X, and the URL to approve at (opened in a
        browser, and shown for another machine). The PIN box waits for step three."""
        from likes_tui.core.signin import OAuth1PinSignIn

        flow = OAuth1PinSignIn(api_key, api_key_secret, self.ctx.backend)
        self._result("#o1-result", "Asking X for a sign-in (POST /oauth/request_token)…", None)
        try:
            url = await flow.start()
        except XError as exc:
            self._result("#o1-result", f"✗ {exc.message}", False)
            return
        self.pin_flow = flow
        self.query_one("#o1-pin-box").add_class("-open")
        pin = self.query_one("#o1-pin", Input)
        pin.value = ""
        self.query_one("#o1-pin-url", Static).update(
            f"Open this URL (it opened in a browser if there is one here), sign in as the "
            f"account to add, approve the App, then type the PIN below:\n{url}"
        )
        if self.ctx.backend.transport is not None:
            try:  # the built-in sandbox has no browser: it approves, and shows the PIN here
                pin.value = await flow.approve_in_sandbox()
            except XError as exc:
                self._result("#o1-result", f"✗ {exc.message}", False)
                return
            note = "The sandbox approved the App and filled in its PIN: press Enter."
        else:
            self.app.open_url(url)
            note = "Waiting for the PIN (7 digits)."
        self.query_one("#o1-pin-start", Button).label = "Get a new PIN"
        self._result("#o1-result", note, None)
        pin.focus()

    @on(Input.Submitted, "#o1-pin")
    def _pin_submitted(self, event: Input.Submitted) -> None:
        if self.pin_flow is None or self.pin_flow.request is None:
            self._result("#o1-result", "✗ Press 'Sign in with PIN' first.", False)
            return
        self.finish_pin(self.pin_flow, event.value)

    @work(group="pin-finish", exclusive=True)
    async def finish_pin(self, flow: OAuth1PinSignIn, pin: str) -> None:
        from likes_tui.core.accounts import PinRefused

        self._result("#o1-result", "Checking the PIN with X (POST /oauth/access_token)…", None)
        try:
            profile = await flow.finish(pin)
        except PinRefused as exc:
            field = self.query_one("#o1-pin", Input)
            field.value = ""
            field.focus()
            again = " Press 'Get a new PIN'." if exc.expired else ""
            self._result("#o1-result", f"✗ {exc.message}{again}", False)
            return
        except XError as exc:
            self._result("#o1-result", f"✗ {exc.message}", False)
            return
        self.query_one("#o1-pin", Input).value = ""
        self._verified(
            "#o1-result", replace(profile, name=profile_name_for(profile.username)), flow.answers
        )

    @on(Button.Pressed, "#o1-pin-copy")
    def _copy_pin_url(self) -> None:
        if self.pin_flow is not None and self.pin_flow.url:
            self.app.copy_to_clipboard(self.pin_flow.url)
            self.notify("Sign-in URL copied to the clipboard.")

    # -- OAuth 2.0 -----------------------------------------------------------------------

    @on(Button.Pressed, "#o2-signin")
    def _signin_pressed(self) -> None:
        client_id = self.query_one("#o2-client-id", Input).value.strip()
        if not client_id:
            self._result("#o2-result", "✗ Fill in the Client ID first.", False)
            return
        self.sign_in_oauth2(
            client_id,
            self.query_one("#o2-client-secret", Input).value,
            self.query_one("#o2-redirect", Input).value,
        )

    @work(group="signin", exclusive=True)
    async def sign_in_oauth2(self, client_id: str, secret: str, redirect: str) -> None:
        from likes_tui.core.signin import OAuth2SignIn

        flow = OAuth2SignIn(client_id, secret, redirect, self.ctx.backend)
        self.flow = flow
        cancel = self.query_one("#o2-cancel", Button)
        try:
            if self.ctx.backend.transport is not None:
                self._result("#o2-result", "Signing in to the sandbox…", None)
                code = await flow.approve_in_sandbox()
            else:
                try:
                    await flow.listen()
                    waiting = f"Waiting for the browser on {flow.redirect_uri} …"
                except XError as exc:
                    waiting = f"{exc.message}"
                self.query_one("#o2-url", Static).update(
                    f"If no browser opened, open this URL yourself:\n{flow.url}"
                )
                self.app.open_url(flow.url)
                cancel.disabled = False
                self.query_one("#o2-copy", Button).disabled = False
                self._result("#o2-result", waiting, None)
                code = await flow.wait_for_browser(300)
            await self._finish(flow, code)
        except XError as exc:
            self._result("#o2-result", f"✗ {exc.message}", False)
        finally:
            cancel.disabled = True
            await flow.cancel()

    async def _finish(self, flow: OAuth2SignIn, code: str) -> None:
        self._result("#o2-result", "Exchanging the code for a token…", None)
        profile = await flow.finish(code)
        self._verified("#o2-result", profile, flow.answers)

    @on(Input.Submitted, "#o2-pasted")
    def _pasted_redirect(self, event: Input.Submitted) -> None:
        flow = self.flow
        if flow is None:
            self._result(
                "#o2-result", "✗ Press 'Sign in with browser' first, then paste the URL.", False
            )
            return
        try:
            code = flow.code_from_pasted(event.value)
        except XError as exc:
            self._result("#o2-result", f"✗ {exc.message}", False)
            return
        self.workers.cancel_group(self, "signin")
        self.finish_pasted(flow, code)

    @work(group="signin-paste", exclusive=True)
    async def finish_pasted(self, flow: OAuth2SignIn, code: str) -> None:
        try:
            await self._finish(flow, code)
        except XError as exc:
            self._result("#o2-result", f"✗ {exc.message}", False)

    @on(Button.Pressed, "#o2-copy")
    def _copy_pressed(self) -> None:
        if self.flow is not None:
            self.app.copy_to_clipboard(self.flow.url)
            self.notify("Sign-in URL copied to the clipboard.")

    @on(Button.Pressed, "#o2-cancel")
    def _cancel_pressed(self) -> None:
        self.workers.cancel_group(self, "signin")
        self._result("#o2-result", "Sign-in cancelled.", None)

    # -- accounts --------------------------------------------------------------------------

    def _highlighted(self) -> str | None:
        accounts = self.query_one("#accounts", OptionList)
        if accounts.highlighted is None:
            return None
        return accounts.get_option_at_index(accounts.highlighted).id

    @on(Button.Pressed, "#switch")
    def _switch(self) -> None:
        self.switch_to(self._highlighted())

    @work(group="switch", exclusive=True)
    async def switch_to(self, name: str | None) -> None:
        profile = await self.accounts.info(name) if name else None
        if profile is None:
            self.notify("Pick an account in the list first.", severity="warning")
            return
        self.app.post_message(ProfileActivated(profile))

    @on(OptionList.OptionSelected, "#accounts")
    def _account_selected(self) -> None:
        self._switch()

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        """Sign out of the account under the cursor (or the active one), after asking."""
        name = self._highlighted() or (self.ctx.profile.name if self.ctx.profile else None)
        if not name:
            self.notify("Pick an account in the list first.", severity="warning")
            return
        self.confirm_removal(name)

    @work(group="remove", exclusive=True)
    async def confirm_removal(self, name: str) -> None:
        from likes_tui.screens.confirm import ConfirmScreen

        unsent = await self.accounts.unsent(name)
        work = (
            f"\n{unsent} likes or unlikes queued for it are not sent and stay in the queue "
            "until you sign in to it again."
            if unsent
            else ""
        )
        info = await self.accounts.info(name)
        what = (
            "This revokes its sign-in with X and removes its tokens from this computer"
            if info is None or info.kind == "oauth2"
            else "This removes its keys from this computer (X's API cannot revoke OAuth 1.0a "
            "keys: regenerate them in the developer portal if they may have leaked)"
        )
        where = f" ({info.kept_in})" if info is not None else ""
        question = ConfirmScreen(
            f"Sign out of {name}?",
            f"{what}{where}.{work}",
            "Sign out and remove",
        )
        if await self.app.push_screen_wait(question):
            self.remove_account(name)

    @work(group="remove-account", exclusive=True)
    async def remove_account(self, name: str) -> None:
        was_active = self.ctx.profile is not None and self.ctx.profile.name == name
        try:
            warnings = await self.accounts.remove(name)
        except StoreError as exc:
            self.notify(exc.message, title=f"{name} was kept", severity="error", timeout=15)
            return
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=12)
        self.notify(f"Signed out of {name}; its secrets are gone from this computer.")
        self._fill_accounts()
        if was_active:
            self.first_run = True

    # -- actions ---------------------------------------------------------------------------

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.verified is None:
            self.notify("Verify or sign in first.", severity="warning")
            return
        owns = self.query_one("#owns-app", Checkbox)
        profile = self.verified
        if owns.has_class("-ask"):
            profile = replace(profile, owns_app=owns.value)
        self.app.post_message(ProfileActivated(profile))

    def action_reveal(self) -> None:
        for selector in SECRET_INPUTS:
            field = self.query_one(selector, Input)
            field.password = not field.password

    def action_back(self) -> None:
        if self.verified is not None:
            self.confirm_leave()
            return
        if self.ctx.profile is None:
            self.notify("Set up an account first (or press ctrl+q to quit).", severity="warning")
            return
        self.dismiss()

    @work(group="leave", exclusive=True)
    async def confirm_leave(self) -> None:
        """A sign-in that worked but was not saved is not thrown away without asking."""
        from likes_tui.screens.confirm import ConfirmScreen

        assert self.verified is not None
        question = ConfirmScreen(
            "Leave without saving?",
            f"You are signed in as @{self.verified.username}, but the account is not saved. "
            "Leave and throw this sign-in away?",
            "Leave",
        )
        if await self.app.push_screen_wait(question):
            self.verified = None
            if self.ctx.profile is None:
                self.notify("Set up an account first (or press ctrl+q to quit).")
            else:
                self.dismiss()
