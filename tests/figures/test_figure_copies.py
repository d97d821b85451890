"""with_subject / with_claimant build the same Figure as dataclasses.replace (field order kept);
a Figure survives pickling (a parsing worker sends its figures back) and stays frozen."""

import pickle
from copy import copy, deepcopy
from dataclasses import FrozenInstanceError, fields, replace

import pytest

from pipeline.figures.model import Category, Figure, Qualifier, with_claimant, with_subject


def _figure() -> Figure:
    return Figure(
        category=Category.WOUNDED,
        value=12,
        value_max=15,
        qualifier=Qualifier.AT_LEAST,
        subject="villagers",
        claimant="the district office",
        sentence="At least 12 to 15 villagers were hurt, the district office said.",
        start=40,
        end=104,
        rule="right:hurt",
        subject_key="villagers key",
        claimant_key="district office key",
    )


def test_with_subject_is_replace() -> None:
    f = _figure()
    got = with_subject(f, "farmers", "farmers key")
    assert got == replace(f, subject="farmers", subject_key="farmers key")
    assert got != f


def test_with_claimant_is_replace() -> None:
    f = _figure()
    got = with_claimant(f, "the governor", None)
    assert got == replace(f, claimant="the governor", claimant_key=None)
    assert got != f


def test_every_field_is_carried() -> None:
    f = _figure()
    for copied in (with_subject(f, f.subject, f.subject_key), with_claimant(f, f.claimant, "x")):
        kept = [x.name for x in fields(Figure) if getattr(copied, x.name) == getattr(f, x.name)]
        assert len(kept) >= len(fields(Figure)) - 1


def test_a_figure_survives_pickling_and_copying() -> None:
    f = with_claimant(_figure(), None, None)  # a None among the fields too
    for back in (pickle.loads(pickle.dumps(f)), copy(f), deepcopy(f)):
        assert back == f
        assert hash(back) == hash(f)
        assert [getattr(back, x.name) for x in fields(Figure)] == [
            getattr(f, x.name) for x in fields(Figure)
        ]


def test_a_figure_is_frozen() -> None:
    f = _figure()
    with pytest.raises(FrozenInstanceError):
        f.value = 13  # type: ignore[misc]
    assert f.value == 12
