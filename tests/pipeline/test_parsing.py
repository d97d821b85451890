"""parse_page: the worker's stage, from the body as fetched; the same text as from the page
decoded first, whichever way the body is read (UTF-8 as it is, or decoded and encoded again)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pipeline.charset import Undecodable, decode_body, plain_utf8
from pipeline.parsing import parse_page
from pipeline.text import article_text

PAGE = (
    "<html><head><title>Harbour news</title></head><body><nav>Home | World</nav><article>"
    "<p>Forty-one fishermen were rescued off the cape on {day}, the coastguard said.</p>"
    "<p>{extra} Two boats are still missing and the search resumes at dawn.</p>"
    "</article></body></html>"
)


def _same_as_decoded(body: bytes, charset: str | None) -> None:
    decoded = decode_body(body, charset)
    assert decoded is not None
    expected = article_text(decoded[0])
    parsed = parse_page(body, charset, None, None, {})
    assert (parsed.title, parsed.text) == (expected.title, expected.text)


@pytest.mark.parametrize(
    "body",
    [
        PAGE.format(day="Monday", extra="Café owners helped.").encode(),
        codecs.BOM_UTF8 + PAGE.format(day="Monday", extra="Café owners helped.").encode(),
        PAGE.format(day="Monday", extra="A stray byte:").encode().replace(b":", b"\xff"),
        PAGE.format(day="Montag", extra="Café owners helped.").encode("cp1252"),
        PAGE.format(day="\x07Monday", extra="").encode(),
    ],
    ids=["utf-8", "bom", "stray-byte", "cp1252", "control"],
)
def test_the_body_gives_the_text_of_the_decoded_page(body: bytes) -> None:
    _same_as_decoded(body, None)


@pytest.mark.parametrize(
    ("body", "declared", "plain"),
    [
        (PAGE.format(day="Monday", extra="Café owners helped.").encode(), None, True),
        (PAGE.format(day="Monday", extra="Café owners helped.").encode(), "UTF8", True),
        (codecs.BOM_UTF8 + PAGE.format(day="Monday", extra="").encode(), None, False),
        (PAGE.format(day="Monday", extra="\ufffd").encode(), None, False),
        (PAGE.format(day="Monday", extra="Café").encode(), "iso-8859-1", False),
        (PAGE.replace("<head>", '<head><meta charset="windows-1252">').encode(), None, False),
        (PAGE.format(day="Monday", extra="é").encode("cp1252"), None, False),
    ],
    ids=[
        "utf-8",
        "declared-utf-8",
        "bom",
        "replacement",
        "declared-latin-1",
        "meta-1252",
        "cp1252",
    ],
)
def test_a_plain_utf8_body_is_read_as_decode_body_reads_it(
    body: bytes, declared: str | None, plain: bool
) -> None:
    text = plain_utf8(body, declared)
    assert (text is not None) is plain
    if plain:
        assert (text, "utf-8") == decode_body(body, declared)


def test_the_shared_pages_give_the_text_of_the_decoded_page(shared_dir: Path) -> None:
    pages = sorted((shared_dir / "data" / "pages").glob("*.html"))
    assert pages
    for path in pages:
        _same_as_decoded(path.read_bytes(), "utf-8")


def test_a_body_that_is_not_text_raises_undecodable_with_its_charset() -> None:
    with pytest.raises(Undecodable) as info:
        parse_page(bytes(range(1, 32)) * 100, "utf-8", None, None, {})
    assert info.value.args == ("utf-8",)


def test_a_new_text_comes_back_packed_for_storage_and_a_same_text_does_not() -> None:
    import zlib

    body = PAGE.format(day="Monday", extra="Café owners helped.").encode()
    new = parse_page(body, "utf-8", None, None, {})
    assert new.packed is not None and new.figures is not None
    assert zlib.decompress(new.packed).decode() == new.text
    same = parse_page(body, "utf-8", None, new.text_hash, {})
    assert same.figures is None and same.packed is None


def loaded_in_worker() -> tuple[bool, bool]:
    """In a parsing worker: whether the HTML parser and the extractor are loaded."""
    import sys

    return "pipeline.lxmltext" in sys.modules, "pipeline.figures.extract" in sys.modules
