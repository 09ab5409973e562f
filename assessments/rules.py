"""Pure rules of assessment: indicator scores, merging the parts, rounding, grades and quotas, ballots.

Rounding, stated once: scores are kept exact (Decimal) while they are combined; each part and the
composite are rounded half up to two decimals when stored or shown; ranks use the rounded composite,
and equal composites share a rank.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A number as people write it: 35, 2.5 — not 35.00."""
    text = format(Decimal(value).normalize(), "f")
    return text


# ---- Indicators ---------------------------------------------------------------------------------


def vague_reasons(quantity, deadline, standard: str) -> list[str]:
    """Why an indicator only asks whether something formally exists (偏虚): no 数量, no 时间, no 标准."""
    missing = []
    if quantity is None:
        missing.append("数量")
    if deadline is None:
        missing.append("时间")
    if not (standard or "").strip():
        missing.append("标准")
    return missing


def is_vague(quantity, deadline, standard: str) -> bool:
    """Flagged when all three are missing: the indicator then can only ask "was it set up / issued"."""
    return len(vague_reasons(quantity, deadline, standard)) == 3


def whole_shortfalls(points: Decimal, per_shortfall: Decimal) -> bool:
    """Whether a deduction is a whole number of shortfalls at the indicator's rate (any positive
    amount when the indicator sets no rate)."""
    return per_shortfall <= 0 or (points / per_shortfall) == (points / per_shortfall).to_integral_value()


def score_problems(
    points: list[Decimal], bonus: Decimal, per_shortfall: Decimal, bonus_cap: Decimal
) -> dict[str | int, str]:
    """Every reason a score is refused, at once: keyed by the deduction's index, or "bonus"."""
    problems: dict[str | int, str] = {}
    for index, value in enumerate(points):
        if value <= 0:
            problems[index] = _("扣分必须大于 0。")
        elif not whole_shortfalls(value, per_shortfall):
            problems[index] = _(
                "按评分规则每处差距扣 %(per)s 分：每项扣分应为 %(per)s 的整数倍（几处差距扣几倍）。"
            ) % {"per": plain(per_shortfall)}
    if bonus < 0:
        problems["bonus"] = _("加分不能为负数。")
    elif bonus > bonus_cap:
        problems["bonus"] = _("加分不能超过上限 %(cap)s 分。") % {"cap": plain(bonus_cap)}
    return problems


def indicator_score(max_score: Decimal, deductions: list[Decimal], bonus: Decimal, bonus_cap: Decimal) -> Decimal:
    """Points deducted per shortfall from the maximum, floored at zero, plus a bonus up to its cap."""
    if any(d < 0 for d in deductions):
        raise ValueError("a deduction is never negative")
    if bonus < 0 or bonus > bonus_cap:
        raise ValueError("the bonus lies between zero and its cap")
    return max(Decimal(0), max_score - sum(deductions, Decimal(0))) + bonus


# ---- Merging ------------------------------------------------------------------------------------


def percent(score: Decimal, maximum: Decimal) -> Decimal | None:
    if maximum <= 0:
        return None
    return score * HUNDRED / maximum


def routine_percent(department_averages: dict[str, Decimal], department_maxima: dict[str, Decimal]) -> Decimal | None:
    """Routine inspections: each department's average inspection total over the maxima of the
    departments that inspected (a department that did not inspect neither helps nor hurts)."""
    inspected = [d for d in department_averages if department_maxima.get(d)]
    if not inspected:
        return None
    return percent(
        sum((department_averages[d] for d in inspected), Decimal(0)),
        sum((department_maxima[d] for d in inspected), Decimal(0)),
    )


RATING_VALUES = {"good": Decimal(100), "fairly_good": Decimal(80), "average": Decimal(60), "poor": Decimal(0)}


def mass_percent(tallies: dict[str, int]) -> Decimal | None:
    """The masses' rating as a percentage: 好 100, 较好 80, 一般 60, 差 0, averaged over every answer."""
    answers = sum(tallies.values())
    if answers == 0:
        return None
    return sum((RATING_VALUES[rating] * count for rating, count in tallies.items()), Decimal(0)) / answers


def quorum_met(turnout: int, issued: int, quorum_percent: Decimal) -> bool:
    return issued > 0 and Decimal(turnout) * HUNDRED >= quorum_percent * issued


def counts_shown(closed: bool, turnout: int, min_ballots: int) -> bool:
    """A round's counts are shown to nobody while it runs, and after closing only when enough valid
    ballots were cast that no one's answers can be told from them."""
    return closed and turnout >= min_ballots


def round_counts(closed: bool, turnout: int, issued: int, quorum_percent: Decimal, min_ballots: int) -> bool:
    """Whether a round's ratings enter the results: closed, shown, and its turnout met the quorum."""
    return counts_shown(closed, turnout, min_ballots) and quorum_met(turnout, issued, quorum_percent)


@dataclass(frozen=True)
class Part:
    name: str
    weight: Decimal
    value: Decimal | None  # percent, None when the part has nothing that counts


def composite(parts: list[Part]) -> Decimal | None:
    """The weighted mean of the parts that count; the weights of missing parts are shared out
    proportionally among the others (a quorum not met, or no routine inspection at all)."""
    counted = [p for p in parts if p.value is not None and p.weight > 0]
    total_weight = sum((p.weight for p in counted), Decimal(0))
    if total_weight == 0:
        return None
    return sum((p.weight * p.value for p in counted), Decimal(0)) / total_weight


def weights_valid(*weights: Decimal) -> bool:
    return all(w >= 0 for w in weights) and sum(weights, Decimal(0)) == HUNDRED


# ---- Grades, quotas, ranking -------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    grade: str
    label: str
    min_score: Decimal


def grade_for(score: Decimal | None, bands: list[Band]) -> Band | None:
    """The highest band whose minimum the score reaches (bands in any order)."""
    if score is None:
        return None
    for band in sorted(bands, key=lambda b: b.min_score, reverse=True):
        if score >= band.min_score:
            return band
    return None


def quota_count(peers: int, quota_percent: Decimal) -> int:
    """How many peers may hold the top grade: the quota's share of them, rounded down."""
    return int((Decimal(peers) * quota_percent / HUNDRED).to_integral_value(rounding="ROUND_FLOOR"))


@dataclass
class Graded:
    key: object
    score: Decimal | None
    band: Band | None
    rank: int | None = None
    note: str = ""


def ranks(scores: list[Decimal | None]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) of rounded scores, highest first; None for no score."""
    rounded = [round2(s) if s is not None else None for s in scores]
    ordered = sorted((s for s in rounded if s is not None), reverse=True)
    return [ordered.index(s) + 1 if s is not None else None for s in rounded]


def apply_quota(
    items: list[Graded],
    bands: list[Band],
    quota_percent: Decimal,
    barred: dict | None = None,
    peers: int | None = None,
) -> None:
    """Give the top grade to at most the quota, highest scores first; those who reached it beyond
    the quota, and anyone barred (``barred[key]`` = the reason), get the next band down, with the
    reason in ``note``.

    Ties at the quota's edge are not broken arbitrarily: when the last place within the quota ties
    with the first place beyond it, none of the tied get the top grade. ``peers`` is the size of the
    peer group the quota is a share of (default: the items graded).
    """
    barred = barred or {}
    ordered_bands = sorted(bands, key=lambda b: b.min_score, reverse=True)
    top = ordered_bands[0]
    below = ordered_bands[1] if len(ordered_bands) > 1 else None
    peers = len(items) if peers is None else peers
    limit = quota_count(peers, quota_percent)
    reached = sorted((i for i in items if i.band == top), key=lambda i: round2(i.score), reverse=True)
    eligible = [i for i in reached if i.key not in barred]
    granted = eligible[:limit]
    edge = None
    if 0 < limit < len(eligible) and round2(eligible[limit].score) == round2(eligible[limit - 1].score):
        edge = round2(eligible[limit - 1].score)
        granted = [i for i in granted if round2(i.score) > edge]
    for item in reached:
        if item.key in barred:
            item.band, item.note = below, barred[item.key]
        elif item not in granted:
            item.band = below
            item.note = f"超出“{top.label}”等次比例：同级 {peers} 个单位中最多 {limit} 个（{plain(quota_percent)}%）"
            if edge is not None and round2(item.score) == edge:
                item.note += "；与比例边界上的单位同分，不能全部评为该等次"


def quota_feasible(peers: int, quota_percent: Decimal) -> bool:
    """A quota that allows no one the top grade among these peers cannot be met."""
    return quota_count(peers, quota_percent) >= 1


def contribution(composite: Decimal | None, party_building_weight: Decimal) -> Decimal | None:
    """What a Party-building composite adds to the organisation's comprehensive annual assessment
    (党建考核在综合考核中的权重): composite × weight ÷ 100, rounded like every score."""
    return round2(composite * party_building_weight / 100) if composite is not None else None


# ---- 述责述廉评议 -----------------------------------------------------------------------------------


def evaluation_value(rating: str, score: Decimal | None) -> Decimal:
    """One committee member's 评议 in percent: a 等次 as the masses' ratings count (好 100, 较好 80,
    一般 60, 差 0), or the score given out of 100."""
    if rating:
        return RATING_VALUES[rating]
    if score is None or score < 0 or score > HUNDRED:
        raise ValueError("a 评议 is a rating or a score between 0 and 100")
    return Decimal(score)


def evaluation_problems(rating: str, score: Decimal | None, evaluator_id, subject_id) -> dict[str, str]:
    """Why a committee 评议 is refused, keyed by its field: a self-evaluation, neither or both of a
    rating and a score, a score outside 0–100."""
    if evaluator_id == subject_id:
        return {"rating": _("不能评议本人的述责述廉报告，请评议其他班子成员。")}
    if rating and score is not None:
        return {"score": _("评议等次和评议得分只填一项。")}
    if not rating and score is None:
        return {"rating": _("请选择评议等次或填写评议得分。")}
    if rating and rating not in RATING_VALUES:
        return {"rating": _("评议等次无效。")}
    if score is not None and not (0 <= score <= HUNDRED):
        return {"score": _("评议得分应在 0 到 100 之间。")}
    return {}


def committee_percent(values: list[Decimal]) -> Decimal | None:
    """The committee's 评议: the mean of the members' evaluations, None when nobody has evaluated."""
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


@dataclass(frozen=True)
class MassSample:
    """What a closed (or running) mass-evaluation round of one member holds."""

    closed: bool
    turnout: int
    issued: int
    quorum_percent: Decimal
    min_ballots: int
    tallies: dict  # rating → count over every question


def mass_withheld(sample: MassSample | None) -> str:
    """Why a member's mass evaluation gives no result yet ("" when it does): no round, still running,
    too few valid ballots to be shown (the minimum sample), or the turnout below the quorum."""
    if sample is None:
        return _("未组织群众评议")
    if not sample.closed:
        return _("群众评议进行中")
    if not counts_shown(sample.closed, sample.turnout, sample.min_ballots):
        return _("有效票 %(n)s 张，少于 %(min)s 张，不显示结果") % {"n": sample.turnout, "min": sample.min_ballots}
    if not quorum_met(sample.turnout, sample.issued, sample.quorum_percent):
        return _("参与率未达 %(q)s%%，不计入结果") % {"q": plain(sample.quorum_percent)}
    return ""


def mass_evaluation(sample: MassSample | None) -> Decimal | None:
    """The masses' 评议 in percent, only from a closed round with at least the minimum number of
    valid ballots and its quorum met; otherwise nothing (never a result from a few ballots)."""
    if mass_withheld(sample):
        return None
    return mass_percent(sample.tallies)


def hearing_result(committee: Decimal | None, mass: Decimal | None, committee_weight: Decimal) -> Decimal | None:
    """A member's 评议 result: the committee's and the masses' evaluations weighted; when one of them
    has nothing that counts, the other alone (as a scheme's missing part is shared out)."""
    return composite(
        [
            Part("committee", Decimal(committee_weight), committee),
            Part("mass", HUNDRED - Decimal(committee_weight), mass),
        ]
    )


def leader_parts_valid(secretary_org_weight: Decimal, hearing_weight: Decimal) -> bool:
    """A secretary's personal result: organisation part + 述责述廉评议 ≤ 100; the rest is the 民主测评."""
    return hearing_weight >= 0 and secretary_org_weight >= 0 and secretary_org_weight + hearing_weight <= HUNDRED


# ---- The annual 主体责任 report (年度履行全面从严治党主体责任情况报告) ------------------------------

R_DRAFT, R_SUBMITTED, R_CONFIRMED, R_RECEIVED, R_RETURNED = "draft", "submitted", "confirmed", "received", "returned"

# Who moves a report from one status to another: the reporting organisation's office staff submit the
# draft to their secretary ("office"), the secretary confirms it, which sends it up, or sends it back
# with a reason ("secretary"); the organisation above receives it or returns it with a reason ("upper").
REPORT_TRANSITIONS: dict[tuple[str, str], str] = {
    (R_DRAFT, R_SUBMITTED): "office",
    (R_RETURNED, R_SUBMITTED): "office",
    (R_SUBMITTED, R_CONFIRMED): "secretary",
    (R_SUBMITTED, R_RETURNED): "secretary",
    (R_CONFIRMED, R_RECEIVED): "upper",
    (R_CONFIRMED, R_RETURNED): "upper",
}
# A report is edited while it is with the organisation's office: a draft, or returned to it.
REPORT_EDITABLE = frozenset({R_DRAFT, R_RETURNED})
# A report counts as reported (报送) once the secretary confirmed it.
REPORT_REPORTED = frozenset({R_CONFIRMED, R_RECEIVED})


def report_transition_actor(current: str, target: str) -> str | None:
    """Who may move a report from ``current`` to ``target``; None if the move is not allowed."""
    return REPORT_TRANSITIONS.get((current, target))


def report_needs_reason(current: str, target: str) -> bool:
    """Sending a report back (to the office, or down from the upper level) always says why."""
    return target == R_RETURNED


def report_deadline(year: int, month_day: str = "01-31") -> date:
    """The day by which a year's report reaches the organisation above: ``month_day`` ("MM-DD") of the
    following year (the setting ``ANNUAL_REPORT_DEADLINE``, 31 January unless configured)."""
    month, day = (int(part) for part in month_day.split("-"))
    return date(year + 1, month, day)


def report_overdue(status: str | None, deadline: date, today: date) -> bool:
    """Not reported (confirmed and sent up) and the deadline has passed; the deadline day is in time."""
    return status not in REPORT_REPORTED and today > deadline


CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (headings of an official document, up to 99)."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, units = divmod(n, 10)
    text = (("" if tens == 1 else CHINESE_NUMERALS[tens - 1]) + "十") if tens else ""
    return text + (CHINESE_NUMERALS[units - 1] if units else "")


def heading_level(line: str) -> int:
    """The level of a line of a report's body in 公文 numbering: 1 for "一、…", 2 for "（一）…",
    3 for "1. …"/"1．…", 0 for a paragraph."""
    if re.match(r"^[一二三四五六七八九十]+、", line):
        return 1
    if re.match(r"^（[一二三四五六七八九十]+）", line):
        return 2
    if re.match(r"^\d+[\.．]", line):
        return 3
    return 0


# What a draft leaves for its author to write (the shortcomings, next year's plans, what only another
# department knows): a report still holding it is not submitted.
REPORT_TO_FILL = "【请填写】"


def report_unfinished(body: str) -> int:
    """How many places of a report's body are still to be written."""
    return body.count(REPORT_TO_FILL)


# Who reports: each 党委 and 党组 (organisation kinds of ``responsibilities.OrganisationKind``), to the
# organisation above it.
REPORTING_KINDS = ("committee", "leading_group")


def reporting_year(today: date) -> int:
    """The year whose report is being written on ``today``: the current year in December (the report
    is drafted as the year closes), the year before from January to November."""
    return today.year if today.month == 12 else today.year - 1
