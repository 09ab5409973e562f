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

# A question about a post is also answered "no" while a broader bar holds: no post at all bars a
# promotion and every post; no post equal to or above the former one bars a higher one.
IMPLIED_BY = {
    NO_PROMOTION: (NO_POST,),
    NO_HIGHER_POST: (NO_POST, NO_EQUAL_OR_HIGHER_POST),
    NO_EQUAL_OR_HIGHER_POST: (NO_POST,),
}


def answering_kinds(kind: str) -> tuple[str, ...]:
    """The kinds of restriction that answer "no" to the question about ``kind``."""
    return (kind, *IMPLIED_BY.get(kind, ()))


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


def answering_bar(bars: dict[str, "Bar"], kind: str) -> "Bar | None":
    """The bar that answers the question about ``kind`` on the day of ``bars``: its own or a broader
    one in force, whichever lifts last; None when the answer is yes."""
    found = [bars[k] for k in answering_kinds(kind) if k in bars]
    return max(found, key=lambda bar: bar.lifts_on) if found else None


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


# ---- Which rule set judges a decision (adoption) --------------------------------------------------


@dataclass(frozen=True)
class Adoption:
    """An organisation's decision to apply a rule set to its subtree from ``starts_on`` (inclusive)
    to ``ends_on`` (its last day, inclusive; None: open)."""

    key: object  # the adoption's id (or any marker the caller recognises)
    organisation_path: str
    rule_set: object  # the rule set's id
    starts_on: date
    ends_on: date | None = None

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def covers(self, path: str) -> bool:
        return path.startswith(self.organisation_path)


class NoRuleSet(Exception):
    """No organisation on the way up has adopted a rule set in force on the day."""


def adoption_for(adoptions, path: str, day: date) -> Adoption:
    """The adoption that judges a decision taken on ``day`` for the organisation at ``path``: of the
    adoptions of that organisation and its ancestors in force on the day, the nearest one's.

    Raises ``NoRuleSet`` when there is none.
    """
    found = [a for a in adoptions if a.covers(path) and a.in_force_on(day)]
    if not found:
        raise NoRuleSet(path, day)
    return max(found, key=lambda a: len(a.organisation_path))


def overlaps(first_from: date, first_until: date | None, second_from: date, second_until: date | None) -> bool:
    """Whether two inclusive date ranges (None: open end) share a day."""
    return (second_until is None or first_from <= second_until) and (first_until is None or second_from <= first_until)


def coverage(adoptions, day: date) -> list[tuple[Adoption, list[Adoption]]]:
    """Where each adoption is in force on ``day``: the adoptions in force that day, each with the
    adoptions below it that take their part of its subtree (the nearest one wins there) and apply
    another rule set. Ordered by the organisation's path."""
    in_force = sorted((a for a in adoptions if a.in_force_on(day)), key=lambda a: a.organisation_path)
    result = []
    for adoption in in_force:
        below = [
            other
            for other in in_force
            if other is not adoption
            and other.organisation_path != adoption.organisation_path
            and adoption.covers(other.organisation_path)
        ]
        # Only the outermost adoptions below: deeper ones lie inside those already named.
        outermost = [b for b in below if not any(o is not b and o.covers(b.organisation_path) for o in below)]
        result.append((adoption, [b for b in outermost if b.rule_set != adoption.rule_set]))
    return result


# ---- What a change of rules would change (what-if) ------------------------------------------------


@dataclass(frozen=True)
class MeasureRule:
    """A measure of a rule set as plain values: ``consequences`` maps a kind to months (None: that year)."""

    code: str
    name: str
    category: str
    consequences: dict[str, int | None]
    source: str = ""
    consequence_sources: tuple[tuple[str, str], ...] = ()  # (kind, source) pairs

    @property
    def lines(self) -> list[tuple[str, int | None, str]]:
        """(kind, months, source) of each consequence, in the order of the kinds."""
        sources = dict(self.consequence_sources)
        return [(kind, months, sources.get(kind, "")) for kind, months in self.consequences.items()]


ABSENT = "absent"  # the measure imposes no restriction of this kind


@dataclass(frozen=True)
class KindChange:
    kind: str
    before: object  # months, None for "that year", or ABSENT
    after: object

    @property
    def delta_months(self) -> int | None:
        """How many months longer (positive) or shorter the restriction becomes, when both are months."""
        if isinstance(self.before, int) and isinstance(self.after, int):
            return self.after - self.before
        return None


SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"


@dataclass(frozen=True)
class MeasureDiff:
    code: str
    before: MeasureRule | None
    after: MeasureRule | None
    changes: list[KindChange]

    @property
    def status(self) -> str:
        if self.before is None:
            return ADDED
        if self.after is None:
            return REMOVED
        return CHANGED if self.changes or self.before.name != self.after.name else SAME

    @property
    def name(self) -> str:
        return (self.after or self.before).name

    @property
    def sides(self) -> tuple:
        return (self.before, self.after)


def measure_differences(before: list[MeasureRule], after: list[MeasureRule]) -> list[MeasureDiff]:
    """Measure by measure (matched by code: a copied rule set keeps its measures' codes), how the
    consequences differ in kind and in months. Order: the new set's measures, then those it drops."""
    old = {m.code: m for m in before}
    new_codes = {m.code for m in after}
    rows = []
    for measure in after:
        previous = old.get(measure.code)
        rows.append(MeasureDiff(measure.code, previous, measure, _kind_changes(previous, measure)))
    rows += [MeasureDiff(m.code, m, None, _kind_changes(m, None)) for m in before if m.code not in new_codes]
    return rows


def _kind_changes(before: MeasureRule | None, after: MeasureRule | None) -> list[KindChange]:
    old = before.consequences if before else {}
    new = after.consequences if after else {}
    changes = []
    for kind in [k for k in KIND_ORDER if k in old or k in new]:
        was, becomes = old.get(kind, ABSENT), new.get(kind, ABSENT)
        if was != becomes:
            changes.append(KindChange(kind, was, becomes))
    return changes


def combined(periods: list[Period]) -> list[Period]:
    """One period per kind for a decision of several measures: the longest governs (a person barred
    from promotion by a demotion and by a Party warning is barred until the later end)."""
    longest: dict[str, Period] = {}
    for period in periods:
        if period.kind not in longest or period.ends_on > longest[period.kind].ends_on:
            longest[period.kind] = period
    return [longest[kind] for kind in KIND_ORDER if kind in longest]
