"""Alert channels: each takes plain values (`from_config`) and delivers a message.

channel = WebhookChannel.from_config(name="desk-hook", url="https://...", secret="whsec_...")
channel.deliver(message)  # raises TransientDelivery / PermanentDelivery

Which config `type` builds which channel is decided in one place, the registry in
`pipeline.config.channels`.
"""

from __future__ import annotations

from alerts.channels.base import (
    Channel,
    ChannelConfigError,
    DeliveryError,
    PermanentDelivery,
    TransientDelivery,
)
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
