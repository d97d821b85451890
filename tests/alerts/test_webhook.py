"""The webhook channel against a real HTTP server on loopback."""

from __future__ import annotations

import base64
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from alerts.channels import (
    ChannelConfigError,
    PermanentDelivery,
    TransientDelivery,
    WebhookChannel,
)
from alerts.message import AlertMessage, FigureView
from tests.alerts.conftest import Receiver

SECRET = "whsec_" + base64.b64encode(b"a test key of thirty-two bytes!!").decode()


def real_now() -> datetime:
    # The library checks the timestamp against the real clock, so signing tests use it too.
    return datetime.now(UTC)


def message(
    sentence: str = "Officials said 1 200 people were wounded, per the city.",
) -> AlertMessage:
    figure = FigureView("wounded", 1200, None, "exact", "people", "the city", sentence)
    return AlertMessage(
        id="fw_chg_42",
        type="figure.new",
        source="city-desk",
        url="https://news.test/a",
        figure=figure,
        previous=None,
        detected_at=datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
        change_id=42,
    )


def test_signed_post_verifies_with_standard_webhooks(receiver: Receiver) -> None:
    channel = WebhookChannel("hook", receiver.url, secret=SECRET, now=real_now)
    channel.deliver(message('He wrote "1 200" \u2014 \u00e9t\u00e9 <b>'))
    [req] = receiver.requests
    assert req.path == "/hooks/figwatch"
    payload = Webhook(SECRET).verify(req.body, req.headers)
    assert payload["id"] == "fw_chg_42" and payload["type"] == "figure.new"
    assert payload["figure"]["sentence"] == 'He wrote "1 200" \u2014 \u00e9t\u00e9 <b>'
    assert req.headers["webhook-id"] == "fw_chg_42"
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["User-Agent"].startswith("figwatch/")
    # a different key must not verify: the check above is not vacuous
    other = "whsec_" + base64.b64encode(b"another key entirely, 32 bytes!!").decode()
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(req.body, req.headers)


def test_timestamp_comes_from_the_injected_clock(receiver: Receiver) -> None:
    fixed = datetime(2025, 3, 1, 12, 0, 5, tzinfo=UTC)
    channel = WebhookChannel("hook", receiver.url, now=lambda: fixed, headers={"X-Desk": "a"})
    channel.deliver(message())
    [req] = receiver.requests
    assert req.headers["webhook-timestamp"] == str(int(fixed.timestamp()))
    assert req.headers["webhook-id"] == "fw_chg_42"
    assert "webhook-signature" not in req.headers  # no secret, no signature
    assert req.headers["X-Desk"] == "a"
    assert json.loads(req.body)["detected_at"] == "2025-03-01T12:00:00Z"


def test_same_id_on_every_retry(receiver: Receiver) -> None:
    receiver.script = [500]
    channel = WebhookChannel("hook", receiver.url, secret=SECRET, now=real_now)
    with pytest.raises(TransientDelivery):
        channel.deliver(message())
    channel.deliver(message())
    assert [r.headers["webhook-id"] for r in receiver.requests] == ["fw_chg_42", "fw_chg_42"]


def test_plain_secret_is_keyed_as_the_library_keys_it(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    plain = "my-team-shared-secret"  # the library drops the dashes
    with caplog.at_level(logging.WARNING):
        channel = WebhookChannel("hook", receiver.url, secret=plain, now=real_now)
    assert "not whsec_<base64>" in caplog.text and plain not in caplog.text
    channel.deliver(message())
    [req] = receiver.requests
    assert Webhook(plain).verify(req.body, req.headers)["id"] == "fw_chg_42"


@pytest.mark.parametrize("secret", ["", "   ", "whsec_"])
def test_unusable_secret_is_a_config_error(secret: str) -> None:
    with pytest.raises(ChannelConfigError, match="secret"):
        WebhookChannel("hook", "https://hooks.test/x", secret=secret)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, TransientDelivery),
        (503, TransientDelivery),
        (429, TransientDelivery),
        (408, TransientDelivery),
        (404, PermanentDelivery),
        (401, PermanentDelivery),
        (410, PermanentDelivery),
        (301, PermanentDelivery),
    ],
)
def test_status_classification(receiver: Receiver, status: int, error: type[Exception]) -> None:
    receiver.script = [status]
    with pytest.raises(error, match=f"HTTP {status}"):
        WebhookChannel("hook", receiver.url).deliver(message())


def test_retry_after_is_passed_on(receiver: Receiver) -> None:
    receiver.script = [429]
    receiver.extra_headers = {"Retry-After": "120"}
    with pytest.raises(TransientDelivery) as info:
        WebhookChannel("hook", receiver.url).deliver(message())
    assert info.value.retry_after == timedelta(seconds=120)


def test_refused_connection_is_transient_and_hides_the_url_token(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/hooks/T0KEN-s3cr3t?sig=abc123"
    channel = WebhookChannel("hook", url, timeout=2, headers={"Authorization": "Bearer zzz"})
    with pytest.raises(TransientDelivery) as info:
        channel.deliver(message())
    text = str(info.value) + repr(channel)
    assert "T0KEN-s3cr3t" not in text and "abc123" not in text and "zzz" not in text
    assert info.value.channel == "hook"


def test_built_from_plain_values(receiver: Receiver) -> None:
    channel = WebhookChannel.from_config(
        name="desk-hook", url=receiver.url, secret=SECRET, timeout=timedelta(seconds=5)
    )
    assert channel.name == "desk-hook"
    channel.deliver(message())
    assert len(receiver.ok) == 1
    with pytest.raises(ChannelConfigError, match="http"):
        WebhookChannel.from_config(name="x", url="ftp://hooks.test/")
