"""[[alerts]] type = "email": its settings and its builder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from alerts.channels.base import Channel, ChannelConfigError
from pipeline.config.channels.rules import AlertRules
from pipeline.config.fields import Address, Duration, OneLine


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """The parts of an email alert's `smtp` URL, with the port and TLS mode resolved."""

    host: str
    port: int
    username: str | None
    password: SecretStr | None
    implicit_tls: bool  # smtps://
    starttls: Literal["require", "opportunistic", "off"]  # ignored when implicit_tls


# alerts' parser says "smtp: ..."; config problems have always read "SMTP URL ...".
_SMTP_MESSAGES = {
    "smtp: expected smtp:// or smtps://": "SMTP URL must start with smtp:// or smtps://",
    "smtp: invalid port": "SMTP URL has an invalid port",
    "smtp: expected smtp[s]://[user:password@]host[:port]": (
        "SMTP URL must be smtp[s]://[user:password@]host[:port]"
    ),
}


def _parse_smtp(url: str, starttls: str) -> SmtpServer:
    """Split an smtp:// or smtps:// URL with the email channel's parser (one parser for both).

    Raises ValueError whose message never contains the URL.
    """
    from alerts.channels.email import parse_smtp_url  # the channel's module: only when used

    try:
        parsed = parse_smtp_url(url, starttls)
    except ChannelConfigError as exc:
        raise ValueError(_SMTP_MESSAGES.get(str(exc), "invalid SMTP URL")) from None
    return SmtpServer(
        host=parsed.host,
        port=parsed.port,
        username=parsed.username,
        password=None if parsed.password is None else SecretStr(parsed.password),
        implicit_tls=parsed.implicit_tls,
        starttls=starttls,  # type: ignore[arg-type]  # checked by the Literal field
    )


class EmailAlert(AlertRules):
    """[[alerts]] type = "email". `from` is the `from_` attribute."""

    type: Literal["email"]
    smtp: SecretStr
    starttls: Literal["require", "opportunistic", "off"] = "opportunistic"
    from_: Address = Field(alias="from")
    to: tuple[Address, ...] = Field(min_length=1)
    subject_prefix: OneLine = "[figwatch]"
    timeout: Duration = timedelta(seconds=30)  # one delivery attempt in all, however slow

    @field_validator("smtp")
    @classmethod
    def _valid_smtp(cls, value: SecretStr) -> SecretStr:
        _parse_smtp(value.get_secret_value(), "opportunistic")
        return value

    def server(self) -> SmtpServer:
        """The SMTP server to send through (host, port, credentials, TLS mode)."""
        return _parse_smtp(self.smtp.get_secret_value(), self.starttls)


def build(alert: EmailAlert) -> Channel:
    """The channel of one email entry. Raises ChannelConfigError."""
    from alerts.channels.email import EmailChannel  # and its renderer: only with an email entry

    return EmailChannel.from_config(
        name=alert.name, smtp=alert.smtp.get_secret_value(), sender=alert.from_,
        recipients=alert.to,
        starttls=alert.starttls, subject_prefix=alert.subject_prefix, timeout=alert.timeout,
        templates=alert.templates(),
    )  # fmt: skip
