"""The CPU stage of a check, run in the parsing worker processes: article text, and figures when
the text is new.

Kept apart from the runner so a worker imports only what parsing needs (the HTML parsers and the
extractor), not the database, HTTP and alert modules: each worker is a whole process, and what it
imports it holds in memory for the service's life.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import os
import signal
from dataclasses import dataclass

from pipeline.charset import decode_page, plain_utf8
from pipeline.figures import Figure, find_figures
from pipeline.text import CONTROL_BYTES, article_text
from storage.texthash import pack_text, text_hash


@dataclass(frozen=True, slots=True)
class Parsed:
    title: str | None
    text: str
    text_hash: str
    figures: list[Figure] | None  # None when the text is the same as last time
    # The text as document.text_z stores it, when it is new (figures not None): compressed
    # here, in the worker, so the process that writes the database does not.
    packed: bytes | None = None


def worker_start() -> None:
    """In a parsing worker: die with the service (a killed service leaves no workers behind
    holding its pipes)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent is already gone
        os._exit(0)
    # What the first page would load (the HTML parser, the extractor's compiled rules) is
    # loaded now, while the service is still reading its sources' state and fetching.
    from pipeline import lxmltext  # noqa: F401

    find_figures("")


def ready() -> int:
    """Nothing to do: submitted to start a worker (which runs worker_start) before any page."""
    return os.getpid()


def parse_page(
    body: bytes,
    charset: str | None,
    selector: str | None,
    previous_hash: str | None,
    aliases: dict[str, str],
) -> Parsed:
    """Article text and, when the text is new, its figures, from a page's body as fetched (and
    the charset it declared): the body crosses to the worker as bytes and is decoded here, off
    the event loop. Raises pipeline.charset.Undecodable and TextError."""
    # What the HTML parser reads of a body that decodes as UTF-8 strictly (no BOM dropped, no
    # bad byte replaced with U+FFFD): the body itself, not encoded again, its control
    # characters dropped.
    clean = body.translate(None, CONTROL_BYTES)
    html = plain_utf8(body, charset) if len(clean) == len(body) else None
    utf8: bytes | None = clean
    if html is None:  # not plain UTF-8, or a control character in it
        html, codec = decode_page(body, charset)
        if codec != "utf-8" or body.startswith(codecs.BOM_UTF8) or "\ufffd" in html:
            utf8 = None
    article = article_text(html, selector=selector, utf8=utf8)
    digest = text_hash(article.text)
    if digest == previous_hash:
        return Parsed(article.title, article.text, digest, None)
    figures = find_figures(article.text, aliases=aliases)
    return Parsed(article.title, article.text, digest, figures, pack_text(article.text))
