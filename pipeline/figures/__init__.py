"""Figure extraction: `find_figures(text, lang="en") -> list[Figure]` is the one seam."""

from pipeline.figures.lang import LANGUAGES, UnknownLanguageError
from pipeline.figures.model import Category, Figure, Qualifier

__all__ = [
    "LANGUAGES", "Category", "Figure", "Qualifier", "UnknownLanguageError", "find_figures",
]  # fmt: skip


def find_figures(
    text: str, lang: str = "en", *, aliases: dict[str, str] | None = None
) -> list[Figure]:
    """Return the figures `text` (written in language `lang`) states, in text order.

    Never raises on any str input; a `lang` the extractor has no rules for (see LANGUAGES) is
    an UnknownLanguageError, raised before the text is read.
    """
    from pipeline.figures.extract import find_figures as _find

    return _find(text, lang, aliases=aliases)
