"""Pure rules of accountability: periods of restriction, combining them, case transitions, next steps.

No ORM and no request here: every function takes plain values, so the rules are tested table-driven.
"""

import calendar
from dataclasses import dataclass
from datetime import date

# ---- Kinds of restriction (影响期) ----------------------------------------------------------------

NO_AWARD = "no_award"  # 取消当年考核评优和评选各类先进的资格
NO_PROMOTION = "no_promotion"  # 不得提拔 / 不得提升职务
NO_POST = "no_post"  # 不得安排职务
NO_HIGHER_POST = "no_higher_post"  # 不得担任高于原任职务层次的职务
NO_EQUAL_OR_HIGHER_POST = "no_equal_or_higher_post"  # 不得担任与其原任职务相当或者高于其原任职务的职务
NO_REJOIN_PARTY = "no_rejoin_party"  # 不得重新入党

KIND_ORDER = [NO_AWARD, NO_PROMOTION, NO_POST, NO_HIGHER_POST, NO_EQUAL_OR_HIGHER_POST, NO_REJOIN_PARTY]


def add_months(day: date, months: int) -> date:
    """The same calendar day ``months`` later; the month's last day where that day does not exist.

    2024-02-29 + 12 months = 2025-02-28; 2024-01-31 + 1 month = 2024-02-29.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """A restriction holds from ``starts_on`` (the decision date) up to, not including, ``ends_on``.

    ``ends_on`` is the first day the person is eligible again.
    """

    kind: str
    starts_on: date
    ends_on: date

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day < self.ends_on

    def state_on(self, day: date) -> str:
        """ "pending" before the decision date, "in_force" while it holds, "ended" from ``ends_on``."""
        if day < self.starts_on:
            return "pending"
        return "in_force" if day < self.ends_on else "ended"


def period_for(kind: str, decided_on: date, months: int | None) -> Period:
    """The period a consequence imposes.

    ``months`` None means "that year" (当年): the calendar year of the decision, so eligibility
    returns on 1 January of the next year. Otherwise the period ends on the same calendar day
    ``months`` later (month-end clamped), and eligibility returns that day.
    """
    if months is None:
        return Period(kind, decided_on, date(decided_on.year + 1, 1, 1))
    if months <= 0:
        raise ValueError("a restriction lasts at least one month")
    return Period(kind, decided_on, add_months(decided_on, months))


@dataclass(frozen=True)
class Bar:
    """A restriction in force on a day, and the first day it no longer holds."""

    kind: str
    lifts_on: date


def bars_on(periods: list[Period], day: date) -> dict[str, Bar]:
    """The restrictions in force on ``day``, one per kind, each lifting on the latest end among the
    decisions of that kind in force that day (overlapping restrictions of one kind combine).

    Decisions taken after ``day`` do not count: on that day they did not exist yet.
    """
    bars: dict[str, Bar] = {}
    for period in periods:
        if period.holds_on(day):
            current = bars.get(period.kind)
            if current is None or period.ends_on > current.lifts_on:
                bars[period.kind] = Bar(period.kind, period.ends_on)
    return bars


# ---- Cases ----------------------------------------------------------------------------------------

FILED, INVESTIGATING, REVIEWING, DECIDED, EXECUTED, CLOSED = (
    "filed",
    "investigating",
    "reviewing",
    "decided",
    "executed",
    "closed",
)

# The moves a case may make, held as data: 立案 → 调查 → 审理 → 已决定 → 已执行 → 结案. A case found
# to need no accountability may be closed from 调查 or 审理 (不予问责), with a reason.
CASE_TRANSITIONS: dict[str, set[str]] = {
    FILED: {INVESTIGATING},
    INVESTIGATING: {REVIEWING, CLOSED},
    REVIEWING: {DECIDED, CLOSED},
    DECIDED: {EXECUTED},
    EXECUTED: {CLOSED},
    CLOSED: set(),
}


def case_may_move(current: str, target: str) -> bool:
    return target in CASE_TRANSITIONS.get(current, set())


def decision_allowed(status: str) -> bool:
    """A decision is recorded while the case is under review (审理), once."""
    return status == REVIEWING


# ---- Early signs ----------------------------------------------------------------------------------

REMIND, CRITICISE, TALK = "remind", "criticise", "talk"
ESCALATION = [REMIND, CRITICISE, TALK]


def next_intervention(previous: list[str]) -> str | None:
    """The step after the strongest one tried so far (提醒 → 批评教育 → 约谈); None after a talk,
    when the next step is no longer an early-sign measure but accountability (问责)."""
    if not previous:
        return REMIND
    strongest = max(ESCALATION.index(kind) for kind in previous)
    return ESCALATION[strongest + 1] if strongest + 1 < len(ESCALATION) else None
