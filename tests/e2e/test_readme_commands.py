"""Every command line the README shows runs as shown (or is listed here with why it is not run).

The README's command lines are read from its `sh` code blocks and its inline code; each must be
in RUNS or NOT_RUN below, and each of those must still be in the README. Those in RUNS are run
as real processes, in a directory holding a `figwatch.toml` that watches a news page on loopback
and alerts a real SMTP server and webhook receiver there.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.demo.sinks import SmtpSink, WebhookSink
from tests.e2e.news import page
from tests.e2e.test_pipeline import INTRO, SECRET, toll
from tests.e2e.test_processes import write_config
from tests.servers import LoopbackServer

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
FIGWATCH = Path(sys.executable).parent / "figwatch"

# The README's command line -> the argument lists (after `figwatch`) that stand for it. A synopsis
# (`[--source NAME]`) stands for each of its forms.
RUNS: dict[str, list[list[str]]] = {
    "figwatch check [--source NAME]": [["check"], ["check", "--source", "marden"]],
    "figwatch check": [["check"]],
    "figwatch reprocess [--source NAME] [--dry-run] [--alert]": [
        ["reprocess", "--dry-run"],
        ["reprocess", "--source", "marden"],
        ["reprocess", "--alert"],
    ],
    "figwatch --config figwatch.toml check": [["--config", "figwatch.toml", "check"]],
    "figwatch check --config figwatch.toml": [["check", "--config", "figwatch.toml"]],
    "figwatch extract [FILE\\|URL\\|-] [--json]": [
        ["extract", "article.html"],
        ["extract", "{url}"],
        ["extract", "-"],
        ["extract", "article.html", "--json"],
    ],
    "figwatch extract --jsonl": [["extract", "--jsonl"]],
    "figwatch extract --explain [FILE\\|URL\\|-] [--json]": [
        ["extract", "--explain", "article.html"],
        ["extract", "--explain", "-"],
        ["extract", "--explain", "article.html", "--json"],
    ],
    "figwatch eval GOLD.jsonl ...": [["eval", "gold.jsonl", "gold.jsonl"]],
    "figwatch eval GOLD.jsonl": [["eval", "gold.jsonl"]],
    "figwatch history [--format table\\|json\\|csv] [--current] [filters]": [
        ["history"],
        ["history", "--format", "table"],
        ["history", "--format", "json"],
        ["history", "--format", "csv"],
        ["history", "--current"],
        ["history", "--format", "json", "--current"],
        ["history", "--category", "killed", "--source", "marden"],
    ],
    "figwatch sources": [["sources"]],
    "figwatch sources [--format table\\|json]": [
        ["sources", "--format", "table"],
        ["sources", "--format", "json"],
    ],
    "figwatch figures": [["figures"]],
    "figwatch figures --subject korean --since 2025-01-01": [
        ["figures", "--subject", "korean", "--since", "2025-01-01"]
    ],
    "figwatch figures [filters] [--format table\\|json\\|csv]": [
        ["figures", "--category", "killed", "--format", "json"],
        ["figures", "--format", "csv"],
    ],
    "figwatch report --html FILE [filters]": [
        ["report", "--html", "r.html", "--category", "killed"]
    ],
    "figwatch report --html report.html": [["report", "--html", "report.html"]],
    "figwatch history": [["history"]],
    "figwatch demo": [["demo"]],
    "figwatch --version": [["--version"]],
    "figwatch COMMAND --help": [
        [command, "--help"] for command in ("run", "check", "extract", "eval", "history", "demo")
    ],
    "figwatch run": [["run"]],
    "figwatch run --config figwatch.toml": [["run", "--config", "figwatch.toml"]],
    "figwatch alerts test NAME": [["alerts", "test", "desk-hook"]],
    "figwatch alerts log [--status pending\\|sent\\|dead] [--format table\\|json]": [
        ["alerts", "log"],
        ["alerts", "log", "--status", "dead", "--format", "json"],
    ],
    "figwatch alerts log --status dead": [["alerts", "log", "--status", "dead"]],
    "figwatch alerts retry [--dead] [ID...]": [["alerts", "retry", "--dead"]],
    "figwatch alerts retry --dead": [["alerts", "retry", "--dead"]],
}
# Shell lines, run by a shell (redirections, globs) in the directory the README means.
SHELL_RUNS = {
    "figwatch history --format csv > history.csv": "work",
    "figwatch history --category killed --claimant zelensky --format csv > killed.csv": "work",
    ".venv/bin/figwatch eval tests/figures/holdout*/cases.jsonl": "repo",
    ".venv/bin/figwatch eval ../shared/data/seed.jsonl ../shared/data/dev.jsonl "
    "../shared/data/wad.jsonl": "repo",
}
NOT_RUN = {
    "make demo": "installs into .venv; `figwatch demo` is run above",
    "make test": "runs this very suite",
    "make bench": "benchmarks are commands that print figures, never tests",
    "python -m bench.extract": "a benchmark",
    "python -m bench.extract_cg --ref 4686ac1": "a benchmark (builds the reference; minutes)",
    "python -m bench.text": "a benchmark",
    "python -m bench.pipeline": "a benchmark",
    "python -m bench.views": "a benchmark",
    "python -m bench.scale 1000": "a benchmark (minutes long, installs nginx when missing)",
    "python -m bench.startup": "a benchmark",
    "python -m bench.identity": "a measure; tests/figures/test_identity_edits.py runs its edits",
    "figwatch run --http 127.0.0.1:8080": "a fixed port; tests/e2e/test_status_process.py runs "
    "`figwatch run --http` on a free one",
    "pip install 'figwatch[brotli]'": "installs; the test extra includes brotli",
    "docker compose up": "no Docker engine here; tests/test_deploy.py checks its files",
    "python -m bench.cluster": "a benchmark",
    "docker compose -f docker-compose.cluster.yml up -d --build": "no Docker engine here; "
    "tests/test_deploy.py checks its files, tests/e2e/test_cluster.py runs three instances",
    "docker compose -f docker-compose.cluster.yml up -d --scale figwatch=5": "no Docker engine",
    "docker compose -f docker-compose.cluster.yml kill -s HUP figwatch": "no Docker engine",
    "pip install 'figwatch[postgres]'": "installs; CI installs the extra (make install)",
    "FIGWATCH_PURE_PYTHON=1 pip install -e .": "installs",
    "pip install": "installs",
    "chmod 600 figwatch.toml": "tests/pipeline/test_cli.py checks the warning it silences",
    "rm pipeline/figures/*.so": "would remove the compiled extractor this suite tests",
    "sqlite3 figwatch-demo.db": "interactive; tests/e2e/test_demo.py runs the README's queries",
    "figwatch alerts test desk-telegram": "a Telegram bot; `figwatch alerts test NAME` is run "
    "above against the loopback webhook",
}
# Run after `figwatch demo`, in the directory it left its database in.
AFTER_DEMO = re.compile(r"python -c \"import sqlite3, zlib; .*\"")

_COMMAND = re.compile(
    r"(\.venv/bin/)?(figwatch|make|docker|python|pip|sqlite3|rm|chmod) |FIGWATCH_\w+=\S* "
)


def readme_command_lines() -> set[str]:
    text = README.read_text(encoding="utf-8")
    lines = set()
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        lines |= {line.split("  #")[0].strip() for line in block.splitlines() if line.strip()}
    lines |= {span for span in re.findall(r"`([^`\n]+)`", text) if _COMMAND.match(span)}
    return lines


def test_every_readme_command_line_is_covered_and_still_shown() -> None:
    shown = readme_command_lines()
    listed = set(RUNS) | set(SHELL_RUNS) | set(NOT_RUN)
    after_demo = {line for line in shown if AFTER_DEMO.fullmatch(line)}
    assert len(after_demo) == 1
    assert shown - after_demo - listed == set(), "README command lines no test runs"
    assert listed - shown == set(), "listed here, no longer in the README"


@pytest.fixture
def workdir(
    tmp_path: Path, site: LoopbackServer, smtp: SmtpSink, hook: WebhookSink
) -> Iterator[Path]:
    """A directory with ./figwatch.toml (a loopback news page, both alert kinds), an article
    file and a gold file; the page states a toll."""
    config = write_config(
        tmp_path / "figwatch.toml", f"sqlite:///{tmp_path / 'figwatch.db'}", site, smtp, hook
    )
    config.write_text(config.read_text() + '\n[defaults]\njitter = "0s"\n', encoding="utf-8")
    config.chmod(0o600)
    html = page([INTRO, toll(12, 30)], updated="09:00")
    site.add("/news/marden", html)
    (tmp_path / "article.html").write_text(html, encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text(
        '{"id": "g1", "text": "At least 12 civilians were killed.", "figures": '
        '[{"category": "killed", "value": 12, "value_max": null, "qualifier": "at_least", '
        '"subject": "civilians", "claimant": null}]}\n',
        encoding="utf-8",
    )
    yield tmp_path


def _env(*, secrets: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FIGWATCH_CONFIG", "HOOK_SECRET")}
    return {**env, "HOOK_SECRET": SECRET} if secrets else env


def _figwatch(
    argv: list[str], cwd: Path, *, stdin: str = "", secrets: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FIGWATCH), *argv], cwd=cwd, input=stdin, capture_output=True, text=True,
        timeout=120, env=_env(secrets=secrets),
    )  # fmt: skip


def _serve(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Start the service, wait until it logs that it runs, stop it with SIGTERM."""
    proc = subprocess.Popen(
        [str(FIGWATCH), *argv], cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
        text=True, env=_env(secrets=True),
    )  # fmt: skip
    assert proc.stderr is not None
    log = []
    try:
        for line in proc.stderr:  # no clock: the service says when it is up
            log.append(line)
            if "figwatch running" in line:
                break
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, "".join(log) + (rest or "")


@pytest.mark.timeout(600)  # some 40 processes: slow on a loaded machine
def test_the_readme_command_lines_run(workdir: Path, site: LoopbackServer) -> None:
    url = site.url("/news/marden")
    for shown, variants in RUNS.items():
        for argv in variants:
            argv = [a.replace("{url}", url) for a in argv]
            if argv[0] == "run" and "--help" not in argv:
                code, log = _serve(argv, workdir)
                assert code == 0 and "figwatch stopped" in log, (shown, log)
                continue
            stdin = ""
            if argv[0] == "extract" and argv[-1] == "-":
                stdin = (workdir / "article.html").read_text()
            elif argv[:2] == ["extract", "--jsonl"]:
                stdin = '{"id": "a", "text": "At least 12 civilians were killed."}\n'
            # Reading the history needs no alert secret: run it without them.
            done = _figwatch(argv, workdir, stdin=stdin, secrets=argv[0] != "history")
            assert done.returncode == 0, (shown, argv, done.stdout, done.stderr)
            if argv[0] == "report":  # it writes its file, and says so on stderr
                assert (workdir / argv[2]).stat().st_size > 0 and argv[2] in done.stderr
            else:
                assert done.stdout.strip(), (shown, argv)
            assert "Traceback" not in done.stderr, (shown, argv, done.stderr)
    # What the demo leaves is read by the README's one-line Python.
    [line] = [line for line in readme_command_lines() if AFTER_DEMO.fullmatch(line)]
    done = subprocess.run(
        line.replace("python", shlex.quote(sys.executable), 1), shell=True, cwd=workdir,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and "killed" in done.stdout, done.stderr


@pytest.mark.parametrize("line", sorted(SHELL_RUNS))
def test_the_readme_shell_lines_run(line: str, workdir: Path) -> None:
    where = SHELL_RUNS[line]
    if where == "repo" and "../shared" in line and not (REPO / "../shared/data").is_dir():
        pytest.skip("../shared/data is missing beside the checkout")
    cwd = workdir if where == "work" else REPO
    if where == "work":
        assert _figwatch(["check"], cwd).returncode == 0
    command = line.replace(".venv/bin/figwatch", str(FIGWATCH), 1)
    if command.startswith("figwatch "):
        command = str(FIGWATCH) + command.removeprefix("figwatch")
    done = subprocess.run(
        command, shell=True, cwd=cwd, capture_output=True, text=True, timeout=300,
        env=_env(secrets=False), executable=shutil.which("bash"),
    )  # fmt: skip
    assert done.returncode == 0, (line, done.stdout[-2000:], done.stderr[-2000:])
    if ">" in line:
        out = (cwd / line.split(">")[1].strip()).read_text(encoding="utf-8")
        assert out.startswith("detected_at,source,url,kind"), out[:200]
