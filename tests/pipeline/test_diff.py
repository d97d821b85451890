from __future__ import annotations

import dataclasses

from pipeline.diff import Known, diff, keyed
from pipeline.figures import Category, Figure, Qualifier


def fig(
    value: int,
    category: Category = Category.KILLED,
    subject: str | None = "civilians",
    qualifier: Qualifier = Qualifier.EXACT,
) -> Figure:
    return Figure(
        category,
        value,
        None,
        qualifier,
        subject,
        None,
        f"{value} {category}",
        0,
        1,
        "test",
        subject_key=subject,
    )


def known(f: Figure, key: str, active: bool = True) -> Known:
    return Known.stated(key, f, active=active)


def test_repeats_collapse_and_distinct_values_stay_apart() -> None:
    out = keyed([fig(12), fig(12), fig(7)])
    assert [(k, f.value) for k, f in out.items()] == [
        ("killed|civilians|", 12),
        ("killed|civilians|#2", 7),
    ]


def test_new_changed_removed_and_unchanged() -> None:
    before = keyed([fig(12), fig(3, Category.MISSING), fig(5, Category.CAPTURED)])
    prev = {k: known(f, k) for k, f in before.items()}
    after = keyed([fig(19), fig(3, Category.MISSING), fig(40, Category.WOUNDED)])
    got = {(c.kind, c.key) for c in diff(prev, after)}
    assert got == {
        ("changed", "killed|civilians|"),
        ("new", "wounded|civilians|"),
        ("removed", "captured|civilians|"),
    }


def test_a_qualifier_change_is_a_change() -> None:
    before = keyed([fig(100, qualifier=Qualifier.AT_LEAST)])
    prev = {k: known(f, k) for k, f in before.items()}
    after = keyed([fig(100, qualifier=Qualifier.MORE_THAN)])
    assert [c.kind for c in diff(prev, after)] == ["changed"]


def test_a_figure_found_under_another_key_changes_only_with_its_value() -> None:
    """The statement that stands for a toll under a new key may be another one ("420" in a
    headline where the body's "at least 420" stood): its qualifier alone raises nothing, its
    value does."""
    prev = {"killed|civilians|": known(fig(420, qualifier=Qualifier.AT_LEAST), "killed|civilians|")}
    same = keyed([fig(420, subject="unarmed civilians")])
    assert [(c.kind, c.old_key) for c in diff(prev, same)] == [("moved", "killed|civilians|")]
    risen = keyed([fig(462, subject="unarmed civilians")])
    assert [c.kind for c in diff(prev, risen)] == ["changed"]


def test_a_removed_figure_that_returns_is_new_and_an_absent_one_is_quiet() -> None:
    f = fig(12)
    prev = {"killed|civilians|": known(f, "killed|civilians|", active=False)}
    assert [c.kind for c in diff(prev, keyed([f]))] == ["new"]
    assert diff(prev, {}) == []


def test_a_reworded_subject_or_new_claimant_is_the_same_figure() -> None:
    before = keyed([fig(7, Category.CAPTURED, subject="aid workers")])
    prev = {k: known(f, k) for k, f in before.items()}
    reworded = Figure(
        Category.CAPTURED,
        5,
        None,
        Qualifier.EXACT,
        "aid workers hostage",
        "NRA",
        "s",
        0,
        1,
        "test",
        subject_key="aid workers hostage",
        claimant_key="nra",
    )
    [change] = diff(prev, keyed([reworded]))
    assert (change.kind, change.old_key, change.old and change.old.value) == (
        "changed",
        "captured|aid workers|",
        7,
    )
    same_value = Figure(
        Category.CAPTURED,
        7,
        None,
        Qualifier.EXACT,
        "aid workers",
        "NRA",
        "s",
        0,
        1,
        "test",
        subject_key="aid workers",
        claimant_key="nra",
    )
    assert [c.kind for c in diff(prev, keyed([same_value]))] == ["moved"]


def test_unrelated_groups_are_not_paired() -> None:
    before = keyed([fig(7, Category.CAPTURED, subject="aid workers")])
    prev = {k: known(f, k) for k, f in before.items()}
    other = keyed(
        [
            fig(5, Category.CAPTURED, subject="soldiers"),
            fig(7, Category.KILLED, subject="aid workers"),
        ]
    )
    assert sorted(c.kind for c in diff(prev, other)) == ["new", "new", "removed"]


def test_the_only_figure_of_a_category_by_one_claimant_keeps_its_identity() -> None:
    def by(value: int, subject: str, claimant: str | None) -> Figure:
        return Figure(
            Category.CAPTURED,
            value,
            None,
            Qualifier.EXACT,
            subject,
            claimant,
            "s",
            0,
            1,
            "test",
            subject_key=subject,
            claimant_key=claimant,
        )

    prev = {k: known(f, k) for k, f in keyed([by(7, "aid workers", "alliance")]).items()}
    [change] = diff(prev, keyed([by(5, "hostages", "alliance")]))
    assert (change.kind, change.old_key) == ("changed", "captured|aid workers|alliance")
    two_new = keyed([by(5, "hostages", "alliance"), by(2, "drivers", "alliance")])
    assert sorted(c.kind for c in diff(prev, two_new)) == ["new", "new", "removed"]


def _by(value: int, subject: str, claimant: str = "") -> Figure:
    return Figure(
        Category.KILLED,
        value,
        None,
        Qualifier.EXACT,
        subject,
        claimant or None,
        f"{subject} {value}",
        0,
        1,
        "test",
        subject_key=subject,
        claimant_key=claimant or None,
    )


def test_one_value_restated_under_a_compatible_identity_is_one_figure() -> None:
    # a headline without a claimant, then the body's fuller statement of the same toll
    out = keyed([_by(31, "people"), _by(31, "people", "interior ministry"), _by(31, "soldiers")])
    # "people" is what a count of no named group counts: the same toll, its group named later
    assert [(k, f.value) for k, f in out.items()] == [("killed|people|", 31)]
    groups = keyed([_by(31, "soldiers"), _by(31, "civilians")])
    assert list(groups) == ["killed|soldiers|", "killed|civilians|"]  # two groups: two figures
    restated = keyed([_by(12, "soldiers"), _by(12, "ukrainian soldiers", "general staff")])
    assert list(restated) == ["killed|soldiers|"]


def test_a_value_left_behind_by_an_update_is_no_alert_and_a_new_one_is() -> None:
    # the headline goes to 35 while the body still says 31: one change, 31 is no new figure
    prev = {k: known(f, k) for k, f in keyed([_by(31, "people", "ministry")]).items()}
    now = keyed([_by(35, "people", "ministry"), _by(31, "people", "ministry")])
    got = [(c.kind, c.key, c.new and c.new.value) for c in diff(prev, now)]
    assert got == [
        ("changed", "killed|people|ministry", 35),
        ("moved", "killed|people|ministry#2", 31),
    ]
    # a value never stated before under that identity is new
    other = keyed([_by(31, "people", "ministry"), _by(9, "people", "ministry")])
    assert [c.kind for c in diff(prev, other)] == ["new"]


def test_a_value_left_behind_leaves_without_an_alert_and_an_announced_one_does_not() -> None:
    changes = diff(
        {k: known(f, k) for k, f in keyed([_by(31, "people", "ministry")]).items()},
        keyed([_by(35, "people", "ministry"), _by(31, "people", "ministry")]),
    )
    assert [(c.kind, c.alerts, c.announces) for c in changes] == [
        ("changed", True, True),
        ("moved", False, False),  # the body's 31, left behind: stored as never announced
    ]
    stored = {
        c.key: dataclasses.replace(known(c.new, c.key), announced=c.announces)
        for c in changes
        if c.new is not None
    }
    # the body catches up: its 31 is retired quietly
    caught_up = diff(stored, keyed([_by(35, "people", "ministry")]))
    assert [(c.kind, c.key, c.alerts) for c in caught_up] == [
        ("retired", "killed|people|ministry#2", False)
    ]
    # both statements cut: the announced toll's removal is alerted, the 31 again goes quietly
    gone = diff(stored, {})
    assert [(c.kind, c.alerts) for c in gone] == [("removed", True), ("retired", False)]


def _alerted(before: list[Figure], after: list[Figure]) -> list[tuple[str, int | None, int]]:
    """(kind, old value, new or removed value) of each alerting change, in diff's order."""
    prev = {k: known(f, k) for k, f in keyed(before).items()}
    out = []
    for c in diff(prev, keyed(after)):
        if c.alerts:
            now = c.new.value if c.new is not None else c.old.value if c.old else 0
            out.append((c.kind, c.old.value if c.old and c.new else None, now))
    return out


def test_two_tolls_of_one_identity_that_swap_places_keep_their_keys() -> None:
    port, villages = _by(42, "people"), _by(12, "people")
    assert _alerted([port, villages], [villages, port]) == []
    # then one rises and a third toll appears: one change, one new figure
    risen, third = _by(47, "people"), _by(5, "people")
    assert _alerted([port, villages], [villages, risen, third]) == [
        ("changed", 42, 47),
        ("new", None, 5),
    ]
    # the first of three is cut: the one removed is that one, not the last by position
    hills = _by(3, "people")
    assert _alerted([port, villages, hills], [villages, hills]) == [("removed", None, 42)]


def test_a_toll_whose_group_is_named_or_unnamed_in_a_rewrite_is_the_same_figure() -> None:
    # "270 were killed" after "the enemy lost 270 killed", then the sentence order changes
    assert _alerted([_by(270, "enemy")], [_by(270, "people")]) == []
    assert _alerted([_by(270, "people")], [_by(270, "enemy")]) == []
    # another group with another value: a figure removed, a new one
    assert [k for k, _, _ in _alerted([_by(270, "enemy")], [_by(40, "civilians")])] == [
        "new",
        "removed",
    ]


def test_one_value_restated_under_an_identity_that_differs_in_one_part_is_a_rewording() -> None:
    """A rewrite that takes the subject from another clause, or reads one toll as killed here
    and killed-or-wounded there, restates the same value: recorded under its new key, silently.
    """
    battalion, infantry = _by(509, "battalion", "army"), _by(509, "16th infantry", "army")
    assert _alerted([battalion], [infantry]) == []
    assert _alerted([_by(118, "rebels"), _by(4, "police")], [_by(118, "fighters")]) == [
        ("removed", None, 4)
    ]
    flipped = dataclasses.replace(battalion, category=Category.KILLED_OR_WOUNDED)
    assert _alerted([battalion], [flipped]) == []
    [moved] = diff(
        {"killed|battalion|army": known(battalion, "killed|battalion|army")}, keyed([flipped])
    )
    assert (moved.kind, moved.old_key, moved.key) == (
        "moved",
        "killed|battalion|army",
        "killed_or_wounded|battalion|army",
    )
    # not a rewording: two parts differ, a value that moved, missing people
    # now counted dead, killed read as wounded (a correction), two candidates for one value
    assert len(_alerted([battalion], [_by(509, "civilians", "rebels")])) == 2
    # (the only vanished and only new toll of one claimant: one figure that changed, as before)
    assert _alerted([battalion], [dataclasses.replace(infantry, value=510)]) == [
        ("changed", 509, 510)
    ]
    missing = dataclasses.replace(battalion, category=Category.MISSING)
    assert len(_alerted([missing], [battalion])) == 2
    wounded = dataclasses.replace(battalion, category=Category.WOUNDED)
    assert len(_alerted([battalion], [wounded])) == 2
    twice = [infantry, _by(509, "militia", "army")]
    assert [k for k, _, _ in _alerted([battalion], twice)] == ["new", "new", "removed"]


def test_a_toll_that_gains_the_claimant_of_a_second_toll_keeps_both() -> None:
    # a caption cut from the page: the first toll is now read as the agency's too
    before = [_by(78, "people"), _by(68, "people", "agency")]
    assert _alerted(before, [_by(78, "people", "agency"), _by(68, "people", "agency")]) == []


def test_a_headline_updated_before_its_body_under_a_slightly_other_identity_is_one_change() -> None:
    """The body's toll named its claimant in full ("the school's headteacher"), the headline
    shortly ("the headteacher"): one figure. The desk raises the headline first: one change of
    that figure, and the body's old value kept without an alert, as within one identity."""
    body = _by(287, "students", "school headteacher")
    headline = dataclasses.replace(_by(315, "students", "headteacher"), start=0)
    body = dataclasses.replace(body, start=120)
    assert _alerted([body], [headline, body]) == [("changed", 287, 315)]
    # A new toll further down the page is a new figure, not a change of the one above it.
    below = dataclasses.replace(_by(30, "students", "headteacher"), start=400)
    assert _alerted([body], [body, below]) == [("new", None, 30)]


def test_a_value_left_behind_that_catches_up_as_the_headline_moves_on_is_no_alert() -> None:
    """Headline and body say 31; the headline goes to 35 (one change, the body's 31 kept
    unannounced); then the headline goes to 40 as the body reaches 35: one change, 35 -> 40.
    The body's move from 31 to 35 only repeats what was announced."""
    ministry = [_by(31, "people", "ministry")]
    stored = {k: known(f, k) for k, f in keyed(ministry).items()}
    for headline, body, want in [(35, 31, [("changed", 31, 35)]), (40, 35, [("changed", 35, 40)])]:
        now = keyed([_by(headline, "people", "ministry"), _by(body, "people", "ministry")])
        changes = diff(stored, now)
        alerted = [
            (c.kind, c.old and c.old.value, c.new and c.new.value) for c in changes if c.alerts
        ]
        assert alerted == want
        stored = {
            c.key: dataclasses.replace(known(c.new, c.key), announced=c.announces)
            for c in changes
            if c.new is not None
        } | {k: v for k, v in stored.items() if k in now and k not in {c.key for c in changes}}
    # a value left behind that moves to one never stated is still a change
    now = keyed([_by(40, "people", "ministry"), _by(37, "people", "ministry")])
    assert [c.kind for c in diff(stored, now) if c.alerts] == ["changed"]


def claimed(value: int, subject: str, claimant: str) -> Figure:
    return dataclasses.replace(
        fig(value, subject=subject), claimant=claimant, claimant_key=claimant
    )


def test_one_toll_stated_by_two_claimants_is_one_figure() -> None:
    """ "420 dead, says rights group" above "at least 420 people, according to a human rights
    organisation": one toll, whoever the page credits it to each time."""
    page = [claimed(420, "protesters", "rights group"), claimed(420, "people", "organisation")]
    assert list(keyed(page)) == ["killed|protesters|rights group"]
    prev = {k: known(f, k) for k, f in keyed(page).items()}
    risen = [claimed(462, "protesters", "rights group"), claimed(420, "people", "organisation")]
    # the headline rose; the body's 420 left behind is no new figure
    assert [c.kind for c in diff(prev, keyed(risen)) if c.alerts] == ["changed"]
    other_group = [claimed(420, "protesters", "rights group"), claimed(420, "police", "ministry")]
    assert len(keyed(other_group)) == 2
