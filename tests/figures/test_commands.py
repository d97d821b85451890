"""`figwatch extract` and `figwatch eval` through `register`, on a fresh argparse parser.

The extractor is the naive stand-in from conftest (`stub_extractor`), so these tests pin the
command behaviour, not extraction quality. HTML goes through a stand-in `pipeline.text` too,
except in the one test that uses the real module when it is there.
"""

from __future__ import annotations

import argparse
import io
import json
import select
import shutil
import socket
import subprocess
import sys
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import pipeline.figures as figures_pkg
from pipeline.figures.commands import looks_like_html, register

ARTICLE = "Police said at least 14 people were killed and 30 wounded in the blast on Friday."
HTML = (
    "<!DOCTYPE html><html><head><title>Blast</title></head><body>"
    "<nav>Menu: 99 killed in old story</nav>"
    f"<article><p>{ARTICLE}</p></article></body></html>"
)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="figwatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


@dataclass(frozen=True, slots=True)
class _Article:
    title: str
    text: str


@pytest.fixture
def fake_text(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """A stand-in `pipeline.text`: the <article> element's text; records the selectors used."""
    seen: list[str | None] = []

    def article_text(html: str, selector: str | None = None) -> _Article:
        seen.append(selector)
        if "<article>" not in html:
            raise ValueError("no article")
        body = html.split("<article>", 1)[1].split("</article>", 1)[0]
        return _Article("", body.replace("<p>", "").replace("</p>", "\n"))

    module = types.ModuleType("pipeline.text")
    module.article_text = article_text  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pipeline.text", module)
    return seen


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/article.html":
            body, ctype, status = HTML.encode(), "text/html; charset=utf-8", 200
        elif self.path == "/plain":
            body, ctype, status = ARTICLE.encode(), "text/plain; charset=utf-8", 200
        else:
            body, ctype, status = b"gone", "text/plain", 404
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- extract -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("stub_extractor")
def test_extract_text_file_prints_readable_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "article.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    assert run(["extract", str(doc)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["killed", "14", "at_least", "people", "(claimant:", "-)"]
    assert out[1].strip() == "\u201cat least 14 people were killed\u201d"
    assert out[2].split()[:3] == ["wounded", "30", "exact"]


@pytest.mark.usefixtures("stub_extractor")
def test_extract_json_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(ARTICLE))
    assert run(["extract", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(f["category"], f["value"], f["qualifier"]) for f in data] == [
        ("killed", 14, "at_least"),
        ("wounded", 30, "exact"),
    ]
    assert {"value_max", "subject", "claimant", "sentence"} <= data[0].keys()


@pytest.mark.usefixtures("stub_extractor")
def test_extract_nothing_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "calm.txt"
    doc.write_text("The 92nd brigade held a parade on 12 May.", encoding="utf-8")
    assert run(["extract", str(doc)]) == 0
    assert capsys.readouterr().out.strip() == "no figures found"


@pytest.mark.usefixtures("stub_extractor")
def test_extract_html_file_goes_through_article_text(
    tmp_path: Path, fake_text: list[str | None], capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    assert run(["extract", "--json", "--selector", "article", str(page)]) == 0
    values = [f["value"] for f in json.loads(capsys.readouterr().out)]
    assert values == [14, 30]  # the 99 in the menu is not article text
    assert fake_text == ["article"]


@pytest.mark.usefixtures("stub_extractor", "fake_text")
def test_extract_url_html_and_plain(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["extract", "--json", f"{server}/article.html"]) == 0
    assert [f["value"] for f in json.loads(capsys.readouterr().out)] == [14, 30]
    assert run(["extract", "--json", f"{server}/plain"]) == 0
    assert [f["value"] for f in json.loads(capsys.readouterr().out)] == [14, 30]


@pytest.mark.usefixtures("stub_extractor")
def test_extract_errors_are_one_line_and_exit_2(
    tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:  # a loopback port with nobody listening
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    cases = {
        str(tmp_path / "absent.txt"): "no such file",
        str(tmp_path): "cannot read",
        f"{server}/missing": "HTTP 404",
        f"http://127.0.0.1:{dead_port}/x": "cannot fetch",
    }
    for source, message in cases.items():
        assert run(["extract", source]) == 2, source
        captured = capsys.readouterr()
        assert captured.out == ""
        err = captured.err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("figwatch extract: ") and message in err[0]


def test_extract_without_extractor_module_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pipeline.figures

    def missing(text: str, *, aliases: dict[str, str] | None = None) -> list:
        raise ModuleNotFoundError("No module named 'pipeline.figures.extract'")

    monkeypatch.setattr(pipeline.figures, "find_figures", missing)
    doc = tmp_path / "a.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    assert run(["extract", str(doc)]) == 2
    assert "extractor is unavailable" in capsys.readouterr().err


def test_real_article_text_when_available(
    stub_extractor: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pipeline.text", reason="pipeline.text is not written yet")
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    assert run(["extract", "--json", str(page)]) == 0
    values = [f["value"] for f in json.loads(capsys.readouterr().out)]
    assert 14 in values and 30 in values


def test_looks_like_html() -> None:
    assert looks_like_html("<!doctype html><p>x</p>")
    assert looks_like_html("plain", name="page.HTM")
    assert looks_like_html("plain", content_type="text/html; charset=utf-8")
    assert not looks_like_html("Scores < 5 and > 2 were wounded.", name="a.txt")


# --- extract --jsonl ---------------------------------------------------------------------------


@pytest.mark.usefixtures("stub_extractor", "fake_text")
def test_batch_streams_in_order_and_reports_bad_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"id": "t1", "text": ARTICLE}),
        "{broken",
        "",
        json.dumps({"id": 7, "html": HTML}),
        json.dumps({"id": "t3"}),
        json.dumps({"id": "t4", "html": "<html><body>no article here</body></html>"}),
        json.dumps({"id": "t5", "text": "Quiet day."}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert run(["extract", "--jsonl"]) == 1
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["t1", None, 7, "t3", "t4", "t5"]
    assert [f["value"] for f in out[0]["figures"]] == [14, 30]
    assert "invalid JSON" in out[1]["error"]
    assert [f["value"] for f in out[2]["figures"]] == [14, 30]
    assert "text" in out[3]["error"] and "cannot extract article text" in out[4]["error"]
    assert out[5] == {"id": "t5", "figures": []}


@pytest.mark.usefixtures("stub_extractor")
def test_batch_all_good_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"id": "a", "text": ARTICLE})))
    assert run(["extract", "--jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "a"


@pytest.mark.usefixtures("stub_extractor")
def test_batch_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(json.dumps({"id": "f", "text": ARTICLE}) + "\n", encoding="utf-8")
    assert run(["extract", "--jsonl", str(batch)]) == 0
    assert len(json.loads(capsys.readouterr().out)["figures"]) == 2
    assert run(["extract", "--jsonl", str(tmp_path / "none.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_batch_writes_each_answer_before_reading_the_next_line() -> None:
    """Streaming: the answer to line 1 is flushed before line 2 is read."""
    from pipeline.figures.commands import run_batch

    class Out(io.StringIO):
        flushed: list[str]

        def flush(self) -> None:
            self.flushed.append(self.getvalue())

    out = Out()
    out.flushed = []
    reads: list[int] = []

    class In(io.StringIO):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            reads.append(len(out.flushed))
            return super().readline()

    src = In('{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n')
    assert run_batch(src, out, selector=None, predict=lambda _t: []) == 0
    assert reads == [0, 1, 2]
    assert out.flushed[0] == '{"id": 1, "figures": []}\n'


# --- eval --------------------------------------------------------------------------------------


def _gold(tmp_path: Path) -> Path:
    records = [
        {"id": "g1", "text": ARTICLE, "figures": [
            {"category": "killed", "value": 14, "value_max": None, "qualifier": "at_least"},
            {"category": "wounded", "value": 30, "value_max": None, "qualifier": "exact"},
        ]},
        {"id": "g2", "text": "Gunmen said 5 workers were captured, 2 police hurt.", "figures": [
            {"category": "captured", "value": 5, "value_max": None, "qualifier": "exact"},
            {"category": "wounded", "value": 2, "value_max": None, "qualifier": "exact"},
        ]},
    ]  # fmt: skip
    p = tmp_path / "mini.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return p


@pytest.mark.usefixtures("stub_extractor")
def test_eval_prints_report_and_mistakes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["eval", str(_gold(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("mini.jsonl: 2 records, 4 gold figures, 3 predicted")
    assert "precision 1.000  recall 0.750" in out
    assert "g2: missed: wounded 2 exact" in out
    assert "mistakes" not in run_out(["eval", "--no-mistakes", str(_gold(tmp_path))], capsys)


@pytest.mark.usefixtures("stub_extractor")
def test_eval_lists_subject_and_claimant_disagreements_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [
        {"id": "s1", "text": "Gunmen said 5 workers were captured.", "figures": [
            {"category": "captured", "value": 5, "value_max": None, "qualifier": "exact",
             "subject": "miners", "claimant": "Gunmen"},
        ]},
    ]  # fmt: skip
    p = tmp_path / "who.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    plain = run_out(["eval", str(p)], capsys)
    assert "subject 0.000 (0/1)" in plain and "disagreements" not in plain
    listed = run_out(["eval", "--disagreements", str(p)], capsys)
    assert "subject/claimant disagreements (2):" in listed
    assert "s1: subject: captured 5: gold 'miners', predicted 'workers'" in listed
    assert "s1: claimant: captured 5: gold 'Gunmen', predicted None" in listed


def run_out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    run(argv)
    return capsys.readouterr().out


@pytest.mark.usefixtures("stub_extractor")
def test_eval_json_per_file_and_thresholds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = str(_gold(tmp_path))
    assert run(["eval", "--json", gold, gold]) == 0
    reports = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(reports) == 2 and reports[0]["recall"] == 0.75
    assert run(["eval", "--min-precision", "0.9", "--min-recall", "0.7", gold]) == 0
    capsys.readouterr()
    assert run(["eval", "--min-recall", "0.8", gold]) == 1
    assert "recall 0.750 < 0.8" in capsys.readouterr().err


@pytest.mark.usefixtures("stub_extractor")
def test_eval_bad_inputs_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "t", "figures": []}\nnot json\n', encoding="utf-8")
    for path, message in ((tmp_path / "none.jsonl", "no such file"), (bad, "bad.jsonl:2")):
        assert run(["eval", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and message in captured.err
        assert len(captured.err.strip().splitlines()) == 1


# --- the installed console script ----------------------------------------------------------------


def test_console_script_extract(tmp_path: Path) -> None:
    exe = shutil.which("figwatch") or shutil.which(
        "figwatch", path=str(Path(sys.executable).parent)
    )
    if exe is None:
        pytest.skip("the figwatch console script is not installed")
    pytest.importorskip("pipeline.figures.extract", reason="the extractor is not written yet")
    doc = tmp_path / "a.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    done = subprocess.run(
        [exe, "extract", "--json", str(doc)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    found = {(f["category"], f["value"]) for f in json.loads(done.stdout)}
    assert {("killed", 14), ("wounded", 30)} <= found
    missing = subprocess.run(
        [exe, "extract", str(tmp_path / "absent.txt")], capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr and "no such file" in missing.stderr

    # --jsonl streams: the answer to line 1 arrives while stdin is still open.
    with subprocess.Popen(
        [exe, "extract", "--jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps({"id": "s1", "text": ARTICLE}) + "\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, "no answer to the first line while stdin stays open"
        assert json.loads(proc.stdout.readline())["id"] == "s1"
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0


def test_eval_names_files_apart_and_stops_once_on_a_broken_extractor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    record = '{"id": "a", "text": "Nine people were killed.", "figures": []}\n'
    for folder in ("first", "second"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "cases.jsonl").write_text(record, encoding="utf-8")
    paths = [str(tmp_path / f / "cases.jsonl") for f in ("first", "second")]
    monkeypatch.setattr(figures_pkg, "find_figures", lambda text, **kw: [])
    assert run(["eval", "--json", *paths]) == 0
    names = [json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()]
    assert names == ["first/cases.jsonl", "second/cases.jsonl"]

    def broken(text: str, **kw: object) -> list[object]:
        raise ValueError("cues.toml: rule 1: category must be one of killed, ...")

    monkeypatch.setattr(figures_pkg, "find_figures", broken)
    assert run(["eval", *paths]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "figwatch eval: the extractor failed: ValueError: cues.toml: rule 1: category must be one"
        " of killed, ..."
    ]
