"""Accountability rules as pure functions, table-driven: periods, boundaries, leap years, overlaps."""

from datetime import date, timedelta

import pytest

from accountability import rules
from accountability.rules import (
    NO_AWARD,
    NO_EQUAL_OR_HIGHER_POST,
    NO_HIGHER_POST,
    NO_POST,
    NO_PROMOTION,
    Period,
    add_months,
    bars_on,
    period_for,
)
from tests.accountability.article import ARTICLE


def periods_of(measure: str, decided_on: date) -> list[Period]:
    """Every period a decision with the article's ``measure`` imposes, one per consequence (as
    ``services.decision_preview`` computes them)."""
    return [period_for(kind, decided_on, months) for kind, months in ARTICLE[measure]]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 3, 15), 12, date(2025, 3, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # the domain's example
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # a leap year again
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 12, 31), 18, date(2026, 6, 30)),
    ],
)
def test_a_period_ends_on_the_same_calendar_day_or_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("measure", "decided_on", "kind", "day", "holds"),
    [
        # 调整职务: no promotion for one year from 2025-06-20: eligible again on 2026-06-20.
        ("调整职务", date(2025, 6, 20), NO_PROMOTION, date(2025, 6, 19), False),  # before the decision
        ("调整职务", date(2025, 6, 20), NO_PROMOTION, date(2025, 6, 20), True),  # the decision day
        ("调整职务", date(2025, 6, 20), NO_PROMOTION, date(2026, 6, 19), True),  # the day before the end
        ("调整职务", date(2025, 6, 20), NO_PROMOTION, date(2026, 6, 20), False),  # the end day: eligible
        ("调整职务", date(2025, 6, 20), NO_PROMOTION, date(2026, 6, 21), False),  # the day after
        # 降职: no promotion for two years.
        ("降职", date(2024, 2, 29), NO_PROMOTION, date(2026, 2, 27), True),
        ("降职", date(2024, 2, 29), NO_PROMOTION, date(2026, 2, 28), False),
        # 免职 / 引咎辞职 / 责令辞职: no post for one year, no higher post for two.
        ("免职", date(2024, 2, 29), NO_POST, date(2025, 2, 27), True),
        ("免职", date(2024, 2, 29), NO_POST, date(2025, 2, 28), False),
        ("免职", date(2024, 2, 29), NO_HIGHER_POST, date(2026, 2, 27), True),
        ("免职", date(2024, 2, 29), NO_HIGHER_POST, date(2026, 2, 28), False),
        ("引咎辞职", date(2025, 1, 10), NO_POST, date(2026, 1, 9), True),
        ("引咎辞职", date(2025, 1, 10), NO_HIGHER_POST, date(2026, 1, 10), True),
        ("责令辞职", date(2025, 1, 10), NO_POST, date(2026, 1, 10), False),
        # "That year": the award bar lasts to 31 December of the decision's year.
        ("责令作出书面检查", date(2025, 11, 30), NO_AWARD, date(2025, 12, 31), True),
        ("责令作出书面检查", date(2025, 11, 30), NO_AWARD, date(2026, 1, 1), False),
        ("通报批评", date(2024, 12, 31), NO_AWARD, date(2024, 12, 31), True),
        ("停职检查", date(2025, 1, 1), NO_AWARD, date(2024, 12, 31), False),
    ],
)
def test_each_measure_restricts_exactly_its_period(measure, decided_on, kind, day, holds):
    periods = [p for p in periods_of(measure, decided_on) if p.kind == kind]
    assert len(periods) == 1
    assert periods[0].holds_on(day) is holds


# The first day each period no longer holds, written out by hand for three decision days: an
# ordinary one, 29 February of a leap year, and the last day of a year. None = "that year".
END_DAYS = {
    (None, date(2025, 6, 20)): date(2026, 1, 1),
    (None, date(2024, 2, 29)): date(2025, 1, 1),
    (None, date(2024, 12, 31)): date(2025, 1, 1),
    (12, date(2025, 6, 20)): date(2026, 6, 20),
    (12, date(2024, 2, 29)): date(2025, 2, 28),
    (12, date(2024, 12, 31)): date(2025, 12, 31),
    (24, date(2025, 6, 20)): date(2027, 6, 20),
    (24, date(2024, 2, 29)): date(2026, 2, 28),
    (24, date(2024, 12, 31)): date(2026, 12, 31),
}
ONE_DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("measure", "kind", "months", "decided_on"),
    [
        (measure, kind, months, decided_on)
        for measure, consequences in ARTICLE.items()
        for kind, months in consequences
        for decided_on in (date(2025, 6, 20), date(2024, 2, 29), date(2024, 12, 31))
    ],
)
def test_every_consequence_of_every_measure_at_its_boundaries(measure, kind, months, decided_on):
    end = END_DAYS[(months, decided_on)]
    [period] = [p for p in periods_of(measure, decided_on) if p.kind == kind]
    assert period.holds_on(decided_on - ONE_DAY) is False  # the day before the decision
    assert period.holds_on(decided_on) is True  # the decision day
    assert period.holds_on(end - ONE_DAY) is True  # the day before the end
    assert period.holds_on(end) is False  # the end day: eligible again
    assert period.holds_on(end + ONE_DAY) is False  # the day after


def test_overlapping_restrictions_of_one_kind_last_until_the_latest_end():
    first = period_for(NO_PROMOTION, date(2024, 1, 10), 24)  # to 2026-01-10
    second = period_for(NO_PROMOTION, date(2025, 3, 1), 12)  # to 2026-03-01
    assert bars_on([first, second], date(2025, 6, 1))[NO_PROMOTION].lifts_on == date(2026, 3, 1)
    assert bars_on([first, second], date(2026, 1, 10))[NO_PROMOTION].lifts_on == date(2026, 3, 1)
    assert NO_PROMOTION not in bars_on([first, second], date(2026, 3, 1))


def test_a_decision_taken_later_does_not_count_on_an_earlier_day():
    first = period_for(NO_PROMOTION, date(2024, 1, 10), 12)
    later = period_for(NO_PROMOTION, date(2024, 6, 1), 24)
    assert bars_on([first, later], date(2024, 3, 1))[NO_PROMOTION].lifts_on == date(2025, 1, 10)


def test_the_longer_of_a_discipline_and_an_accountability_period_governs():
    removal = period_for(NO_HIGHER_POST, date(2025, 1, 1), 24)
    revoked_party_post = period_for(NO_EQUAL_OR_HIGHER_POST, date(2025, 1, 1), 24)
    serious_warning = period_for(NO_PROMOTION, date(2025, 1, 1), 18)
    adjusted = period_for(NO_PROMOTION, date(2025, 1, 1), 12)
    bars = bars_on([removal, revoked_party_post, serious_warning, adjusted], date(2026, 3, 1))
    assert bars[NO_PROMOTION].lifts_on == date(2026, 7, 1)
    assert set(bars) == {NO_HIGHER_POST, NO_EQUAL_OR_HIGHER_POST, NO_PROMOTION}


def test_a_period_never_lasts_less_than_a_month():
    with pytest.raises(ValueError):
        period_for(NO_PROMOTION, date(2025, 1, 1), 0)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("filed", "investigating", True),
        ("investigating", "reviewing", True),
        ("reviewing", "decided", True),
        ("decided", "executed", True),
        ("executed", "closed", True),
        ("investigating", "closed", True),  # 不予问责
        ("filed", "decided", False),
        ("filed", "closed", False),
        ("decided", "reviewing", False),
        ("closed", "investigating", False),
        ("executed", "decided", False),
    ],
)
def test_case_moves_follow_the_table(current, target, allowed):
    assert rules.case_may_move(current, target) is allowed


@pytest.mark.parametrize(
    ("previous", "suggested"),
    [
        ([], "remind"),
        (["remind"], "criticise"),
        (["remind", "remind"], "criticise"),
        (["remind", "criticise"], "talk"),
        (["talk"], None),
        (["criticise", "remind"], "talk"),
    ],
)
def test_early_sign_measures_escalate(previous, suggested):
    assert rules.next_intervention(previous) == suggested


def test_period_end_is_exclusive():
    period = Period(NO_POST, date(2025, 1, 1), date(2026, 1, 1))
    assert period.holds_on(date(2025, 12, 31)) and not period.holds_on(date(2026, 1, 1))


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (date(2025, 3, 9), "pending"),
        (date(2025, 3, 10), "in_force"),
        (date(2026, 3, 9), "in_force"),
        (date(2026, 3, 10), "ended"),
    ],
)
def test_a_restriction_is_pending_then_in_force_then_ended(day, state):
    assert rules.Period("no_promotion", date(2025, 3, 10), date(2026, 3, 10)).state_on(day) == state


def test_no_post_at_all_answers_no_to_a_promotion_and_to_every_post():
    bars = {
        "no_post": rules.Bar("no_post", date(2027, 5, 1)),
        "no_higher_post": rules.Bar("no_higher_post", date(2028, 5, 1)),
    }
    assert rules.answering_bar(bars, "no_promotion") == rules.Bar("no_post", date(2027, 5, 1))
    assert rules.answering_bar(bars, "no_equal_or_higher_post") == rules.Bar("no_post", date(2027, 5, 1))
    # The higher-post question holds for the longer of the two.
    assert rules.answering_bar(bars, "no_higher_post") == rules.Bar("no_higher_post", date(2028, 5, 1))
    assert rules.answering_bar(bars, "no_award") is None


def test_no_equal_or_higher_post_also_answers_no_to_a_higher_post():
    bars = {"no_equal_or_higher_post": rules.Bar("no_equal_or_higher_post", date(2028, 1, 1))}
    assert rules.answering_bar(bars, "no_higher_post") == rules.Bar("no_equal_or_higher_post", date(2028, 1, 1))
    assert rules.answering_bar(bars, "no_promotion") is None
    assert rules.answering_bar(bars, "no_post") is None
