"""find_figures: sentences -> counts -> category, qualifier, range, subject, claimant, evidence.

Only sentences holding a category cue and a number get the full analysis. `Figure.rule` says
which rule read a count: `right:<cue>` the cue follows it ("45 deaths", "were killed");
`left:<verb>` a verb governs it ("killed at least 18"); `noun:<noun>` a tally noun links to it
("the death toll rose to 45"); `shared` / `shared-forward` it takes a neighbour's category
(ellipsis, breakdowns, "that number fell to 66"). The suffix `~soft` marks "lost"/"losses" read
as killed_or_wounded; `~contrast` marks them read as killed because wounded are counted beside.
"""

from __future__ import annotations

from pipeline.figures.model import Figure
from pipeline.figures.sentence_figures import sentence_figures
from pipeline.figures.walk import _EARLIER_TALLY, CUE_STEMS, has_cue_lower, walk

# Read by tests and the explain modules as this module's names
__all__ = ["CUE_STEMS", "_EARLIER_TALLY", "find_figures", "has_cue_lower", "sentence_figures"]


def find_figures(
    text: str, lang: str = "en", *, aliases: dict[str, str] | None = None
) -> list[Figure]:
    """Return the figures `text` states, in text order, exact repeats removed.

    Never raises on any str input; returns [] when there is nothing to report. `lang` must be
    one of LANGUAGES (else UnknownLanguageError: the caller's mistake, permanent).

    The walk over the sentences is compiled (walk.py); this module stays interpreted and hands
    it `sentence_figures` and `has_cue_lower` as they are at the call, so tests can patch them.
    """
    return walk(text, lang, aliases, sentence_figures, has_cue_lower)
