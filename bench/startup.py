"""Start-up of a one-shot command (`python -m bench.startup [RUNS]`).

Times `figwatch extract` on one sentence, RUNS times (10), each a new process, and prints the
fastest, the median and the slowest wall time, and the heaviest imports of one run
(`python -X importtime`), so a module that slows every command shows by name.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = "At least 7 people were killed on Tuesday, officials said.\n"


def _once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _heaviest(argv: list[str], top: int) -> list[tuple[int, str]]:
    """The `top` imports with the most time of their own (µs), from one run."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv[1:]], capture_output=True, text=True, check=True
    )
    own = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            own.append((int(parts[0]), parts[2].strip()))
    return sorted(own, reverse=True)[:top]


def _runs(text: str) -> int:
    runs = int(text)
    if runs < 1:
        raise ValueError(text)
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.startup", description=__doc__.splitlines()[0]
    )
    parser.add_argument("runs", nargs="?", type=_runs, default=10, help="processes timed (10)")
    runs: int = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.txt"
        path.write_text(SENTENCE)
        argv = [sys.executable, "-m", "pipeline.cli", "extract", str(path)]
        _once(argv)  # warm the file cache
        times = sorted(_once(argv) for _ in range(runs))
        heavy = _heaviest(argv, 8)
    print(
        f"figwatch extract, one sentence, {runs} runs: fastest {times[0]:.3f} s, "
        f"median {statistics.median(times):.3f} s, slowest {times[-1]:.3f} s"
    )
    print("heaviest imports of one run (own time):")
    for micros, name in heavy:
        print(f"  {micros / 1000:7.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
