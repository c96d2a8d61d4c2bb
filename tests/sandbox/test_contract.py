"""The sandbox against X's definition: its answers validate against the definition's response
schemas (with a maintained OpenAPI 3.0 schema validator), its answers have the shapes of the
recorded real ones, and the requests it rejects are those the definition rules out.

Where the definition and the recordings disagree the recordings win (x-api.md); this version
of the definition and the recordings agree on `retweet_count`."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from openapi_schema_validator import OAS30Validator

from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.contract import DEFINITION, contract
from likes_tui.sandbox.demo import ACCOUNTS, DEMO_API_KEY, DEMO_API_KEY_SECRET, DEMO_APP_BEARER
from likes_tui.sandbox.responses import Reply
from likes_tui.sandbox.seed import (
    DELETED_POST_ID,
    LAUNCH_POST_ID,
    PROTECTED_POST_ID,
    SEED_POST_ID,
    TWITTERDEV,
)

pytestmark = pytest.mark.invalid_requests

BASE = "https://api.x.com"
DEFINITION_JSON: dict[str, Any] = json.loads(DEFINITION.read_text())
FIXTURES = Path(__file__).parent.parent / "fixtures"
DEMO, ALICE, BOB = ACCOUNTS
APP_FIELDS = {
    "tweet.fields": "created_at,public_metrics,author_id",
    "expansions": "author_id",
    "user.fields": "username,name,verified,protected",
}
"""What the app's client asks for on every post read."""


@pytest.fixture(params=["x.com", "twitter.com"], ids=["x-problems", "legacy-problems"])
def box(request: pytest.FixtureRequest) -> XSandbox:
    return XSandbox(seed_random=3, legacy_problems=request.param == "twitter.com")


def call(
    box: XSandbox,
    method: str,
    path: str,
    query: dict[str, str] | None = None,
    body: Any = None,
    token: str = DEMO.bearer,
    content_type: str = "application/json",
) -> Reply:
    url = BASE + path + ("?" + urlencode(query) if query else "")
    headers = {"authorization": f"Bearer {token}"}
    raw = b""
    if body is not None:
        raw = json.dumps(body).encode()
        headers["content-type"] = content_type
    return box.handle(method, url, headers, raw)


def validate(method: str, path: str, reply: Reply) -> dict[str, Any]:
    """The reply's JSON, checked against the definition's schema for that operation and
    status (the `default` response for errors), with the content type X uses for it."""
    matched = contract().match(method, urlsplit(path).path)
    assert matched, path
    op = DEFINITION_JSON["paths"][matched[0].template][method.lower()]
    responses = op["responses"]
    entry = responses.get(str(reply.status)) or responses["default"]
    kind = reply.headers["content-type"].split(";")[0]
    assert kind in entry["content"], (kind, list(entry["content"]))
    schema = {**entry["content"][kind]["schema"], "components": DEFINITION_JSON["components"]}
    body = json.loads(reply.body)
    OAS30Validator(schema).validate(body)
    return body


# -- every endpoint's answers validate ---------------------------------------------------


def test_post_lookups_validate(box: XSandbox) -> None:
    ids = ",".join([SEED_POST_ID, LAUNCH_POST_ID, DELETED_POST_ID, PROTECTED_POST_ID])
    body = validate("GET", "/2/tweets", call(box, "GET", "/2/tweets", {"ids": ids, **APP_FIELDS}))
    assert {p["id"] for p in body["data"]} == {SEED_POST_ID, LAUNCH_POST_ID}
    assert {e["resource_id"] for e in body["errors"]} == {DELETED_POST_ID, PROTECTED_POST_ID}
    assert all(e["parameter"] == "ids" for e in body["errors"])
    assert body["includes"]["users"]
    one = validate(
        "GET", f"/2/tweets/{SEED_POST_ID}", call(box, "GET", f"/2/tweets/{SEED_POST_ID}")
    )
    assert set(one["data"]) == {"edit_history_tweet_ids", "id", "text"}


def test_an_expanded_author_id_is_also_in_the_post(box: XSandbox) -> None:
    reply = call(box, "GET", f"/2/tweets/{SEED_POST_ID}", {"expansions": "author_id"})
    body = validate("GET", f"/2/tweets/{SEED_POST_ID}", reply)
    assert body["data"]["author_id"] == body["includes"]["users"][0]["id"]


def test_user_lookups_validate_and_name_their_parameter_in_errors(box: XSandbox) -> None:
    fields = {"user.fields": "verified,protected"}
    me = validate("GET", "/2/users/me", call(box, "GET", "/2/users/me", fields))
    assert me["data"]["username"] == DEMO.username
    by_id = call(box, "GET", "/2/users/999", fields)
    assert validate("GET", "/2/users/999", by_id)["errors"][0]["parameter"] == "id"
    many = call(box, "GET", "/2/users", {"ids": f"{TWITTERDEV.id},999", **fields})
    body = validate("GET", "/2/users", many)
    assert [u["username"] for u in body["data"]] == ["TwitterDev"]
    assert body["errors"][0]["parameter"] == "ids"
    names = call(box, "GET", "/2/users/by", {"usernames": f"twitterdev,{ALICE.username},nobody"})
    body = validate("GET", "/2/users/by", names)
    assert [u["username"] for u in body["data"]] == ["TwitterDev", ALICE.username]
    assert body["errors"][0]["parameter"] == "usernames"
    one = call(box, "GET", "/2/users/by/username/TwitterDev")
    assert validate("GET", "/2/users/by/username/TwitterDev", one)["data"]["id"] == TWITTERDEV.id


def test_likes_liked_posts_and_liking_users_validate(box: XSandbox) -> None:
    for n, post in enumerate(
        [SEED_POST_ID, LAUNCH_POST_ID, *[str(1800000000000000000 + i) for i in range(8)]]
    ):
        path = f"/2/users/{DEMO.user_id}/likes"
        reply = call(box, "POST", path, body={"tweet_id": post})
        assert validate("POST", path, reply) == {"data": {"liked": True}}, n
    path = f"/2/users/{DEMO.user_id}/likes/{LAUNCH_POST_ID}"
    assert validate("DELETE", path, call(box, "DELETE", path)) == {"data": {"liked": False}}
    path = f"/2/users/{DEMO.user_id}/liked_tweets"
    first = validate("GET", path, call(box, "GET", path, {"max_results": "5", **APP_FIELDS}))
    assert first["meta"]["result_count"] == 5 and "next_token" in first["meta"]
    token = first["meta"]["next_token"]
    rest = validate(
        "GET", path, call(box, "GET", path, {"max_results": "5", "pagination_token": token})
    )
    assert rest["meta"]["result_count"] == 4 and "next_token" not in rest["meta"]
    assert not {p["id"] for p in first["data"]} & {p["id"] for p in rest["data"]}
    call(
        box, "POST", f"/2/users/{ALICE.user_id}/likes", {}, {"tweet_id": SEED_POST_ID}, ALICE.bearer
    )
    path = f"/2/tweets/{SEED_POST_ID}/liking_users"
    likers = validate("GET", path, call(box, "GET", path))
    assert [u["username"] for u in likers["data"]] == [ALICE.username, DEMO.username]
    nobody = validate(
        "GET",
        f"/2/tweets/{LAUNCH_POST_ID}/liking_users",
        call(box, "GET", f"/2/tweets/{LAUNCH_POST_ID}/liking_users"),
    )
    assert nobody == {"meta": {"result_count": 0}}


def test_an_unknown_page_token_is_a_400_not_page_one(box: XSandbox) -> None:
    path = f"/2/users/{DEMO.user_id}/liked_tweets"
    reply = call(box, "GET", path, {"pagination_token": "7140dibdnow9c"})
    body = validate("GET", path, reply)
    assert reply.status == 400
    assert body["errors"][0]["parameters"] == {"pagination_token": ["7140dibdnow9c"]}


# -- problems: as X dresses them -----------------------------------------------------------


def problem_prefix(box: XSandbox) -> str:
    host = "api.twitter.com" if box.legacy_problems else "api.x.com"
    return f"https://{host}/2/problems/"


@pytest.mark.parametrize(
    ("path", "query", "parameter", "value"),
    [
        ("/2/tweets", {"ids": "12a"}, "ids", "12a"),
        ("/2/tweets", {"ids": ",".join(str(i) for i in range(1, 102))}, "ids", None),
        ("/2/tweets/1", {"tweet.fields": "created_at,colour"}, "tweet.fields", "colour"),
        ("/2/tweets/1", {"expansions": "author_id,author_id"}, "expansions", None),
        ("/2/tweets/1", {"colour": "red"}, "colour", "red"),
        ("/2/users/by/username/not-a-name", {}, "username", "not-a-name"),
        ("/2/users/by", {}, "usernames", ""),
        (f"/2/users/{DEMO.user_id}/liked_tweets", {"max_results": "1"}, "max_results", "1"),
        (f"/2/users/{DEMO.user_id}/liked_tweets", {"max_results": "101"}, "max_results", "101"),
        (f"/2/users/{DEMO.user_id}/liked_tweets", {"max_results": "ten"}, "max_results", "ten"),
        ("/2/users/me", {"user.fields": "email"}, "user.fields", "email"),
    ],
)
def test_what_the_definition_rules_out_is_an_invalid_request(
    box: XSandbox, path: str, query: dict[str, str], parameter: str, value: str | None
) -> None:
    reply = call(box, "GET", path, query)
    body = validate("GET", path, reply)
    assert reply.status == 400
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert body["title"] == "Invalid Request"
    assert body["type"] == problem_prefix(box) + "invalid-request"
    named = [e for e in body["errors"] if parameter in e.get("parameters", {})]
    assert named, body
    if value is not None:
        assert named[0]["parameters"][parameter] == [value]
    assert box.violations


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        ({"tweet_id": "12a"}, "application/json", "does not match"),
        ({"tweet_id": 1228393702244134912}, "application/json", "string expected"),
        ({}, "application/json", "tweet_id: is missing"),
        ({"tweet_id": SEED_POST_ID, "extra": 1}, "application/json", "extra: is not defined"),
        ({"tweet_id": SEED_POST_ID}, "application/x-www-form-urlencoded", "must be JSON"),
    ],
)
def test_a_like_body_is_checked_against_the_schema(
    box: XSandbox, body: Any, content_type: str, words: str
) -> None:
    path = f"/2/users/{DEMO.user_id}/likes"
    reply = call(box, "POST", path, body=body, content_type=content_type)
    assert reply.status == 400
    problem = validate("POST", path, reply)
    assert words in problem["errors"][0]["message"]
    assert not box.liked_by()


def test_request_level_problems_validate_with_either_prefix(box: XSandbox) -> None:
    bad_token = call(box, "GET", "/2/users/me", token="nope")
    assert bad_token.status == 401
    assert validate("GET", "/2/users/me", bad_token)["type"] == "about:blank"
    other = call(box, "POST", f"/2/users/{ALICE.user_id}/likes", body={"tweet_id": SEED_POST_ID})
    assert other.status == 403
    validate("POST", f"/2/users/{ALICE.user_id}/likes", other)
    gone = call(box, "POST", f"/2/users/{DEMO.user_id}/likes", body={"tweet_id": DELETED_POST_ID})
    errors = validate("POST", f"/2/users/{DEMO.user_id}/likes", gone)["errors"]
    assert errors[0]["type"] == problem_prefix(box) + "resource-not-found"


# -- app-only authentication --------------------------------------------------------------


def test_client_credentials_give_an_app_only_token_that_cannot_like(box: XSandbox) -> None:
    basic = base64.b64encode(f"{DEMO_API_KEY}:{DEMO_API_KEY_SECRET}".encode()).decode()
    reply = box.handle(
        "POST",
        BASE + "/oauth2/token",
        {"authorization": f"Basic {basic}", "content-type": "application/x-www-form-urlencoded"},
        b"grant_type=client_credentials",
    )
    token = json.loads(reply.body)
    assert reply.status == 200 and token["token_type"] == "bearer"
    assert token["access_token"] == DEMO_APP_BEARER  # one per app, as the portal shows it
    lookup = call(box, "GET", f"/2/tweets/{SEED_POST_ID}", token=DEMO_APP_BEARER)
    assert lookup.status == 200
    for method, path, body in [
        ("POST", f"/2/users/{DEMO.user_id}/likes", {"tweet_id": SEED_POST_ID}),
        ("DELETE", f"/2/users/{DEMO.user_id}/likes/{SEED_POST_ID}", None),
        ("GET", "/2/users/me", None),
        ("GET", f"/2/users/{DEMO.user_id}/liked_tweets", None),
        ("GET", f"/2/tweets/{SEED_POST_ID}/liking_users", None),
    ]:
        reply = call(box, method, path, body=body, token=DEMO_APP_BEARER)
        assert reply.status == 403, path
        problem = validate(method, path, reply)
        assert problem["type"] == problem_prefix(box) + "unsupported-authentication"
    assert not box.liked_by()


def test_client_credentials_with_a_wrong_secret_are_refused(box: XSandbox) -> None:
    basic = base64.b64encode(f"{DEMO_API_KEY}:wrong".encode()).decode()
    reply = box.handle(
        "POST",
        BASE + "/oauth2/token",
        {"authorization": f"Basic {basic}"},
        b"grant_type=client_credentials",
    )
    assert reply.status == 403


# -- several accounts ---------------------------------------------------------------------


def test_each_account_signs_in_with_its_own_keys(box: XSandbox) -> None:
    for account in ACCOUNTS:
        me = json.loads(call(box, "GET", "/2/users/me", token=account.bearer).body)
        assert me["data"]["id"] == account.user_id
    assert len({a.access_token for a in ACCOUNTS}) == len(ACCOUNTS) >= 3


# -- the recordings' shapes -----------------------------------------------------------------


def shape(value: Any) -> Any:
    """Keys and value types, with list items merged: what a parser relies on."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        merged: dict[str, Any] = {}
        kinds = set()
        for item in value:
            s = shape(item)
            if isinstance(s, dict):
                merged.update(s)
            else:
                kinds.add(s)
        return [merged] if merged else sorted(kinds)
    return type(value).__name__


@pytest.mark.parametrize(
    ("fixture", "method", "path", "query"),
    [
        ("get_tweet", "GET", f"/2/tweets/{LAUNCH_POST_ID}", {}),
        ("get_tweets", "GET", "/2/tweets", {"ids": f"{LAUNCH_POST_ID},{SEED_POST_ID}"}),
        ("get_user", "GET", "/2/users/by/username/Twitter", {}),
    ],
)
def test_answers_have_the_recorded_shapes(
    box: XSandbox, fixture: str, method: str, path: str, query: dict[str, str]
) -> None:
    recorded = json.loads((FIXTURES / f"{fixture}.json").read_text())[0]["response"]["body"]
    ours = json.loads(call(box, method, path, query).body)
    assert shape(ours) == shape(recorded)


def test_likes_liked_posts_and_liking_users_have_the_recorded_shapes(box: XSandbox) -> None:
    def recorded(name: str, i: int = 0) -> Any:
        return json.loads((FIXTURES / f"{name}.json").read_text())[i]["response"]["body"]

    path = f"/2/users/{DEMO.user_id}/likes"
    liked = json.loads(call(box, "POST", path, body={"tweet_id": SEED_POST_ID}).body)
    assert shape(liked) == shape(recorded("like_and_unlike"))
    for i in range(6):
        call(box, "POST", path, body={"tweet_id": str(1800000000000000000 + i)})
    for account in (ALICE, BOB):
        call(
            box,
            "POST",
            f"/2/users/{account.user_id}/likes",
            body={"tweet_id": SEED_POST_ID},
            token=account.bearer,
        )
    page = json.loads(
        call(box, "GET", f"/2/users/{DEMO.user_id}/liked_tweets", {"max_results": "5"}).body
    )
    assert shape(page) == shape(recorded("get_liked_tweets"))
    likers = json.loads(call(box, "GET", f"/2/tweets/{SEED_POST_ID}/liking_users", {}).body)
    assert shape(likers) == shape(recorded("get_liking_users"))


def test_the_newer_post_names_x_s_own_sdk_sends_are_read_as_the_tweet_ones(
    box: XSandbox,
) -> None:
    """xdk 0.10 (generated from a newer definition) asks for `post.fields` and
    `edit_history_post_ids`; X answers them, so the sandbox reads them as `tweet.*`."""
    query = {"post.fields": "created_at,author_id", "expansions": "author_id,edit_history_post_ids"}
    reply = call(box, "GET", f"/2/tweets/{SEED_POST_ID}", query)
    body = validate("GET", f"/2/tweets/{SEED_POST_ID}", reply)
    assert reply.status == 200 and "created_at" in body["data"]
    assert not box.violations
