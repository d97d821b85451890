"""Fixtures for the figure tests: a stand-in extractor, and the --update-golden switch.

`--update-golden` is registered here, so pass it with this directory on the command line
(`pytest tests/figures --update-golden`); FIGWATCH_UPDATE_GOLDEN=1 does the same from anywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest

import pipeline.figures
from pipeline.figures.model import Category, Figure, Qualifier

_STUB = re.compile(
    r"(?P<q>at least )?(?P<n>\d+) (?P<who>\w+ )?(?:were |was )?(?P<cat>killed|wounded|captured)"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/figures/golden/*.json from the extractor's current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    flag = bool(request.config.getoption("--update-golden", default=False))
    return flag or os.environ.get("FIGWATCH_UPDATE_GOLDEN") == "1"


def stub_find_figures(text: str, *, aliases: dict[str, str] | None = None) -> list[Figure]:
    """A naive extractor: "[at least] <n> [word] [were] killed|wounded|captured"."""
    out = []
    for m in _STUB.finditer(text):
        out.append(
            Figure(
                category=Category(m["cat"]),
                value=int(m["n"]),
                value_max=None,
                qualifier=Qualifier.AT_LEAST if m["q"] else Qualifier.EXACT,
                subject=m["who"].strip() if m["who"] else None,
                claimant=None,
                sentence=m.group(0),
                start=m.start(),
                end=m.end(),
                rule="stub",
            )
        )
    return out


@pytest.fixture
def stub_extractor(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[Figure]]:
    """Replace the `find_figures` seam with `stub_find_figures` for the test."""
    monkeypatch.setattr(pipeline.figures, "find_figures", stub_find_figures)
    return stub_find_figures
