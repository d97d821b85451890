"""Claimants of constructions real copy uses: a relative clause or a quoted name between the
speaker and the verb, a source known by what it knows, a concessive clause, a kept tally, a
label after a place line; and, across a sentence, one claimant per clause."""

from __future__ import annotations

import pytest

from pipeline.figures import find_figures
from pipeline.figures.claimants import find_claimant


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        # a relative clause between the speaker and the verb is passed over, even one holding
        # a speech noun ("the draft report")
        (
            "The factory inspectors, who asked not to be named because they were not allowed to"
            " share the draft report, said 14 workers had died.",
            "factory inspectors",
        ),
        # ... unless it gives the speaker's name
        (
            "A farmer from the valley, who gave her name as Ruth Amadi, said 9 were taken.",
            "Ruth Amadi",
        ),
        # a source known by what it knows
        (
            "Two diplomats familiar with the inquiry said that 31 guards had been killed.",
            "Two diplomats familiar with the inquiry",
        ),
        (
            "Sources close to the governor say 12 pupils are still missing.",
            "Sources close to the governor",
        ),
        # a name in quotation marks before the verb
        (
            'The broadcaster "Radio Kelo" reported the deaths of 19 miners.',
            "broadcaster Radio Kelo",
        ),
        # a word in capitals is a name, not a time word
        ("BORDER TODAY has kept a tally of 88 drownings since May.", "BORDER TODAY"),
        # "with X confirming": X
        (
            "Searches went on with the harbour police and navy crews confirming at least"
            " 40 were rescued.",
            "harbour police and navy crews",
        ),
        # a concessive clause's speaker gives way to the main clause's, even an evidence verb
        (
            "Although the governors have claimed that no one counts the dead, the hospital"
            " ledgers [leaked in June] show 1,200 deaths.",
            "hospital ledgers",
        ),
        # a revised record; a hyphenated word inside the speaker's phrase
        (
            "The number missing fell to 7 after the River Authority and other search-and-rescue"
            " crews reconciled their records.",
            "River Authority and other search-and-rescue crews",
        ),
        ("Forty died, by what the Tribune described as its own count.", "Tribune"),
        # a label after a place line and a dash
        (
            "North Province – Valley Observatory for Rights:: at least 6 guards were killed.",
            "Valley Observatory for Rights",
        ),
    ],
)
def test_claimant_of_a_construction(sentence: str, claimant: str | None) -> None:
    assert find_claimant(sentence) == claimant


@pytest.mark.parametrize(
    ("text", "claimants"),
    [
        # an opening concessive clause is a clause of its own: each count keeps its speaker
        (
            "While the army said 10 soldiers were killed, the rebels said 30 soldiers died.",
            {10: "army", 30: "rebels"},
        ),
        (
            "Although the ministry claimed 12 were killed, witnesses said 40 people died.",
            {12: "ministry", 40: "witnesses"},
        ),
        # a temporal "while" with no speaker in it changes nothing
        ("While fleeing the town, 12 people were killed, police said.", {12: "police"}),
    ],
)
def test_each_clause_keeps_its_speaker(text: str, claimants: dict[int, str]) -> None:
    assert {f.value: f.claimant for f in find_figures(text)} == claimants


def test_who_declares_the_dead_states_their_count() -> None:
    figures = find_figures(
        "The army said 90 remain captive, 21 of whom have been declared dead in"
        " absentia by the Defence Ministry after a review."
    )
    assert {f.value: f.claimant for f in figures} == {90: "army", 21: "Defence Ministry"}


def test_declared_dead_by_a_cause_names_no_claimant() -> None:
    figures = find_figures("Police said 12 hikers were declared dead by drowning.")
    assert {f.value: f.claimant for f in figures} == {12: "Police"}


def test_a_count_inside_an_owned_statement_is_its_owners() -> None:
    figures = find_figures(
        "Karvia's claims that Velor has lost 9,000 soldiers are far above Velor's admission"
        " last month that it had lost 2,100 soldiers."
    )
    assert {f.value: f.claimant for f in figures} == {9000: "Karvia", 2100: "Velor"}


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        # the owner of a toll a source names, not the toll
        (
            "Velor lost 300 soldiers, according to the army's weekly casualty toll of Velor.",
            "army",
        ),
        # reading out the names of the dead
        ("At the hearing, Ana Ruiz read out the names of 41 miners who died.", "Ana Ruiz"),
    ],
)
def test_claimant_of_a_source_or_reader(sentence: str, claimant: str) -> None:
    assert find_claimant(sentence) == claimant


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("Field monitors have verified the deaths of 210 civilians since May.", "Field monitors"),
        ("Fewer than 30 were hurt in the crush, the stadium owners insisted.", "stadium owners"),
        ("A press inquiry found that 400 to 600 villagers were killed.", "press inquiry"),
        ("Nine workers lost their lives in the blaze, the coroner heard.", "coroner"),
        (
            "Two news sites have identified by name 5,120 sailors who died at sea.",
            "Two news sites",
        ),
        ("The Ledger has established the names of 812 soldiers killed.", "Ledger"),
        # a phrase set off by a comma before a verb that closes its clause
        (
            "About 300 people remain unaccounted for, county officials said, though many may"
            " be safe.",
            "county officials",
        ),
        # a possessive inside a plain noun phrase
        ("The pirates still hold 19 sailors, the ship's operator said.", "ship's operator"),
        # "found" with a count after it is no statement
        ("Divers found 12 bodies in the wreck.", None),
    ],
)
def test_claimant_of_a_speech_verb(sentence: str, claimant: str | None) -> None:
    assert find_claimant(sentence) == claimant
