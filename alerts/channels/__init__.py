"""Alert channels: each takes plain values (`from_config`) and delivers a message.

channel = WebhookChannel.from_config(name="desk-hook", url="https://...", secret="whsec_...")
channel.deliver(message)  # raises TransientDelivery / PermanentDelivery

Which config `type` builds which channel is decided in one place, the registry in
`pipeline.config.channels`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alerts.channels.base import (
    Channel,
    ChannelConfigError,
    DeliveryError,
    PermanentDelivery,
    TransientDelivery,
)

if TYPE_CHECKING:
    from alerts.channels.email import EmailChannel
    from alerts.channels.webhook import WebhookChannel

__all__ = [
    "Channel",
    "ChannelConfigError",
    "DeliveryError",
    "EmailChannel",
    "PermanentDelivery",
    "TransientDelivery",
    "WebhookChannel",
]


def __getattr__(name: str) -> Any:
    """EmailChannel and WebhookChannel, imported when first asked for: a command that sends no
    alert does not load the email renderer (Jinja2) or the webhook signer."""
    if name == "EmailChannel":
        from alerts.channels.email import EmailChannel

        return EmailChannel
    if name == "WebhookChannel":
        from alerts.channels.webhook import WebhookChannel

        return WebhookChannel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
