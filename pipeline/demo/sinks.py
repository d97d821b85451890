"""Loopback sinks that receive figwatch's alerts: an SMTP server and a webhook receiver.

Both listen on 127.0.0.1 on a free port, record what they receive in thread-safe lists and let
a caller wait for the n-th message without polling:

    with SmtpSink() as smtp, WebhookSink() as hook:
        ...  # point an email alert at smtp.url and a webhook alert at hook.url
        mails = smtp.wait_for(1, timeout=5)
        posts = hook.wait_for(1, timeout=5)
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from typing import Any, Generic, TypeVar, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from pipeline.demo.loopback import Closing, LoopbackHTTPServer, ThreadedHTTP

T = TypeVar("T")


class _Inbox(Generic[T]):
    """A list that threads append to and others wait on."""

    def __init__(self) -> None:
        self._items: list[T] = []
        self._cond = threading.Condition()

    def append(self, item: T) -> None:
        with self._cond:
            self._items.append(item)
            self._cond.notify_all()

    def snapshot(self) -> list[T]:
        with self._cond:
            return list(self._items)

    def clear(self) -> None:
        with self._cond:
            self._items.clear()

    def wait_for(self, n: int, timeout: float) -> list[T]:
        """Block until at least `n` items arrived; return them all.

        Raises TimeoutError if fewer than `n` arrived within `timeout` seconds.
        """
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._items) >= n, timeout):
                raise TimeoutError(
                    f"expected {n} item(s) within {timeout}s, got {len(self._items)}"
                )
            return list(self._items)


# ---------------------------------------------------------------------------------------- SMTP


@dataclass(frozen=True, slots=True)
class ReceivedMail:
    """One message as the SMTP sink received it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    login: str | None  # the AUTH user name, when the client authenticated


class _MailHandler:
    def __init__(self, inbox: _Inbox[ReceivedMail], *, auth_required: bool) -> None:
        self._inbox = inbox
        self._auth_required = auth_required

    async def handle_MAIL(  # noqa: N802 (aiosmtpd's hook name)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        # Enforced here rather than with SMTP(auth_required=True), which warns on every
        # connection when TLS is off; a loopback sink has no certificate to offer.
        if self._auth_required and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        msg = cast(EmailMessage, message_from_bytes(raw, policy=policy.default))
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        self._inbox.append(
            ReceivedMail(
                mail_from=envelope.mail_from or "",
                rcpt_tos=tuple(envelope.rcpt_tos),
                message=msg,
                login=login.decode() if isinstance(login, bytes) else login,
            )
        )
        return "250 Message accepted for delivery"


class _Authenticator:
    def __init__(self, user: str, password: str) -> None:
        self._expected = (user.encode(), password.encode())

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and (
                auth_data.login,
                auth_data.password,
            )
            == self._expected
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


class _FreePortController(Controller):
    """aiosmtpd's threaded Controller, bound to port 0.

    Controller connects to `self.port` once after binding, to make the server build its SMTP
    protocol object; with port 0 it would connect to port 0, so the bound port is read back from
    the listening socket first. This avoids the race of probing a free port and binding later.
    """

    def _trigger_server(self) -> None:
        server = cast(asyncio.Server | None, self.server)
        if server is not None and self.port == 0:
            self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink(Closing):
    """An SMTP server on 127.0.0.1:<free port> that keeps every message it receives.

    With `auth=(user, password)` it advertises AUTH PLAIN/LOGIN without TLS and refuses mail from
    clients that did not authenticate with exactly those credentials.
    """

    def __init__(self, *, auth: tuple[str, str] | None = None) -> None:
        self._inbox: _Inbox[ReceivedMail] = _Inbox()
        kwargs: dict[str, Any] = {}
        if auth is not None:
            kwargs = {"authenticator": _Authenticator(*auth), "auth_require_tls": False}
        handler = _MailHandler(self._inbox, auth_required=auth is not None)
        self._controller = _FreePortController(handler, hostname="127.0.0.1", port=0, **kwargs)
        self._controller.start()
        self._closed = False

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return int(self._controller.port)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def received(self) -> list[ReceivedMail]:
        """Every message received so far, with its envelope, oldest first (a copy)."""
        return self._inbox.snapshot()

    @property
    def messages(self) -> list[EmailMessage]:
        """Every parsed message received so far, oldest first (a copy)."""
        return [r.message for r in self._inbox.snapshot()]

    def wait_for(self, n: int, timeout: float = 5.0) -> list[EmailMessage]:
        """Block until `n` messages arrived and return all messages received.

        Raises TimeoutError if fewer than `n` arrived within `timeout` seconds.
        """
        return [r.message for r in self._inbox.wait_for(n, timeout)]

    def clear(self) -> None:
        self._inbox.clear()

    def close(self) -> None:
        """Stop the server and release the port. Safe to call twice."""
        if not self._closed:
            self._closed = True
            self._controller.stop()


# ------------------------------------------------------------------------------------- webhook


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    """One POST the webhook sink received and the status it answered with."""

    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    json: Any  # the parsed body, or None when it is not JSON
    status: int


class _Script:
    """The statuses to answer with, in order, then `then` for ever."""

    def __init__(self, statuses: Iterable[int], then: int) -> None:
        self._lock = threading.Lock()
        self._queue = list(statuses)
        self._then = then

    def next(self) -> int:
        with self._lock:
            return self._queue.pop(0) if self._queue else self._then


class _HookServer(LoopbackHTTPServer):
    sink: WebhookSink


class _HookHandler(BaseHTTPRequestHandler):
    server: _HookServer
    # Headers and body go out in two writes; with Nagle on, keep-alive clients wait ~40 ms for
    # the delayed ACK on every request.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        sink = self.server.sink
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            parsed: Any = json.loads(body) if body else None
        except ValueError:
            parsed = None
        status = sink._script.next()
        headers = {k.lower(): v for k, v in self.headers.items()}
        # Recorded before answering, so a client that has its response can already see it here.
        sink._inbox.append(WebhookRequest(self.path, headers, body, parsed, status))
        reply = json.dumps({"ok": 200 <= status < 300}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the sink's record is the log


class WebhookSink(ThreadedHTTP):
    """An HTTP server on 127.0.0.1:<free port> that records each POST and answers from a script.

    `script` lists the statuses of the next responses in order (e.g. `[500, 500]`); once it runs
    out every request gets `then` (200 by default).
    """

    def __init__(self, script: Iterable[int] = (), *, then: int = 200) -> None:
        self._inbox: _Inbox[WebhookRequest] = _Inbox()
        self._script = _Script(script, then)
        server = _HookServer(("127.0.0.1", 0), _HookHandler)
        server.sink = self
        super().__init__(server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def requests(self) -> list[WebhookRequest]:
        """Every POST received so far, oldest first (a copy)."""
        return self._inbox.snapshot()

    def set_script(self, statuses: Iterable[int], *, then: int = 200) -> None:
        """Answer the next requests with `statuses`, in order, then `then` for ever."""
        self._script = _Script(statuses, then)

    def wait_for(self, n: int, timeout: float = 5.0) -> list[WebhookRequest]:
        """Block until `n` POSTs arrived and return all received.

        Raises TimeoutError if fewer than `n` arrived within `timeout` seconds.
        """
        return self._inbox.wait_for(n, timeout)

    def clear(self) -> None:
        self._inbox.clear()
