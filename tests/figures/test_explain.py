"""`figwatch extract --explain`: each figure with the rule that fired (a named rule of
lang/en/cues.toml or a built-in reader's stable name) and the words it matched, where its
subject and claimant came from; each silent count with the reason it stayed silent; and
`explain` never changes the figures."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from pipeline.figures import find_figures
from pipeline.figures.commands import register
from pipeline.figures.cuerules import cue_rules
from pipeline.figures.explain import FigureWhy, explain, explanation_json, format_explanation
from pipeline.figures.groups import rules as group_rules

TEXT = (
    "Gunmen killed at least 12 villagers and abducted 20 others on Monday.\n"
    "The storm destroyed 300 homes in 2019.\n"
    "The army released 40 prisoners of war.\n"
    "The market has 40 stalls.\n"
    "If the missing are found dead, that makes 105 deaths.\n"
    "Officials said 7 people were hurt every day of the protests.\n"
)


def _reasons(text: str) -> dict[str, str]:
    return {q.number: q.reason for s in explain(text) for q in s.silent}


def _whys(text: str) -> list[FigureWhy]:
    return [w for s in explain(text) for w in s.figures]


def _why(text: str, count: str) -> FigureWhy:
    (found,) = [w for w in _whys(text) if w.count == count]
    return found


def _steps(steps: tuple[object, ...]) -> list[str]:
    return [s.rule for s in steps]  # type: ignore[attr-defined]


# --- the rule that fired ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sentence", "count"),
    [(r.name, sentence, count) for r in cue_rules("en") for sentence, count in r.examples],
)
def test_a_cue_rule_example_is_explained_by_that_rule(name: str, sentence: str, count: str) -> None:
    whys = [w for w in _whys(sentence) if count in w.count]
    assert [w.rule.name for w in whys] == [name]
    assert whys[0].rule.source == "lang/en/cues.toml"
    assert whys[0].rule.words and whys[0].rule.words.lower() in sentence.lower()


@pytest.mark.parametrize(
    ("name", "sentence", "count", "subject"),
    [(r.name, *example) for r in group_rules("en") for example in r.examples],
)
def test_a_subject_rule_example_names_that_rule(
    name: str, sentence: str, count: str, subject: str
) -> None:
    (why,) = [w for w in _whys(sentence) if count in w.count]
    assert why.figure.subject == subject
    assert why.subject[0].rule == f"group:{name}"
    assert why.subject[0].source == "lang/en/groups.toml"


@pytest.mark.parametrize(
    ("text", "count", "rule", "words"),
    [
        ("Gunmen killed at least 12 villagers on Monday.", "at least 12", "verb-before", "killed"),
        ("Officials counted 45 deaths after the quake.", "45", "cue-after", "deaths"),
        ("The death toll in the valley rose to 61.", "61", "tally-noun", "death toll"),
        ("Raiders seized 14 herders and shot them.", "14", "verb-before", "seized"),
    ],
)
def test_a_built_in_reader_has_a_stable_name(text: str, count: str, rule: str, words: str) -> None:
    why = [w for w in _whys(text) if w.count == count][0]
    assert (why.rule.name, why.rule.source, why.rule.words) == (rule, "built-in", words)


def test_counts_that_share_or_restate_a_category_name_how() -> None:
    whys = _whys("Raiders seized 14 herders and shot them.")
    assert [(w.figure.category.value, w.rule.name) for w in whys] == [
        ("captured", "verb-before"),
        ("killed", "then-killed"),
    ]
    text = "The toll climbed from 31 to 38 overnight."
    named = {w.count: (w.rule.name, w.rule.reads) for w in _whys(text)}
    assert named["31"][0] == "earlier-value" and named["31"][1].endswith("as '38' + 'toll'")
    assert named["38"][0] == "tally-noun"
    text = "Some 200 rebels and 150 soldiers died; 30 were wounded and 12 others."
    named = {w.count: (w.rule.name, w.rule.reads) for w in _whys(text)}
    assert named["Some 200"][0] == "shared-forward"
    assert named["Some 200"][1].endswith("as '150' + 'died'")
    assert named["12"][0] == "shared-back" and named["12"][1].endswith("as '30' + 'wounded'")


# --- breakdowns and continuing sentences ---------------------------------------------------------

BREAKDOWN = (
    "A mudslide buried the hamlet and killed 17 people, the district governor said.\n"
    "Of the dead, 11 were in the upper street and 6 in the lower street.\n"
    "Of them, 9 were nurses and 2 were teachers.\n"
)


def test_a_breakdown_names_its_opener_and_stays_out_of_the_silent_counts() -> None:
    (_, dead, them) = explain(BREAKDOWN)
    assert [(w.count, w.rule.name, w.rule.words) for w in dead.figures] == [
        ("11", "breakdown-opener", "Of the dead,"),
        ("6", "breakdown-opener", "Of the dead,"),
    ]
    assert dead.silent == ()
    assert [(w.figure.subject, _steps(w.subject)) for w in them.figures] == [
        ("nurses", ["breakdown-item"]),
        ("teachers", ["breakdown-item"]),
    ]
    assert {w.rule.name for w in them.figures} == {"breakdown-of-previous"}
    assert them.silent == ()


def test_a_breakdown_takes_the_claimant_of_the_figure_it_continues() -> None:
    (_, dead, _) = explain(BREAKDOWN)
    why = dead.figures[0]
    assert why.figure.claimant == "district governor"
    assert _steps(why.claimant) == ["of-figure-before"]
    assert _steps(why.subject) == ["unnamed-group"]  # "in the upper street" names no group


def test_a_subgroup_and_an_earlier_tally_continue_the_figure_before() -> None:
    text = (
        "Flooding left 23 people missing in the delta.\n"
        "They include 8 fishermen.\n"
        "The first count was 15.\n"
    )
    assert [(w.count, w.rule.name) for w in _whys(text)] == [
        ("23", "cue-after"),
        ("8", "subgroup-listed"),
        ("15", "earlier-tally"),
    ]


# --- claimants ----------------------------------------------------------------------------------

CLAIMS = (
    "Kestrel's interior ministry said 17 police officers were killed in the ambush.\n"
    "The ministry said 5 more were wounded.\n"
    "\n"
    "Harbour master Ana Brill said 8 sailors were missing. She said 3 were found dead.\n"
    "The relief agency said on Friday that its teams had reached the valley. "
    "Forty people were injured in the blast.\n"
    "The storm killed 52 people, said the mayor of Orlin, Tomas Vek.\n"
    "Eleven miners were trapped and 4 died, according to the mine operator.\n"
)


@pytest.mark.parametrize(
    ("count", "claimant", "steps"),
    [
        ("17", "Kestrel's interior ministry", ["speaker-before"]),
        ("5", "Kestrel's interior ministry", ["speaker-before", "named-in-full"]),
        ("3", "Harbour master Ana Brill", ["pronoun-antecedent"]),
        ("Forty", "relief agency", ["sentence-nearby"]),
        ("52", "Tomas Vek", ["speaker-after"]),
        ("4", "mine operator", ["according-to"]),
    ],
)
def test_each_claimant_says_where_it_came_from(count: str, claimant: str, steps: list[str]) -> None:
    why = _why(CLAIMS, count)
    assert (why.figure.claimant, _steps(why.claimant)) == (claimant, steps)


def test_a_claimant_resolved_from_an_earlier_sentence_shows_both_names() -> None:
    (said, resolved) = _why(CLAIMS, "5").claimant
    assert said.words == "ministry said"
    assert "“ministry” -> “Kestrel's interior ministry”" in resolved.words


def test_a_generic_claimant_resolves_to_the_organisation_named_before() -> None:
    text = (
        "Amnesty International updated its count on Monday.\n"
        "The watchdog said 14 detainees were killed in custody.\n"
    )
    why = _why(text, "14")
    assert why.figure.claimant == "Amnesty International"
    assert _steps(why.claimant) == ["speaker-before", "organisation-before"]
    assert why.claimant[0].words == "watchdog said"


def test_a_figure_nobody_claims_says_so() -> None:
    why = _why("Nine climbers died on the ridge.", "Nine")
    assert (why.figure.claimant, _steps(why.claimant)) == (None, ["none"])
    assert _steps(why.subject) == ["noun-phrase-after"]


# --- silent counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("The storm destroyed 300 homes in 2019.", "2019", "not a count"),
        ("The storm destroyed 300 homes in 2019.", "300", "counts things (homes)"),
        ("The army released 40 prisoners of war.", "40", "blocked by release-before: released"),
        ("The market has 40 stalls.", "40", "no category cue in the sentence"),
        ("If the missing are found dead, that makes 105 deaths.", "105", "a condition"),
        ("Officials said 7 people were hurt every day of the protests.", "7", "by rate: a rate"),
        ("Twelve people watched as the firefighters arrived.", "Twelve", "no category cue"),
        ("The pair said 30 colleagues joined the wounded veterans' march.", "30", "no category"),
        ("Three raiders executed a guard at the gate.", "Three", "counts who did it"),
        ("The court sentenced 14 men to death.", "14", "a sentence to death"),
        ("Modellers said 2,000 deaths were the worst-case scenario.", "2,000", "scenario"),
        ("Thirty pupils kidnapped last month were freed.", "Thirty", "blocked by release-after"),
        ("Officials said 5 miners were not hurt.", "5", "blocked by negation-after"),
        ("Engineers warned 300 people could be killed.", "300", "blocked by modal-after"),
        ("The court sentenced 14 men to death.", "14", "blocked by sentenced"),
    ],
)
def test_a_silent_count_says_why(text: str, number: str, reason: str) -> None:
    assert reason in _reasons(text)[number]


def test_a_repeated_figure_is_silent_as_a_repeat_of_the_first() -> None:
    text = "Quake kills 48 in hill towns.\nThe quake killed 48 people, rescuers said.\n"
    assert len(find_figures(text)) == 1
    assert _reasons(text)["48"] == "states again the killed figure of sentence 1 (kept once)"


# --- the whole, and the command -----------------------------------------------------------------


@pytest.mark.parametrize("text", [TEXT, BREAKDOWN, CLAIMS])
def test_explain_leaves_the_figures_as_find_figures_gives_them(text: str) -> None:
    assert [w.figure for w in _whys(text)] == find_figures(text)


def test_format_shows_rules_subjects_claimants_and_reasons() -> None:
    out = format_explanation(explain(TEXT + CLAIMS + "The search continued for 9 hikers.\n"))
    assert "figure  killed 12 at_least" in out
    assert "rule      verb-before  matched 'at least 12' + 'killed'" in out
    assert "rule      search-resumed-for  matched '9' + 'search continued for'" in out
    assert "(lang/en/cues.toml: a cue rule, before the count)" in out
    assert "claimant  Harbour master Ana Brill  <- pronoun-antecedent: “she” is" in out
    assert "silent  '40': blocked by release-before: released" in out
    assert format_explanation(explain("No numbers here.")) == "no numbers found"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="figwatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.handler(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_extract_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "article.txt"
    src.write_text(TEXT, encoding="utf-8")
    code, out, _ = _run(["extract", "--explain", str(src)], capsys)
    assert code == 0
    assert "rule      verb-before  matched '20' + 'abducted'" in out
    assert "silent  '300': blocked by not-people: it counts things (homes)" in out


def test_cli_extract_explain_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "article.txt"
    src.write_text(BREAKDOWN, encoding="utf-8")
    code, out, _ = _run(["extract", "--explain", "--json", str(src)], capsys)
    assert code == 0
    shown = json.loads(out)
    assert shown == explanation_json(explain(BREAKDOWN))
    first = shown[1]["figures"][0]
    assert (first["value"], first["count"], first["why"]["rule"]["rule"]) == (
        11,
        "11",
        "breakdown-opener",
    )
    assert first["why"]["claimant"][0]["rule"] == "of-figure-before"


def test_cli_explain_takes_one_document_not_a_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "batch.jsonl"
    src.write_text('{"id": 1, "text": "Two died."}\n', encoding="utf-8")
    code, out, err = _run(["extract", "--explain", "--jsonl", str(src)], capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "--explain" in err


README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_example_is_what_explain_prints() -> None:
    section = README.read_text(encoding="utf-8").split("### Why a figure was found", 1)[1]
    text, printed = section.split("```text\n")[1:3]
    assert format_explanation(explain(text.split("```")[0])) + "\n" == printed.split("```")[0]
