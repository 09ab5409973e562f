"""Pure rules of the lists, table-driven, no database."""

from datetime import date
from decimal import Decimal

import pytest

from responsibilities import rules


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2015, None), (2016, 1), (2020, 1), (2021, 2), (2030, 2)],
)
def test_template_in_force_is_the_latest_effective_on_or_before_the_year(year, expected):
    assert rules.template_in_force([(1, 2016), (2, 2021)], year) == expected


@pytest.mark.parametrize(
    ("deadline", "today", "overdue"),
    [
        (date(2026, 6, 30), date(2026, 6, 29), False),  # the day before
        (date(2026, 6, 30), date(2026, 6, 30), False),  # the deadline day is still in time
        (date(2026, 6, 30), date(2026, 7, 1), True),  # the day after
        (date(2024, 2, 29), date(2024, 3, 1), True),  # leap day
    ],
)
def test_overdue_from_the_day_after_the_deadline(deadline, today, overdue):
    assert rules.is_overdue(False, deadline, today) is overdue


def test_done_task_is_never_overdue():
    assert rules.is_overdue(True, date(2026, 1, 1), date(2026, 12, 31)) is False


@pytest.mark.parametrize(
    ("deadline", "due_soon"),
    [(date(2026, 6, 1), True), (date(2026, 7, 1), True), (date(2026, 7, 2), False), (date(2026, 5, 31), False)],
)
def test_due_soon_covers_the_next_thirty_days(deadline, due_soon):
    assert rules.is_due_soon(False, deadline, date(2026, 6, 1)) is due_soon


@pytest.mark.parametrize(
    ("current", "target", "actor"),
    [
        ("draft", "submitted", "office"),
        ("submitted", "confirmed", "secretary"),
        ("submitted", "draft", "secretary"),
        ("confirmed", "closed", "office"),
        ("draft", "confirmed", None),
        ("draft", "closed", None),
        ("closed", "draft", None),
        ("confirmed", "draft", None),
    ],
)
def test_list_transitions_name_who_may_move_and_refuse_the_rest(current, target, actor):
    assert rules.transition_actor(current, target) == actor


def test_submitted_and_confirmed_lists_need_a_reason_and_only_closed_lists_are_locked():
    assert [rules.edit_needs_reason(s) for s in ("draft", "submitted", "confirmed", "closed")] == [
        False,
        True,
        True,
        False,
    ]
    assert [rules.list_is_locked(s) for s in ("draft", "submitted", "confirmed", "closed")] == [
        False,
        False,
        False,
        True,
    ]


@pytest.mark.parametrize(
    ("current", "percent", "expected"),
    [
        ("not_started", 0, "not_started"),
        ("not_started", 10, "in_progress"),
        ("in_progress", 50, "in_progress"),
        ("in_progress", 100, "done"),
        ("not_started", 100, "done"),
    ],
)
def test_progress_moves_the_status_forward(current, percent, expected):
    assert rules.status_after_progress(current, percent) == expected


@pytest.mark.parametrize(
    ("done", "total", "rate"),
    [(0, 0, None), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (1, 8, Decimal("12.5")), (3, 3, Decimal("100.0"))],
)
def test_completion_rate_has_one_decimal_rounded_half_up(done, total, rate):
    assert rules.completion_rate(done, total) == rate


@pytest.mark.parametrize(
    ("child", "parent", "lagging"),
    [("50.0", "70.0", True), ("50.1", "70.0", False), ("10.0", "20.0", False), (None, "70.0", False)],
)
def test_a_child_lags_at_twenty_points_or_more_below_its_parent(child, parent, lagging):
    child_rate = Decimal(child) if child is not None else None
    assert rules.is_lagging(child_rate, Decimal(parent)) is lagging


@pytest.mark.parametrize(
    ("kind", "takes"),
    [("committee", False), ("secretary", False), ("leader_in_charge", True), ("member", True)],
)
def test_supervision_notes_go_on_the_urged_members_lists_only(kind, takes):
    assert rules.takes_supervision_notes(kind) is takes


def test_a_quantity_without_its_unit_is_refused_at_the_unit():
    from datetime import date

    asked = {"standard": "有纪要", "deadline": date(2026, 6, 30), "year": 2026}
    assert rules.task_problems(quantity=4, unit="", **asked) == {
        "unit": "填写了数量的任务必须写明单位（例如 次、篇、人次）。"
    }
    assert rules.task_problems(quantity=4, unit="次", **asked) == {}
    assert rules.task_problems(quantity=None, unit="", **asked) == {}
