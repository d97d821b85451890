"""Claimants as real copy names them: a source after a participle, a speaker after an inverted
verb, a pronoun speaker resolved to the person named before, and what is no claimant."""

from __future__ import annotations

import pytest

from pipeline.figures import find_figures
from pipeline.figures.claimants import find_claimant, pronoun_speaker


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        # "<participle> by X" names the source
        (
            "The blast killed six people, as confirmed by Civil Defence crews.",
            "Civil Defence crews",
        ),
        ("The toll stands at 90, according to figures compiled by the Red Cross.", "Red Cross"),
        # an inverted verb: the speaker follows it, and a name in apposition wins
        (
            "Rescuers were still looking for 14 others, said a navy spokesman, Jon Ode.",
            "Jon Ode",
        ),
        # "per" is a source only before a name
        ("About 40 per cent of the 300 dead were children.", None),
        ("Per the county sheriff, three hikers are missing.", "county sheriff"),
        # who heard it is not who said it
        ("Twelve people died, Lina Hart told a press conference.", "Lina Hart"),
        # "The field reports purport": a noun and a verb, not a speaker
        ("The field reports purport to identify 300 dead.", None),
        # the name that opens the sentence, past two appositions
        (
            "Mara Olsen, director of the Field Project, a group that counts strikes, estimates"
            " that 1,000 civilians died.",
            "Mara Olsen",
        ),
        # a source label in brackets
        (
            "Up to 90 fighters killed (source: Gen. Ivo Marek, who leads the command).",
            "Gen. Ivo Marek",
        ),
        # "Reports from X ... estimated": X
        (
            "Reports from village committees, which run aid groups, estimated that 57 died.",
            "village committees",
        ),
        (
            "The toll is 900, according to health data analyzed by The Daily Ledger.",
            "Daily Ledger",
        ),
        # a participle by a thing names no source
        ("Thirty were killed, in footage recorded by drones.", None),
    ],
)
def test_claimant_of_a_sentence(sentence: str, claimant: str | None) -> None:
    assert find_claimant(sentence) == claimant


def test_a_participle_source_gives_way_to_the_speaker() -> None:
    sentence = (
        "Hospital staff said they received 21 bodies, more than the count released by police."
    )
    assert find_claimant(sentence) == "Hospital staff"


def test_he_said_is_the_person_named_before() -> None:
    text = (
        "“The bridge gave way at noon,” Omar Selby, the district officer, told Reuters. "
        "At least nine people were killed and 14 hurt, he said."
    )
    assert pronoun_speaker("At least nine people were killed, he said.") == "he"
    assert {f.claimant for f in find_figures(text)} == {"Omar Selby"}


def test_he_told_an_agency_is_not_the_agency() -> None:
    text = (
        "Mayor Ada Pell said the river rose overnight. "
        "“Eleven are missing,” she told the Associated Press."
    )
    assert [f.claimant_key for f in find_figures(text)] == ["pell"]


def test_a_role_named_again_is_the_person_named_before() -> None:
    text = (
        "Senior rebel official Omar Haddad said 30 fighters were killed. "
        "The rebel official also said 14 captives had died."
    )
    assert {f.claimant_key for f in find_figures(text)} == {"haddad"}
