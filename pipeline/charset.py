"""Charset detection and decoding of page bodies: BOM, declared charset, UTF-8, then a guess."""

from __future__ import annotations

import codecs
import re

__all__ = [
    "Undecodable",
    "decode_body",
    "decode_page",
    "looks_like_text",
    "parse_content_type",
    "plain_utf8",
]

_SNIFF_BYTES = 8192
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.I
)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]{1,40})""", re.I
)
# C0 controls other than tab, newline, form feed and carriage return, and U+FFFD: text never
# holds many. Counted in the text's UTF-8 bytes (see bad_characters).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])
_REPLACEMENT = "\ufffd".encode()


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (media type lower-cased, charset), either None."""
    if not value:
        return None, None
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return media_type.strip().lower() or None, charset


def looks_like_text(body: bytes) -> bool:
    """Whether an untyped body may be text: no NUL in its first 8 KB, or a UTF-16 BOM."""
    head = body[:_SNIFF_BYTES]
    return b"\x00" not in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _codec(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, the WHATWG way for Latin-1 and ASCII."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # Browsers decode these labels as windows-1252; pages labelled so often use its extra letters.
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"  # a meta tag cannot honestly declare UTF-16: it was read as ASCII
    return name


def _meta_charset(body: bytes) -> str | None:
    head = body[:_SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _first_codec(body: bytes, declared: str | None) -> str:
    """The charset decode_body tries first (after a byte-order mark): the declared one (the
    Content-Type header's, else the page's own), else UTF-8."""
    return _codec(declared) or _codec(_meta_charset(body)) or "utf-8"


def plain_utf8(body: bytes, declared: str | None) -> str | None:
    """`decode_body(body, declared)`'s text when it reads the body as UTF-8 and finds no bad
    character in it, for a body the caller knows holds no control byte: UTF-8 tried first, no
    byte-order mark, valid, no U+FFFD. Nearly every page is one, and decode_body's count of bad
    characters (the text encoded again) costs more than the decoding. None for any other body:
    ask decode_body."""
    if body.startswith(codecs.BOM_UTF8) or _first_codec(body, declared) != "utf-8":
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # U+FFFD looked for in the text: one character's scan, several times faster than the
    # bytes' three-byte search.
    return None if "\ufffd" in text else text


def decode_body(body: bytes, declared: str | None) -> tuple[str, str] | None:
    """Decode a page body; return (text, codec name), or None when it is not text.

    Order: a byte-order mark; the declared charset (Content-Type header, then a `<meta>`
    charset or XML declaration in the first 8 KB), strictly; UTF-8, strictly; the declared
    charset with a few bad bytes replaced; else windows-1251 or windows-1252, whichever the
    bytes look like. A result with many control characters is refused as binary garbage.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            try:
                return _checked(body.decode(name), "utf-8" if name == "utf-8-sig" else name)
            except UnicodeDecodeError:
                break
    candidates: list[str] = []
    for label in (declared, _meta_charset(body)):
        codec = _codec(label)
        if codec and codec not in candidates:
            candidates.append(codec)
    declared_any = bool(candidates)
    if "utf-8" not in candidates:
        candidates.append("utf-8")
    for name in candidates:
        try:
            return _checked(body.decode(name), name)
        except UnicodeDecodeError:
            continue
    # A page labelled (or assumed) UTF-8 with a stray broken byte is still that page.
    if declared_any:  # trust a declaration with a stray bad byte over a guess
        text = body.decode(candidates[0], errors="replace")
        if text.count("\ufffd") <= max(2, len(text) // 2000):
            return _checked(text, candidates[0])
    name = _guess_single_byte(body)
    return _checked(body.decode(name, errors="replace"), name)


class Undecodable(Exception):
    """`decode_page` found a body that is not text in any charset tried (the charset the page
    declared: its one argument)."""


def decode_page(body: bytes, charset: str | None) -> tuple[str, str]:
    """`decode_body`, raising Undecodable instead of returning None (in a parsing worker, for a
    page fetched with decode=False; pipeline.fetch.undecodable gives the fetch error)."""
    decoded = decode_body(body, charset)
    if decoded is None:
        raise Undecodable(charset)
    return decoded


def bad_characters(text: str) -> int:
    """How many of the C0 controls (but tab, newline, form feed, carriage return) and U+FFFD
    are in `text`. Counted in its UTF-8 bytes, where each control is one byte no other
    character's bytes contain, and U+FFFD is the only character encoded EF BF BD: C-speed
    bytes methods, three times faster than a regular expression over the text (this runs on
    every page fetched, on the event loop)."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _CONTROL_BYTES)) + data.count(_REPLACEMENT)


def _checked(text: str, name: str) -> tuple[str, str] | None:
    bad = bad_characters(text[:200_000])
    if bad > max(8, min(len(text), 200_000) // 200):
        return None
    return text, name


# Bytes that are letters in windows-1251: А-я (0xC0-0xFF) and Ёё Єє Іі Її Ґґ Ўў.
_CP1251_LETTERS = frozenset(range(0xC0, 0x100)) | {
    0xA8, 0xB8, 0xAA, 0xBA, 0xB2, 0xB3, 0xAF, 0xBF, 0xA5, 0xB4, 0xA1, 0xA2,
}  # fmt: skip
_CP1251_RUN = re.compile(
    b"[" + b"".join(re.escape(bytes([b])) for b in sorted(_CP1251_LETTERS)) + b"]+"
)


def _guess_single_byte(body: bytes) -> str:
    """Tell windows-1251 from windows-1252 for a body that is not UTF-8.

    Cyrillic text in windows-1251 is whole words of high bytes; Western text in windows-1252
    is ASCII words with an accented letter here and there. So: count high letter bytes whose
    neighbours are high letter bytes too.
    """
    runs = _CP1251_RUN.findall(body[:200_000])
    high = sum(len(run) for run in runs)
    paired = sum(len(run) for run in runs if len(run) > 1)
    return "cp1251" if high and paired / high > 0.6 else "cp1252"
