"""Progress bars for long commands (`check` over many sources, `report`): on a terminal only.

`progress(total=..., desc=...)` is a tqdm bar on stderr when stderr is a terminal, and a bar that
draws nothing otherwise (a pipe, a log file, cron, the service), so output stays clean.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from tqdm import tqdm


def progress(*, total: int, desc: str, unit: str = "it", stream: TextIO | None = None) -> tqdm[Any]:
    """A progress bar to `update(n)` and close (it is a context manager); silent off a terminal."""
    out = stream if stream is not None else sys.stderr
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        file=out,
        disable=not _is_terminal(out),
        leave=False,
    )


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
