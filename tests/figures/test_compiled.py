"""The compiled extractor (setup.py builds it with mypyc) finds what the plain sources find.

Compiling must only change speed. The plain sources are copied, without any built module, to a
temporary directory and run in a subprocess; both runs read the same texts: the golden articles,
the blind held-out sets and, when present, ../shared (each text and its own figures compared).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.figures import find_figures
from pipeline.figures.compiled import COMPILED_MODULES, compiled_modules

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

_PLAIN_RUN = """
import json, sys
from pipeline.figures import find_figures
from pipeline.figures.compiled import compiled_modules
import pipeline.figures.numbers as numbers
assert not compiled_modules() and numbers.__file__.endswith(".py"), numbers.__file__
texts = json.load(sys.stdin)
json.dump([[f.to_json() for f in find_figures(t)] for t in texts], sys.stdout)
"""


def _texts(shared: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((HERE / "golden").glob("*.txt"))]
    files = sorted(HERE.glob("holdout*/cases.jsonl")) + sorted((shared / "data").glob("*.jsonl"))
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        texts.extend(json.loads(line)["text"] for line in lines if line.strip())
    seed = shared / "seed" / "article.txt"
    if seed.is_file():
        texts.append(seed.read_text(encoding="utf-8"))
    return texts


def test_compiled_and_plain_sources_find_the_same_figures(tmp_path: Path) -> None:
    if not compiled_modules():
        pytest.skip("this install runs the extractor as plain Python: nothing to compare")
    assert compiled_modules() == list(COMPILED_MODULES)
    shutil.copytree(
        REPO / "pipeline",
        tmp_path / "pipeline",
        ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"),
    )
    texts = _texts((REPO / ".." / "shared").resolve())
    assert len(texts) > 500
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", _PLAIN_RUN],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    plain = json.loads(run.stdout)
    compiled = [[f.to_json() for f in find_figures(t)] for t in texts]
    differ = [(t[:120], p, c) for t, p, c in zip(texts, plain, compiled, strict=True) if p != c]
    assert not differ, differ[:3]
    assert sum(map(len, compiled)) > 500  # the texts do state figures
