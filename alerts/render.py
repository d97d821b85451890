"""Alert text: the one-line summary, the email subject, and the email bodies (text and HTML).

Everything here is a pure function of an `AlertMessage`. Page-derived text (subject, claimant,
sentence) is untrusted: it is escaped for HTML and stripped of control characters wherever it
lands in a header.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from alerts.redact import mask_url

if TYPE_CHECKING:
    from alerts.message import AlertMessage, FigureView

CATEGORY_LABELS = {
    "killed": "killed",
    "wounded": "wounded",
    "killed_or_wounded": "killed or wounded",
    "captured": "captured",
    "missing": "missing",
}
QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about",
    "at_least": "at least",
    "more_than": "more than",
    "up_to": "up to",
    "less_than": "fewer than",
}
ARROW = "\u2192"
EN_DASH = "\u2013"
ELLIPSIS = "\u2026"
HEALTH_LABELS = {
    "source.failing": "the page cannot be checked",
    "source.recovered": "the page can be checked again",
    "source.silent": "the page states no figures any more",
}
SUBJECT_MAX = 150
SENTENCE_MAX = 400

_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    """`text` with control/format characters and line breaks turned to spaces, runs collapsed.

    This is what makes page text safe in a mail header or a single log/summary line: no CR, LF,
    NUL, U+2028 or bidi override survives.
    """
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
    return _SPACES.sub(" ", cleaned).strip()


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def format_value(figure: FigureView) -> str:
    """ "more than 3,800", "30–40", "about 1,200": qualifier word, thousands separators, range."""
    number = f"{figure.value:,}"
    if figure.value_max is not None and figure.value_max != figure.value:
        number = f"{number}{EN_DASH}{figure.value_max:,}"
    word = QUALIFIER_WORDS.get(figure.qualifier, figure.qualifier.replace("_", " "))
    return f"{word} {number}" if word else number


def label(msg: AlertMessage) -> str:
    """ "North Korean soldiers, killed or wounded (per Zelensky)": whose figure this is."""
    side = msg.figure or msg.previous
    if msg.changes is not None:
        return "The page changed drastically"
    if msg.type in HEALTH_LABELS:
        return f"{msg.source}: {HEALTH_LABELS[msg.type]}"
    if msg.type == "digest":
        return f"Digest: {len(msg.items)} alert{'s' if len(msg.items) != 1 else ''}"
    if side is None:
        return msg.type
    category = CATEGORY_LABELS.get(side.category, side.category.replace("_", " "))
    subject = one_line(side.subject or "")
    text = f"{subject}, {category}" if subject else category[:1].upper() + category[1:]
    claimant = one_line(side.claimant or "")
    return f"{text} (per {claimant})" if claimant else text


def delta(previous: FigureView, figure: FigureView) -> str:
    """ "+800" / "-200" when both sides are plain numbers and differ, else ""."""
    if previous.value_max is not None or figure.value_max is not None:
        return ""
    diff = figure.value - previous.value
    return f"{diff:+,}" if diff else ""


def movement(msg: AlertMessage) -> str:
    """The value part: "a → b (+n)", "new: at least 100", or "no longer stated (was …)"."""
    if msg.figure is not None and msg.previous is not None:
        change = f"{format_value(msg.previous)} {ARROW} {format_value(msg.figure)}"
        d = delta(msg.previous, msg.figure)
        change = f"{change} ({d})" if d else change
        return f"{change}, a DECREASE (a correction or a misread?)" if msg.decrease else change
    if msg.figure is not None:
        return f"new: {format_value(msg.figure)}"
    if msg.previous is not None:
        return f"no longer stated (was {format_value(msg.previous)})"
    if msg.note is not None:
        return one_line(msg.note)
    if msg.type == "digest":
        return f"from {msg.source or 'no source'}, until {when(msg)}"
    if msg.changes is not None:
        return f"{msg.changes:,} figure changes in one check (each recorded, not sent one by one)"
    return ""


def host(url: str) -> str:
    """The URL's host without "www.", or the URL itself when it has none."""
    name = urlsplit(url).hostname or ""
    name = name.removeprefix("www.")
    return name or url


def when(msg: AlertMessage) -> str:
    """detected_at as "2025-01-14 09:10 UTC"."""
    return msg.detected_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def evidence(msg: AlertMessage) -> str:
    """The sentence that states the figure now (or stated it, for a removed figure)."""
    side = msg.figure or msg.previous
    return one_line(side.sentence) if side is not None else ""


def summary(msg: AlertMessage) -> str:
    """The one-line summary of DESIGN.md, e.g.

    North Korean soldiers, killed or wounded (per Zelensky): more than 3,000 → more than 3,800
    (+800). babel.ua, 2025-01-14 09:10 UTC. "Ukrainian President … wounded."

    A removed figure carries no quoted sentence: the page no longer says it.
    """
    line = f"{label(msg)}: {movement(msg)}. {host(msg.url)}, {when(msg)}."
    if msg.figure is not None and evidence(msg):
        line += f' "{clip(evidence(msg), SENTENCE_MAX)}"'
    return line


def email_subject(msg: AlertMessage, prefix: str = "[figwatch]") -> str:
    """One header-safe line: no CR/LF or other control characters, at most ~150 characters."""
    text = f"{label(msg)}: {movement(msg)}"
    prefix = one_line(prefix)
    return clip(one_line(f"{prefix} {text}" if prefix else text), SUBJECT_MAX)


def digest_lines(msg: AlertMessage) -> list[tuple[str, list[str]]]:
    """A digest's alerts as (subject, [one-line summaries]), grouped by subject in first-seen
    order; health and flood alerts under "(source)"."""
    groups: dict[str, list[str]] = {}
    for item in msg.items:
        side = item.figure or item.previous
        key = one_line(side.subject or "") if side is not None else ""
        groups.setdefault(key or "(source)", []).append(summary(item))
    return list(groups.items())


def email_text(msg: AlertMessage) -> str:
    """The plain-text body: what changed, the claimant, the evidence, the link."""
    lines = [label(msg), movement(msg), ""]
    for subject, summaries in digest_lines(msg):
        lines += [subject, *(f"  - {s}" for s in summaries), ""]
    if msg.figure is not None:
        lines.append(f'The page says: "{one_line(msg.figure.sentence)}"')
    if msg.previous is not None:
        lines.append(f'Before, it said: "{one_line(msg.previous.sentence)}"')
    side = msg.figure or msg.previous
    if side is not None and side.claimant:
        lines.append(f"Claimant: {one_line(side.claimant)}")
    lines += [
        "",
        f"Source: {msg.source} ({host(msg.url)})",
        f"Link: {mask_url(msg.url)}",
        f"Detected: {when(msg)}",
        f"Alert id: {msg.id} ({msg.type})",
        "",
        "-- ",
        "figwatch",
    ]
    return "\n".join(lines) + "\n"


def email_html(msg: AlertMessage) -> str:
    """The HTML body; every page- or config-derived string is escaped with `html.escape`."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>',
        e(email_subject(msg, "")),
        "</title></head><body>",
        f"<h2>{e(label(msg))}</h2>",
        f"<p><strong>{e(movement(msg))}</strong></p>",
    ]
    for subject, summaries in digest_lines(msg):
        items = "".join(f"<li>{e(s)}</li>" for s in summaries)
        parts.append(f"<h3>{e(subject)}</h3><ul>{items}</ul>")
    if msg.figure is not None:
        parts.append(f"<blockquote>{e(one_line(msg.figure.sentence))}</blockquote>")
    if msg.previous is not None:
        parts.append("<p>Before, it said:</p>")
        parts.append(f"<blockquote>{e(one_line(msg.previous.sentence))}</blockquote>")
    side = msg.figure or msg.previous
    if side is not None and side.claimant:
        parts.append(f"<p>Claimant: {e(one_line(side.claimant))}</p>")
    # Only http(s) becomes a link: a config typo must not turn into a javascript: href.
    # The URL is masked again here (it already is in a message from `message_for`): a token in
    # a source URL must never reach a recipient.
    url = mask_url(msg.url)
    if urlsplit(url).scheme in ("http", "https"):
        where = f'<a href="{e(url, quote=True)}">{e(host(url))}</a>'
    else:
        where = e(url)
    parts += [
        f"<p>Source: {e(msg.source)} &mdash; {where}</p>",
        f"<p>Detected: {e(when(msg))}<br>Alert id: {e(msg.id)} ({e(msg.type)})</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
