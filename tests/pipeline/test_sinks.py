"""Loopback sinks: a real smtplib client and a real httpx client against them."""

from __future__ import annotations

import json
import smtplib
import threading
from collections.abc import Iterator
from email.message import EmailMessage

import httpx
import pytest

from pipeline.demo.sinks import SmtpSink, WebhookSink

pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5, trust_env=False) as c:
        yield c


def _mail(subject: str, body: str = "Killed: at least 12 → at least 19.") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "figwatch@localhost"
    msg["To"] = "desk@localhost, night@localhost"
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def test_smtp_sink_receives_a_real_message(smtp: SmtpSink) -> None:
    assert smtp.url == f"smtp://127.0.0.1:{smtp.port}"
    assert smtp.port > 0
    with smtplib.SMTP(smtp.host, smtp.port, timeout=5) as client:
        client.send_message(_mail("Tolvik: killed 12 → 19"))
    [msg] = smtp.wait_for(1, timeout=5)
    assert msg["Subject"] == "Tolvik: killed 12 → 19"
    assert "at least 19" in msg.get_content()
    [received] = smtp.received
    assert received.mail_from == "figwatch@localhost"
    assert received.rcpt_tos == ("desk@localhost", "night@localhost")
    assert received.login is None


def test_smtp_wait_for_times_out_without_mail(smtp: SmtpSink) -> None:
    with pytest.raises(TimeoutError, match="expected 1"):
        smtp.wait_for(1, timeout=0.05)


def test_smtp_wait_for_wakes_on_arrival_from_another_thread(smtp: SmtpSink) -> None:
    def send() -> None:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=5) as client:
            for i in range(3):
                client.send_message(_mail(f"alert {i}"))

    sender = threading.Thread(target=send)
    sender.start()
    msgs = smtp.wait_for(3, timeout=5)
    sender.join()
    assert [m["Subject"] for m in msgs] == ["alert 0", "alert 1", "alert 2"]
    smtp.clear()
    assert smtp.messages == []


def test_smtp_sink_with_auth_accepts_only_the_right_login() -> None:
    with SmtpSink(auth=("desk", "s3cret")) as sink:
        with smtplib.SMTP(sink.host, sink.port, timeout=5) as client:
            with pytest.raises(smtplib.SMTPSenderRefused) as refused:
                client.send_message(_mail("no login"))
            assert refused.value.smtp_code == 530
        with (
            smtplib.SMTP(sink.host, sink.port, timeout=5) as client,
            pytest.raises(smtplib.SMTPAuthenticationError),
        ):
            client.login("desk", "wrong")
        with smtplib.SMTP(sink.host, sink.port, timeout=5) as client:
            client.login("desk", "s3cret")
            client.send_message(_mail("with login"))
        [received] = sink.wait_for(1, timeout=5)
        assert received["Subject"] == "with login"
        assert sink.received[0].login == "desk"


def test_two_smtp_sinks_get_different_ports() -> None:
    with SmtpSink() as a, SmtpSink() as b:
        assert a.port != b.port


def test_webhook_sink_records_a_real_post(hook: WebhookSink, client: httpx.Client) -> None:
    payload = {"type": "figure.changed", "figure": {"category": "killed", "value": 19}}
    r = client.post(hook.url, json=payload, headers={"Webhook-Id": "msg_1"})
    assert r.status_code == 200
    assert r.json() == {"ok": True}
    [req] = hook.requests
    assert req.path == "/hook"
    assert req.json == payload
    assert json.loads(req.body) == payload
    assert req.headers["webhook-id"] == "msg_1"
    assert req.headers["content-type"] == "application/json"
    assert req.status == 200


def test_webhook_sink_keeps_a_body_that_is_not_json(
    hook: WebhookSink, client: httpx.Client
) -> None:
    client.post(hook.url, content=b"not json {")
    [req] = hook.wait_for(1, timeout=5)
    assert req.body == b"not json {"
    assert req.json is None


def test_webhook_scripted_statuses_then_default(client: httpx.Client) -> None:
    with WebhookSink([500, 503]) as sink:
        got = [client.post(sink.url, json={"n": i}).status_code for i in range(4)]
        assert got == [500, 503, 200, 200]
        assert [r.status for r in sink.requests] == got
        assert [r.json["n"] for r in sink.requests] == [0, 1, 2, 3]
        assert client.post(sink.url, json={}).json() == {"ok": True}


def test_webhook_set_script_replaces_the_script(hook: WebhookSink, client: httpx.Client) -> None:
    hook.set_script([429], then=410)
    got = [client.post(hook.url, json={}).status_code for _ in range(3)]
    assert got == [429, 410, 410]
    hook.set_script([])
    assert client.post(hook.url, json={}).status_code == 200


def test_webhook_wait_for_wakes_on_arrival(hook: WebhookSink) -> None:
    def post() -> None:
        with httpx.Client(trust_env=False) as c:
            c.post(hook.url, json={"from": "thread"})

    poster = threading.Thread(target=post)
    poster.start()
    [req] = hook.wait_for(1, timeout=5)
    poster.join()
    assert req.json == {"from": "thread"}
    with pytest.raises(TimeoutError):
        hook.wait_for(2, timeout=0.05)


def test_sinks_release_their_ports_on_close() -> None:
    hook = WebhookSink()
    url = hook.url
    hook.close()
    hook.close()  # twice is fine
    with httpx.Client(trust_env=False) as c, pytest.raises(httpx.ConnectError):
        c.post(url, json={})
    smtp = SmtpSink()
    port = smtp.port
    smtp.close()
    smtp.close()
    with pytest.raises(OSError):
        smtplib.SMTP("127.0.0.1", port, timeout=2)
