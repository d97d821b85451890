"""The message, its payload and its text forms (pure functions, no I/O)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from alerts.message import AlertMessage, FigureView, message_for
from alerts.render import email_html, email_subject, email_text, format_value, summary
from storage.models import Change, Source

WHEN = datetime(2025, 1, 14, 9, 10, 42, tzinfo=UTC)
SENTENCE = "The president said more than 3 800 soldiers from the north were killed or wounded."


def view(
    value: int, qualifier: str = "more_than", value_max: int | None = None, **kw: str
) -> FigureView:
    return FigureView(
        category=kw.get("category", "killed_or_wounded"),
        value=value,
        value_max=value_max,
        qualifier=qualifier,
        subject=kw.get("subject", "North Korean soldiers"),
        claimant=kw.get("claimant", "Zelensky"),
        sentence=kw.get("sentence", SENTENCE),
    )


def msg(
    figure: FigureView | None, previous: FigureView | None, kind: str = "changed"
) -> AlertMessage:
    return AlertMessage(
        id="fw_chg_7",
        type=f"figure.{kind}",
        source="babel-dprk",
        url="https://www.babel.ua/en/news/1",
        figure=figure,
        previous=previous,
        detected_at=WHEN,
        change_id=7,
    )


def test_summary_reads_like_the_design_example() -> None:
    text = summary(msg(view(3800), view(3000)))
    assert text == (
        "North Korean soldiers, killed or wounded (per Zelensky): more than 3,000 \u2192 "
        f'more than 3,800 (+800). babel.ua, 2025-01-14 09:10 UTC. "{SENTENCE}"'
    )


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (view(1200, "exact"), "1,200"),
        (view(30, "exact", 40), "30\u201340"),
        (view(100, "at_least"), "at least 100"),
        (view(5, "less_than"), "fewer than 5"),
        (view(50, "up_to"), "up to 50"),
        (view(808460, "approximately"), "about 808,460"),
        (view(2_000_000, "more_than"), "more than 2,000,000"),
    ],
)
def test_values_are_worded(figure: FigureView, expected: str) -> None:
    assert format_value(figure) == expected


def test_new_removed_ranges_and_falls() -> None:
    assert "new: at least 100." in summary(msg(view(100, "at_least"), None, "new"))
    removed = summary(msg(None, view(30, "approximately", 40), "removed"))
    assert "no longer stated (was about 30\u201340)." in removed
    assert '"' not in removed  # a figure the page no longer states gets no quote
    # no delta when either side is a range; a fall is signed
    assert "(+" not in summary(msg(view(50, "exact"), view(30, "exact", 40)))
    assert "(-200)" in summary(msg(view(800, "exact"), view(1000, "exact")))


def test_label_without_subject_or_claimant() -> None:
    plain = view(3, "exact", category="missing", subject="", claimant="")
    assert summary(msg(plain, None, "new")).startswith("Missing: new: 3.")


def test_subject_is_one_header_safe_line() -> None:
    hostile = view(
        3800,
        subject="soldiers\r\nBcc: victim@example.org",
        claimant="the\u2028ministry\x00",
        sentence="x" * 500,
    )
    subject = email_subject(msg(hostile, view(3000)), "[figwatch]\n")
    assert "\r" not in subject and "\n" not in subject and "\x00" not in subject
    assert "\u2028" not in subject
    assert subject.startswith("[figwatch] soldiers Bcc: victim@example.org, killed or wounded")
    assert len(subject) <= 150
    long_subject = email_subject(msg(view(1, subject="s" * 400), None, "new"))
    assert len(long_subject) == 150 and long_subject.endswith("\u2026")


def test_html_escapes_page_text_and_links_the_url() -> None:
    hostile = view(
        3800,
        sentence='He said <script>alert("x")</script> 3,800 & more.',
        claimant="<b>ministry</b>",
    )
    body = email_html(msg(hostile, view(3000, sentence="<img src=x onerror=1>")))
    assert "<script>" not in body and "<img" not in body and "<b>ministry" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 3,800 &amp; more." in body
    assert '<a href="https://www.babel.ua/en/news/1">babel.ua</a>' in body
    assert "<blockquote>He said &lt;script&gt;" in body
    assert "more than 3,000 \u2192 more than 3,800 (+800)" in body


def test_text_body_has_the_evidence_and_link() -> None:
    text = email_text(msg(view(3800), view(3000, sentence="Earlier: over 3,000.")))
    assert f'"{SENTENCE}"' in text
    assert '"Earlier: over 3,000."' in text
    assert "Claimant: Zelensky" in text
    assert "https://www.babel.ua/en/news/1" in text
    assert text.splitlines()[:2] == [
        "North Korean soldiers, killed or wounded (per Zelensky)",
        "more than 3,000 \u2192 more than 3,800 (+800)",
    ]


def test_payload_fields() -> None:
    payload = msg(view(3800), view(3000)).to_payload()
    assert json.loads(json.dumps(payload)) == payload
    assert payload["type"] == "figure.changed"
    assert payload["id"] == "fw_chg_7" and payload["change_id"] == 7
    assert payload["version"] == 1
    assert payload["detected_at"] == "2025-01-14T09:10:42Z"
    assert payload["source"] == "babel-dprk" and payload["url"].startswith("https://")
    assert payload["figure"] == {
        "category": "killed_or_wounded",
        "value": 3800,
        "value_max": None,
        "qualifier": "more_than",
        "subject": "North Korean soldiers",
        "claimant": "Zelensky",
        "sentence": SENTENCE,
    }
    assert payload["previous"]["value"] == 3000
    assert payload["summary"].startswith("North Korean soldiers, killed or wounded")
    new = msg(view(1), None, "new").to_payload()
    assert new["previous"] is None and new["figure"]["value"] == 1


def test_message_for_builds_each_kind(add_change: Callable[..., Change]) -> None:
    source = Source(name="desk", url="https://news.test/a")
    new = message_for(add_change("new", new_value_max=3900), source)
    assert new.type == "figure.new" and new.previous is None
    assert new.figure is not None and (new.figure.value, new.figure.value_max) == (3800, 3900)
    assert new.id == f"fw_chg_{new.change_id}"
    changed = message_for(add_change("changed"), source)
    assert changed.previous is not None and changed.previous.value == 3000
    assert changed.figure is not None and changed.figure.claimant == "the ministry"
    removed = message_for(add_change("removed"), source)
    assert removed.figure is None and removed.previous is not None
    assert removed.detected_at.tzinfo is not None and removed.source == "desk"


def test_message_for_rejects_what_it_cannot_alert(add_change: Callable[..., Change]) -> None:
    source = Source(name="desk", url="https://news.test/a")
    with pytest.raises(ValueError, match="unknown kind"):
        message_for(add_change("renamed"), source)
    with pytest.raises(ValueError, match="new_value"):
        message_for(add_change("new", new_value=None), source)
