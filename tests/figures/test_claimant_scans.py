"""The narrowed claimant scans (claimants._according, pronoun_speaker, _SAID_AFTER_GATED) find
exactly what the plain patterns find, on every sentence of the shared sets and on own edge
cases (case, dotless i / long s, "he" inside words)."""

from __future__ import annotations

from pipeline.figures.claimants import (
    _ACCORDING,
    _SAID_AFTER,
    _SAID_AFTER_GATED,
    _SPEAKER_PRONOUN,
    _according,
    pronoun_speaker,
)
from tests.figures.test_gates import _sentences

OWN = [
    "Per The Lantern, 5 were hurt.",
    "Losses were 9 per cent higher, per officials.",
    "ACCORDING TO THE HARBOUR BOARD, 14 DIED.",
    "According to ſome count, 4 died.",  # a long s: IGNORECASE reads it as "s"
    "Figures compiled by by the tally of the Bureau gave 8.",
    "The theme said 4; then she also said 6.",
    "Ashe said 3 and SHE SAID 5.",
    "Kıng said 3, the ferry operator told reporters.",
    "Twelve died, reported the Gazette.",
]


def _plain_pronoun(sentence: str) -> str | None:
    if "he " not in sentence.lower():
        return None
    m = _SPEAKER_PRONOUN.search(sentence)
    return m.group("p").lower() if m is not None else None


def test_scans_match_plain_patterns() -> None:
    found = {"according": 0, "pronoun": 0, "said": 0}
    for sentence in OWN + _sentences():
        want = _ACCORDING.search(sentence)
        got = _according(sentence)
        assert (want and (want.span(), want.groupdict())) == (
            got and (got.span(), got.groupdict())
        ), sentence
        assert pronoun_speaker(sentence) == _plain_pronoun(sentence), sentence
        spans = [m.span() for m in _SAID_AFTER.finditer(sentence)]
        assert spans == [m.span() for m in _SAID_AFTER_GATED.finditer(sentence)], sentence
        found["according"] += want is not None
        found["pronoun"] += pronoun_speaker(sentence) is not None
        found["said"] += bool(spans)
    assert all(found.values()), found  # every scan is exercised both ways
