"""Extraction speed against a reference build: `python -m bench.extract_cg --ref PATH_OR_COMMIT`.

Prints figures; no asserts. Two builds are measured in the same run: this checkout and a
reference one (a worktree path, or a commit, checked out into a worktree under /tmp and
installed there with `make install` the first time). Each build runs in its own Python (its own
.venv, so its own compiled extractor) over the same texts (../shared/data news, dev, wad).

- callgrind (default when valgrind is installed): the instructions of one steady pass of
  `find_figures` over every text, as the difference between a run of 2 passes and a run of 1
  (import, warm-up and regex compilation are in both, so they cancel). Instruction counts do
  not depend on what else the machine runs, so they compare builds on a busy machine.
- timing: passes timed in alternation (A, B, A, B, ...), best pass of each build, as MB/s of
  UTF-8 article text; both builds see the same background load.

`--profile N` also prints the N functions with the most inclusive instructions in each build's
2-pass run (callgrind_annotate), to see where a difference lies.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()
SETS = ("news", "dev", "wad")

# Runs inside each build's own Python: argv = data dir, passes, mode ("count" or "time").
_DRIVER = r"""
import json, sys, time
from pathlib import Path
from pipeline.figures import find_figures
data, passes, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
texts = []
for name in sys.argv[4:]:
    with (data / f"{name}.jsonl").open(encoding="utf-8") as fh:
        texts.extend(json.loads(line)["text"] for line in fh if line.strip())
find_figures("")
if mode == "count":
    for _ in range(passes):
        for t in texts:
            find_figures(t)
else:
    for t in texts:
        find_figures(t)  # warm-up
    for _ in range(passes):
        start = time.perf_counter()
        for t in texts:
            find_figures(t)
        print(time.perf_counter() - start, flush=True)
"""


class BuildError(Exception):
    """A build cannot be measured (no such path or commit, no .venv, install failed)."""


def resolve_build(spec: str) -> Path:
    """The root of the build `spec` names: a checkout with a .venv, or a commit of this repo
    (checked out and installed under the temp dir the first time)."""
    path = Path(spec).expanduser()
    if path.is_dir():
        root = path.resolve()
    else:
        rev = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"],
            capture_output=True,
            text=True,
        )
        if rev.returncode != 0:
            raise BuildError(f"{spec!r} is neither a directory nor a commit of {REPO}")
        sha = rev.stdout.strip()
        root = Path(tempfile.gettempdir()) / f"figwatch-ref-{sha[:12]}"
        if not root.is_dir():
            print(f"checking out {sha[:12]} into {root}", file=sys.stderr)
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", str(root), sha],
                check=True,
                capture_output=True,
            )
        if not (root / ".venv" / "bin" / "python").exists():
            print(f"installing {root} (make install)", file=sys.stderr)
            done = subprocess.run(["make", "-C", str(root), "install"], capture_output=True)
            if done.returncode != 0:
                raise BuildError(f"make install failed in {root}")
    if not (root / ".venv" / "bin" / "python").exists():
        raise BuildError(f"{root} has no .venv (run `make install` there)")
    return root


def _driver_cmd(root: Path, data: Path, passes: int, mode: str) -> list[str]:
    return [str(root / ".venv" / "bin" / "python"), "-c", _DRIVER, str(data), str(passes), mode]


def _run(cmd: list[str], root: Path) -> str:
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BuildError(f"{root}: the run failed ({tail})")
    return done.stdout


_TOTALS = re.compile(r"^(?:totals|summary):\s+(\d+)", re.MULTILINE)


def callgrind_instructions(root: Path, data: Path, passes: int, out: Path) -> int:
    """Instructions (Ir) of a whole run of `passes` passes under callgrind."""
    cmd = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        *_driver_cmd(root, data, passes, "count"),
        *SETS,
    ]
    _run(cmd, root)
    found = _TOTALS.search(out.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        raise BuildError(f"no instruction total in {out}")
    return int(found.group(1))


_ROW = re.compile(r"^\s*([\d,]+) \([^)]*\)\s+(\S+)")


def inclusive_costs(out: Path) -> dict[str, int]:
    """Inclusive instructions per function of a callgrind output file (callgrind_annotate). A
    function listed once per source file it inlines (CPy.h:f, object.h:f) counts by its
    largest entry, its own body."""
    done = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
        capture_output=True,
        text=True,
    )
    costs: dict[str, int] = {}
    for line in done.stdout.splitlines():
        row = _ROW.match(line)
        if row is not None:
            name = row.group(2).rsplit(":", 1)[-1]
            costs[name] = max(costs.get(name, 0), int(row.group(1).replace(",", "")))
    return costs


def steady_costs(one: Path, two: Path) -> dict[str, int]:
    """Per function, the instructions of one steady pass: its cost in the 2-pass run less its
    cost in the 1-pass run. Only the extractor's compiled functions (mypyc names them
    CPyDef_<module>___<function>) and the regular-expression engine's entry points."""
    a, b = inclusive_costs(one), inclusive_costs(two)
    keep = ("CPyDef_", "_sre_SRE_Pattern_", "_sre_SRE_Scanner_")
    return {
        name: cost - a.get(name, 0)
        for name, cost in b.items()
        if any(k in name for k in keep) and "__top_level__" not in name
    }


def corpus_bytes(data: Path) -> int:
    total = 0
    for name in SETS:
        with (data / f"{name}.jsonl").open(encoding="utf-8") as fh:
            total += sum(len(json.loads(line)["text"].encode()) for line in fh if line.strip())
    return total


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; 2 on a bad argument or a build that cannot run."""
    ap = argparse.ArgumentParser(prog="python -m bench.extract_cg", description=__doc__)
    ap.add_argument("--ref", required=True, help="reference build: worktree path or commit")
    ap.add_argument("--new", default=str(REPO), help="build measured (default: this checkout)")
    ap.add_argument("--mode", choices=("callgrind", "time", "both"), default="both")
    ap.add_argument("--rounds", type=int, default=5, help="timed passes per build (time mode)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="top N functions")
    ap.add_argument("--data", type=Path, default=DATA, help="the shared data directory")
    args = ap.parse_args(argv)
    try:
        builds = {"reference": resolve_build(args.ref), "this": resolve_build(args.new)}
        nbytes = corpus_bytes(args.data)
    except (BuildError, OSError, subprocess.CalledProcessError) as exc:
        print(f"bench.extract_cg: {exc}", file=sys.stderr)
        return 2
    print(f"corpus: {', '.join(SETS)} from {args.data}, {nbytes / 1e3:.1f} KB per pass")
    for label, root in builds.items():
        print(f"{label:<10} {root}")
    try:
        if args.mode in ("callgrind", "both"):
            if shutil.which("valgrind") is None:
                print("callgrind: skipped (valgrind not installed)")
            else:
                _callgrind(builds, args.data, nbytes, args.profile)
        if args.mode in ("time", "both"):
            _timing(builds, args.data, nbytes, args.rounds)
    except BuildError as exc:
        print(f"bench.extract_cg: {exc}", file=sys.stderr)
        return 2
    return 0


def _callgrind(builds: dict[str, Path], data: Path, nbytes: int, top: int) -> None:
    steady: dict[str, int] = {}
    profiles: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="figwatch-cg-") as tmp:
        for label, root in builds.items():
            one, two = Path(tmp) / f"{label}.1", Path(tmp) / f"{label}.2"
            run1 = callgrind_instructions(root, data, 1, one)
            run2 = callgrind_instructions(root, data, 2, two)
            steady[label] = run2 - run1
            print(
                f"callgrind  {label:<10} {steady[label] / 1e6:9.1f} M instructions per pass"
                f"  ({steady[label] / nbytes:7.1f} per byte; runs of 1 and 2 passes:"
                f" {run1 / 1e6:.0f} M, {run2 / 1e6:.0f} M)"
            )
            if top:
                if shutil.which("callgrind_annotate") is None:
                    print("callgrind  no profile: callgrind_annotate not found")
                    top = 0
                else:
                    profiles[label] = steady_costs(one, two)
    ratio = steady["this"] / steady["reference"]
    print(f"callgrind  this / reference: {ratio:.3f} (below 1: this build is faster)")
    if top:
        this, ref = profiles["this"], profiles["reference"]
        print(f"{'this M':>9} {'ref M':>9} {'diff M':>8}  function (inclusive, one steady pass)")
        names = sorted(set(this) | set(ref), key=lambda n: -max(this.get(n, 0), ref.get(n, 0)))
        for name in names[:top]:
            a, b = this.get(name, 0), ref.get(name, 0)
            print(f"{a / 1e6:9.1f} {b / 1e6:9.1f} {(a - b) / 1e6:+8.1f}  {name[:90]}")


def _timing(builds: dict[str, Path], data: Path, nbytes: int, rounds: int) -> None:
    best = {label: float("inf") for label in builds}
    pin: list[str] = []
    if hasattr(os, "sched_getaffinity") and shutil.which("taskset"):
        pin = ["taskset", "-c", str(min(os.sched_getaffinity(0)))]  # both builds on one core
    for _ in range(rounds):
        for label, root in builds.items():
            out = _run([*pin, *_driver_cmd(root, data, 1, "time"), *SETS], root)
            best[label] = min(best[label], float(out.split()[-1]))
    for label, seconds in best.items():
        rate = nbytes / 1e6 / seconds
        print(f"time       {label:<10} {rate:6.2f} MB/s  (best pass {seconds:.3f} s)")
    ratio = best["reference"] / best["this"]
    print(f"time       speed this / reference: {ratio:.3f} (above 1: this build is faster)")


if __name__ == "__main__":
    raise SystemExit(main())
