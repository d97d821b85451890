"""[[alerts]] type = "webhook": its settings and its builder."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from alerts.channels.base import Channel, plain
from pipeline.config.channels.rules import AlertRules
from pipeline.config.fields import Duration, HttpUrl

_HEADER_NAME_RE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_RESERVED_HEADERS = {"content-type", "webhook-id", "webhook-timestamp", "webhook-signature"}


class WebhookAlert(AlertRules):
    """[[alerts]] type = "webhook": one signed JSON POST per alert."""

    type: Literal["webhook"]
    url: HttpUrl
    secret: SecretStr | None = None
    timeout: Duration = timedelta(seconds=10)  # one delivery attempt in all, however slow
    # Headers often carry tokens, so they stay out of repr().
    headers: dict[str, str] = Field(default_factory=dict, repr=False)

    @field_validator("secret")
    @classmethod
    def _valid_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            from standardwebhooks import Webhook

            try:
                Webhook(value.get_secret_value())
            except Exception:  # noqa: BLE001 - any failure means the same to the user
                raise ValueError(
                    "not a usable Standard Webhooks secret (expected whsec_<base64>)"
                ) from None
        return value

    @field_validator("headers")
    @classmethod
    def _valid_headers(cls, value: dict[str, str]) -> dict[str, str]:
        for key, val in value.items():
            if not _HEADER_NAME_RE.fullmatch(key):
                raise ValueError(f"invalid header name {key!r}")
            if key.lower() in _RESERVED_HEADERS:
                raise ValueError(f"header {key!r} is set by figwatch and cannot be overridden")
            if "\r" in val or "\n" in val:
                raise ValueError(f"header {key!r}: value must not contain line breaks")
        return value


def build(alert: WebhookAlert) -> Channel:
    """The channel of one webhook entry. Raises ChannelConfigError."""
    from alerts.channels.webhook import WebhookChannel

    return WebhookChannel.from_config(
        name=alert.name, url=str(alert.url), secret=plain(alert.secret), timeout=alert.timeout,
        headers=alert.headers, templates=alert.templates(),
    )  # fmt: skip
