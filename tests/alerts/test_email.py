"""The email channel against aiosmtpd servers on loopback (plain, AUTH, STARTTLS, implicit TLS)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

import pytest

from alerts.channels import (
    ChannelConfigError,
    EmailChannel,
    PermanentDelivery,
    TransientDelivery,
)
from alerts.channels.email import parse_smtp_url
from alerts.message import AlertMessage, FigureView
from tests.alerts.conftest import PASSWORD, USER, Collector, LoopbackController
from tests.conftest import Certs

# Our AUTH-without-TLS server exists to prove we refuse to use it; aiosmtpd warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

NOW = datetime(2025, 3, 1, 12, 0, 30, tzinfo=UTC)
Start = Callable[..., tuple[LoopbackController, Collector]]


def message(
    subject: str = "civilians", sentence: str = "Rescuers said 45 civilians died."
) -> AlertMessage:
    return AlertMessage(
        id="fw_chg_9",
        type="figure.changed",
        source="city-desk",
        url="https://news.test/story?id=1&x=<2>",
        figure=FigureView("killed", 45, None, "exact", subject, "rescuers", sentence),
        previous=FigureView(
            "killed", 30, None, "at_least", subject, "rescuers", "At least 30 died."
        ),
        detected_at=datetime(2025, 3, 1, 11, 58, tzinfo=UTC),
        change_id=9,
    )


def channel(url: str, **kw: Any) -> EmailChannel:
    kw.setdefault("sender", "figwatch@desk.test")
    kw.setdefault("recipients", ["a@desk.test", "b@desk.test"])
    kw.setdefault("timeout", 5)
    return EmailChannel("desk-mail", url, now=lambda: NOW, local_hostname="figwatch.test", **kw)


def received(handler: Collector) -> EmailMessage:
    [envelope] = handler.envelopes
    parsed = message_from_bytes(envelope.original_content, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_plain_delivery_is_multipart_with_stable_ids(smtp_factory: Start) -> None:
    ctl, handler = smtp_factory()
    channel(f"smtp://127.0.0.1:{ctl.port}", starttls="off").deliver(
        message(subject="civilians\r\nBcc: x@evil.test", sentence="<script>alert(1)</script>")
    )
    [envelope] = handler.envelopes
    assert envelope.mail_from == "figwatch@desk.test"
    assert envelope.rcpt_tos == ["a@desk.test", "b@desk.test"]
    mail = received(handler)
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    html = mail.get_body(("html",))
    assert html is not None and "&lt;script&gt;" in html.get_content()
    assert "<script>" not in html.get_content()
    text = mail.get_body(("plain",))
    assert text is not None and "At least 30 died." in text.get_content()
    assert mail["Message-ID"] == "<fw_chg_9.desk-mail@desk.test>"
    assert mail["Date"] == "Sat, 01 Mar 2025 12:00:30 +0000"
    assert "Bcc" not in mail and "\n" not in str(mail["Subject"])
    assert str(mail["Subject"]).startswith("[figwatch] civilians Bcc: x@evil.test, killed")
    assert handler.tls == [False]


def test_smtp_down_is_transient(closed_port: int) -> None:
    with pytest.raises(TransientDelivery):
        channel(f"smtp://127.0.0.1:{closed_port}").deliver(message())


def test_451_is_transient_then_250_delivers(smtp_factory: Start) -> None:
    ctl, handler = smtp_factory(["451 4.3.0 try again later"])
    mail = channel(f"smtp://127.0.0.1:{ctl.port}", starttls="off")
    with pytest.raises(TransientDelivery, match="451"):
        mail.deliver(message())
    mail.deliver(message())
    assert len(handler.envelopes) == 1


def test_550_is_permanent(smtp_factory: Start) -> None:
    ctl, handler = smtp_factory(["550 5.7.1 rejected by policy"])
    with pytest.raises(PermanentDelivery, match="550"):
        channel(f"smtp://127.0.0.1:{ctl.port}", starttls="off").deliver(message())
    assert handler.envelopes == []


def test_auth_with_a_percent_encoded_password(smtp_factory: Start) -> None:
    ctl, handler = smtp_factory(auth=True)
    url = f"smtp://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{ctl.port}"
    channel(url, starttls="off").deliver(message())
    assert len(handler.envelopes) == 1


def test_auth_with_a_raw_password_from_the_environment(smtp_factory: Start) -> None:
    # ${SMTP_PASSWORD} is pasted in as is: the credentials end at the last "@".
    ctl, handler = smtp_factory(auth=True)
    channel(f"smtp://{USER}:{PASSWORD}@127.0.0.1:{ctl.port}", starttls="off").deliver(message())
    assert len(handler.envelopes) == 1


def test_wrong_password_is_permanent_and_never_shown(smtp_factory: Start) -> None:
    ctl, handler = smtp_factory(auth=True)
    wrong = "hunter2-wrong"
    mail = channel(f"smtp://{USER}:{wrong}@127.0.0.1:{ctl.port}", starttls="off")
    with pytest.raises(PermanentDelivery, match="authentication failed 535") as info:
        mail.deliver(message())
    assert wrong not in str(info.value) and wrong not in repr(mail)
    assert handler.envelopes == []


def test_no_password_in_clear_unless_told(smtp_factory: Start) -> None:
    ctl, handler = smtp_factory(auth=True)
    url = f"smtp://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{ctl.port}"
    with pytest.raises(PermanentDelivery, match="refusing to send the password"):
        channel(url).deliver(message())
    with pytest.raises(PermanentDelivery, match="STARTTLS"):
        channel(f"smtp://127.0.0.1:{ctl.port}", starttls="require").deliver(message())
    assert handler.envelopes == []


def test_starttls_opportunistic_upgrades_before_auth(smtp_factory: Start, certs: Certs) -> None:
    ctl, handler = smtp_factory(
        auth=True, auth_require_tls=True, tls_context=certs.server, require_starttls=True
    )
    url = f"smtp://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{ctl.port}"
    channel(url, ssl_context=certs.client).deliver(message())
    assert handler.tls == [True]


def test_starttls_with_an_untrusted_certificate_is_permanent(
    smtp_factory: Start, certs: Certs
) -> None:
    ctl, handler = smtp_factory(tls_context=certs.server)
    with pytest.raises(PermanentDelivery, match="certificate"):
        channel(f"smtp://127.0.0.1:{ctl.port}", starttls="required").deliver(message())
    assert handler.envelopes == []


def test_smtps_implicit_tls(smtp_factory: Start, certs: Certs) -> None:
    ctl, handler = smtp_factory(ssl_context=certs.server)
    channel(f"smtps://127.0.0.1:{ctl.port}", ssl_context=certs.client).deliver(message())
    assert handler.tls == [True]
    assert received(handler)["To"] == "a@desk.test, b@desk.test"


def test_url_parsing_and_config_errors() -> None:
    server = parse_smtp_url("smtp://me%40desk:pa%2Fss@mail.test")
    assert (server.username, server.password, server.port) == ("me@desk", "pa/ss", 587)
    assert parse_smtp_url("smtp://mail.test", "off").port == 25
    assert parse_smtp_url("smtps://mail.test").port == 465
    with pytest.raises(ChannelConfigError):
        parse_smtp_url("http://mail.test")
    with pytest.raises(ChannelConfigError, match="starttls"):
        channel("smtp://mail.test", starttls="sometimes")
    with pytest.raises(ChannelConfigError, match="address"):
        channel("smtp://mail.test", recipients=["nobody"])
    with pytest.raises(ChannelConfigError, match="recipient"):
        channel("smtp://mail.test", recipients=[])
    built = EmailChannel.from_config(
        name="m",
        smtp="smtp://u:secretpw@mail.test",
        sender="f@x.test",
        recipients="t@x.test",
    )
    assert "secretpw" not in repr(built) and "mail.test:587" in repr(built)
