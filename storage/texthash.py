"""The hash that names an article text (`document.text_hash`): standard library only, so the
parsing workers compute it without importing the database modules."""

from __future__ import annotations

import hashlib


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
