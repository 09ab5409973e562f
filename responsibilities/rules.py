"""Pure rules of the responsibility lists: no ORM, no request. Tested table-driven without a database."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# ---- Templates --------------------------------------------------------------------------------


def template_in_force(versions: list[tuple[int, int]], year: int) -> int | None:
    """The id of the template version in force in a year: the latest one effective on or before it.

    ``versions`` holds (id, effective_from_year) pairs.
    """
    eligible = [(effective, pk) for pk, effective in versions if effective <= year]
    return max(eligible)[1] if eligible else None


# ---- List workflow ----------------------------------------------------------------------------

DRAFT, SUBMITTED, CONFIRMED, CLOSED = "draft", "submitted", "confirmed", "closed"

# (from, to) → who may make the move: "office" (office staff/administrators in scope) or
# "secretary" (the organisation's secretary on the day). Held as data: a move not listed is illegal.
LIST_TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, SUBMITTED): "office",
    (SUBMITTED, CONFIRMED): "secretary",
    (SUBMITTED, DRAFT): "secretary",  # returned for rework, with a reason
    (CONFIRMED, CLOSED): "office",
}

# Moves that must say why.
TRANSITIONS_NEEDING_REASON = {(SUBMITTED, DRAFT)}


def transition_actor(current: str, target: str) -> str | None:
    """Who may move a list from one status to another; None if the move is not allowed."""
    return LIST_TRANSITIONS.get((current, target))


def allowed_targets(current: str) -> list[str]:
    return [target for (source, target) in LIST_TRANSITIONS if source == current]


def edit_needs_reason(status: str) -> bool:
    """Once submitted (the secretary is about to confirm it) or confirmed, office staff may still
    change a list, but each change must say why: the reason goes on the list's history."""
    return status in (SUBMITTED, CONFIRMED)


def list_is_locked(status: str) -> bool:
    return status == CLOSED


# The lists of the team members a secretary urges (督促班子成员): the leader in charge's and the other
# members'; not the committee's, not the secretary's own.
URGED_LIST_KINDS = ("leader_in_charge", "member")


def takes_supervision_notes(kind: str) -> bool:
    """Whether 督促记录 belong on a list of this kind."""
    return kind in URGED_LIST_KINDS


# ---- Tasks ------------------------------------------------------------------------------------

DUE_SOON_DAYS = 30


def is_overdue(status_done: bool, deadline: date, today: date) -> bool:
    """Overdue from the day after the deadline while not done; the deadline day itself is in time."""
    return not status_done and deadline < today


def is_due_soon(status_done: bool, deadline: date, today: date, days: int = DUE_SOON_DAYS) -> bool:
    """Not done, not overdue, and due within the next ``days`` days (today included)."""
    return not status_done and today <= deadline <= today + timedelta(days=days)


@dataclass(frozen=True)
class Thresholds:
    """When a warning turns blue, yellow or red (the rows of ``WarningThreshold``; these defaults when
    a row is missing): 蓝 due within 5 days, 黄 overdue, 红 overdue more than 30 days or still overdue
    after an intervention."""

    blue_days: int = 5
    yellow_days: int = 0
    red_days: int = 30
    red_after_intervention: bool = True


@dataclass(frozen=True)
class TaskWarning:
    colour: str  # "blue" / "yellow" / "red": a CSS class, never the only signal
    word: str  # what the colour says, for colour-blind readers and for print


def warning_words() -> dict[str, str]:
    return {"blue": _("蓝色预警·即将到期"), "yellow": _("黄色预警·已逾期"), "red": _("红色预警·严重逾期")}


def warning_colour(*, done: bool, deadline: date, today: date, intervened: bool, thresholds: Thresholds) -> str | None:
    """The warning colour of a task on a day: None when done, or not yet within the blue window."""
    if done:
        return None
    late = (today - deadline).days  # > 0: overdue by that many days
    if late > 0:
        if late > thresholds.red_days or (intervened and thresholds.red_after_intervention):
            return "red"
        if late > thresholds.yellow_days:
            return "yellow"
        return None
    if -late <= thresholds.blue_days:
        return "blue"
    return None


def warning_for(
    *, done: bool, deadline: date, today: date, intervened: bool, thresholds: Thresholds
) -> TaskWarning | None:
    colour = warning_colour(done=done, deadline=deadline, today=today, intervened=intervened, thresholds=thresholds)
    return TaskWarning(colour, warning_words()[colour]) if colour else None


def deadline_window(colour: str, today: date, thresholds: Thresholds) -> tuple[date | None, date | None]:
    """The deadlines (earliest, latest; None: no bound) of the open items that ``warning_colour``
    gives ``colour`` when nobody has intervened: the same rule, as a range a query can filter by."""
    if colour == "blue":
        return today, today + timedelta(days=thresholds.blue_days)
    if colour == "yellow":
        return today - timedelta(days=thresholds.red_days), today - timedelta(days=thresholds.yellow_days + 1)
    if colour == "red":
        return None, today - timedelta(days=thresholds.red_days + 1)
    raise ValueError(colour)


@dataclass
class Colours:
    """Open tasks by warning colour (the roll-up's 蓝黄红 counts)."""

    blue: int = 0
    yellow: int = 0
    red: int = 0

    def __add__(self, other: "Colours") -> "Colours":
        return Colours(self.blue + other.blue, self.yellow + other.yellow, self.red + other.red)

    def __sub__(self, other: "Colours") -> "Colours":
        return Colours(self.blue - other.blue, self.yellow - other.yellow, self.red - other.red)


@dataclass
class OrderCounts:
    """督办 received by a subtree (the roll-up's 督办 counts): all issued to it, answered and awaiting
    the issuer, closed (办结), and unanswered past the reply deadline."""

    issued: int = 0
    answered: int = 0
    closed: int = 0
    overdue: int = 0

    def __sub__(self, other: "OrderCounts") -> "OrderCounts":
        return OrderCounts(
            self.issued - other.issued,
            self.answered - other.answered,
            self.closed - other.closed,
            self.overdue - other.overdue,
        )


def reminder_days_for(path: str, days_by_path: dict[str, int], default: int, steplen: int = 4) -> int:
    """How many days before a deadline an organisation's tasks are reminded: the setting of the
    organisation itself or of its nearest ancestor (paths are prefixes), else ``default``."""
    for length in range(len(path), 0, -steplen):
        days = days_by_path.get(path[:length])
        if days is not None:
            return days
    return default


def deadline_in_year(deadline: date, year: int) -> bool:
    return deadline.year == year


def deadline_problem(deadline: date, year: int) -> str | None:
    if not deadline_in_year(deadline, year):
        return _("完成时限必须在清单年度（%(year)s 年）之内。") % {"year": year}
    return None


def task_problems(*, quantity, unit: str, standard: str, deadline: date | None, year: int) -> dict[str, str]:
    """What a task's 数量、时间、标准 break, by field: the deadline lies in the list's year, a quantity
    is not negative and has its unit, and a qualitative task (no quantity) states its standard. Every
    form, the Excel import and the service ask this one function."""
    problems = {}
    if deadline is not None and (problem := deadline_problem(deadline, year)):
        problems["deadline"] = problem
    if quantity is not None and quantity < 0:
        problems["quantity"] = _("数量不能为负数。")
    if quantity is not None and not (unit or "").strip():
        problems["unit"] = _("填写了数量的任务必须写明单位（例如 次、篇、人次）。")
    if quantity is None and not (standard or "").strip():
        problems["standard"] = _("未填写数量的任务必须写明标准。")
    return problems


def status_after_progress(current: str, percent: int) -> str:
    """A progress entry moves a task forward: any progress starts it, 100% completes it."""
    if percent >= 100:
        return "done"
    if current == "not_started" and percent > 0:
        return "in_progress"
    return current


# ---- Roll-up ----------------------------------------------------------------------------------


def completion_rate(done: int, total: int) -> Decimal | None:
    """Percentage of tasks done, one decimal, half up; None when there is nothing to count."""
    if total == 0:
        return None
    return (Decimal(100) * done / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# A child is flagged (压力层层递减) when its completion falls this many percentage points or more
# below its parent's whole-subtree completion.
LAG_THRESHOLD_POINTS = Decimal(20)


def is_lagging(
    child_rate: Decimal | None, parent_rate: Decimal | None, threshold: Decimal = LAG_THRESHOLD_POINTS
) -> bool:
    if child_rate is None or parent_rate is None:
        return False
    return parent_rate - child_rate >= threshold


COUNT_FIELDS = ("total", "done", "in_progress", "not_started", "overdue")


@dataclass(frozen=True)
class Counts:
    total: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0

    @property
    def rate(self) -> Decimal | None:
        return completion_rate(self.done, self.total)

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f) + getattr(other, f) for f in COUNT_FIELDS))

    def __sub__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f) - getattr(other, f) for f in COUNT_FIELDS))


@dataclass
class MemberProgress:
    """One team list in a secretary's weekly digest: whose, tasks done of all, due soon, overdue, and
    the open tasks by warning colour."""

    name: str
    total: int = 0
    done: int = 0
    due_soon: int = 0
    overdue: int = 0
    colours: Colours = field(default_factory=Colours)


def weekly_digest_text(
    *, year: int, week: int, organisations: list[str], members: list[MemberProgress], awaiting: int, limit: int = 300
) -> str:
    """The secretary's weekly digest as one message of at most ``limit`` characters: each team list's
    line while they fit, then how many more there are (all of them are on 我的责任清单)."""
    head = _("%(year)s 年第 %(week)s 周班子落实情况（%(orgs)s）：") % {
        "year": year,
        "week": week,
        "orgs": "、".join(organisations),
    }
    if awaiting:
        tail = _("待您确认的清单 %(n)s 份。") % {"n": awaiting}
    else:
        tail = _("没有待您确认的清单。")
    lines = [
        _("%(name)s 完成 %(done)s/%(total)s，将到期 %(soon)s，逾期 %(overdue)s（蓝 %(blue)s 黄 %(yellow)s 红 %(red)s）")
        % {
            "name": m.name,
            "done": m.done,
            "total": m.total,
            "soon": m.due_soon,
            "overdue": m.overdue,
            "blue": m.colours.blue,
            "yellow": m.colours.yellow,
            "red": m.colours.red,
        }
        for m in members
    ]
    if not lines:
        lines_text = _("本年度暂无班子成员的责任清单。")
        return (head + lines_text + tail)[:limit]
    for shown in range(len(lines), -1, -1):
        more = len(lines) - shown
        body = "；".join(lines[:shown])
        if more:
            body += ("；" if body else "") + _("另有 %(n)s 份清单见“我的责任清单”") % {"n": more}
        text = head + body + "。" + tail
        if len(text) <= limit:
            return text
    return (head + tail)[:limit]


# ---- Problems and rectification (问题清单、整改) ----------------------------------------------------

P_OPEN, P_RECTIFYING, P_REVIEW, P_CLOSED = "open", "rectifying", "review", "closed"

# (from, to) → who makes the move: "rectifier" (the organisation that rectifies: its office staff, its
# secretary, the person responsible) or "reviewer" (the organisation that found the problem, or one
# above it). A move not listed is illegal.
PROBLEM_TRANSITIONS: dict[tuple[str, str], str] = {
    (P_OPEN, P_RECTIFYING): "rectifier",  # the first measure is set
    (P_RECTIFYING, P_REVIEW): "rectifier",  # 提请复核, with a report
    (P_REVIEW, P_CLOSED): "reviewer",  # 销号
    (P_REVIEW, P_RECTIFYING): "reviewer",  # returned, with a reason
}

# A normal rectification is done within this many days of the finding; a longer one is 长期整改,
# carried by interim milestones.
LONG_TERM_AFTER_DAYS = 365


def problem_transition_actor(current: str, target: str) -> str | None:
    """Who may move a problem from one status to another; None if the move is not allowed."""
    return PROBLEM_TRANSITIONS.get((current, target))


def reviews_problem(finder_path: str, reviewer_paths: list[str] | None) -> bool:
    """Whether a user whose subtrees are ``reviewer_paths`` (None: everything) may 复核 a problem found
    by the organisation at ``finder_path``: the finding organisation itself or one above it, never
    one below it or beside it."""
    return reviewer_paths is None or any(finder_path.startswith(path) for path in reviewer_paths)


def closing_refusal(open_measures: int, total_measures: int) -> str | None:
    """Why a problem cannot be closed (销号) yet, or None: every measure must be done, and there must be one."""
    if total_measures == 0:
        return _("该问题还没有整改措施，不能销号。")
    if open_measures:
        return _("还有 %(n)s 项整改措施未完成，不能销号。") % {"n": open_measures}
    return None


def problem_deadline_problems(*, found_on: date, deadline: date | None, long_term: bool) -> dict[str, str]:
    if deadline is None:
        return {"deadline": _("请填写整改时限。")}
    if deadline < found_on:
        return {"deadline": _("整改时限不能早于发现日期。")}
    if not long_term and (deadline - found_on).days > LONG_TERM_AFTER_DAYS:
        return {"deadline": _("整改时限超过一年的，请标记为长期整改并设置阶段性目标。")}
    return {}


def measure_problems(
    *,
    quantity,
    unit: str,
    standard: str,
    deadline: date | None,
    problem_deadline: date,
    milestone: bool,
    long_term: bool,
) -> dict[str, str]:
    """What a measure's 数量/标准 and time break, by field (the same rule as for a task's)."""
    problems = {}
    if deadline is None:
        problems["deadline"] = _("请填写完成时限。")
    elif deadline > problem_deadline:
        problems["deadline"] = _("完成时限不能晚于问题的整改时限（%(day)s）。") % {"day": problem_deadline}
    if quantity is not None and quantity < 0:
        problems["quantity"] = _("数量不能为负数。")
    if quantity is not None and not (unit or "").strip():
        problems["unit"] = _("填写了数量的整改措施必须写明单位（例如 次、篇、人次）。")
    if quantity is None and not (standard or "").strip():
        problems["standard"] = _("未填写数量的整改措施必须写明标准。")
    if milestone and not long_term:
        problems["milestone"] = _("只有长期整改的问题才设阶段性目标。")
    return problems


def problem_is_overdue(status: str, deadline: date, today: date) -> bool:
    """Still open past its deadline (the deadline day itself is in time)."""
    return status != P_CLOSED and deadline < today


@dataclass(frozen=True)
class ProblemCounts:
    """Problems of a subtree: found, rectified (已销号), overdue (open past the deadline)."""

    found: int = 0
    rectified: int = 0
    overdue: int = 0

    @property
    def rate(self) -> Decimal | None:
        """整改率: the share of problems found that are closed, one decimal."""
        return completion_rate(self.rectified, self.found)

    def __add__(self, other: "ProblemCounts") -> "ProblemCounts":
        return ProblemCounts(self.found + other.found, self.rectified + other.rectified, self.overdue + other.overdue)


# ---- 履责纪实 (record of duty performed) ------------------------------------------------------------


def duty_record_problems(
    *,
    day: date | None,
    today: date,
    content: str,
    item_owners: list[tuple[int | None, int]],
    person_id: int,
    item_years: list[int],
    item_organisations: list[int],
) -> dict[str, str]:
    """What a duty record breaks, by field. ``item_owners`` holds (list person id, list id) per item
    chosen, ``item_years`` the years of those items' lists, ``item_organisations`` their organisations."""
    problems = {}
    if day is None:
        problems["date"] = _("请填写日期。")
    elif day > today:
        problems["date"] = _("履责纪实的日期不能晚于今天。")
    if not (content or "").strip():
        problems["content"] = _("请填写主要内容。")
    if not item_owners:
        problems["items"] = _("请选择本次履责对应的本人责任清单事项。")
    elif any(owner != person_id for owner, _list in item_owners):
        problems["items"] = _("只能选择履责人本人责任清单中的事项，不能记在他人的清单上。")
    elif len(set(item_organisations)) > 1:
        problems["items"] = _("一条纪实只能对应同一单位的责任清单事项。")
    elif day is not None and "date" not in problems and any(year != day.year for year in item_years):
        problems["date"] = _("日期须在所选责任清单的年度（%(year)s 年）内。") % {"year": item_years[0]}
    return problems


def duty_year_closed(list_statuses: list[str]) -> bool:
    """A duty record is fixed once any list it touches (the leader's lists or the organisation's
    committee list of its year) is closed: 年度已关闭."""
    return any(status == CLOSED for status in list_statuses)


def is_on_behalf(person_user_id: int | None, by_user_id: int) -> bool:
    """Recorded by someone other than the leader himself or herself (office staff, 代为记录)."""
    return person_user_id != by_user_id


# ---- 责任书签收 (signing the year's list) -----------------------------------------------------------

UNSIGNED, SIGNED, CHANGED = "unsigned", "signed", "changed"


def signature_state(has_signature: bool, matches_current: bool) -> str:
    """未签收, 已签收, or 签收后已修改: a list is signed as it stands when one of its signatures was
    made on exactly its present items and tasks."""
    if not has_signature:
        return UNSIGNED
    return SIGNED if matches_current else CHANGED


def signing_refusal(*, list_person_user_id: int | None, by_user_id: int, status: str, state: str) -> str | None:
    """Why a user may not sign a list now, or None. Only the list's own person signs, with his or her
    own login; a list is signed once submitted (drawn up for the year) and before its year is closed;
    a list already signed as it stands is not signed twice."""
    if list_person_user_id is None or list_person_user_id != by_user_id:
        return _("只能由本人登录签收自己的责任清单，不能代他人签收。")
    if status == CLOSED:
        return _("该清单所在年度已关闭，不能再签收。")
    if status not in (SUBMITTED, CONFIRMED):
        return _("清单尚在起草，提交后才能签收。")
    if state == SIGNED:
        return _("您已签收该清单，清单签收后未再修改。")
    return None
