"""The hash that names an article text (`document.text_hash`) and the compressed form it is
stored in (`document.text_z`): standard library only, so the parsing workers compute both
without importing the database modules (and off the event loop's process)."""

from __future__ import annotations

import hashlib
import zlib


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack_text(text: str) -> bytes:
    """`text` as `document.text_z` stores it: UTF-8, zlib level 6."""
    return zlib.compress(text.encode("utf-8"), 6)
