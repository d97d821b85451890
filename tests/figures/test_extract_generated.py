"""Generated sentences: every qualifier x number form x group x construction reads the same.

Each template is a construction the spec names; hypothesis fills it with a qualifier phrase,
a number in one of the newsroom forms, and a group of people, and the one figure must come
back with the right category, value and qualifier.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.figures import find_figures

QUALIFIERS = {
    "": "exact",
    "at least ": "at_least",
    "no fewer than ": "at_least",
    "more than ": "more_than",
    "over ": "more_than",
    "about ": "approximately",
    "some ": "approximately",
    "nearly ": "approximately",
    "up to ": "up_to",
    "as many as ": "up_to",
    "fewer than ": "less_than",
}
GROUPS = [
    "people", "civilians", "Ukrainian soldiers", "North Korean troops", "police officers",
    "children", "villagers", "Russian servicemen", "aid workers", "fighters",
]  # fmt: skip
TEMPLATES = [
    ("{q}{n} {g} were killed in the attack.", "killed"),
    ("Gunmen killed {q}{n} {g} on Sunday.", "killed"),
    ("The strike left {q}{n} {g} dead.", "killed"),
    ("{Q}{n} {g} have died since Monday, officials said.", "killed"),
    ("{Q}{n} {g} were wounded in the shelling.", "wounded"),
    ("The blast injured {q}{n} {g}.", "wounded"),
    ("{Q}{n} {g} were killed or wounded.", "killed_or_wounded"),
    ("{Q}{n} {g} were killed and wounded in the fighting.", "killed_or_wounded"),
    ("The unit suffered {q}{n} casualties.", "killed_or_wounded"),
    ("{Q}{n} {g} were taken prisoner.", "captured"),
    ("Rebels captured {q}{n} {g} near the border.", "captured"),
    ("Gunmen abducted {q}{n} {g} from the village.", "captured"),
    ("{Q}{n} {g} are still missing.", "missing"),
    ("{Q}{n} {g} remain unaccounted for.", "missing"),
    ("The death toll rose to {q}{n}.", "killed"),
]


def _forms(n: int) -> list[str]:
    forms = [str(n), f"{n:,}", f"{n:,}".replace(",", "\u00a0"), f"{n:,}".replace(",", " ")]
    return list(dict.fromkeys(forms))


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(sorted(QUALIFIERS)),
    st.integers(min_value=2, max_value=2_000_000),
    st.data(),
    st.sampled_from(GROUPS),
    st.sampled_from(TEMPLATES),
)
def test_constructions_read_the_same_for_any_filling(
    q: str, n: int, data: st.DataObject, group: str, template: tuple[str, str]
) -> None:
    form = data.draw(st.sampled_from(_forms(n)))
    text_template, category = template
    text = text_template.format(q=q, Q=q[:1].upper() + q[1:], n=form, g=group)
    if not q:
        text = text[0].upper() + text[1:]
    got = [(f.category.value, f.value, f.value_max, f.qualifier.value) for f in find_figures(text)]
    assert got == [(category, n, None, QUALIFIERS[q])], text


WORD_NUMBERS = {
    "two": 2, "Three": 3, "eleven": 11, "twenty-five": 25, "a dozen": 12, "forty": 40,
    "three hundred": 300, "two thousand": 2000, "half a million": 500_000, "1.2 million": 1_200_000,
}  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(WORD_NUMBERS)), st.sampled_from(GROUPS), st.sampled_from(TEMPLATES))
def test_word_numbers_in_every_construction(
    words: str, group: str, template: tuple[str, str]
) -> None:
    text_template, category = template
    text = text_template.format(q="", Q="", n=words, g=group)
    text = text[0].upper() + text[1:]
    got = [(f.category.value, f.value) for f in find_figures(text)]
    assert got == [(category, WORD_NUMBERS[words])], text


PAIR_QUALIFIERS = {
    "": "exact",
    "at least ": "at_least",
    "more than ": "more_than",
    "about ": "approximately",
    "up to ": "up_to",
    "nearly ": "approximately",
}
PAIRS = [
    ("{A}{n1} {g} were killed and {b}{n2} others wounded in the attack.", "killed", "wounded"),
    ("The blast killed {a}{n1} {g} and wounded {b}{n2} others.", "killed", "wounded"),
    ("Gunmen stormed the town, killing {a}{n1} {g} and injuring {b}{n2}.", "killed", "wounded"),
    ("The attack left {a}{n1} {g} dead and {b}{n2} wounded.", "killed", "wounded"),
    ("{A}{n1} {g} were killed, including {b}{n2} children.", "killed", "killed"),
    ("Investigators counted {a}{n1} {g} killed, as well as {b}{n2} officers.", "killed", "killed"),
    ("{A}{n1} {g} are missing and {b}{n2} were taken hostage.", "missing", "captured"),
    ("Rebels captured {a}{n1} {g} and killed {b}{n2} others.", "captured", "killed"),
    ("The death toll rose to {a}{n1}, with {b}{n2} {g} injured.", "killed", "wounded"),
    ("{A}{n1} {g} were killed or wounded, and {b}{n2} went missing.", "killed_or_wounded",
     "missing"),
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(PAIR_QUALIFIERS)),
    st.sampled_from(sorted(PAIR_QUALIFIERS)),
    st.lists(st.integers(min_value=2, max_value=90_000), min_size=2, max_size=2, unique=True),
    st.sampled_from(GROUPS),
    st.sampled_from(PAIRS),
)
def test_two_figures_in_one_sentence(
    a: str, b: str, values: list[int], group: str, pair: tuple[str, str, str]
) -> None:
    (n1, n2), (template, c1, c2) = values, pair
    text = template.format(A=a[:1].upper() + a[1:], a=a, b=b, n1=f"{n1:,}", n2=f"{n2:,}", g=group)
    text = text[0].upper() + text[1:]
    got = {(f.category.value, f.value, f.qualifier.value) for f in find_figures(text)}
    assert got == {(c1, n1, PAIR_QUALIFIERS[a]), (c2, n2, PAIR_QUALIFIERS[b])}, text
