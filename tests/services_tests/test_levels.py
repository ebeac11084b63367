"""The level rule against hand-computed cases: level N needs every criterion of levels 1
to N met; claimed and verified levels differ by the claims awaiting."""

import pytest

from services.levels import LEVEL_NAMES, Method, levels_of
from services.models import MAX_LEVEL, Answer, Criterion

# a (1), b and c (2), d (3): no criterion of level 4.
METHOD = Method({"a": 1, "b": 2, "c": 2, "d": 3})


@pytest.mark.parametrize(
    ("met", "level"),
    [
        (set(), 0),
        ({"b", "c", "d"}, 0),  # everything but the first level's: still 0
        ({"a"}, 1),
        ({"a", "b"}, 1),  # half of level 2 is not level 2
        ({"a", "b", "c"}, 2),
        ({"a", "c", "d"}, 1),  # d (level 3) counts for nothing without b
        ({"a", "b", "c", "d"}, MAX_LEVEL),  # level 4 has no criterion: passed
    ],
)
def test_a_level_needs_every_criterion_of_it_and_below(met, level):
    assert METHOD.level_of(met) == level


def test_no_and_unknown_count_alike_and_a_claim_awaiting_is_not_verified():
    answers = [("a", Answer.YES, False), ("b", Answer.YES, True), ("c", Answer.YES, False)]
    assert (levels_of(answers, METHOD).claimed, levels_of(answers, METHOD).verified) == (2, 1)
    for not_met in (Answer.NO, Answer.UNKNOWN):
        answers = [("a", not_met, False), ("b", Answer.YES, False), ("c", Answer.YES, False)]
        assert levels_of(answers, METHOD).claimed == 0


@pytest.mark.django_db
def test_the_first_set_of_criteria_spans_every_level_and_retired_ones_do_not_count():
    method = Method.current()
    assert sorted(set(method.levels.values())) == list(range(1, MAX_LEVEL + 1))
    level_one = [code for code, level in method.levels.items() if level == 1]
    assert method.level_of(level_one) == 1
    Criterion.objects.filter(level=2).update(active=False)
    assert Method.current().level_of(level_one) == 2  # level 2 has none in use now


def test_every_level_has_a_name():
    assert sorted(LEVEL_NAMES) == list(range(MAX_LEVEL + 1))
