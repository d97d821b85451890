"""The extractor modules setup.py compiles with mypyc, and whether this install runs them compiled.

Compiling is an optimisation only: the compiled modules are built from these same sources, and
an install without a C compiler (or with FIGWATCH_PURE_PYTHON=1) runs them as plain Python.
setup.py reads COMPILED_MODULES from this file, so the list lives in one place; keep this module
free of imports outside the standard library for that reason.

`article` and `groups` (claimants across the article, subject rules) are compiled too: together
about 14M of 932M instructions per pass of `python -m bench.extract_cg`.

`walk` is the loop of `extract.find_figures` over the sentences; `extract` itself stays
interpreted (tests patch its `sentence_figures` and `has_cue_lower`, which it hands the walk at
each call). `model` is compiled for `Figure`'s own written-out `__init__` (the one @dataclass
generates would run interpreted); it pickles by its fields. Left interpreted on purpose:
`rightcues` (its gate subclasses frozenset, which mypyc cannot compile) and the commands,
evaluation and report modules (not on the hot path).
"""

from __future__ import annotations

import importlib
import importlib.machinery
from pathlib import Path

PACKAGE = "pipeline.figures"
COMPILED_MODULES = (
    "article",
    "blockers",
    "claimants",
    "claimkeys",
    "cueat",
    "cues",
    "gates",
    "grammar",
    "groups",
    "left",
    "model",
    "noncounts",
    "numbers",
    "qualifiers",
    "readings",
    "sentence_figures",
    "sentences",
    "subjects",
    "walk",
)
_EXTENSION_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def _loaded_file(name: str) -> str:
    module = importlib.import_module(f"{PACKAGE}.{name}")
    return module.__file__ or ""


def compiled_modules() -> list[str]:
    """The modules of COMPILED_MODULES that this process runs compiled."""
    return [n for n in COMPILED_MODULES if _loaded_file(n).endswith(_EXTENSION_SUFFIXES)]


def stale_modules() -> list[str]:
    """Compiled modules whose source was edited after they were built: the edit does not run
    until the package is built again (`make install`, or `pip install -e .`)."""
    # Found beside the package's own __init__.py: a compiled module's __file__ is not always
    # its real path (mypyc can join the package path twice), but its suffix is right.
    package_dir = Path(importlib.import_module(PACKAGE).__file__ or "").parent
    stale = []
    for name in compiled_modules():
        source = package_dir / f"{name}.py"
        built = [package_dir / f"{name}{suffix}" for suffix in _EXTENSION_SUFFIXES]
        times = [b.stat().st_mtime for b in built if b.is_file()]
        if source.is_file() and times and source.stat().st_mtime > max(times):
            stale.append(name)
    return stale


def describe() -> str:
    """One line for benchmarks and reports: how this install runs the extractor."""
    done = compiled_modules()
    if not done:
        return "extractor: pure Python (not compiled; see setup.py)"
    stale = stale_modules()
    note = f"; STALE, rebuild: {', '.join(stale)}" if stale else ""
    return f"extractor: {len(done)} of {len(COMPILED_MODULES)} modules compiled with mypyc{note}"
