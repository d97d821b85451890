"""The channel registry: config `type` -> (settings model, builder). The one place a channel type
is registered; the config union, the config error messages and `build_channels` come from it.

Adding a type: one module here with a settings model (extending `AlertRules`, with a
`type: Literal["..."]` field) and a `build(settings) -> Channel`, plus one line below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from alerts.channels.base import Channel
from pipeline.config.channels import apprise, email, webhook
from pipeline.config.channels.apprise import AppriseAlert
from pipeline.config.channels.email import EmailAlert, SmtpServer
from pipeline.config.channels.rules import AlertRules
from pipeline.config.channels.webhook import WebhookAlert


@dataclass(frozen=True, slots=True)
class ChannelType:
    model: type[AlertRules]
    build: Callable[[Any], Channel]


CHANNEL_TYPES: dict[str, ChannelType] = {
    "webhook": ChannelType(WebhookAlert, webhook.build),
    "email": ChannelType(EmailAlert, email.build),
    "apprise": ChannelType(AppriseAlert, apprise.build),
}

AnyAlert = WebhookAlert | EmailAlert | AppriseAlert  # one member per CHANNEL_TYPES entry
AlertConfig = Annotated[AnyAlert, Field(discriminator="type")]


def type_names() -> str:
    """ "'apprise', 'email' or 'webhook'": the known types, for error messages."""
    names = [repr(n) for n in sorted(CHANNEL_TYPES)]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def build(alert: AnyAlert) -> Channel:
    """The channel of one [[alerts]] entry. Raises ChannelConfigError."""
    return CHANNEL_TYPES[alert.type].build(alert)


__all__ = [
    "CHANNEL_TYPES", "AlertConfig", "AlertRules", "AnyAlert", "AppriseAlert", "ChannelType",
    "EmailAlert", "SmtpServer", "WebhookAlert", "build", "type_names",
]  # fmt: skip
