"""Figure extraction: `find_figures(text) -> list[Figure]` is the one seam."""

from pipeline.figures.model import Category, Figure, Qualifier

__all__ = ["Category", "Figure", "Qualifier", "find_figures"]


def find_figures(text: str, *, aliases: dict[str, str] | None = None) -> list[Figure]:
    """Return the figures `text` states, in text order. Never raises on any str input."""
    from pipeline.figures.extract import find_figures as _find

    return _find(text, aliases=aliases)
