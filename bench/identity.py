"""Identity stability on real text (`python -m bench.identity [FILE.jsonl ...] [-v]`).

Each passage that states a figure is edited the way desks edit stories, and the two versions
are diffed as `figwatch check` diffs them (`keyed` + `diff`). An edit that changes no figure must
raise no alert; the command counts, per kind of edit, the passages where one was raised anyway
(and with -v prints them). The edits:

- lead, tail: a paragraph that states no figure, added before or after the text;
- paragraphs: each sentence made a paragraph of its own;
- swap: the last two sentences trade places;
- cut: the first sentence that states no figure is removed;
- merge: two adjacent sentences that both state figures joined by a semicolon.

Reading order can change what a sentence means ("It lost 509" names the unit before it), so
swap, merge and cut are measures, not guarantees; the first three are held at zero by
tests/figures/test_identity_edits.py. Default files: news.jsonl and dev.jsonl of ../shared/data.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.diff import Known, diff, keyed
from pipeline.figures import find_figures
from pipeline.figures.sentences import split_sentences

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
LEAD = "Officials gave no further details on Tuesday evening."
TAIL = "The region has seen repeated unrest in recent years."

Edit = Callable[[str], str | None]  # the edited text, or None when the edit does not apply


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def lead(text: str) -> str:
    return f"{LEAD}\n\n{text}"


def tail(text: str) -> str:
    return f"{text}\n\n{TAIL}"


def paragraphs(text: str) -> str | None:
    sentences = _sentences(text)
    return "\n\n".join(sentences) if len(sentences) > 1 else None


def swap(text: str) -> str | None:
    sentences = _sentences(text)
    if len(sentences) < 2:
        return None
    return "\n\n".join([*sentences[:-2], sentences[-1], sentences[-2]])


def cut(text: str) -> str | None:
    figures = find_figures(text)
    spans = split_sentences(text)
    if len(spans) < 2:
        return None
    for start, end in spans:
        if not any(start <= f.start < end for f in figures):
            return text[:start] + text[end:]
    return None


def merge(text: str) -> str | None:
    figures = find_figures(text)
    spans = split_sentences(text)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
        first, second = text[s1:e1], text[s2:e2]
        stated = [any(s <= f.start < e for f in figures) for s, e in ((s1, e1), (s2, e2))]
        word = second.split(maxsplit=1)[0] if second.strip() else ""
        proper = word == "I" or word[1:] != word[1:].lower()  # "I", "UN", "McCain" stay as is
        if all(stated) and first.endswith(".") and word[:1].isupper() and not proper:
            joined = f"{first[:-1]}; {second[0].lower()}{second[1:]}"
            return text[:s1] + joined + text[e2:]
    return None


EDITS: dict[str, Edit] = {
    "lead": lead,
    "tail": tail,
    "paragraphs": paragraphs,
    "cut": cut,
    "swap": swap,
    "merge": merge,
}


def alerts(before: str, after: str) -> list[tuple[str, str, int]]:
    """(kind, key, value) of each change that `after` would alert against `before`."""
    known = {key: Known.stated(key, f) for key, f in keyed(find_figures(before)).items()}
    out = []
    for change in diff(known, keyed(find_figures(after))):
        if change.alerts:
            value = change.new.value if change.new is not None else change.old.value  # type: ignore[union-attr]
            out.append((change.kind, change.key, value))
    return out


def passages(paths: list[Path]) -> Iterator[tuple[str, str]]:
    """(id, text) of each record that states at least one figure."""
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    record = json.loads(line)
                    if find_figures(record["text"]):
                        yield str(record.get("id", "")), record["text"]


def spurious(
    paths: list[Path], edit: Edit
) -> tuple[int, list[tuple[str, list[tuple[str, str, int]]]]]:
    """How many passages the edit applies to, and those it made alert, with their alerts."""
    tried, wrong = 0, []
    for ident, text in passages(paths):
        edited = edit(text)
        if edited is None:
            continue
        tried += 1
        raised = alerts(text, edited)
        if raised:
            wrong.append((ident, raised))
    return tried, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.identity", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "files", nargs="*", type=Path, help="JSONL with {id, text} (default: news, dev)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print each spurious alert")
    args = parser.parse_args(argv)
    paths = args.files or [DATA / "news.jsonl", DATA / "dev.jsonl"]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    print(f"{'edit':<12}{'passages':>9}{'alerting':>9}{'share':>8}")
    for name, edit in EDITS.items():
        tried, wrong = spurious(paths, edit)
        print(f"{name:<12}{tried:>9}{len(wrong):>9}{len(wrong) / max(tried, 1):>8.1%}")
        if args.verbose:
            for ident, raised in wrong:
                print(f"    {ident}: {raised}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
