"""figwatch against urlwatch on N local pages (`python -m bench.scale N [--profile]`).

Pre-renders N pages from ../shared/data/pages, each with a sentence injected into its article
("At least K people were killed ..."), serves them from nginx on 127.0.0.1 (installed from
Debian's nginx-light when missing; else several `http.server` processes), and times three passes
of `figwatch check` and of urlwatch (the `bench` extra) over the same URLs: first sight,
unchanged, and every page changed (K moved). Prints seconds, sources/s and peak RSS of each,
the ratios, and how many of the injected changes figwatch recorded (counted from its database).
With --profile, the changed pass of figwatch (or with --profile-pass first, a first-sight pass
into a new database; unchanged, a pass over the pages as they are) runs under cProfile and its
top entries are shown.

Besides wall seconds, each pass shows the CPU seconds it took (user + system, its parsing
workers and threads included): on a machine shared with other work the wall ratios move with
the load, the CPU seconds much less. "main" is the CPU of the main process alone (the event
loop, fetching and the database writes), without its parsing workers: when it is close to the
wall seconds, the main process is what holds the pass back.

urlwatch (2.29) on a changed page calls difflib.get_close_matches(new, history) even with no
history kept (compared_versions unset); SequenceMatcher indexes every character of the new
page before it looks at the (empty) history, so its changed pass costs tens of ms of CPU per
page on pages of this size (about 230 KB). That is urlwatch's own cost on a changed page in
its default configuration, not something of this benchmark's making.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench import servicerun

PAGES = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pages").resolve()
PLAIN = "At least {k} people were killed in the fighting on Tuesday, officials said."
SENTENCE = f"<p>{PLAIN}</p>"
PASSES = ("first sight", "unchanged", "every page changed")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    cpu: float  # user + system seconds, with the children it waited for (parsing workers)
    load: float  # the machine's 1-minute load average as it started
    # The main process's own CPU seconds (its threads, not its children), from /proc, sampled
    # every 50 ms until it exits (so up to 50 ms short); None where /proc is missing.
    main_cpu: float | None = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)  # another process is starting to listen
    raise SystemExit(f"bench: nothing listens on port {port}")


def _templates() -> list[tuple[str, str]]:
    """(name, html with a {slot}) per real page: the slot right before an article paragraph
    (or, for a page whose article is its JSON-LD, at the start of its articleBody), checked to
    come out in the article text. The slot is `SENTENCE` or `PLAIN`, with a {k}."""
    from pipeline.text import article_text

    def works(template: str) -> bool:
        page = template.replace("{slot}", SENTENCE).replace("{plain}", PLAIN).replace("{k}", "7")
        return "At least 7 people were killed" in article_text(page).text

    out = []
    for path in sorted(PAGES.glob("*.html")):
        html = path.read_text(encoding="utf-8", errors="replace")
        start = 0
        while (at := html.find("<p", start)) >= 0:
            start = at + 2
            if html[at + 2 : at + 3] in (">", " ") and works(html[:at] + "{slot}" + html[at:]):
                out.append((path.stem, html[:at] + "{slot}" + html[at:]))
                break
        else:
            key = '"articleBody":"'
            at = html.find(key) + len(key)
            if at >= len(key) and works(html[:at] + "{plain} " + html[at:]):
                out.append((path.stem, html[:at] + "{plain} " + html[at:]))
            else:
                print(f"bench: no place for the sentence in {path.name}; skipped", file=sys.stderr)
    return out


def _render(site: Path, n: int, templates: list[tuple[str, str]], shift: int) -> list[str]:
    names = []
    stamp = time.time() + shift * 10  # a later mtime: nginx's ETag and Last-Modified change
    for i in range(n):
        stem, template = templates[i % len(templates)]
        name = f"{i:05d}-{stem}.html"
        k = str(_value(i, shift))
        body = template.replace("{slot}", SENTENCE).replace("{plain}", PLAIN).replace("{k}", k)
        (site / name).write_text(body, encoding="utf-8")
        os.utime(site / name, (stamp, stamp))
        names.append(name)
    return names


def _value(i: int, shift: int) -> int:
    return 101 + i % 400 + 400 * shift


def _ensure_nginx() -> str | None:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    print("bench: installing nginx-light ...", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "nginx-light"],
        check=False,
        env=env,
        capture_output=True,
    )
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def _serve(stack: ExitStack, site: Path, tmp: Path) -> tuple[int, str]:
    port = _free_port()
    nginx = _ensure_nginx()
    if nginx:
        conf = tmp / "nginx.conf"
        conf.write_text(
            f"""worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 4096; }}
http {{
  access_log off;
  default_type text/html;
  keepalive_requests 100000;
  client_body_temp_path {tmp}/body;
  server {{ listen 127.0.0.1:{port}; root {site}; }}
}}
"""
        )
        proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"])
        stack.callback(_stop, proc)
        _wait_listening(port)
        return port, "nginx"
    # No nginx: several http.server processes behind one port is not possible without a proxy,
    # so one per core, and sources spread over them.
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    stack.callback(_stop, proc)
    _wait_listening(port)
    return port, "http.server"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _timed(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a command to its end; its wall time and its own peak RSS (from wait4)."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    main_cpu: list[float | None] = [None]
    sampler = threading.Thread(target=_sample_own_cpu, args=(proc.pid, main_cpu), daemon=True)
    sampler.start()
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # figwatch check exits 1 when a source failed: counted below
        tail = err.decode(errors="replace").strip().splitlines()[-5:]
        raise SystemExit(f"bench: {argv[0]} failed ({proc.returncode}): " + " / ".join(tail))
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss / 1024, cpu, load, main_cpu[0])


def _sample_own_cpu(pid: int, out: list[float | None]) -> None:
    """Keep in out[0] the process's own user + system CPU seconds until it is gone."""
    ticks = os.sysconf("SC_CLK_TCK")
    stat = Path(f"/proc/{pid}/stat")
    while True:
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            return
        if fields[0] == "Z":  # exited, not yet waited for: its last figures stay
            return
        out[0] = (int(fields[11]) + int(fields[12])) / ticks
        time.sleep(0.05)


def _figwatch_config(tmp: Path, urls: list[str]) -> Path:
    lines = [f'database = "sqlite:///{tmp}/figwatch.db"', "", "[fetch]", "allow_private = true", ""]
    for i, url in enumerate(urls):
        lines += ["[[sources]]", f'name = "s{i:05d}"', f'url = "{url}"', ""]
    path = tmp / "figwatch.toml"
    path.write_text("\n".join(lines))
    return path


def _urlwatch_files(tmp: Path, urls: list[str]) -> list[str]:
    urls_file = tmp / "urls.yaml"
    urls_file.write_text("".join(f"---\nname: u{i}\nurl: {u}\n" for i, u in enumerate(urls)))
    config = tmp / "urlwatch.yaml"
    config.write_text(
        "display:\n  new: true\n  error: true\n  unchanged: false\n"
        "report:\n  text:\n    details: false\n    footer: false\n    minimal: true\n"
        "  stdout:\n    enabled: true\n    color: false\n"
        "  html:\n    diff: unified\n"
    )
    return [
        str(Path(sys.executable).parent / "urlwatch"), "--urls", str(urls_file),
        "--config", str(config), "--cache", str(tmp / "urlwatch.db"),
        "--hooks", str(tmp / "hooks.py"),
    ]  # fmt: skip


def _found(tmp: Path, n: int) -> tuple[int, int, int]:
    """From figwatch's database: sources whose changed pass recorded the injected new value,
    fetch errors, text errors."""
    with sqlite3.connect(tmp / "figwatch.db") as db:
        rows = db.execute(
            "SELECT s.name, c.new_value FROM change c JOIN source s ON s.id = c.source_id "
            "WHERE c.kind = 'changed' AND c.category = 'killed'"
        ).fetchall()
        errors = dict(
            db.execute(
                "SELECT error_kind = 'text', count(*) FROM fetch_log WHERE outcome = 'error' "
                "GROUP BY error_kind = 'text'"
            ).fetchall()
        )
    hits = {name for name, value in rows if value == _value(int(name[1:]), 1)}
    return len(hits), int(errors.get(0, 0)), int(errors.get(1, 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=1000, help="sources (%(default)s)")
    parser.add_argument("--no-urlwatch", action="store_true", help="time figwatch only")
    parser.add_argument("--profile", action="store_true", help="profile figwatch's changed pass")
    parser.add_argument(
        "--profile-pass",
        choices=("first", "unchanged", "changed"),
        default="changed",
        help="with --profile: the pass profiled (first: every page seen for the first time, "
        "into a new database; unchanged: every page as the last pass left it; default "
        "%(default)s)",
    )
    parser.add_argument(
        "--profile-out", type=Path, help="with --profile: keep the pstats file here"
    )
    parser.add_argument(
        "--run", type=float, metavar="SECONDS", help="then `figwatch run` for SECONDS"
    )
    parser.add_argument("--every", type=int, default=60, help="--run's interval (%(default)s s)")
    parser.add_argument("--only-run", action="store_true", help="skip the three timed passes")
    parser.add_argument("--workers", type=int, help="--run's [fetch] workers (default: its own)")
    args = parser.parse_args(argv)
    templates = _templates()
    if not templates:
        print(f"bench: no pages in {PAGES}", file=sys.stderr)
        return 2
    urlwatch = not args.no_urlwatch
    if urlwatch:
        try:
            import urlwatch as _urlwatch  # noqa: F401
        except ImportError:
            print("bench: urlwatch missing: pip install -e '.[bench]' (or --no-urlwatch)")
            return 2
    with tempfile.TemporaryDirectory() as name, ExitStack() as stack:
        tmp = Path(name)
        site = tmp / "site"
        site.mkdir()
        (tmp / "hooks.py").write_text("")
        names = _render(site, args.n, templates, 0)
        megabytes = sum((site / n).stat().st_size for n in names) / 1e6
        port, server = _serve(stack, site, tmp)
        urls = [f"http://127.0.0.1:{port}/{n}" for n in names]
        config = _figwatch_config(tmp, urls)
        uw = _urlwatch_files(tmp, urls)
        ok = True
        if not args.only_run:
            ok = _passes(args, tmp, site, templates, (megabytes, server), config, uw, urlwatch)
        if args.run:
            report = servicerun.measure(
                tmp, urls, seconds=args.run, every=args.every, workers=args.workers
            )
            print("\n".join(report))
    return 0 if ok else 1


def _passes(
    args: argparse.Namespace,
    tmp: Path,
    site: Path,
    templates: list[tuple[str, str]],
    about: tuple[float, str],
    config: Path,
    uw: list[str],
    urlwatch: bool,
) -> bool:
    """The three timed passes of figwatch and urlwatch, their report; whether all went well."""
    env = dict(os.environ, FIGWATCH_CONFIG=str(config))
    figwatch = [sys.executable, "-m", "pipeline.cli"]
    results: dict[str, list[Run]] = {"figwatch": [], "urlwatch": []}
    for label in PASSES:
        if label == "every page changed":
            _render(site, args.n, templates, 1)
        results["figwatch"].append(_timed(figwatch + ["-q", "check"], env))
        if urlwatch:
            results["urlwatch"].append(_timed(uw))
        print(f"bench: {label} pass done", file=sys.stderr)
    hits, fetch_errors, text_errors = _found(tmp, args.n)
    megabytes, server = about
    _report(args.n, megabytes, len(templates), server, results, hits, fetch_errors, text_errors)
    if args.profile:
        # Once more under cProfile, with every stage run in this thread (parse and database
        # work included) so the profile sees them; not timed. Changed: every page changed
        # again. First: the same pages into a new, empty database.
        prof = tmp / f"{args.profile_pass}.prof"
        if args.profile_pass == "first":
            text = config.read_text().replace("/figwatch.db", "/first-profile.db", 1)
            config = tmp / "first-profile.toml"
            config.write_text(text)
        elif args.profile_pass == "changed":
            _render(site, args.n, templates, 2)
        _profile_inline(config, prof)
        _print_profile(prof, args.profile_pass)
        if args.profile_out:
            shutil.copyfile(prof, args.profile_out)
    return hits == args.n and not fetch_errors and not text_errors


def _report(
    n: int,
    megabytes: float,
    distinct: int,
    server: str,
    results: dict[str, list[Run]],
    hits: int,
    fetch_errors: int,
    text_errors: int,
) -> None:
    print(
        f"{n} sources, {megabytes:.1f} MB of HTML ({distinct} distinct real pages), "
        f"served by {server} on loopback, {os.cpu_count()} cores"
    )
    print(f"{'pass':<20} {'tool':<9} {'s':>8} {'sources/s':>10} {'peak MB':>8} {'cpu s':>7} "
          f"{'main':>5} {'load':>5} {'uw/fw':>6} {'cpu uw/fw':>9}")  # fmt: skip
    for i, label in enumerate(PASSES):
        fw = results["figwatch"][i]
        uw = results["urlwatch"][i] if results["urlwatch"] else None
        ratio = f"{uw.seconds / fw.seconds:>6.2f} {uw.cpu / fw.cpu:>9.2f}" if uw else ""
        print(f"{label:<20} {'figwatch':<9} {fw.seconds:>8.1f} {n / fw.seconds:>10.1f} "
              f"{fw.peak_mb:>8.0f} {fw.cpu:>7.1f} {_main(fw)} {fw.load:>5.1f} {ratio}")  # fmt: skip
        if uw:
            print(f"{'':<20} {'urlwatch':<9} {uw.seconds:>8.1f} {n / uw.seconds:>10.1f} "
                  f"{uw.peak_mb:>8.0f} {uw.cpu:>7.1f} {_main(uw)} {uw.load:>5.1f}")  # fmt: skip
    print(
        f"figwatch recorded {hits} of {n} injected changes; "
        f"{fetch_errors} fetch errors, {text_errors} text errors"
    )


def _main(run: Run) -> str:
    return f"{run.main_cpu:>5.1f}" if run.main_cpu is not None else f"{'-':>5}"


class _Inline(ThreadPoolExecutor):
    """Runs what it is given at once, in the caller's thread."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: Future[object] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as e:  # noqa: BLE001 - handed to the awaiting caller
            future.set_exception(e)
        return future


def _profile_inline(config_path: Path, out: Path) -> None:
    from pipeline.config import load_config
    from pipeline.service import open_app

    config = load_config(config_path, env=os.environ)

    async def go() -> None:
        asyncio.get_running_loop().set_default_executor(_Inline())
        async with open_app(config) as app:
            app.runner._cpu = app.runner._db = _Inline()
            profiler = cProfile.Profile()
            profiler.enable()
            await app.runner.check_all(app.jobs())
            profiler.disable()
            profiler.dump_stats(out)

    asyncio.run(go())


def _print_profile(path: Path, label: str) -> None:
    stats = pstats.Stats(str(path))
    total = stats.total_tt  # type: ignore[attr-defined]
    entries = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)  # type: ignore[attr-defined]
    wanted = ("article", "_paragraphs", "find_figures", "_record_version", "fetch", "iterwalk")
    print(
        f"profile of figwatch's {label} pass (all stages in one thread, {total:.1f} s), own time:"
    )
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in entries[:10]:
        where = f"{Path(file).name}:{line}" if file != "~" else "built-in"
        print(f"  {tt / total:6.1%}  {tt:7.2f}s  (cumulative {ct:6.2f}s)  {func} ({where})")
    print("cumulative, for the stages:")
    for (file, line, func), (_cc, _nc, _tt, ct, _callers) in sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda kv: kv[1][3],
        reverse=True,
    ):
        if func in wanted and file != "~":
            print(f"  {ct / total:6.1%}  {ct:7.2f}s  {func} ({Path(file).name}:{line})")


if __name__ == "__main__":
    sys.exit(main())
