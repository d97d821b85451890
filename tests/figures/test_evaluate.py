"""The scorer on hand-made gold records, with predictions chosen per text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.figures.evaluate import (
    GoldFigure,
    GoldFormatError,
    GoldRecord,
    format_report,
    load_gold,
    locate_sentence,
    loose_match,
    score,
)
from pipeline.figures.model import Category, Figure, Qualifier

K, W, KW, C = Category.KILLED, Category.WOUNDED, Category.KILLED_OR_WOUNDED, Category.CAPTURED
EX, AL, MT = Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.MORE_THAN

TEXT_A = "Officials said at least 40 villagers were killed and 75 hurt. Two boats were lost."
TEXT_B = "The rebels said they had captured 12 border guards, the ministry said 9."
TEXT_C = "Nobody was hurt when the 3 trucks collided."


def fig(
    cat: Category, value: int, qual: Qualifier = EX, *, vmax: int | None = None, **kw
) -> Figure:
    return Figure(
        category=cat,
        value=value,
        value_max=vmax,
        qualifier=qual,
        subject=kw.get("subject"),
        claimant=kw.get("claimant"),
        sentence=kw.get("sentence", f"sentence with {value}"),
        start=0,
        end=1,
        rule="test",
    )


def gold(cat: Category, value: int, qual: Qualifier = EX, **kw) -> GoldFigure:
    return GoldFigure(cat, value, kw.pop("vmax", None), qual, **kw)


RECORDS = [
    GoldRecord(
        "a",
        TEXT_A,
        (
            gold(K, 40, AL, subject="villagers", claimant="officials"),
            gold(W, 75, EX, qualifier_alt=(AL,), subject="villagers", claimant="officials"),
        ),
    ),
    GoldRecord("b", TEXT_B, (gold(C, 12, subject="border guards", claimant="the rebels"),)),
    GoldRecord("c", TEXT_C, ()),
]


def predictor(table: dict[str, list[Figure]]):
    return lambda text: table[text]


def test_perfect_predictions_score_one() -> None:
    predict = predictor(
        {
            TEXT_A: [
                fig(K, 40, AL, subject="villagers", claimant="Officials"),
                fig(W, 75, AL, subject="the villagers", claimant="officials"),
            ],
            TEXT_B: [fig(C, 12, subject="guards", claimant="rebels")],
            TEXT_C: [],
        }
    )
    r = score(RECORDS, predict, name="hand")
    assert (r.records, r.gold, r.true_positives, r.false_positives) == (3, 3, 3, 0)
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)
    assert r.qualifier_correct == 3  # 75 "at_least" is accepted through qualifier_alt
    assert (r.subject_agree, r.subject_total) == (3, 3)
    assert (r.claimant_agree, r.claimant_total) == (3, 3)
    assert r.mistakes == ()


def test_missed_false_positive_and_wrong_qualifier_are_listed() -> None:
    predict = predictor(
        {
            TEXT_A: [fig(K, 40, EX, subject="soldiers")],
            TEXT_B: [fig(C, 12), fig(C, 9)],
            TEXT_C: [fig(W, 3, sentence="Nobody was hurt when the 3 trucks collided.")],
        }
    )
    r = score(RECORDS, predict)
    assert (r.gold, r.true_positives, r.false_positives) == (3, 2, 2)
    assert r.precision == pytest.approx(0.5)
    assert r.recall == pytest.approx(2 / 3)
    assert r.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert r.qualifier_correct == 1 and r.qualifier_accuracy == pytest.approx(0.5)
    # subject "soldiers" shares no word with "villagers"; a None subject never agrees
    assert (r.subject_agree, r.subject_total) == (0, 2)
    kinds = sorted((m.record_id, m.kind, m.value) for m in r.mistakes)
    assert kinds == [
        ("a", "missed", 75),
        ("a", "qualifier", 40),
        ("b", "false_positive", 9),
        ("c", "false_positive", 3),
    ]
    missed = next(m for m in r.mistakes if m.kind == "missed")
    assert missed.sentence.startswith("Officials said at least 40")
    wrong_q = next(m for m in r.mistakes if m.kind == "qualifier")
    assert wrong_q.expected == "at_least"


def test_per_category_precision_and_recall() -> None:
    predict = predictor(
        {TEXT_A: [fig(K, 40, AL), fig(K, 41)], TEXT_B: [fig(C, 12)], TEXT_C: [fig(W, 3)]}
    )
    cats = {c.category: c for c in score(RECORDS, predict).per_category}
    assert (cats[K].gold, cats[K].true_positives, cats[K].false_positives) == (1, 1, 1)
    assert cats[K].precision == pytest.approx(0.5) and cats[K].recall == 1.0
    assert cats[W].recall == 0.0 and cats[W].precision == 0.0
    assert cats[C].precision == 1.0 and cats[C].recall == 1.0
    assert cats[Category.MISSING].gold == 0 and cats[Category.MISSING].recall == 1.0


def test_sets_not_counts_and_optional_is_neither_required_nor_wrong() -> None:
    text = "Up to 30 or 40 people died; 30 were buried on Monday."
    rec = GoldRecord(
        "d",
        text,
        (gold(K, 30, vmax=40), gold(K, 30, vmax=40, subject="people")),
        optional=(gold(K, 30),),
    )
    twice = [fig(K, 30, vmax=40), fig(K, 30, vmax=40), fig(K, 30)]
    r = score([rec], lambda _t: twice)
    assert (r.gold, r.true_positives, r.false_positives, r.optional_hits) == (1, 1, 0, 1)
    r_none = score([rec], lambda _t: [])
    assert r_none.recall == 0.0 and r_none.precision == 1.0 and r_none.optional_hits == 0


def test_range_must_match_value_max() -> None:
    rec = GoldRecord("e", "Between 20 and 25 hostages were taken.", (gold(C, 20, vmax=25),))
    r = score([rec], lambda _t: [fig(C, 20)])
    assert (r.true_positives, r.false_positives) == (0, 1)


def test_extractor_exception_is_reported_not_raised() -> None:
    def boom(text: str) -> list[Figure]:
        raise RuntimeError("bug")

    r = score(RECORDS, boom)
    assert r.errors == 3 and r.true_positives == 0
    assert sum(m.kind == "error" for m in r.mistakes) == 3


def test_loose_match_is_word_overlap_without_case_or_function_words() -> None:
    assert loose_match("DPRK army soldiers", "North Korean Soldiers")
    assert loose_match("civilian", "Civilians")
    assert not loose_match("the army", "the police")
    assert not loose_match(None, "civilians")
    assert not loose_match("civilians", "")


def test_locate_sentence_avoids_number_prefixes() -> None:
    text = "More than 3 000 were hurt. Three went missing. Another 3,000 fled."
    assert locate_sentence(text, 3) == "Three went missing."
    assert locate_sentence(text, 3000) == "More than 3 000 were hurt."
    assert locate_sentence(text, 777) == "More than 3 000 were hurt."


def test_format_report_and_json_round_trip() -> None:
    predict = predictor({TEXT_A: [fig(K, 40, AL)], TEXT_B: [fig(C, 9)], TEXT_C: []})
    r = score(RECORDS, predict, name="hand.jsonl")
    text = format_report(r, mistakes=True)
    assert text.splitlines()[0].startswith("hand.jsonl: 3 records, 3 gold figures")
    assert "precision 0.500  recall 0.333" in text
    assert "b: false positive: captured 9 exact" in text
    assert "a: missed: wounded 75 exact" in text
    assert "mistakes" not in format_report(r, mistakes=False)
    data = json.loads(json.dumps(r.to_json()))
    assert data["precision"] == 0.5 and data["gold"] == 3
    assert data["per_category"]["captured"]["false_positives"] == 1
    assert {m["kind"] for m in data["mistakes"]} == {"missed", "false_positive"}
    assert all("id" in m for m in data["mistakes"])


def _write(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_load_gold_reads_records_and_qualifier_alt(tmp_path: Path) -> None:
    line = {
        "id": "x1",
        "text": "A raid left 4 dead.",
        "figures": [
            {"category": "killed", "value": 4, "value_max": None, "qualifier": "exact",
             "qualifier_alt": ["at_least"], "subject": None, "claimant": "police"},
        ],
        "optional": [{"category": "wounded", "value": 2, "value_max": 3, "qualifier": "up_to"}],
    }  # fmt: skip
    recs = load_gold(_write(tmp_path, [json.dumps(line), "", json.dumps({**line, "id": 2})]))
    assert [r.id for r in recs] == ["x1", "2"]
    g = recs[0].figures[0]
    assert (g.category, g.value, g.qualifier_alt, g.claimant) == (K, 4, (AL,), "police")
    assert recs[0].optional[0].key == (W, 2, 3)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "gold.jsonl:1: invalid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"id": "r", "figures": []}', "lacks a string 'text'"),
        ('{"id": "r", "text": "t", "figures": [{"value": 1}]}', "figure lacks 'category'"),
        ('{"id": "r", "text": "t", "figures": [{"category": "maimed", "value": 1, '
         '"qualifier": "exact"}]}', "'maimed' is not a valid Category"),
        ('{"id": "r", "text": "t", "figures": [{"category": "killed", "value": "1", '
         '"qualifier": "exact"}]}', "expected an integer"),
    ],
)  # fmt: skip
def test_load_gold_rejects_bad_lines_naming_the_line(
    tmp_path: Path, line: str, message: str
) -> None:
    with pytest.raises(GoldFormatError, match="gold.jsonl:1") as info:
        load_gold(_write(tmp_path, [line]))
    assert message in str(info.value)


def test_load_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="no such file"):
        load_gold(tmp_path / "absent.jsonl")


def test_subject_and_claimant_disagreements_are_listed_apart_from_mistakes() -> None:
    predict = predictor(
        {
            TEXT_A: [
                fig(K, 40, AL, subject="soldiers", claimant="officials", sentence="first"),
                fig(W, 75, AL, subject="villagers", claimant=None, sentence="second"),
            ],
            TEXT_B: [fig(C, 12, subject="guards", claimant="rebels")],
            TEXT_C: [],
        }
    )
    r = score(RECORDS, predict)
    assert r.mistakes == ()  # every figure found, every qualifier right
    got = [(m.record_id, m.kind, m.value, m.expected, m.sentence) for m in r.disagreements]
    assert got == [
        ("a", "subject", 40, "villagers", "first"),
        ("a", "claimant", 75, "officials", "second"),
    ]
    assert (r.subject_agree, r.subject_total, r.claimant_agree, r.claimant_total) == (2, 3, 2, 3)
    text = format_report(r, mistakes=True, disagreements=True)
    assert "subject/claimant disagreements (2):" in text
    assert "a: subject: killed 40: gold 'villagers', predicted 'soldiers'" in text
    assert "a: claimant: wounded 75: gold 'officials', predicted None" in text
    assert "disagreements" not in format_report(r, mistakes=True)
    data = r.to_json()
    assert [d["kind"] for d in data["disagreements"]] == ["subject", "claimant"]
    assert data["mistakes"] == []
