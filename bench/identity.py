"""Identity stability on real text (`python -m bench.identity [FILE.jsonl ...] [-v]`).

Each passage that states a figure is edited the way desks edit stories, and the two versions
are diffed as `figwatch check` diffs them (`keyed` + `diff`). An edit that changes no figure must
raise no alert; the command counts, per kind of edit, the passages where one was raised anyway
(and with -v prints them). The edits:

- lead, tail: a paragraph that states no figure, added before or after the text;
- paragraphs: each sentence made a paragraph of its own;
- swap: the last two sentences trade places;
- cut: the first sentence that states no figure is removed;
- merge: two adjacent sentences that both state figures joined by a semicolon;
- reword: words swapped for their synonyms as a desk rewording does ("injured" and "wounded",
  "were killed" and "died", "at least" and "no fewer than", "said" and "stated").

Reading order can change what a sentence means ("It lost 509" names the unit before it), so
swap, merge and cut are measures, not guarantees; the first three are held at zero by
tests/figures/test_identity_edits.py. Default files: news.jsonl and dev.jsonl of ../shared/data.

Then edits that do change figures, each with the alerts it should raise, scored as alert
precision (raised alerts that were expected) and recall (expected alerts that were raised):

- update: the first toll written in digits (stated once in its sentence) rises by about a
  tenth; one `changed` alert of that figure, to the new value, and no other;
- update-all: that number raised wherever the text writes it in digits (headline and body), as
  a desk updates a story; one `changed` alert for each figure of that value, no other;
- add: a paragraph of ours stating one new toll is added at the end; one `new` alert, no other;
- drop: the last sentence that states figures is removed (a passage of two sentences or more);
  a `removed` alert for each value it stated that the rest of the text no longer states, and
  no other alert.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.diff import Known, diff, keyed, same_toll
from pipeline.figures import Figure, find_figures
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


_SYNONYMS = {
    "injured": "wounded",
    "wounded": "injured",
    "were killed": "died",
    "at least": "no fewer than",
    "said": "stated",
}
_SYNONYM = re.compile(r"\b(?:" + "|".join(_SYNONYMS) + r")\b")


def reword(text: str) -> str | None:
    edited = _SYNONYM.sub(lambda m: _SYNONYMS[m.group()], text)
    return edited if edited != text else None


EDITS: dict[str, Edit] = {
    "lead": lead,
    "tail": tail,
    "paragraphs": paragraphs,
    "cut": cut,
    "swap": swap,
    "merge": merge,
    "reword": reword,
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


Alert = tuple[str, str, int]  # kind, category, value
# A changing edit: the edited text and the alerts it should raise, or None when it does not apply.
Change = Callable[[str], tuple[str, list[Alert]] | None]
# A value no passage of news.jsonl or dev.jsonl states: one equal to a toll of the text would be
# read as that toll restated (a count of "people" matches any group), which is no new figure.
ADDED = (
    "In a separate incident on Thursday, 613 miners were injured when a shaft flooded in Norvale."
)


def _digits(value: int, written: str) -> str:
    return f"{value:,}" if "," in written else str(value)


_DIGITS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,]\d)|(?<![\d,.])\d+(?![\d,.]\d)")


def _written(text: str, figure: Figure) -> re.Match[str] | None:
    """Where `figure`'s value is written in digits in its sentence, if just once."""
    found = [
        m
        for m in _DIGITS.finditer(text, figure.start, figure.end)
        if int(m.group().replace(",", "")) == figure.value
    ]
    return found[0] if len(found) == 1 else None


def _rise(text: str, *, everywhere: bool) -> tuple[str, list[Alert]] | None:
    """The first toll written in digits raised by about a tenth: in its first statement only, or
    wherever the text writes that number (headline and body, as a desk updates a story)."""
    figures = find_figures(text)
    for figure in figures:
        first = _written(text, figure)
        if figure.value_max is not None or figure.value < 2 or first is None:
            continue
        stated = {f.value for f in figures}
        risen = next(
            v for v in itertools.count(figure.value + max(1, figure.value // 10)) if v not in stated
        )  # not a value the text states already: that would read as a toll restated
        spots = [first]
        changed = [figure]
        if everywhere:
            spots = [
                m for m in _DIGITS.finditer(text) if int(m.group().replace(",", "")) == figure.value
            ]
            changed = [  # the figures of that value written in digits (ranges too), not "nine"
                f
                for f in figures
                if f.value == figure.value and any(f.start <= m.start() < f.end for m in spots)
            ]
        edited = text
        for m in reversed(spots):
            edited = edited[: m.start()] + _digits(risen, m.group()) + edited[m.end() :]
        return edited, [("changed", f.category.value, risen) for f in keyed(changed).values()]
    return None


def update(text: str) -> tuple[str, list[Alert]] | None:
    return _rise(text, everywhere=False)


def update_all(text: str) -> tuple[str, list[Alert]] | None:
    return _rise(text, everywhere=True)


def add(text: str) -> tuple[str, list[Alert]] | None:
    return f"{text}\n\n{ADDED}", [("new", "wounded", 613)]


def drop(text: str) -> tuple[str, list[Alert]] | None:
    figures = find_figures(text)
    spans = split_sentences(text)
    if len(spans) < 2:
        return None
    for start, end in reversed(spans):
        gone = keyed(f for f in figures if start <= f.start < end)
        if gone:
            edited = text[:start] + text[end:]
            left = keyed(find_figures(edited))
            expected = [
                ("removed", f.category.value, f.value)
                for key, f in gone.items()
                if not any(_restated(key, f, k, g) for k, g in left.items())
            ]
            return edited, expected
    return None


def _restated(key: str, figure: Figure, other_key: str, other: Figure) -> bool:
    """`other` states `figure`'s value as the same toll (pipeline.diff.same_toll)."""
    same = (figure.value, figure.value_max) == (other.value, other.value_max)
    return same and same_toll(key.split("#", 1)[0], other_key.split("#", 1)[0])


CHANGES: dict[str, Change] = {
    "update": update,
    "update-all": update_all,
    "add": add,
    "drop": drop,
}


def scored(
    paths: list[Path], change: Change
) -> tuple[int, int, int, int, list[tuple[str, list[Alert], list[Alert]]]]:
    """(passages tried, alerts raised, alerts expected, alerts both, the passages whose alerts
    were not exactly the expected ones with (expected, raised))."""
    tried = raised = expected = right = 0
    wrong = []
    for ident, text in passages(paths):
        edit = change(text)
        if edit is None:
            continue
        edited, want = edit
        tried += 1
        got = sorted(
            (kind, key.split("|", 1)[0], value) for kind, key, value in alerts(text, edited)
        )
        raised, expected = raised + len(got), expected + len(want)
        right += sum(min(got.count(a), want.count(a)) for a in set(want))
        if got != sorted(want):
            wrong.append((ident, sorted(want), got))
    return tried, raised, expected, right, wrong


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
        tried, alerting = spurious(paths, edit)
        print(f"{name:<12}{tried:>9}{len(alerting):>9}{len(alerting) / max(tried, 1):>8.1%}")
        if args.verbose:
            for ident, raised in alerting:
                print(f"    {ident}: {raised}")
    print(f"\n{'edit':<12}{'passages':>9}{'exact':>9}{'precision':>11}{'recall':>8}")
    for name, change in CHANGES.items():
        tried, count, expected, right, missed = scored(paths, change)
        exact = (tried - len(missed)) / max(tried, 1)
        precision, recall = right / max(count, 1), right / max(expected, 1)
        print(f"{name:<12}{tried:>9}{exact:>9.1%}{precision:>11.3f}{recall:>8.3f}")
        if args.verbose:
            for ident, want, got in missed:
                print(f"    {ident}: expected {want}, raised {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
