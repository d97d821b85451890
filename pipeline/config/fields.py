"""Config field types: durations, URLs, addresses, names, and the ConfigError they end up in."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, PlainValidator

from alerts.redact import mask_url

_DURATION_HINT = "(use e.g. 90s, 15m, 1h, 1d)"
_DURATION_RE = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_NAME_RE = re.compile(r"[A-Za-z0-9._-]+")


class ConfigError(Exception):
    """The config cannot be used. `problems` holds every "path: message", in file order."""

    def __init__(self, source: Path | str, problems: list[str]) -> None:
        self.source = str(source)
        self.problems = list(problems)
        n = len(self.problems)
        lines = "".join(f"\n  {p}" for p in self.problems)
        super().__init__(f"{self.source}: {n} problem{'s' if n != 1 else ''}:{lines}")


def parse_duration(value: object, *, zero: bool = False) -> timedelta:
    """Parse "90s", "15m", "1h30m", "1d" or a bare integer (seconds); raise ValueError if invalid
    or not positive (negative, with `zero`: "0s" is then a valid duration)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"invalid duration {value!r} {_DURATION_HINT}")
    if isinstance(value, int):
        seconds = value
    else:
        text = value.strip().lower()
        match = _DURATION_RE.fullmatch(text)
        if text.isdigit():
            seconds = int(text)
        elif text and match:
            d, h, m, s = (int(g or 0) for g in match.groups())
            seconds = ((d * 24 + h) * 60 + m) * 60 + s
        else:
            raise ValueError(f"invalid duration {value!r} {_DURATION_HINT}")
    if seconds < 0 or (seconds == 0 and not zero):
        raise ValueError(f"duration must be {'0 or more' if zero else 'positive'}, got {value!r}")
    return timedelta(seconds=seconds)


Duration = Annotated[timedelta, PlainValidator(parse_duration)]
# A delay that may be none at all (`jitter = "0s"`).
DurationOrZero = Annotated[timedelta, PlainValidator(lambda v: parse_duration(v, zero=True))]


def redact_url(url: str) -> str:
    """`url` as it may be shown: credentials and secret-looking query values masked
    (`smtp://u:p@h` -> `smtp://u:***@h`). The one masking function is `alerts.redact.mask_url`."""
    return mask_url(url)


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"URL must start with http:// or https://, got {redact_url(value)!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"invalid port in URL {redact_url(value)!r}") from None
    if not parts.hostname or any(c.isspace() for c in value):
        raise ValueError(f"invalid URL {redact_url(value)!r}")
    return value


def _check_address(value: str) -> str:
    if value.count("@") != 1 or "\r" in value or "\n" in value:
        raise ValueError(f"invalid email address {value!r}")
    local, _, domain = value.partition("@")
    if not local.strip() or not domain.strip():
        raise ValueError(f"invalid email address {value!r}")
    return value


def _check_name(value: str) -> str:
    if not _NAME_RE.fullmatch(value):
        raise ValueError(f"invalid name {value!r} (use letters, digits, '.', '_', '-')")
    return value


def _no_newlines(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError("must not contain line breaks")
    return value


HttpUrl = Annotated[str, AfterValidator(_check_http_url)]
Address = Annotated[str, AfterValidator(_check_address)]
Name = Annotated[str, AfterValidator(_check_name)]
OneLine = Annotated[str, AfterValidator(_no_newlines)]
