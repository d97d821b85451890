"""[[alerts]] type = "apprise": any apprise URL; its settings and its builder."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import SecretStr, field_validator

from alerts.channels.base import Channel, ChannelConfigError
from pipeline.config.channels.rules import AlertRules
from pipeline.config.fields import Duration


class AppriseAlert(AlertRules):
    """[[alerts]] type = "apprise": `url` is any apprise URL (tgram://, slack://, json://, ...).

    The URL usually is the credential, so it is a secret: shown only as apprise masks it.
    """

    type: Literal["apprise"]
    url: SecretStr
    timeout: Duration = timedelta(seconds=10)  # connect, then read

    @field_validator("url")
    @classmethod
    def _valid_url(cls, value: SecretStr) -> SecretStr:
        from alerts.channels.apprise import AppriseChannel

        try:
            AppriseChannel("check", value.get_secret_value())
        except ChannelConfigError as e:
            raise ValueError(str(e).removeprefix("url: ")) from None
        return value


def build(alert: AppriseAlert) -> Channel:
    """The channel of one apprise entry. Raises ChannelConfigError."""
    from alerts.channels.apprise import AppriseChannel

    return AppriseChannel(
        alert.name, alert.url.get_secret_value(), timeout=alert.timeout,
        templates=alert.templates(),
    )  # fmt: skip
