"""The email channel: one multipart/alternative message (text + HTML) per alert, over SMTP.

`smtp://[user:pass@]host[:port]` (port 587 by default, 25 with starttls "off") speaks SMTP and
upgrades with STARTTLS per `starttls`: "opportunistic" (when the server offers it), "required"
(or "require": fail when it does not) or "off". `smtps://...` (port 465 by default) is TLS from
the first byte. User and password are percent-decoded; see `parse_smtp_url`.

We never send a password over an unencrypted connection unless `starttls = "off"` says so.
Message-ID is derived from the alert id and channel name, the same on every retry, so a
duplicate (a retry after a lost reply) can be spotted and is collapsed by many mail stores.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import unquote, urlsplit

from alerts.channels.base import (
    REDACTED,
    ChannelConfigError,
    DeliveryError,
    PermanentDelivery,
    TransientDelivery,
    plain,
    redact,
)
from alerts.message import AlertMessage
from alerts.render import SUBJECT_MAX, clip, email_html, email_subject, email_text, one_line
from alerts.templates import TemplateError, Templates

STARTTLS_MODES = ("opportunistic", "required", "off")
STARTTLS_ALIASES = {"require": "required"}  # pipeline.config spells it "require"
_LOCAL_PART = re.compile(r"[^A-Za-z0-9_-]+")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to connect, from an smtp(s):// URL."""

    host: str
    port: int
    username: str | None
    password: str | None
    raw_password: str | None  # as written in the URL (maybe percent-encoded), for redaction
    implicit_tls: bool


def parse_smtp_url(url: str, starttls: str = "opportunistic") -> SmtpServer:
    """Split `smtp[s]://[user[:password]@]host[:port]`; user and password are percent-decoded.

    The one SMTP URL parser: pipeline.config validates `smtp` with it too. The credentials end
    at the LAST "@", so a password from the environment may hold a raw "@", ":" or "/".
    Default port: 465 for smtps, 587 for smtp (25 when starttls is "off").
    Raises ChannelConfigError, whose message never holds the URL.
    """
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in ("smtp", "smtps"):
        raise ChannelConfigError("smtp: expected smtp:// or smtps://")
    userinfo, at, hostpart = rest.rpartition("@")
    parts = urlsplit(f"smtp://{hostpart}")
    try:
        port = parts.port
    except ValueError:
        raise ChannelConfigError("smtp: invalid port") from None
    if not parts.hostname or parts.path.strip("/") or parts.query:
        raise ChannelConfigError("smtp: expected smtp[s]://[user:password@]host[:port]")
    implicit = scheme == "smtps"
    if port is None:
        port = 465 if implicit else (25 if starttls == "off" else 587)
    user, colon, password = userinfo.partition(":")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        username=unquote(user) if at and user else None,
        password=unquote(password) if at and colon else None,
        raw_password=password if at and colon else None,
        implicit_tls=implicit,
    )


class EmailChannel:
    """Sends each alert to `recipients` through the SMTP server of `smtp_url`."""

    def __init__(
        self,
        name: str,
        smtp_url: str,
        *,
        sender: str,
        recipients: Sequence[str] | str,
        starttls: str = "opportunistic",
        subject_prefix: str = "[figwatch]",
        timeout: float | timedelta = 30.0,
        now: Callable[[], datetime] | None = None,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
        templates: Templates | None = None,
    ) -> None:
        starttls = STARTTLS_ALIASES.get(starttls, starttls)
        if starttls not in STARTTLS_MODES:
            raise ChannelConfigError(f"starttls: expected one of {', '.join(STARTTLS_MODES)}")
        timeout = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout)
        if timeout <= 0:
            raise ChannelConfigError("timeout: must be positive")
        server = parse_smtp_url(smtp_url, starttls)
        rcpts = [recipients] if isinstance(recipients, str) else list(recipients)
        if not rcpts:
            raise ChannelConfigError("to: at least one recipient")
        for address in [sender, *rcpts]:
            if not parseaddr(address)[1] or "@" not in address or re.search(r"[\r\n]", address):
                raise ChannelConfigError(f"invalid email address {address!r}")
        self.name = name
        self.implicit_tls = server.implicit_tls
        self.host = server.host
        self.port = server.port
        self.username = server.username
        self._password = server.password
        self.starttls = starttls
        self.sender = sender
        self.recipients = rcpts
        self.subject_prefix = subject_prefix
        self.timeout = timeout
        self._now = now or (lambda: datetime.now(UTC))
        self._ssl_context = ssl_context or ssl.create_default_context()
        self._local_hostname = local_hostname
        self._templates = templates
        self._secrets = [server.password, server.raw_password]
        self._lock = threading.Lock()
        self._watchdogs: set[_Watchdog] = set()

    @classmethod
    def from_config(
        cls,
        *,
        name: str,
        smtp: str,
        sender: str,
        recipients: Sequence[str] | str,
        starttls: str = "opportunistic",
        subject_prefix: str = "[figwatch]",
        timeout: float | timedelta = 30.0,
        now: Callable[[], datetime] | None = None,
        templates: Templates | None = None,
    ) -> EmailChannel:
        """Build from plain config values. Raises ChannelConfigError for unusable ones."""
        return cls(
            name,
            plain(smtp),
            sender=sender,
            recipients=recipients,
            starttls=starttls,
            subject_prefix=subject_prefix,
            timeout=timeout,
            now=now,
            templates=templates,
        )

    def __repr__(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        auth = f"{self.username}:{REDACTED}@" if self.username else ""
        return f"EmailChannel({self.name!r}, '{scheme}://{auth}{self.host}:{self.port}')"

    def build(self, message: AlertMessage) -> EmailMessage:
        """The email for `message`: headers, a text part and an HTML alternative."""
        moment = self._now()
        if moment.tzinfo is None:
            raise ValueError("now() must return a UTC-aware datetime")
        envelope_from = parseaddr(self.sender)[1]
        domain = envelope_from.rpartition("@")[2] or "figwatch.invalid"
        mail = EmailMessage()
        subject = body = None
        if self._templates is not None:
            subject = self._templates.render_subject(message)
            body = self._templates.render_body(message)
        if subject is not None:
            prefix = one_line(self.subject_prefix)
            subject = clip(f"{prefix} {subject}" if prefix else subject, SUBJECT_MAX)
        mail["Subject"] = subject or email_subject(message, self.subject_prefix)
        mail["From"] = self.sender
        mail["To"] = ", ".join(self.recipients)
        mail["Date"] = format_datetime(moment.astimezone(UTC))
        channel_part = _LOCAL_PART.sub("-", self.name).strip("-") or "email"
        mail["Message-ID"] = f"<{message.id}.{channel_part}@{domain}>"
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to alerts
        mail["X-Figwatch-Alert-Id"] = message.id
        mail["X-Figwatch-Type"] = message.type
        if body is None:
            mail.set_content(email_text(message))
            mail.add_alternative(email_html(message), subtype="html")
        elif self._templates is not None and self._templates.html:
            mail.set_content(email_text(message))
            mail.add_alternative(body, subtype="html")
        else:
            mail.set_content(body)
        return mail

    def deliver(self, message: AlertMessage) -> None:
        """Send the alert once.

        Raises TransientDelivery (connection refused or lost, timeout, TLS hiccup, SMTP 4xx) or
        PermanentDelivery (SMTP 5xx, authentication failure, every recipient refused, STARTTLS
        required but not offered, a certificate that does not verify).
        """
        try:
            mail = self.build(message)
        except TemplateError as e:  # the same template fails on every retry
            raise PermanentDelivery(self.name, str(e)) from None
        smtp = self._session()
        watchdog = _Watchdog(smtp, self.timeout)
        with self._lock:
            self._watchdogs.add(watchdog)
        try:
            smtp.connect(self.host, self.port)
            self._secure_and_login(smtp)
            refused = smtp.send_message(
                mail, from_addr=parseaddr(self.sender)[1], to_addrs=self.recipients
            )
        except DeliveryError:
            raise
        except Exception as e:  # noqa: BLE001 - classified below, never swallowed
            if watchdog.reason is not None:
                raise TransientDelivery(self.name, watchdog.reason) from None
            raise self._classify(e) from None
        finally:
            _quit(smtp)  # within the deadline too: a server may trickle its answer to QUIT
            watchdog.cancel()
            with self._lock:
                self._watchdogs.discard(watchdog)
        if refused:
            # Some recipients took it: a retry would send them a duplicate, so this counts as
            # delivered; the refusals are reported, not retried.
            codes = ", ".join(f"{rcpt} ({code})" for rcpt, (code, _) in refused.items())
            log.error(
                "channel %s: delivered alert %s, but refused for %s", self.name, message.id, codes
            )

    @property
    def deadline(self) -> float:
        """Seconds one delivery attempt may take in all, however slowly the server answers."""
        return self.timeout

    def abort(self) -> None:
        """End the attempts in flight now (from any thread): each raises TransientDelivery."""
        with self._lock:
            for watchdog in self._watchdogs:
                watchdog.fire("abandoned: figwatch is stopping")

    def _session(self) -> smtplib.SMTP:
        """An SMTP session not yet connected, so the watchdog holds it before the first read."""
        session: smtplib.SMTP
        if self.implicit_tls:
            session = smtplib.SMTP_SSL(
                local_hostname=self._local_hostname,
                timeout=self.timeout,
                context=self._ssl_context,
            )
        else:
            session = smtplib.SMTP(local_hostname=self._local_hostname, timeout=self.timeout)
        # smtplib records the server name (TLS's SNI and certificate check) only when its
        # constructor connects; this one connects later.
        session._host = self.host  # type: ignore[attr-defined]
        return session

    def _secure_and_login(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo()
        encrypted = self.implicit_tls
        if not encrypted and self.starttls != "off":
            if smtp.has_extn("starttls"):
                smtp.starttls(context=self._ssl_context)
                smtp.ehlo()
                encrypted = True
            elif self.starttls == "required":
                raise PermanentDelivery(self.name, "server offers no STARTTLS (starttls=required)")
        if self.username is None:
            return
        if not encrypted and self.starttls != "off":
            raise PermanentDelivery(
                self.name,
                "server offers no STARTTLS; refusing to send the password in clear "
                '(set starttls = "off" to allow it)',
            )
        smtp.login(self.username, self._password or "")

    def _classify(self, error: Exception) -> DeliveryError:
        """Map an smtplib/socket/ssl error to Transient or Permanent, with a log-safe reason."""
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            items = error.recipients.items()
            detail = ", ".join(f"{rcpt} ({code})" for rcpt, (code, _) in items)
            kind = _by_code(all(400 <= code < 500 for _, (code, _) in items))
            return kind(self.name, self._safe(f"all recipients refused: {detail}"))
        if isinstance(error, smtplib.SMTPNotSupportedError):
            return PermanentDelivery(self.name, self._safe(f"not supported: {error}"))
        if isinstance(error, smtplib.SMTPServerDisconnected):
            return TransientDelivery(self.name, self._safe(f"server disconnected: {error}"))
        if isinstance(error, smtplib.SMTPResponseException):
            code = error.smtp_code
            text = _decode(error.smtp_error)
            what = (
                "authentication failed"
                if isinstance(error, smtplib.SMTPAuthenticationError)
                else "SMTP"
            )
            return _by_code(not 500 <= code < 600)(self.name, self._safe(f"{what} {code} {text}"))
        if isinstance(error, smtplib.SMTPException):
            return PermanentDelivery(self.name, self._safe(f"SMTP: {error}"))
        if isinstance(error, ssl.SSLCertVerificationError):
            return PermanentDelivery(
                self.name, self._safe(f"TLS certificate: {error.verify_message}")
            )
        if isinstance(error, ssl.SSLError):
            return TransientDelivery(self.name, self._safe(f"TLS: {error.reason or error}"))
        if isinstance(error, TimeoutError):
            return TransientDelivery(self.name, "timeout")
        if isinstance(error, OSError):
            return TransientDelivery(self.name, self._safe(f"{type(error).__name__}: {error}"))
        return TransientDelivery(self.name, self._safe(f"unexpected {type(error).__name__}"))

    def _safe(self, text: str) -> str:
        return redact(text, self._secrets)[:300]


class _Watchdog:
    """Ends an SMTP session that outlives its deadline.

    A server that trickles its banner or replies byte by byte never trips the socket's
    per-read timeout; shutting the socket down from the timer thread wakes the blocked read.
    """

    def __init__(self, smtp: smtplib.SMTP, seconds: float) -> None:
        self.reason: str | None = None
        self._smtp = smtp
        self._timer = threading.Timer(seconds, self.fire, args=(f"no answer within {seconds:g}s",))
        self._timer.daemon = True
        self._timer.start()

    def fire(self, reason: str) -> None:
        self.reason = self.reason or reason
        sock = getattr(self._smtp, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _by_code(transient: bool) -> type[DeliveryError]:
    return TransientDelivery if transient else PermanentDelivery


def _decode(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())[:200]


def _quit(smtp: smtplib.SMTP) -> None:
    # The alert is already accepted (or already failed): a bad QUIT must not change the outcome.
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
