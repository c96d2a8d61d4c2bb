"""Finding post ids in pasted text: every form people paste, and everything they should not."""

from __future__ import annotations

import random
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from likes_tui.urls import MAX_POST_ID, X_HOSTS, extract_post_ids

ID = "1228393702244134912"

ACCEPTED = [
    (f"https://twitter.com/TwitterDev/status/{ID}", [ID]),
    (f"https://x.com/TwitterDev/status/{ID}", [ID]),
    (f"http://x.com/TwitterDev/status/{ID}", [ID]),
    (f"https://www.x.com/TwitterDev/status/{ID}", [ID]),
    (f"https://www.twitter.com/TwitterDev/status/{ID}", [ID]),
    (f"https://mobile.twitter.com/TwitterDev/status/{ID}", [ID]),
    (f"https://mobile.x.com/TwitterDev/status/{ID}", [ID]),
    (f"https://m.twitter.com/TwitterDev/status/{ID}", [ID]),
    (f"x.com/TwitterDev/status/{ID}", [ID]),
    (f"https://x.com/TwitterDev/status/{ID}?s=20&t=AbCdEf", [ID]),
    (f"https://x.com/TwitterDev/status/{ID}/photo/1", [ID]),
    (f"https://x.com/TwitterDev/status/{ID}/video/1", [ID]),
    (f"https://x.com/TwitterDev/status/{ID}/analytics", [ID]),
    (f"https://twitter.com/TwitterDev/statuses/{ID}", [ID]),
    (f"https://x.com/i/web/status/{ID}", [ID]),
    (f"https://x.com/i/status/{ID}", [ID]),
    (f"https://fxtwitter.com/TwitterDev/status/{ID}", [ID]),
    (f"https://vxtwitter.com/TwitterDev/status/{ID}", [ID]),
    (f"https://fixupx.com/TwitterDev/status/{ID}", [ID]),
    (f"https://d.fxtwitter.com/TwitterDev/status/{ID}", [ID]),
    (f"HTTPS://X.COM/TwitterDev/STATUS/{ID}", [ID]),
    (f"https://x.com/TwitterDev/status/{ID}#m", [ID]),
    (f"https://x.com:443/TwitterDev/status/{ID}", [ID]),
    (ID, [ID]),
    (f"  {ID}  ", [ID]),
    (f"#{ID}", [ID]),
    (f"look: https://x.com/a/status/{ID}!!", [ID]),
    (f"(https://x.com/a/status/{ID}).", [ID]),
    (f"[a post](https://x.com/a/status/{ID})", [ID]),
    (f'<a href="https://x.com/a/status/{ID}">x</a>', [ID]),
    (f"<https://x.com/a/status/{ID}>", [ID]),
    (f"https://x.com/a/status/{ID},https://x.com/b/status/20", [ID, "20"]),
    (f"https://x.com/a/status/{ID}\thttps://x.com/b/status/{ID}", [ID]),
    ("https://x.com/jack/status/20", ["20"]),
    ("00012345", ["12345"]),
    (f"{ID}\r\n1293593516040269825\r\n", [ID, "1293593516040269825"]),
    (str(MAX_POST_ID), [str(MAX_POST_ID)]),
    (f"{ID}, 1293593516040269825", [ID, "1293593516040269825"]),
    (f"- {ID}\n- 1293593516040269825", [ID, "1293593516040269825"]),
    (f"1. {ID}\n2. 1293593516040269825", [ID, "1293593516040269825"]),
    (f"order 55512345 https://x.com/a/status/{ID}", [ID]),  # the link counts, not the number
]

REJECTED = [
    ("https://x.com.evil.example/a/status/123", "not an X or Twitter address"),
    ("https://evilx.com/a/status/123", "not an X or Twitter address"),
    ("https://twitter.com.evil/a/status/123", "not an X or Twitter address"),
    ("https://x.com@evil.example/a/status/123", "not an X or Twitter address"),
    ("https://xcom.example/a/status/123", "not an X or Twitter address"),
    ("https://x.com/a/status/123456789012345678901", "too long"),
    ("https://x.com/a/status/9999999999999999999", "too long"),
    ("12345678901234567890123", "too long"),
    ("https://x.com/a/status/١٢٣٤٥", "digits 0-9"),
    ("１２３４５６７", "digits 0-9"),
    ("https://x.com/a/status/12ab", "digits only"),
    ("https://x.com/a/status/", "not to a post"),
    ("https://x.com/home", "not to a post"),
    ("https://x.com/TwitterDev", "not to a post"),
    ("https://x.com/a/status/0", "0 is not a post id"),
    ("hello world", "no post URL or id found"),
    ("I have 3 cats and 42 dogs", "no post URL or id found"),
    ("https://example.com/a/b/c", "no post URL or id found"),
]


@pytest.mark.parametrize(("text", "ids"), ACCEPTED)
def test_accepted_forms(text: str, ids: list[str]) -> None:
    result = extract_post_ids(text)
    assert list(result.ids) == ids
    assert result.problems == ()


@pytest.mark.parametrize(("text", "reason"), REJECTED)
def test_rejected_forms_say_why(text: str, reason: str) -> None:
    result = extract_post_ids(text)
    assert result.ids == ()
    assert reason in result.message


def test_good_and_bad_in_one_paste() -> None:
    result = extract_post_ids(f"https://x.com/a/status/{ID}\nhttps://x.com.evil.example/a/status/5")
    assert result.ids == (ID,)
    assert "x.com.evil.example" in result.message


def test_repeats_are_counted_once() -> None:
    result = extract_post_ids(f"{ID} https://x.com/a/status/{ID} https://twitter.com/b/status/{ID}")
    assert result.ids == (ID,) and result.duplicates == 2


def test_empty_and_whitespace_are_silent() -> None:
    assert extract_post_ids("") == extract_post_ids(" \n\t ")
    assert extract_post_ids("").message == ""


def test_ten_thousand_line_paste_is_fast_and_complete() -> None:
    lines = [
        f"{i}: https://x.com/user/status/{1_800_000_000_000_000_000 + i}?s=20"
        for i in range(10_000)
    ]
    started = time.perf_counter()
    result = extract_post_ids("\n".join(lines))
    assert time.perf_counter() - started < 2.0
    assert len(result.ids) == 10_000 and result.problems == ()


def test_binary_junk_gives_no_ids_and_no_crash() -> None:
    rng = random.Random(4)
    for _ in range(200):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        result = extract_post_ids(junk.decode("latin-1"))
        for post_id in result.ids:
            assert re.fullmatch(r"[1-9][0-9]{4,18}", post_id)
        assert len(result.message) < 400


def test_messages_are_printable_and_short() -> None:
    nasty = "https://x.com.evil.example/" + "\x1b[31m" * 50 + "/status/1"
    message = extract_post_ids(nasty).message
    assert "\x1b" not in message and len(message) < 200


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_any_text_yields_only_real_post_ids(text: str) -> None:
    for post_id in extract_post_ids(text).ids:
        assert re.fullmatch(r"[1-9][0-9]{0,18}", post_id)
        assert int(post_id) <= MAX_POST_ID


FORMS = [
    "https://x.com/someone/status/{id}",
    "https://twitter.com/someone/status/{id}?s=20",
    "https://mobile.twitter.com/someone/status/{id}/photo/1",
    "x.com/i/web/status/{id}",
    "https://fxtwitter.com/a_b/status/{id}",
]
AROUND = st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=30)


@given(st.integers(10_000, MAX_POST_ID), st.sampled_from(FORMS), AROUND, AROUND)
@settings(max_examples=300, deadline=None)
def test_a_post_url_is_found_whatever_surrounds_it(
    post_id: int, form: str, before: str, after: str
) -> None:
    text = f"{before} {form.format(id=post_id)} {after}"
    assert extract_post_ids(text).ids == (str(post_id),)


@given(
    st.from_regex(r"[a-z0-9-]{1,12}(\.[a-z0-9-]{1,12}){1,3}", fullmatch=True),
    st.integers(1, MAX_POST_ID),
)
@settings(max_examples=300, deadline=None)
def test_other_hosts_never_yield_ids(host: str, post_id: int) -> None:
    bare = host.removeprefix("www.")
    if bare in X_HOSTS:
        return
    assert extract_post_ids(f"https://{host}/someone/status/{post_id}").ids == ()


WORDS = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=12)


@given(
    WORDS,
    st.integers(10_000, MAX_POST_ID),
    st.sampled_from(["{w} {n}", "{n} {w}", "{w} #{n}, {w}"]),
)
@settings(max_examples=300, deadline=None)
def test_a_number_in_prose_is_never_a_post_id(word: str, number: int, shape: str) -> None:
    text = shape.format(w=word, n=number)
    assert extract_post_ids(text).ids == ()


@given(
    st.lists(st.integers(10_000, MAX_POST_ID), min_size=1, max_size=20),
    st.sampled_from(["\n", ", ", " ", "; "]),
)
@settings(max_examples=200, deadline=None)
def test_ids_standing_alone_are_all_found(numbers: list[int], separator: str) -> None:
    text = separator.join(str(n) for n in numbers)
    assert extract_post_ids(text).ids == tuple(dict.fromkeys(str(n) for n in numbers))
