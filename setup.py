"""Build hook: compiles the per-sentence extractor modules with mypyc when this machine can.

Everything else about the package is in pyproject.toml. The modules to compile are listed once,
in pipeline/figures/compiled.py. Compiling makes `find_figures` about 1.5x faster (README,
"Extraction quality and speed"); the compiled modules are the same source, so without a C
compiler or the Python headers, or with FIGWATCH_PURE_PYTHON=1, the package installs as plain
Python and behaves the same.
"""

from __future__ import annotations

import os
import runpy
import shutil
import sys
import sysconfig
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
LISTING = HERE / "pipeline" / "figures" / "compiled.py"


def _why_not_compile() -> str | None:
    """The reason this build stays pure Python, or None when it can compile."""
    if os.environ.get("FIGWATCH_PURE_PYTHON", "").strip() not in ("", "0"):
        return "FIGWATCH_PURE_PYTHON is set"
    if sys.implementation.name != "cpython":
        return f"mypyc needs CPython, not {sys.implementation.name}"
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler}) on PATH"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "the Python headers (Python.h) are not installed"
    try:
        import mypyc.build  # noqa: F401 - a build requirement in pyproject.toml
    except ImportError:
        return "mypyc is not installed"
    return None


def _extensions() -> list[object]:
    reason = _why_not_compile()
    if reason is not None:
        print(f"figwatch: installing as pure Python ({reason})", file=sys.stderr)
        return []
    from mypyc.build import mypycify

    listing = runpy.run_path(str(LISTING))
    package_dir = Path(*listing["PACKAGE"].split("."))
    paths = [str(package_dir / f"{name}.py") for name in listing["COMPILED_MODULES"]]
    # One shared library for the group, named inside the package rather than by a hash at the top.
    return list(mypycify(paths, opt_level="3", group_name="pipeline.figures.native"))


setup(ext_modules=_extensions())
