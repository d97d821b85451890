"""Alert channels: an explicit registry from config `type` to a builder taking plain values.

channel = build_channel("webhook", name="desk-hook", url="https://...", secret="whsec_...")
channel.deliver(message)  # raises TransientDelivery / PermanentDelivery
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alerts.channels.base import (
    Channel,
    ChannelConfigError,
    DeliveryError,
    PermanentDelivery,
    TransientDelivery,
)
from alerts.channels.email import EmailChannel
from alerts.channels.webhook import WebhookChannel

CHANNEL_TYPES: dict[str, Callable[..., Channel]] = {
    "webhook": WebhookChannel.from_config,
    "email": EmailChannel.from_config,
}


def build_channel(type: str, **settings: Any) -> Channel:
    """Build a channel of config `type` from keyword settings (see each `from_config`).

    Raises ChannelConfigError for an unknown type, a missing or unknown setting, or a bad value.
    """
    try:
        factory = CHANNEL_TYPES[type]
    except KeyError:
        known = ", ".join(sorted(CHANNEL_TYPES))
        raise ChannelConfigError(f"type: unknown channel type {type!r} (known: {known})") from None
    try:
        return factory(**settings)
    except TypeError as e:
        # A missing or misspelt keyword: say which, without echoing any values.
        raise ChannelConfigError(f"{type} channel: {e}") from None


__all__ = [
    "CHANNEL_TYPES",
    "Channel",
    "ChannelConfigError",
    "DeliveryError",
    "EmailChannel",
    "PermanentDelivery",
    "TransientDelivery",
    "WebhookChannel",
    "build_channel",
]
