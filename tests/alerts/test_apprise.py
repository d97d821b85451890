"""The apprise channel: failure classification from apprise's log, secrets kept out."""

from __future__ import annotations

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
