"""The pure rules of 问题清单 and 整改: status moves, who may 销号, when a problem may be closed, the
deadline and 数量/标准 of measures, overdue, and the 整改率. No database."""

from datetime import date
from decimal import Decimal

import pytest

from responsibilities import rules


@pytest.mark.parametrize(
    ("current", "target", "actor"),
    [
        ("open", "rectifying", "rectifier"),
        ("rectifying", "review", "rectifier"),
        ("review", "closed", "reviewer"),
        ("review", "rectifying", "reviewer"),
        ("open", "review", None),  # no measure yet: nothing to check
        ("open", "closed", None),
        ("rectifying", "closed", None),  # 销号 only after 复核 was asked for
        ("closed", "rectifying", None),  # a closed problem stays closed
        ("closed", "open", None),
        ("review", "open", None),
    ],
)
def test_problem_moves_are_the_allowed_transitions(current, target, actor):
    assert rules.problem_transition_actor(current, target) == actor


@pytest.mark.parametrize(
    ("finder", "reviewer_paths", "allowed"),
    [
        ("00010001", ["00010001"], True),  # the finder itself
        ("00010001", ["0001"], True),  # the level above the finder
        ("00010001", ["000100010001"], False),  # the organisation below it (the one that rectifies)
        ("00010001", ["00010002"], False),  # beside it
        ("00010001", [], False),
        ("00010001", ["00020001", "0001"], True),
        ("00010001", None, True),  # a superuser
        ("00010001", ["000100011"], False),  # a longer path is never above
    ],
)
def test_only_the_finder_or_an_organisation_above_it_reviews(finder, reviewer_paths, allowed):
    assert rules.reviews_problem(finder, reviewer_paths) is allowed


def test_a_problem_is_closed_only_with_every_measure_done_and_at_least_one():
    assert rules.closing_refusal(open_measures=0, total_measures=3) is None
    assert rules.closing_refusal(open_measures=1, total_measures=3) == "还有 1 项整改措施未完成，不能销号。"
    assert rules.closing_refusal(open_measures=0, total_measures=0) == "该问题还没有整改措施，不能销号。"


@pytest.mark.parametrize(
    ("deadline", "long_term", "field_error"),
    [
        (date(2026, 3, 1), False, None),
        (date(2026, 3, 1), True, None),
        (date(2026, 2, 28), False, "整改时限不能早于发现日期。"),
        (date(2027, 3, 1), False, None),  # 365 days later
        (date(2027, 3, 2), False, "整改时限超过一年的，请标记为长期整改并设置阶段性目标。"),
        (date(2028, 12, 31), True, None),
        (None, False, "请填写整改时限。"),
    ],
)
def test_the_deadline_of_a_problem(deadline, long_term, field_error):
    problems = rules.problem_deadline_problems(found_on=date(2026, 3, 1), deadline=deadline, long_term=long_term)
    assert problems.get("deadline") == field_error


def measure(**changes):
    fields = dict(
        quantity=None,
        unit="",
        standard="",
        deadline=date(2026, 5, 1),
        problem_deadline=date(2026, 6, 30),
        milestone=False,
        long_term=False,
    )
    return rules.measure_problems(**(fields | changes))


def test_a_measure_states_a_quantity_with_its_unit_or_a_standard():
    assert measure(standard="形成整改报告") == {}
    assert measure(quantity=Decimal(2), unit="次") == {}
    assert measure() == {"standard": "未填写数量的整改措施必须写明标准。"}
    assert measure(quantity=Decimal(2)) == {"unit": "填写了数量的整改措施必须写明单位（例如 次、篇、人次）。"}
    assert measure(quantity=Decimal(-1), unit="次")["quantity"] == "数量不能为负数。"


def test_a_measure_is_due_by_the_problem_deadline_and_milestones_are_for_long_term_problems():
    assert measure(standard="有记录", deadline=date(2026, 6, 30)) == {}
    assert measure(standard="有记录", deadline=date(2026, 7, 1)) == {
        "deadline": "完成时限不能晚于问题的整改时限（2026-06-30）。"
    }
    assert measure(standard="有记录", milestone=True) == {"milestone": "只有长期整改的问题才设阶段性目标。"}
    assert measure(standard="有记录", milestone=True, long_term=True) == {}


@pytest.mark.parametrize(
    ("status", "deadline", "overdue"),
    [
        ("open", date(2026, 3, 9), True),
        ("rectifying", date(2026, 3, 9), True),
        ("review", date(2026, 3, 9), True),  # still open until closed
        ("closed", date(2026, 3, 9), False),
        ("open", date(2026, 3, 10), False),  # the deadline day itself is in time
    ],
)
def test_a_problem_is_overdue_while_open_past_its_deadline(status, deadline, overdue):
    assert rules.problem_is_overdue(status, deadline, date(2026, 3, 10)) is overdue


def test_the_rectification_rate_and_the_sum_of_counts():
    counts = rules.ProblemCounts(found=3, rectified=1, overdue=1) + rules.ProblemCounts(found=5, rectified=4)
    assert counts == rules.ProblemCounts(found=8, rectified=5, overdue=1)
    assert counts.rate == Decimal("62.5")
    assert rules.ProblemCounts().rate is None
    assert rules.ProblemCounts(found=3, rectified=2).rate == Decimal("66.7")
