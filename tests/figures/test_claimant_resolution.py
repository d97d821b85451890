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


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        # a speaker noun from the vocabulary before "estimate", past a place phrase
        (
            "Though no count is final, researchers at the Lund Institute estimate that 4,000"
            " people died.",
            "researchers",
        ),
        # "place it as high as": a verb of estimating
        ("Some historians place it as high as 80,000 dead.", "Some historians"),
        # "X, which believes that": the name before the relative pronoun
        (
            "Monitors such as Casualty Watchers, which believes that 950 civilians died, disagree.",
            "Casualty Watchers",
        ),
        # "was quoted ... as saying"
        (
            "A navy spokesman was quoted by the Daily Ledger as saying 12 sailors were missing.",
            "navy spokesman",
        ),
        # a source cited in brackets at the sentence's end
        ("More than 800 had died by May (Border Casualty Count, 2011).", "Border Casualty Count"),
        ("- 3,000 rebels killed (Hartley)", "Hartley"),
        # a name with its acronym in brackets: both, as the text gives them
        (
            "The Wall Street Journal (WSJ) reported that 40 hostages are still held.",
            "Wall Street Journal (WSJ)",
        ),
        ("The (NRO) said 40 died.", "NRO"),
        # "issued a table", "lists": verbs of publishing a count
        ("The War Office has just issued a full table of the losses: 300 killed.", "War Office"),
        ("The ministry also lists more than 900 soldiers wounded.", "ministry"),
        # "X accused Y of killing": X states it
        (
            "The army of the Island Republic (IR) on Friday accused the rebels of killing 17"
            " farmers.",
            "army of the Island Republic (IR)",
        ),
        # a participle "recorded by" is no speaker's verb: the speaker who says it is
        (
            "Footage recorded by drones suggests that 30 fighters were killed, the navy said.",
            "navy",
        ),
        # ... but "have confirmed by name" is active
        ("Two outlets have confirmed by name the deaths of 9,000 men.", "Two outlets"),
        # what shows a figure gives way to who states it
        ("Satellite images show 40 graves, provincial officials said.", "provincial officials"),
        # a phrase set off by a comma before the verb that closes the sentence
        ("The train derailed, killing 12 people, railway officials said.", "railway officials"),
        ("Soldiers killed up to 400 people in the valley, historians estimate.", "historians"),
        # ... but not one that runs on
        ("Forty were killed in clashes, militia members said on a call with the mayor.", None),
        # a name ending "of War" is no event
        (
            "The Office for Prisoners of War said 800 soldiers are still held.",
            "Office for Prisoners of War",
        ),
        # "gave a lower count", "put them at", "by the count of"
        ("Island authorities gave a lower count of 51 dead.", "Island authorities"),
        ("Most historians put them at 30,000 killed and wounded.", "Most historians"),
        ("By the count of the Press Freedom Desk, 170 reporters have died.", "Press Freedom Desk"),
        # the owner of a count, when an organisation
        ("The military government's final count was 8,400 dead.", "military government"),
        ("The country's death toll rose to 80.", None),
        # a lower-case newsroom noun credited after a dash
        ("Breaking: at least 3 dead, 9 hurt in a shooting at a market — police.", "police"),
        ("At least 3 dead in a shooting — developing story.", None),
    ],
)
def test_claimant_rules_as_data(sentence: str, claimant: str | None) -> None:
    assert find_claimant(sentence) == claimant


def test_a_name_and_its_acronym_share_one_key() -> None:
    text = (
        "The Harbour Relief Office (HRO) said 14 people were missing. "
        "HRO later said 30 people were missing."
    )
    assert {f.claimant_key for f in find_figures(text)} == {"hro"}


def test_a_bracketed_note_at_the_end_that_is_no_name_is_no_claimant() -> None:
    assert find_claimant("At least 40 people were killed (14 of them children).") is None


def test_a_generic_claimant_is_the_organisation_named_before() -> None:
    text = (
        "The Harbour Rights Commission revised its count of the dead on Friday. "
        "Police killed at least 52 protesters, according to the watchdog."
    )
    (f,) = find_figures(text)
    assert (f.value, f.claimant) == (52, "Harbour Rights Commission")


def test_a_generic_claimant_is_not_a_person_named_before() -> None:
    text = (
        "Agency spokesman Tomas Rell said rescuers were searching the river. "
        "On Friday the agency had revised the death toll to 37."
    )
    (f,) = find_figures(text)
    assert (f.value, f.claimant) == (37, "agency")


def test_it_claimed_after_the_group_said_is_the_group_named_first() -> None:
    text = (
        "At least 20 soldiers were killed, according to the Hill Defence Forces (HDF). "
        "The troops burned two villages, the group said. "
        "Four of its own fighters died, it claimed."
    )
    assert {f.claimant for f in find_figures(text)} == {"Hill Defence Forces"}


def test_a_breakdown_sentence_keeps_its_own_speaker() -> None:
    text = (
        "At least 300 people have been killed in the strikes, the health ministry said. "
        "Of those, 120 were children, ministry spokesman Rami Haddad told reporters."
    )
    by_value = {f.value: f.claimant for f in find_figures(text)}
    assert by_value == {300: "health ministry", 120: "ministry spokesman Rami Haddad"}


def test_it_lost_is_the_unit_named_before() -> None:
    text = (
        "The hardest fighting fell on the Ninth Infantry, at Red Ford. "
        "It lost 212 killed and 340 wounded. "
        "The Fifth had the longest march of the campaign. "
        "At Elm Creek it lost 90 men."
    )
    got = {f.value: f.subject for f in find_figures(text)}
    assert got == {212: "Ninth Infantry", 340: "Ninth Infantry", 90: "Fifth (men)"}


@pytest.mark.parametrize(
    ("text", "subject", "key"),
    [
        # "its"/"their" group: the owner is who speaks of them, in the spec's "army (soldiers)"
        ("Hezbollah said eight of its fighters were killed.", "Hezbollah (fighters)", "fighters"),
        ("Chad's army said 40 of its soldiers died.", "Chad (soldiers)", "soldiers"),
        (
            "Ukraine said 40 of its soldiers were captured.",
            "Ukraine (soldiers)",
            "ukrainian soldiers",
        ),
        ("Armenian officials said 300 of their soldiers died.", "Armenian soldiers", "soldiers"),
        (
            "The Azov regiment said 600 of its fighters were captured.",
            "Azov regiment (fighters)",
            "fighters",
        ),
        # a person's "their" is not theirs to own; no claimant, no owner
        ("Jane Roe said 12 of their children died.", "their children", "children"),
        ("Twelve of its soldiers were killed in the raid.", "its soldiers", "soldiers"),
        # a loss owned up to names who suffered it
        ("The enemy admit a loss of 1,200 killed and wounded.", "enemy", "enemy"),
    ],
)
def test_possessed_and_owned_groups(text: str, subject: str, key: str) -> None:
    (f,) = find_figures(text)
    assert (f.subject, f.subject_key) == (subject, key)


def test_its_soldiers_and_the_nations_soldiers_share_one_key() -> None:
    first = find_figures("Ukraine said 40 of its soldiers were captured.")
    second = find_figures("Forty Ukrainian soldiers were captured, Ukraine said.")
    assert first[0].subject_key == second[0].subject_key == "ukrainian soldiers"


def test_she_says_is_the_person_a_sentence_before_opens_with() -> None:
    text = (
        "Amina Diallo is a teacher from the river town. "
        "“We buried eleven of our neighbours,” she says. "
        "“Another three are missing,” she adds."
    )
    assert {f.claimant for f in find_figures(text)} == {"Amina Diallo"}


def test_a_source_naming_a_role_then_a_name_is_the_name() -> None:
    sentence = "The toll of 9,000 cited by the UN special envoy, Lena Varga, seems low."
    assert find_claimant(sentence) == "Lena Varga"
    # a list of sources is no role and a name
    listed = "About 400 died, according to the Red Cross, Doctors Abroad and the police."
    assert find_claimant(listed) == "Red Cross"


def test_initials_are_shown_with_the_name_the_article_gave() -> None:
    spelled = "The Lake Defence Units (LDU) control the dam. Two guards were wounded, the LDU said."
    named = (
        "The Lake Defence Units said they killed four attackers. "
        "Two guards were wounded, the LDU said."
    )
    by_value = {f.value: (f.claimant, f.claimant_key) for f in find_figures(spelled)}
    assert by_value == {2: ("Lake Defence Units (LDU)", "ldu")}
    assert find_figures(named)[-1].claimant == "Lake Defence Units (LDU)"


def test_a_verb_coordinated_with_the_clause_before_has_that_clause_s_subject() -> None:
    sentence = (
        "The Harlan coast guard would not give a toll, but said nine of its divers were missing."
    )
    assert find_claimant(sentence) == "Harlan coast guard"
    # the clause before had no subject to give: no claimant rather than a wrong one
    assert find_claimant("Asked about it twice, and said nine were missing.") is None


def test_the_ministry_is_the_ministry_named_before_not_any_organisation() -> None:
    text = (
        "The Ostmark Relief Fund said 40 people were wounded in the shelling. "
        "Ostmark's ministry of health said 12 people were killed. "
        "The ministry later said three more had died."
    )
    claimants = {f.value: f.claimant for f in find_figures(text)}
    assert claimants[40] == "Ostmark Relief Fund"
    assert claimants[3] == "Ostmark's ministry of health"
    # a qualified ministry is that ministry: never resolved to another organisation
    other = "The Ostmark Relief Fund said 40 were wounded. The interior ministry said 5 died."
    assert {f.value: f.claimant for f in find_figures(other)}[5] == "interior ministry"
