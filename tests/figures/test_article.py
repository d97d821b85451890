"""Names across the whole article (pipeline/figures/article.py): a figure its own paragraph
does not attribute takes the claimant the article names before it (or just after it), and a
count that names no group counts people. Our own sentences."""

from __future__ import annotations

from pipeline.figures import find_figures


def test_a_figure_in_a_later_paragraph_takes_the_claimant_named_before() -> None:
    text = (
        "The regional health office said on Monday that rescue work went on through the night."
        "\n\nIt said 40 people were still missing."
    )
    (missing,) = find_figures(text)
    assert (missing.value, missing.claimant) == (40, "regional health office")


def test_a_figure_with_no_claimant_before_takes_the_one_named_right_after() -> None:
    text = "Twelve villagers were killed in the blast. The provincial police reported it on Sunday."
    (killed,) = find_figures(text)
    assert killed.claimant == "provincial police"


def test_a_nearer_claimant_wins_over_an_earlier_one() -> None:
    text = (
        "The coast guard said the search had been called off.\n\n"
        "Separately, the fire brigade said crews had worked all day.\n\n"
        "Nine people died in the second fire."
    )
    (died,) = find_figures(text)
    assert died.claimant == "fire brigade"


def test_a_count_naming_no_group_counts_people_with_the_same_identity() -> None:
    (bare,) = find_figures("Some 40 were killed in the landslide.")
    (named,) = find_figures("Some 40 people were killed in the landslide.")
    assert bare.subject == "people"
    assert (bare.subject_key, bare.claimant_key) == (named.subject_key, named.claimant_key)


def test_who_revises_a_toll_states_it() -> None:
    (killed,) = find_figures("The regional governor lowered the storm death toll to 7 on Tuesday.")
    assert killed.claimant == "regional governor"
    (dead,) = find_figures("Kenya has revised down the number of dead to 310.")
    assert dead.claimant == "Kenya"


def test_a_participle_after_the_earlier_is_no_speech_verb() -> None:
    text = (
        "The coast guard said the search was over. Only 45 people had been killed, "
        "correcting the earlier reported toll of 72."
    )
    assert {f.claimant for f in find_figures(text)} == {"coast guard"}


def test_a_day_or_a_trailing_phrase_is_no_group() -> None:
    (cut,) = find_figures("The county lowered its flood death toll to three Friday.")
    (named,) = find_figures("The county lowered its flood death toll to three people.")
    assert cut.subject == "people" and cut.subject_key == named.subject_key
    text = "The death toll of the outbreak reached 80 compared with 12 a year ago."
    assert {f.value: f.subject for f in find_figures(text)} == {80: "people", 12: "people"}


def test_a_name_and_its_initials_are_one_claimant() -> None:
    text = (
        "The Office for Flood Relief (OFR) opened shelters on Monday.\n\n"
        "The Office for Flood Relief said 12 people died in the night.\n\n"
        "On Tuesday OFR said 14 people were still missing."
    )
    died, missing = find_figures(text)
    # the initials are shown with the name the article spelled out
    assert (died.claimant, missing.claimant) == (
        "Office for Flood Relief",
        "Office for Flood Relief (OFR)",
    )
    assert died.claimant_key == missing.claimant_key == "ofr"
