"""What every channel shares: the Channel protocol and the delivery exception tree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from alerts.message import AlertMessage

REDACTED = "***"


class ChannelConfigError(ValueError):
    """A channel's settings are unusable (bad URL, unknown option, bad secret); found at build."""


class DeliveryError(Exception):
    """A delivery failed. `reason` is short, log-safe text: no secrets, no page bodies.

    `detail` is the start of the receiver's answer, when it gave one (for `figwatch alerts test`).
    """

    detail: str | None = None

    def __init__(self, channel: str, reason: str) -> None:
        super().__init__(f"{channel}: {reason}")
        self.channel = channel
        self.reason = reason


class TransientDelivery(DeliveryError):
    """A retry may help: timeouts, refused connections, HTTP 429/5xx, SMTP 4xx.

    `retry_after` is the receiver's own hint (HTTP Retry-After), when it gave one.
    """

    def __init__(self, channel: str, reason: str, *, retry_after: timedelta | None = None) -> None:
        super().__init__(channel, reason)
        self.retry_after = retry_after


class PermanentDelivery(DeliveryError):
    """A retry won't help: HTTP 4xx (not 408/425/429), SMTP 5xx, auth failure, bad recipient."""


class Channel(Protocol):
    """Something that delivers one alert message, or raises a DeliveryError saying why not."""

    name: str

    def deliver(self, message: AlertMessage) -> None: ...


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every non-empty secret replaced, so errors can be logged as they are."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def plain(value: Any) -> Any:
    """`value`, unwrapped when it is a secret wrapper (pydantic's SecretStr: get_secret_value)."""
    getter = getattr(value, "get_secret_value", None)
    return getter() if callable(getter) else value
