"""Progress bars for long commands (`check` over many sources, `report`): on a terminal only.

`progress(total=..., desc=...)` is a tqdm bar on stderr when stderr is a terminal, and a bar that
draws nothing otherwise (a pipe, a log file, cron, the service), so output stays clean. Off a
terminal tqdm is not even imported (it is about a tenth of `figwatch check`'s start-up).
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Protocol, TextIO, cast


class Bar(Protocol):
    """What a command does with its bar: count, and close it (a context manager)."""

    def update(self, n: float | None = 1) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Bar: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


class _Silent:
    """A bar that draws nothing."""

    def update(self, n: float | None = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _Silent:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        pass


def progress(*, total: int, desc: str, unit: str = "it", stream: TextIO | None = None) -> Bar:
    """A progress bar to `update(n)` and close (it is a context manager); silent off a terminal."""
    out = stream if stream is not None else sys.stderr
    if not _is_terminal(out):
        return _Silent()
    from tqdm import tqdm

    return cast(Bar, tqdm(total=total, desc=desc, unit=unit, file=out, leave=False))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
