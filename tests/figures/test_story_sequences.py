"""Stories as desks edit them: each version is read by `find_figures` and diffed against the
figures of the version before (pipeline.diff, as `figwatch check` does). A rewrite that changes
no figure must raise no alert; an update must raise exactly its own. The stories are written
for these tests."""

from __future__ import annotations

from bench.identity import alerts
from pipeline.figures import find_figures


def _alerts(before: str, after: str) -> list[tuple[str, str, int]]:
    """(kind, category, value) of each alerting change from `before` to `after` (a figure under
    a new key with the same value, or one never announced, raises none)."""
    return sorted((kind, key.split("|", 1)[0], value) for kind, key, value in alerts(before, after))


FLOOD_V1 = (
    "Floods in the Kemmel valley killed at least 23 people, the regional governor, Ana Ruiz, "
    "said on Sunday. Another 40 people were injured and nine are missing, she said."
)
# Reordered, reworded and a paragraph added; no figure changes.
FLOOD_V2 = (
    "Nine people are missing after floods swept the Kemmel valley, regional governor Ana Ruiz "
    "said on Sunday.\n\nAt least 23 people were killed and 40 others injured, Ruiz said, as "
    "rescuers searched the river banks.\n\nThe valley last flooded in 1998."
)
FLOOD_V3 = FLOOD_V2.replace("At least 23 people", "At least 31 people")


def test_a_rewrite_that_changes_no_figure_raises_no_alert() -> None:
    assert len(find_figures(FLOOD_V1)) == len(find_figures(FLOOD_V2)) == 3
    assert _alerts(FLOOD_V1, FLOOD_V2) == []


def test_a_toll_update_after_a_rewrite_raises_one_change() -> None:
    assert _alerts(FLOOD_V2, FLOOD_V3) == [("changed", "killed", 31)]


MARKET_SPLIT = (
    "Gunmen attacked a market in Dorva on Friday, police said. Twelve people were killed. "
    "Eight others were wounded."
)
MARKET_MERGED = (
    "Gunmen attacked a market in Dorva on Friday, killing twelve people and wounding eight "
    "others, police said."
)


def test_merging_sentences_keeps_each_category() -> None:
    split = {(f.category.value, f.value) for f in find_figures(MARKET_SPLIT)}
    merged = {(f.category.value, f.value) for f in find_figures(MARKET_MERGED)}
    assert split == merged == {("killed", 12), ("wounded", 8)}
    assert _alerts(MARKET_SPLIT, MARKET_MERGED) == []
    assert _alerts(MARKET_MERGED, MARKET_SPLIT) == []


SHELLING_SPLIT = (
    "Shelling killed 64 people and wounded 210 in Tarn last week, the city council said. "
    "Of those killed, 19 were children and 11 were women."
)
SHELLING_MERGED = SHELLING_SPLIT.replace(" said. Of those", " said; of those")


def test_a_breakdown_joined_by_a_semicolon_keeps_its_category() -> None:
    merged = {(f.category.value, f.value) for f in find_figures(SHELLING_MERGED)}
    assert merged == {("killed", 64), ("wounded", 210), ("killed", 19), ("killed", 11)}
    assert _alerts(SHELLING_SPLIT, SHELLING_MERGED) == []


BLAST_V1 = (
    "The Interior Ministry said 31 people died in the blast at the depot. "
    "Ministry spokesman Karel Dvorak said the toll of 31 could still rise."
)
BLAST_V2 = "The Interior Ministry said 31 people died in the blast at the depot."


def test_a_toll_repeated_under_two_claimant_names_is_stored_once() -> None:
    figures = find_figures(BLAST_V1)
    assert [(f.category.value, f.value) for f in figures] == [("killed", 31)]
    # dropping the repeat is no alert
    assert _alerts(BLAST_V1, BLAST_V2) == []


SCHOOL_V1 = "Gunmen abducted 37 pupils from a school in Kaura on Tuesday, police said."
SCHOOL_V2 = (
    "Gunmen abducted 37 pupils from the Government Girls Secondary School in Kaura on "
    "Tuesday, police said."
)


def test_a_place_phrase_is_not_part_of_the_subject() -> None:
    assert _alerts(SCHOOL_V1, SCHOOL_V2) == []
    (figure,) = find_figures(SCHOOL_V2)
    assert figure.subject_key == "pupils"
