"""`mask_url`: the one function that makes a URL fit to show."""

from __future__ import annotations

import pytest

from alerts.redact import is_secret_param, mask_url, mask_urls_in


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://host/a?token=abc&id=5", "https://host/a?token=***&id=5"),
        ("https://user:pw@host/", "https://user:***@host/"),
        ("https://tok3n@host/x", "https://***@host/x"),
        ("https://u:p@h.org/a?x=1&access_token=zz", "https://u:***@h.org/a?x=1&access_token=***"),
        (
            "https://h/?API_KEY=1&Signature=2&X-Amz-Credential=3",
            "https://h/?API_KEY=***&Signature=***&X-Amz-Credential=***",
        ),
        (
            "https://h/?apikey=1&authToken=2&sessionid=3&pass=4",
            "https://h/?apikey=***&authToken=***&sessionid=***&pass=***",
        ),
        ("https://h/p?q=%20a+b&page=2#top", "https://h/p?q=%20a+b&page=2#top"),  # byte for byte
        ("https://h/cb#access_token=abc&state=x", "https://h/cb#access_token=***&state=x"),
        ("https://medium.com/@writer/post?id=1", "https://medium.com/@writer/post?id=1"),
        ("https://h/a?token=", "https://h/a?token="),  # nothing to hide
        ("smtp://user:pass@host:587", "smtp://user:***@host:587"),
        ("postgresql+psycopg://fw:p@ss/x@db:5432/fw", "postgresql+psycopg://fw:***@db:5432/fw"),
        ("https://host/path", "https://host/path"),
        ("not a url", "not a url"),
    ],
)
def test_mask_url(url: str, shown: str) -> None:
    assert mask_url(url) == shown
    assert mask_url(shown) == shown  # masking twice changes nothing


@pytest.mark.parametrize("name", ["token", "KEY", "api-key", "client_secret", "sig", "auth"])
def test_secret_names(name: str) -> None:
    assert is_secret_param(name)


@pytest.mark.parametrize("name", ["id", "page", "q", "lang", "utm_source", "keyword"])
def test_plain_names(name: str) -> None:
    assert not is_secret_param(name)


def test_urls_in_text_are_masked() -> None:
    text = "GET https://u:pw@h/x?token=abc failed: 'https://h/y?key=k' gone"
    assert (
        mask_urls_in(text) == "GET https://u:***@h/x?token=*** failed: 'https://h/y?key=***' gone"
    )


def test_a_sentence_keeps_its_punctuation_after_a_url() -> None:
    text = "fetch failed: https://h/x?id=2&token=abc. Retrying (see https://h/y?key=k), later"
    assert mask_urls_in(text) == (
        "fetch failed: https://h/x?id=2&token=***. Retrying (see https://h/y?key=***), later"
    )
