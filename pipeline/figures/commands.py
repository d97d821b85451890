"""The `figwatch extract` and `figwatch eval` sub-commands.

`pipeline/cli.py` calls `register(subparsers)`, then `args.handler(args)` for
the exit code: 0 fine, 1 a soft failure (a bad batch line, a score under the
minimum), 2 the input cannot be used at all (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from pipeline import figures
from pipeline.figures.evaluate import GoldFormatError, format_report, load_gold, score
from pipeline.figures.model import Figure

FETCH_TIMEOUT_S = 15.0
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|p|br)\b", re.IGNORECASE)


class InputError(Exception):
    """The document cannot be read, fetched or parsed. Permanent for this invocation."""


def register(subparsers: Any) -> None:
    """Add the `extract` and `eval` sub-commands to an argparse sub-parser collection."""
    ext = subparsers.add_parser(
        "extract",
        help="print the figures found in a text or HTML document",
        description="Print the figures in a text or HTML document (FILE, URL or - for stdin).",
    )
    ext.add_argument("source", nargs="?", default="-", metavar="FILE|URL|-")
    out = ext.add_mutually_exclusive_group()
    out.add_argument(
        "--json", action="store_true", help="print JSON: the figures, or with --explain the why"
    )
    ext.add_argument(
        "--explain",
        action="store_true",
        help="for each figure the rule and words, subject and claimant and where they came from;"
        " for each silent count why it stayed silent",
    )
    out.add_argument(
        "--jsonl",
        action="store_true",
        help='batch: read {"id", "text"|"html"} lines (stdin or FILE), write {"id", "figures"}',
    )
    ext.add_argument("--selector", metavar="CSS", help="CSS selector of the article in HTML")
    ext.set_defaults(handler=run_extract)

    ev = subparsers.add_parser(
        "eval",
        help="score the extractor against gold JSON Lines",
        description="Score the extractor against gold JSON Lines files (spec/figures.md).",
    )
    ev.add_argument("gold", nargs="+", metavar="GOLD.jsonl")
    ev.add_argument("--json", action="store_true", help="print one JSON report per file")
    ev.add_argument(
        "--mistakes",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="list each mistake (default: yes)",
    )
    ev.add_argument(
        "--disagreements",
        action="store_true",
        help="list each matched figure whose subject or claimant disagrees with gold",
    )
    ev.add_argument("--min-precision", type=float, metavar="X", help="exit 1 if precision < X")
    ev.add_argument("--min-recall", type=float, metavar="Y", help="exit 1 if recall < Y")
    ev.set_defaults(handler=run_eval)


def _fail(command: str, message: str) -> int:
    print(f"figwatch {command}: {message}", file=sys.stderr)
    return 2


def _predict(text: str) -> list[Figure]:
    # Looked up on each call so that the seam can be replaced (tests, other extractors).
    return figures.find_figures(text)


# --- extract -----------------------------------------------------------------------------------


def looks_like_html(content: str, *, name: str = "", content_type: str = "") -> bool:
    """True when the document is HTML by its content type, its file suffix or its first tags."""
    if "html" in content_type.lower():
        return True
    if Path(name).suffix.lower() in _HTML_SUFFIXES:
        return True
    return bool(_HTML_SNIFF.search(content[:4096]))


def html_to_text(html: str, *, selector: str | None) -> str:
    """The article text of an HTML document. Raises InputError when it cannot be parsed."""
    try:
        from pipeline.text import article_text
    except Exception as exc:  # noqa: BLE001 - missing or broken: either way no HTML support
        raise InputError(f"HTML input needs pipeline.text, which is unavailable ({exc})") from None
    try:
        return article_text(html, selector=selector).text
    except Exception as exc:  # noqa: BLE001 - any parser failure is this input's problem
        raise InputError(f"cannot extract article text: {type(exc).__name__}: {exc}") from None


def read_document(source: str, *, stdin: TextIO) -> tuple[str, bool]:
    """Return (content, is_html) of a file path, an http(s) URL or "-" (stdin).

    Raises InputError when the file is missing or unreadable or the URL cannot be fetched.
    """
    if source == "-":
        content = stdin.read()
        return content, looks_like_html(content)
    if re.match(r"https?://", source, re.IGNORECASE):
        import httpx

        try:
            response = httpx.get(source, timeout=FETCH_TIMEOUT_S, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise InputError(f"cannot fetch {source}: {type(exc).__name__}: {exc}") from None
        if response.status_code >= 400:
            raise InputError(f"cannot fetch {source}: HTTP {response.status_code}")
        ctype = response.headers.get("content-type", "")
        return response.text, looks_like_html(response.text, content_type=ctype)
    path = Path(source)
    try:
        content = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise InputError(f"no such file: {source}") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
    return content, looks_like_html(content, name=path.name)


def format_figures(found: list[Figure]) -> str:
    """Readable lines: category, value, qualifier, subject, claimant; then the sentence."""
    if not found:
        return "no figures found"
    lines = []
    for f in found:
        value = f"{f.value}-{f.value_max}" if f.value_max is not None else str(f.value)
        lines.append(
            f"{f.category.value:<18} {value:>15}  {f.qualifier.value:<13}"
            f"  {f.subject or '-'}  (claimant: {f.claimant or '-'})"
        )
        lines.append(f"    \u201c{f.sentence}\u201d")
    return "\n".join(lines)


def run_extract(args: argparse.Namespace) -> int:
    """Handler of `figwatch extract`: prints figures; 2 on unusable input; 1 on a bad batch line."""
    if args.jsonl:
        if args.explain:
            return _fail("extract", "--explain reads one document; it does not take --jsonl")
        if args.source == "-":
            return run_batch(sys.stdin, sys.stdout, selector=args.selector, predict=_predict)
        try:
            batch = Path(args.source).open(encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as exc:
            return _fail("extract", f"cannot read {args.source}: {exc.strerror or exc}")
        with batch:
            return run_batch(batch, sys.stdout, selector=args.selector, predict=_predict)
    try:
        content, is_html = read_document(args.source, stdin=sys.stdin)
        text = html_to_text(content, selector=args.selector) if is_html else content
        explained = _explained(text, as_json=args.json) if args.explain else None
        found = _predict(text) if explained is None else []
    except InputError as exc:
        return _fail("extract", str(exc))
    except ImportError as exc:
        return _fail("extract", f"the extractor is unavailable ({exc})")
    except Exception as exc:  # noqa: BLE001 - a contract breach of find_figures; say it in one line
        return _fail("extract", f"the extractor failed: {type(exc).__name__}: {exc}")
    if explained is not None:
        print(explained)
    elif args.json:
        print(json.dumps([f.to_json() for f in found], ensure_ascii=False, indent=2))
    else:
        print(format_figures(found))
    return 0


def _explained(text: str, *, as_json: bool) -> str:
    """`extract --explain`: the explanation of `text`, as lines or as JSON."""
    from pipeline.figures.explain import explain, explanation_json, format_explanation

    whys = explain(text)
    if as_json:
        return json.dumps(explanation_json(whys), ensure_ascii=False, indent=2)
    return format_explanation(whys)


def _batch_line(line: str, *, selector: str | None, predict: Callable[[str], list[Figure]]) -> dict:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(raw, dict):
        return {"id": None, "error": "a line must be a JSON object"}
    rid = raw.get("id")
    text, html = raw.get("text"), raw.get("html")
    try:
        if isinstance(text, str):
            body = text
        elif isinstance(html, str):
            body = html_to_text(html, selector=selector)
        else:
            return {"id": rid, "error": 'needs a string "text" or "html"'}
        found = predict(body)
    except InputError as exc:
        return {"id": rid, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one bad line must not stop the batch
        return {"id": rid, "error": f"extractor failed: {type(exc).__name__}"}
    return {"id": rid, "figures": [f.to_json() for f in found]}


def run_batch(
    stdin: TextIO,
    stdout: TextIO,
    *,
    selector: str | None,
    predict: Callable[[str], list[Figure]],
) -> int:
    """Stream JSON Lines: one result line per non-blank input line, in order, flushed at once.

    Returns 1 if any line failed (its output line carries "error"), else 0.
    """
    failed = False
    for line in iter(stdin.readline, ""):
        if not line.strip():
            continue
        result = _batch_line(line, selector=selector, predict=predict)
        failed = failed or "error" in result
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        stdout.flush()
    return 1 if failed else 0


# --- eval --------------------------------------------------------------------------------------


def _report_names(paths: list[str]) -> list[str]:
    """Each gold file's name in the reports: its file name, with its folder when two files
    share a name ("holdout2/cases.jsonl", "holdout3/cases.jsonl")."""
    names = [Path(p).name for p in paths]
    return [
        f"{Path(p).parent.name}/{name}" if names.count(name) > 1 else name
        for p, name in zip(paths, names, strict=True)
    ]


def run_eval(args: argparse.Namespace) -> int:
    """Handler of `figwatch eval`: one report per gold file.

    Returns 2 if a file is unusable or the extractor cannot be imported, 1 if any report is
    under --min-precision/--min-recall or the extractor raised, else 0.
    """
    try:
        golds = [
            (name, load_gold(p))
            for name, p in zip(_report_names(args.gold), args.gold, strict=True)
        ]
    except GoldFormatError as exc:
        return _fail("eval", str(exc))
    try:
        _predict("")  # the extractor is imported lazily: fail once here, not on every record
    except ImportError as exc:
        return _fail("eval", f"the extractor is unavailable ({exc})")
    except Exception as exc:  # noqa: BLE001 - a broken rule file, say: one line, not per record
        return _fail("eval", f"the extractor failed: {type(exc).__name__}: {exc}")
    status = 0
    for name, records in golds:
        report = score(records, _predict, name=name)
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            print(format_report(report, mistakes=args.mistakes, disagreements=args.disagreements))
        below = []
        if args.min_precision is not None and report.precision < args.min_precision:
            below.append(f"precision {report.precision:.3f} < {args.min_precision}")
        if args.min_recall is not None and report.recall < args.min_recall:
            below.append(f"recall {report.recall:.3f} < {args.min_recall}")
        if report.errors:
            below.append(f"the extractor raised on {report.errors} record(s)")
        if below:
            print(f"figwatch eval: {name}: " + "; ".join(below), file=sys.stderr)
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    """Run only these two sub-commands (`python -m pipeline.figures.commands extract ...`)."""
    parser = argparse.ArgumentParser(prog="figwatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
