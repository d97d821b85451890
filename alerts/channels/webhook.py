"""The webhook channel: one JSON POST per alert, signed per Standard Webhooks when a secret is set.

Secrets. We derive the HMAC key exactly as the `standardwebhooks` libraries do (in every
language): strip an optional "whsec_" prefix, base64-decode the rest. So a receiver that calls
`Webhook(secret).verify(body, headers)` with the very string in our config verifies our
signature. The library itself decodes leniently: it silently drops characters that are not
base64, so a plain password used as a secret quietly becomes a weaker key. We do exactly what it
does (else receivers could not verify) but log a warning when the secret is not strict base64,
and refuse a secret that yields no key at all. Make a good one with:
    python3 -c "import base64,os;print('whsec_'+base64.b64encode(os.urandom(32)).decode())"
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import socket
import ssl
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpx
from standardwebhooks import Webhook

from alerts.channels.base import (
    ChannelConfigError,
    DeliveryError,
    PermanentDelivery,
    TransientDelivery,
    plain,
    redact,
)
from alerts.message import AlertMessage
from alerts.templates import TemplateError, Templates

SECRET_PREFIX = "whsec_"
# 408 Request Timeout, 425 Too Early and 429 Too Many Requests say "later", not "never".
RETRYABLE_4XX = frozenset({408, 425, 429})
log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return metadata.version("figwatch")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"figwatch/{_version()} (webhook)"


def is_strict_secret(secret: str) -> bool:
    """True when `secret` is "whsec_<base64>" or bare base64 with nothing the decoder would drop."""
    raw = secret.removeprefix(SECRET_PREFIX).rstrip("=")
    try:
        return bool(base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True))
    except (binascii.Error, ValueError):
        return False


def make_signer(secret: str, channel: str = "webhook") -> Webhook:
    """The Standard Webhooks signer for `secret`, keyed exactly as receivers' libraries key it.

    Raises ChannelConfigError when the library can make no key of it (empty, undecodable).
    """
    if not is_strict_secret(secret):
        log.warning(
            "channel %s: webhook secret is not whsec_<base64>; receivers must use the same "
            "string with a Standard Webhooks library, and the key is weaker than it looks",
            channel,
        )
    try:
        return Webhook(secret)
    except Exception:  # noqa: BLE001 - binascii/empty-secret errors all mean "unusable"
        raise ChannelConfigError(
            'secret: not a usable Standard Webhooks secret (expected "whsec_<base64>")'
        ) from None


class WebhookChannel:
    """POSTs `AlertMessage.to_payload()` as JSON to `url`.

    Sends `webhook-id` (the message id, the same on every retry) and `webhook-timestamp` always,
    and `webhook-signature` when a secret is set. `now` gives the timestamp (UTC-aware).
    """

    def __init__(
        self,
        name: str,
        url: str,
        *,
        secret: str | None = None,
        timeout: float | timedelta = 10.0,
        headers: Mapping[str, str] | None = None,
        now: Callable[[], datetime] | None = None,
        templates: Templates | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ChannelConfigError(f"url: expected an http(s) URL for webhook channel {name!r}")
        timeout = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout)
        if timeout <= 0:
            raise ChannelConfigError("timeout: must be positive")
        self.name = name
        self.url = url
        if secret is not None and not secret.strip():
            # An empty ${VAR} must not quietly turn signing off.
            raise ChannelConfigError("secret: empty (omit it to send unsigned)")
        self._signer = make_signer(secret, name) if secret is not None else None
        self._timeout = timeout
        self._extra_headers = dict(headers or {})
        # One TLS context for every attempt: loading the CA bundle is the costly part of a client.
        self._tls = ssl.create_default_context(cafile=certifi.where())
        self._in_flight: set[tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]]] = set()
        self._in_flight_lock = threading.Lock()
        self._now = now or (lambda: datetime.now(UTC))
        self._templates = templates
        # The URL's path or query often is the credential (Slack-style hooks); keep it out of
        # errors along with the secret and any header values (Authorization: Bearer ...).
        self._secrets = [secret, url, parts.path if len(parts.path) > 1 else None, parts.query]
        self._secrets += list(self._extra_headers.values())

    @classmethod
    def from_config(
        cls,
        *,
        name: str,
        url: str,
        secret: str | None = None,
        timeout: float | timedelta = 10.0,
        headers: Mapping[str, str] | None = None,
        now: Callable[[], datetime] | None = None,
        templates: Templates | None = None,
    ) -> WebhookChannel:
        """Build from plain config values. Raises ChannelConfigError for unusable ones."""
        return cls(
            name, str(url), secret=plain(secret), timeout=timeout, headers=headers, now=now,
            templates=templates,
        )  # fmt: skip

    def __repr__(self) -> str:
        return f"WebhookChannel({self.name!r}, {host_only(self.url)!r})"

    @property
    def deadline(self) -> float:
        """Seconds one delivery attempt may take in all, however slowly the receiver answers."""
        return self._timeout

    def abort(self) -> None:
        """End the attempts in flight now (from any thread): each raises TransientDelivery."""
        with self._in_flight_lock:
            for loop, task in self._in_flight:
                loop.call_soon_threadsafe(task.cancel)

    def request_for(self, message: AlertMessage) -> tuple[bytes, dict[str, str]]:
        """The exact body and headers one delivery of `message` sends now."""
        payload = message.to_payload()
        if self._templates is not None:  # the channel's own text, beside the fixed fields
            title = self._templates.render_subject(message)
            text = self._templates.render_body(message)
            payload.update({k: v for k, v in (("title", title), ("text", text)) if v is not None})
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        moment = self._now()
        if moment.tzinfo is None:
            raise ValueError("now() must return a UTC-aware datetime")
        # The library replaces tzinfo rather than converting: hand it UTC.
        moment = moment.astimezone(UTC)
        headers = dict(self._extra_headers)
        headers.update(
            {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "webhook-id": message.id,
                "webhook-timestamp": str(int(moment.timestamp())),
            }
        )
        if self._signer is not None:
            headers["webhook-signature"] = self._signer.sign(message.id, moment, body)
        return body.encode("utf-8"), headers

    def deliver(self, message: AlertMessage) -> None:
        """POST the alert once.

        Raises TransientDelivery (network error, timeout, 408/425/429, 5xx) or PermanentDelivery
        (any other non-2xx, including redirects, which are not followed for a POST).
        """
        try:
            body, headers = self.request_for(message)
        except TemplateError as e:  # the same template fails on every retry
            raise PermanentDelivery(self.name, str(e)) from None
        try:
            response = asyncio.run(self._post(body, headers))
        except TimeoutError:
            # A receiver that trickles its answer byte by byte never trips a per-read timeout.
            reason = f"no complete answer within {self._timeout:g}s"
            raise TransientDelivery(self.name, reason) from None
        except asyncio.CancelledError:
            raise TransientDelivery(self.name, "abandoned: figwatch is stopping") from None
        except httpx.TimeoutException as e:
            raise TransientDelivery(self.name, f"timeout ({type(e).__name__})") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:
            raise PermanentDelivery(self.name, self._safe(f"{type(e).__name__}: {e}")) from None
        except httpx.TransportError as e:
            reason = f"{type(e).__name__}: {e}" + _cause(e)
            raise TransientDelivery(self.name, self._safe(reason)) from None
        status = response.status_code
        if 200 <= status < 300:
            return
        reason = f"HTTP {status} {response.reason_phrase}".strip()
        error: DeliveryError
        if status >= 500 or status in RETRYABLE_4XX:
            retry_after = parse_retry_after(response.headers.get("retry-after"), self._now())
            error = TransientDelivery(self.name, reason, retry_after=retry_after)
        else:
            error = PermanentDelivery(self.name, reason)
        error.detail = self._safe(" ".join(response.text[:400].split()))[:80] or None
        raise error

    async def _post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """POST once, within the deadline; `abort` cancels it from another thread."""
        task = asyncio.current_task()
        assert task is not None
        entry = (asyncio.get_running_loop(), task)
        with self._in_flight_lock:
            self._in_flight.add(entry)
        try:
            async with (
                asyncio.timeout(self._timeout),
                httpx.AsyncClient(
                    timeout=self._timeout, follow_redirects=False, verify=self._tls
                ) as client,
            ):
                return await client.post(self.url, content=body, headers=headers)
        finally:
            with self._in_flight_lock:
                self._in_flight.discard(entry)

    def _safe(self, text: str) -> str:
        return redact(text, self._secrets)[:300]


def _cause(error: BaseException) -> str:
    """ " (connection refused)", " (DNS: ...)", " (TLS: ...)": what lies under a transport error
    whose own message ("All connection attempts failed") does not say; else ""."""
    seen: BaseException | None = error.__cause__ or error.__context__
    for _ in range(8):
        if seen is None:
            break
        if isinstance(seen, socket.gaierror):
            return " (DNS: the host name does not resolve)"
        if isinstance(seen, ssl.SSLError):
            return f" (TLS: {getattr(seen, 'reason', None) or type(seen).__name__})"
        if isinstance(seen, ConnectionRefusedError):
            return " (connection refused)"
        if isinstance(seen, OSError) and seen.strerror:
            return f" ({seen.strerror})"
        seen = seen.__cause__ or seen.__context__
    return ""


def host_only(url: str) -> str:
    """The scheme and host of `url`, for printing: the path may be a credential."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}/…"


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A Retry-After header (seconds or an HTTP date) as a delay from `now`; None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))
