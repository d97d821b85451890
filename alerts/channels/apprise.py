"""The apprise channel: any apprise URL (Slack, Telegram, Matrix, ntfy, Discord, json://, ...).

apprise's `notify()` answers with a bool; the reason of a failure only goes to its log. We call
the one plugin directly (in this thread, no apprise thread pool) with a logging handler that
keeps this thread's apprise records, and classify the failure from them: HTTP 5xx/408/429, DNS,
refused and timeouts are transient; other HTTP 4xx (authentication!), TLS and bad URLs are
permanent. The URL is only ever shown as apprise's `url(privacy=True)`.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from alerts.channels.base import (
    ChannelConfigError,
    DeliveryError,
    PermanentDelivery,
    TransientDelivery,
    plain,
    redact,
)
from alerts.redact import mask_urls_in
from alerts.render import email_subject, email_text

if TYPE_CHECKING:
    from alerts.message import AlertMessage
    from alerts.templates import Templates

_STATUS_RE = re.compile(r"error=(\d{3})")
_DETAILS_RE = re.compile(r"Response Details:\s*b?(['\"]?)(.*?)\1\s*$", re.S)
RETRYABLE_4XX = frozenset({408, 425, 429})
REASON_MAX = 300


class _ThreadRecords(logging.Handler):
    """The one handler of the "apprise" logger: each record goes to the capture of the thread
    that logged it (other channels drain in other threads), and nowhere else. apprise's own
    lines (URLs, payloads) never reach figwatch's log; the outbox logs our masked reason."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        lines = getattr(self.local, "lines", None)
        if lines is not None:
            lines.append(record.getMessage())

    def begin(self) -> list[str]:
        self.local.lines = []
        return self.local.lines

    def end(self) -> None:  # not `release`: that is the Handler lock's
        self.local.lines = None


_RECORDS = _ThreadRecords()


def _own_apprise_log() -> None:
    logger = logging.getLogger("apprise")
    if _RECORDS not in logger.handlers:
        logger.addHandler(_RECORDS)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False


class AppriseChannel:
    """Sends each alert as one apprise notification: title = subject, body = the alert text."""

    def __init__(
        self,
        name: str,
        url: str,
        *,
        timeout: float | timedelta = 10.0,
        templates: Templates | None = None,
    ) -> None:
        import apprise  # imported here: only configs with an apprise channel pay for it

        _own_apprise_log()

        url = plain(url)
        timeout = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout)
        if timeout <= 0:
            raise ChannelConfigError("timeout: must be positive")
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        if not plugin:
            scheme = urlsplit(url).scheme or "(none)"
            raise ChannelConfigError(f"url: not a usable apprise URL (scheme {scheme!r})")
        self.name = name
        self._plugin: Any = plugin
        self._plugin.socket_connect_timeout = timeout
        self._plugin.socket_read_timeout = timeout
        self._timeout = timeout
        self._templates = templates
        parts = urlsplit(url)
        self._secrets = [
            url,
            parts.password,
            parts.query,
            parts.path if len(parts.path) > 1 else None,
        ]
        self.shown_url: str = self._plugin.url(privacy=True)

    def __repr__(self) -> str:
        return f"AppriseChannel({self.name!r}, {self.shown_url!r})"

    @property
    def deadline(self) -> float:
        """Connect and read timeouts, plus a little for apprise itself."""
        return 2 * self._timeout + 5.0

    def abort(self) -> None:
        """Nothing to interrupt: an attempt ends within its socket timeouts."""

    def texts(self, message: AlertMessage) -> tuple[str, str]:
        """The notification's title and body (the channel's templates, else the defaults)."""
        title = body = None
        if self._templates is not None:
            title = self._templates.render_subject(message)
            body = self._templates.render_body(message)
        return title or email_subject(message, ""), body or email_text(message)

    def deliver(self, message: AlertMessage) -> None:
        try:
            title, body = self.texts(message)
        except ValueError as e:  # TemplateError: the same template fails on every retry
            raise PermanentDelivery(self.name, str(e)) from None
        lines = _RECORDS.begin()
        try:
            ok = self._plugin.notify(body=body, title=title)
        except Exception as e:  # noqa: BLE001 - a plugin bug is one failed attempt
            lines.append(f"{type(e).__name__}: {e}")
            ok = False
        finally:
            _RECORDS.end()
        if not ok:
            raise self._classify(lines)

    def _classify(self, lines: list[str]) -> DeliveryError:
        text = "\n".join(lines)
        reason, transient = classify(text)
        reason = mask_urls_in(redact(reason, self._secrets))[:REASON_MAX]
        kind = TransientDelivery if transient else PermanentDelivery
        return kind(self.name, reason)


def classify(log_text: str) -> tuple[str, bool]:
    """(one-line reason, transient?) from apprise's log of one failed notification."""
    status = _STATUS_RE.search(log_text)
    if status:
        code = int(status.group(1))
        details = _DETAILS_RE.search(log_text)
        body = " ".join(details.group(2).split())[:80] if details else ""
        what = "authentication failed, " if code in (401, 403) else ""
        reason = f"{what}HTTP {code}" + (f": {body}" if body else "")
        return reason, code >= 500 or code in RETRYABLE_4XX
    low = log_text.lower()
    if "name or service not known" in low or "nameresolution" in low or "getaddrinfo" in low:
        return "DNS: the host name does not resolve", True
    if "refused" in low:
        return "connection refused", True
    if "timed out" in low or "timeout" in low:
        return "timeout", True
    if "ssl" in low or "certificate" in low or "tls" in low:
        return "TLS: the secure connection failed (certificate?)", False
    last = next((line for line in reversed(log_text.splitlines()) if line.strip()), "")
    return (" ".join(last.split()) or "apprise reported a failure"), True
