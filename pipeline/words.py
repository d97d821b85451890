"""Counted nouns for what figwatch prints: "1 change", "2 changes", "1 alert queued"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and `noun`, the noun in the plural unless the count is exactly 1
    (`plural(1, "change")` -> "1 change", `plural(0, "figure")` -> "0 figures"). `many` is the
    plural when it is not `noun` + "s"."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"
