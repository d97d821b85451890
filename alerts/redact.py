"""URLs as they may be shown: credentials and secret-looking query parameters masked.

One function for every place a URL is shown to someone (alerts, logs, `figwatch history`, error
messages). It lives in `alerts`, the lowest layer that shows a URL, so `pipeline` and `alerts`
both import it; the stored URL is never masked.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

MASK = "***"

# A query parameter is secret when one of the words of its name (split at '_', '-', '.', ...)
# is one of these, or its name (separators dropped) ends in one of the endings below:
# `token`, `api_key`, `X-Amz-Signature`, `access_token`, `apikey`, `authToken`, `sessionid`.
SECRET_WORDS = frozenset(
    {
        "token", "key", "apikey", "secret", "password", "passwd", "pwd", "pass", "passphrase",
        "sig", "signature", "auth", "authorization", "session", "sessionid", "sid", "jwt",
        "credential", "credentials", "code", "otp", "hmac", "private",
    }
)  # fmt: skip
SECRET_ENDINGS = (
    "token", "key", "secret", "password", "passwd", "signature", "sessid", "sessionid",
    "credential", "credentials",
)  # fmt: skip
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_URL_IN_TEXT = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s'\"<>]+", re.I)


def is_secret_param(name: str) -> bool:
    """True when a query parameter called `name` (case-insensitive) likely carries a secret."""
    lowered = unquote_plus(name).lower()
    words = [w for w in _WORD_SPLIT.split(lowered) if w]
    return any(w in SECRET_WORDS for w in words) or "".join(words).endswith(SECRET_ENDINGS)


def _mask_pairs(text: str) -> str:
    """`a=1&token=x` -> `a=1&token=***`; every other byte left as it was."""
    pieces = []
    for piece in text.split("&"):
        name, eq, value = piece.partition("=")
        pieces.append(f"{name}={MASK}" if eq and value and is_secret_param(name) else piece)
    return "&".join(pieces)


def _mask_userinfo(userinfo: str) -> str:
    user, colon, _password = userinfo.partition(":")
    # `user:password@` keeps the user; a lone `name@` is masked whole (often a token).
    return f"{user}:{MASK}" if colon and user else MASK


def mask_url(url: str) -> str:
    """`url` with its credentials and secret-looking query (and fragment) values replaced by
    `***`: `https://u:pw@h/p?id=5&token=abc` -> `https://u:***@h/p?id=5&token=***`.

    Everything else is kept byte for byte. Never raises. For http(s) the authority ends at the
    first '/', as RFC 3986 says ('@' is common in page paths: `medium.com/@name`); other URLs
    (database, SMTP) are written by hand, often with an unencoded '@' or '/' in the password, so
    there the credentials end at the last '@' before the query.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    head, _, fragment = rest.partition("#")
    head, qmark, query = head.partition("?")
    if scheme.lower() in ("http", "https"):
        authority, slash, path = head.partition("/")
        path = slash + path
    else:
        authority, path = head, ""
    if "@" in authority:
        userinfo, _, hostpart = authority.rpartition("@")
        authority = f"{_mask_userinfo(userinfo)}@{hostpart}"
    out = f"{scheme}://{authority}{path}"
    if qmark:
        out += "?" + _mask_pairs(query)
    if "#" in rest:
        out += "#" + (_mask_pairs(fragment) if "=" in fragment else fragment)
    return out


def mask_urls_in(text: str) -> str:
    """`text` (an error message, a log line) with every URL in it passed through `mask_url`;
    the sentence's punctuation after a URL ("... failed: https://h/x?token=t.") stays."""

    def one(m: re.Match[str]) -> str:
        url = m[0].rstrip(".,;:)")
        return mask_url(url) + m[0][len(url) :]

    return _URL_IN_TEXT.sub(one, text)
