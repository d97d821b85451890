"""Constructions that a desk makes by merging two sentences into one with a semicolon, or by
rewording (the merge and reword edits of `python -m bench.identity`): the figure must read as it
did before, or the edit raises a removal and a new figure where nothing changed.

- a clause after the semicolon that points back at the count before it ("; they include",
  "; of those,", "; this includes") lists a subgroup of that count, as it does after a full stop;
- a tally noun between two counts ("...are missing; the death toll is below the 120 figure")
  gives the later count its category, not the count before it;
- "N strong" is a unit's strength, never a casualty count, even after a table's "total";
- a list item bounded by "no fewer than", "not more than", "at least" is the next count of the
  list, not a negation of the count before it nor part of its noun phrase.

Every sentence is our own wording; each row is (text, expected) with expected a set of
(category, value, value_max, qualifier), compared with the extractor's whole output.
"""

from __future__ import annotations

import pytest

from tests.figures.tables import AL, KW, UT, C, Case, E, K, M, W, figure_keys

SUBGROUP_AFTER_SEMICOLON: list[Case] = [
    ("Rescuers say 45 villagers are still missing; they include 12 children.",
     {(M, 45, None, E), (M, 12, None, E)}),
    ("The flood killed 61 people across the valley; this includes 19 pupils and 4 teachers.",
     {(K, 61, None, E), (K, 19, None, E), (K, 4, None, E)}),
    ("The army reported 310 soldiers killed; of those, 40 were officers.",
     {(K, 310, None, E), (K, 40, None, E)}),
    ("Police said 30 people were wounded in the blast; they were taken to two hospitals.",
     {(W, 30, None, E)}),
]  # fmt: skip

TALLY_NOUN_BETWEEN: list[Case] = [
    ("Officials said more than 90 residents remain missing; the official death toll is still "
     "below the 120 figure the governor gave.", {(M, 90, None, "more_than"), (K, 120, None, E)}),
]  # fmt: skip

STRENGTH: list[Case] = [
    ("It lost 50 killed and 70 wounded; total, 120; the Rifle Battalion, 900 strong, lost 20 "
     "killed and 31 wounded.",
     {(K, 50, None, E), (W, 70, None, E), (KW, 120, None, E), (K, 20, None, E),
      (W, 31, None, E)}),
    ("The rebels, some 3,000 strong, attacked the town.", set()),
    ("Two strong men carried 5 wounded villagers to the clinic.", {(W, 5, None, E)}),
]  # fmt: skip

BOUNDED_LIST_ITEMS: list[Case] = [
    ("The bombing killed 13 soldiers and no fewer than 170 civilians.",
     {(K, 13, None, E), (K, 170, None, AL)}),
    ("Gunmen kidnapped a school principal, three teachers and no fewer than 26 pupils.",
     {(C, 3, None, E), (C, 26, None, AL)}),
    ("Eight police officers and at least 30 civilians were wounded.",
     {(W, 8, None, E), (W, 30, None, AL)}),
    ("Four soldiers and not more than 10 civilians died.", {(K, 4, None, E), (K, 10, None, UT)}),
    ("Officials put the dead at 3,958 people and stated no fewer than 2,172 were hurt.",
     {(K, 3958, None, E), (W, 2172, None, AL)}),
    ("Eight people were not injured.", set()),
]  # fmt: skip

# A participle phrase between the group and its verb, whether the verb is "were killed" or
# "died" (the reword edit's synonym)
VERB_AFTER_PARTICIPLE: list[Case] = [
    ("Twelve guards protecting the jail died in the attacks.", {(K, 12, None, E)}),
    ("Twelve guards protecting the jail were killed in the attacks.", {(K, 12, None, E)}),
    ("Five workers repairing the line got injured.", {(W, 5, None, E)}),
    ("Four boys playing the game went home.", set()),
]  # fmt: skip

ALL = SUBGROUP_AFTER_SEMICOLON + TALLY_NOUN_BETWEEN + STRENGTH + BOUNDED_LIST_ITEMS
ALL += VERB_AFTER_PARTICIPLE


@pytest.mark.parametrize(("text", "expected"), ALL, ids=[c[0][:40] for c in ALL])
def test_a_merged_sentence_reads_as_the_two_did(
    text: str, expected: set[tuple[str, int, int | None, str]]
) -> None:
    assert figure_keys(text) == expected, text


def test_the_two_sentences_and_their_merge_give_the_same_figures() -> None:
    two = "Rescuers say 45 villagers are still missing. They include 12 children."
    merged = "Rescuers say 45 villagers are still missing; they include 12 children."
    assert figure_keys(two) == figure_keys(merged)
