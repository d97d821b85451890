"""The apprise channel: failure classification from apprise's log, secrets kept out."""

from __future__ import annotations

import logging

import pytest

from alerts.channels.apprise import AppriseChannel, classify
from alerts.channels.base import ChannelConfigError


@pytest.mark.parametrize(
    ("log", "reason", "transient"),
    [
        ("Failed to send JSON POST notification: Internal server error., error=500.\n"
         "Response Details:\r\nb'{\"error\":\"busy\"}'", 'HTTP 500: {"error":"busy"}', True),
        ("Failed to send: Verification Failed., error=401.", "authentication failed, HTTP 401",
         False),
        ("Failed to send: error=404.", "HTTP 404", False),
        ("Failed to send: error=429.", "HTTP 429", True),
        ("Socket Exception: ... NameResolutionError(\"Failed to resolve 'x.invalid' "
         "([Errno -2] Name or service not known)\")", "DNS: the host name does not resolve", True),
        ("Socket Exception: ... [Errno 111] Connection refused", "connection refused", True),
        ("Socket Exception: ReadTimeoutError ... Read timed out.", "timeout", True),
        ("Socket Exception: SSLError(SSLCertVerificationError(1, 'CERTIFICATE_VERIFY_FAILED'))",
         "TLS: the secure connection failed (certificate?)", False),
    ],
)  # fmt: skip
def test_classify(log: str, reason: str, transient: bool) -> None:
    assert classify(log) == (reason, transient)


def test_the_url_is_shown_masked_and_a_bad_one_refused() -> None:
    channel = AppriseChannel("chat", "json://user:pa55word@127.0.0.1:9/hook?token=t0ken")
    assert "pa55word" not in repr(channel) and "t0ken" not in repr(channel)
    with pytest.raises(ChannelConfigError, match="not a usable apprise URL"):
        AppriseChannel("chat", "nosuchscheme://x")


class _Seen(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.names: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.names.append(record.name)


def test_apprise_log_lines_stay_out_of_figwatch_log() -> None:
    import socket
    from datetime import UTC, datetime

    from alerts.channels.base import TransientDelivery
    from alerts.message import AlertMessage

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    channel = AppriseChannel("chat", f"json://user:pa55word@127.0.0.1:{port}/t0ken-path")
    message = AlertMessage(
        "fw_chg_1", "source.failing", "s", "https://example.org/", None, None,
        datetime(2025, 1, 14, tzinfo=UTC), 1, note="3 failed checks",
    )  # fmt: skip
    seen, root = _Seen(), logging.getLogger()
    level = root.level
    root.addHandler(seen)
    root.setLevel(logging.DEBUG)
    try:
        with pytest.raises(TransientDelivery) as caught:
            channel.deliver(message)
    finally:
        root.removeHandler(seen)
        root.setLevel(level)
    assert caught.value.reason == "connection refused"
    assert seen.names and not [n for n in seen.names if n.startswith("apprise")]
