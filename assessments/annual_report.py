"""The annual 主体责任 report's draft: a small registry of sections, each drafted from the year's own data.

A section is registered once (``register_report_section(key, order, title, builder)``, from an app's
``AppConfig.ready`` or this module) and the draft numbers the sections in their order (一、二、…) and
their parts （一）（二）…, so that another section (履责纪实 counts, list signatures) slots in by
registering itself, without touching the others. A builder is ``builder(context) -> list[Part]``; it
reads through the selectors and doors of the three apps for the drafting user (``context.user``), so
the draft never says more than its author may see.

The body is kept as plain text, one paragraph a line, headings in 公文 numbering: "一、…" and "（一）…"
(``rules.heading_level`` reads them back for the print), so the office edits it in one text box and
its history shows what changed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from assessments import rules
from core import scope

# Text the drafter must still write: a report with it is refused on submit (``rules.report_unfinished``).
TO_FILL = rules.REPORT_TO_FILL


@dataclass
class ReportContext:
    organisation: object  # the reporting Organisation
    year: int
    user: object  # the drafting user: every read goes through the doors for him or her
    today: date


@dataclass
class Part:
    """A part of a section: an optional sub-heading (numbered （一）… by the draft) and its paragraphs."""

    title: str = ""
    paragraphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    title: object  # a lazy translation: the heading without its number
    builder: Callable


SECTIONS: dict[str, Section] = {}


def register_report_section(key: str, order: int, title, builder: Callable) -> None:
    """Add a section to every new draft; ``order`` places it (lower first). Registering a key again
    replaces its section (an app's ready() may run twice in tests)."""
    SECTIONS[key] = Section(key=key, order=order, title=title, builder=builder)


def sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda section: (section.order, section.key))


def report_title(organisation, year: int) -> str:
    return _("%(org)s关于%(year)s年度履行全面从严治党主体责任情况的报告") % {"org": organisation.name, "year": year}


def draft_body(context: ReportContext) -> str:
    """The whole draft: the opening, each registered section numbered in order, and the closing."""
    org, year = context.organisation, context.year
    lines = [
        _(
            "%(year)s年，%(org)s坚持以习近平新时代中国特色社会主义思想为指导，认真落实全面从严治党主体责任，"
            "按照责任清单抓好各项任务落实。现将%(year)s年度履行全面从严治党主体责任情况报告如下。"
        )
        % {"year": year, "org": org.name}
    ]
    for number, section in enumerate(sections(), start=1):
        lines.append(f"{rules.chinese_number(number)}、{section.title}")
        sub = 0
        for part in section.builder(context):
            if part.title:
                sub += 1
                lines.append(f"（{rules.chinese_number(sub)}）{part.title}")
            lines.extend(part.paragraphs)
    lines.append(_("特此报告。"))
    return "\n".join(line.strip() for line in lines if line.strip())


def percent_text(done: int, total: int) -> str:
    """A completion rate as the roll-up shows it (one decimal, "50%" rather than "50.0%"); the callers
    say "no tasks" in words rather than print a rate of nothing."""
    from responsibilities.rules import completion_rate

    return f"{rules.plain(completion_rate(done, total) or 0)}%"


# ---- The built-in sections ------------------------------------------------------------------------


def lists_section(context: ReportContext) -> list[Part]:
    """一、责任清单制定和落实情况: the year's lists and, per item of the committee list, its tasks done."""
    from responsibilities.models import ListItem, ListKind
    from responsibilities.selectors.lists import organisation_lists, task_counts

    org, year, today = context.organisation, context.year, context.today
    lists = list(organisation_lists(context.user, org, year, today))
    committee = [item for item in lists if item.kind == ListKind.COMMITTEE]
    personal = [item for item in lists if item.kind != ListKind.COMMITTEE]
    if not lists:
        return [Part(paragraphs=[_("本年度未制定责任清单。")])]
    total = sum(item.task_total for item in lists)
    done = sum(item.task_done for item in lists)
    overdue = sum(item.task_overdue for item in lists)
    made = _("本年度制定党委（党组）责任清单%(committee)s份、班子成员个人责任清单%(personal)s份，") % {
        "committee": len(committee),
        "personal": len(personal),
    }
    if total:
        made += _("分解具体任务%(total)s项，已完成%(done)s项，完成率%(rate)s，逾期未完成%(overdue)s项。") % {
            "total": total,
            "done": done,
            "rate": percent_text(done, total),
            "overdue": overdue,
        }
    else:
        made += _("尚未分解具体任务。")
    parts = [Part(_("清单制定情况"), [made])]
    if committee:
        items = (
            ListItem.objects.for_user(context.user)
            .filter(responsibility_list=committee[0])
            .annotate(**task_counts("tasks", today))
            .order_by("number")
        )
        paragraphs = [
            _("%(number)s．%(title)s：具体任务%(total)s项，已完成%(done)s项，完成率%(rate)s%(overdue)s。")
            % {
                "number": item.number,
                "title": item.title,
                "total": item.task_total,
                "done": item.task_done,
                "rate": percent_text(item.task_done, item.task_total),
                "overdue": _("，逾期%(n)s项") % {"n": item.task_overdue} if item.task_overdue else "",
            }
            if item.task_total
            else _("%(number)s．%(title)s：未分解具体任务。") % {"number": item.number, "title": item.title}
            for item in items
        ]
        parts.append(Part(_("党委（党组）责任清单逐项落实情况"), paragraphs))
    return parts


def issued_section(context: ReportContext) -> list[Part]:
    """二、向下级传导压力情况: tasks issued down and their completion, and the subtree's tasks."""
    from responsibilities.selectors.lists import issued_tasks_of, issued_tasks_visible_to, rollup

    org, year, today = context.organisation, context.year, context.today
    visible = issued_tasks_visible_to(context.user).values("pk")
    issued = list(issued_tasks_of(org, year).filter(pk__in=visible))
    recipients = sum(task.recipient_count for task in issued)
    done = sum(task.done_count for task in issued)
    paragraphs = [
        _("本年度向下级党组织下发任务%(n)s项，下级共承接%(recipients)s项，已完成%(done)s项，完成率%(rate)s。")
        % {"n": len(issued), "recipients": recipients, "done": done, "rate": percent_text(done, recipients)}
        if issued
        else _("本年度未向下级党组织下发任务。")
    ]
    paragraphs += [
        _("“%(title)s”：下发%(recipients)s个单位，已完成%(done)s个。")
        % {"title": task.title, "recipients": task.recipient_count, "done": task.done_count}
        for task in issued[:10]
    ]
    subtree = rollup(org, year, today).subtree
    if subtree.total:
        paragraphs.append(
            _("本级及所属党组织责任清单共有具体任务%(total)s项，已完成%(done)s项，完成率%(rate)s，逾期%(overdue)s项。")
            % {
                "total": subtree.total,
                "done": subtree.done,
                "rate": percent_text(subtree.done, subtree.total),
                "overdue": subtree.overdue,
            }
        )
    return [Part(paragraphs=paragraphs)]


def inspections_section(context: ReportContext) -> list[Part]:
    """三、接受检查考核情况: the year's confirmed inspections and the merged score of each scheme."""
    from assessments.models import Inspection, InspectionKind, InspectionStatus, Result

    org, year = context.organisation, context.year
    counts = (
        Inspection.objects.for_user(context.user)
        .filter(organisation=org, scheme__year=year, status=InspectionStatus.CONFIRMED)
        .aggregate(
            routine=Count("pk", filter=Q(kind=InspectionKind.ROUTINE)),
            annual=Count("pk", filter=Q(kind=InspectionKind.ANNUAL)),
        )
    )
    paragraphs = [
        _("本年度接受上级平时检查%(routine)s次、年终考核%(annual)s次。") % counts,
    ]
    results = (
        Result.objects.for_user(context.user)
        .filter(organisation=org, scheme__year=year, composite__isnull=False)
        .select_related("scheme")
        .order_by("scheme__pk")
    )
    for result in results:
        paragraphs.append(
            _("在“%(scheme)s”中综合得分%(score)s分%(grade)s。")
            % {
                "scheme": result.scheme.name,
                "score": rules.plain(result.composite),
                "grade": _("，评定为“%(grade)s”") % {"grade": result.grade_label} if result.grade_label else "",
            }
        )
    if len(paragraphs) == 1:
        paragraphs.append(_("本年度考核综合得分尚未公布。"))
    return [Part(paragraphs=paragraphs)]


def duty_section(context: ReportContext) -> list[Part]:
    """履责纪实情况: the year's duty records (一事一记) of the organisation's own team by kind, and of the
    whole subtree, as the drafting user sees them."""
    from responsibilities.selectors.duties import duty_records_visible_to

    org, year = context.organisation, context.year
    records = duty_records_visible_to(context.user).filter(date__year=year)
    own = list(
        records.filter(organisation=org).values_list("kind__name").annotate(n=Count("pk")).order_by("-n", "kind__name")
    )
    subtree = records.filter(organisation__path__startswith=org.path).count()
    own_total = sum(n for _kind, n in own)
    if not subtree:
        return [Part(paragraphs=[_("本年度本级及所属党组织尚无履责纪实记录。")])]
    paragraphs = []
    if own_total:
        kinds = "、".join(_("%(kind)s%(n)s件") % {"kind": kind, "n": n} for kind, n in own)
        paragraphs.append(
            _("本年度班子成员记录履责纪实%(total)s件，其中%(kinds)s。") % {"total": own_total, "kinds": kinds}
        )
    else:
        paragraphs.append(_("本年度班子成员尚无履责纪实记录。"))
    paragraphs.append(_("本级及所属党组织共记录履责纪实%(n)s件。") % {"n": subtree})
    return [Part(paragraphs=paragraphs)]


def signing_section(context: ReportContext) -> list[Part]:
    """责任书签收情况: the team's personal lists of the year, signed, unsigned and changed since signing,
    and the subtree's counts, as the drafting user sees them."""
    from responsibilities import rules as list_rules
    from responsibilities.selectors.duties import personal_lists, subtree_signing

    org, year = context.organisation, context.year
    own = personal_lists(org, year, user=context.user)
    if not own:
        return [Part(paragraphs=[_("本年度本级尚无班子成员个人责任清单。")])]
    unsigned = [rl.person.name for rl in own if rl.signature_state == list_rules.UNSIGNED and rl.person_id]
    changed = [rl.person.name for rl in own if rl.signature_state == list_rules.CHANGED and rl.person_id]
    signed = len(own) - len(unsigned) - len(changed)
    paragraphs = [
        _("本级班子成员个人责任清单%(lists)s份，本人签收%(signed)s份。") % {"lists": len(own), "signed": signed}
    ]
    if unsigned:
        paragraphs.append(_("尚未签收：%(names)s。") % {"names": "、".join(unsigned)})
    if changed:
        paragraphs.append(_("签收后清单有修改、尚未重新签收：%(names)s。") % {"names": "、".join(changed)})
    counts = subtree_signing(context.user, org, year)
    paragraphs.append(
        _(
            "本级及所属党组织个人责任清单%(lists)s份，已签收%(signed)s份，未签收%(unsigned)s份，签收后已修改%(changed)s份。"
        )
        % {"lists": counts.lists, "signed": counts.signed, "unsigned": counts.unsigned, "changed": counts.changed}
    )
    return [Part(paragraphs=paragraphs)]


def problems_section(context: ReportContext) -> list[Part]:
    """四、问题整改情况: problems found in the subtree in the year, rectified (已销号), overdue."""
    from responsibilities.models import ProblemStatus
    from responsibilities.selectors.problems import problem_rollup, problems_visible_to

    org, year, today = context.organisation, context.year, context.today
    counts = problem_rollup(org, year, today).subtree
    if not counts.found:
        return [Part(paragraphs=[_("本年度本级及所属党组织未发现问题。")])]
    paragraphs = [
        _(
            "本年度本级及所属党组织共发现问题%(found)s个，已整改销号%(rectified)s个，整改率%(rate)s，逾期未整改%(overdue)s个。"
        )
        % {
            "found": counts.found,
            "rectified": counts.rectified,
            "rate": percent_text(counts.rectified, counts.found),
            "overdue": counts.overdue,
        }
    ]
    still_open = (
        problems_visible_to(context.user)
        .filter(organisation=org, found_on__year=year)
        .exclude(status=ProblemStatus.CLOSED)
        .order_by("deadline", "pk")[:10]
    )
    still_open = list(still_open)
    if still_open:
        paragraphs.append(_("本级尚未销号的问题："))
    paragraphs += [
        _("%(title)s（%(status)s，整改时限%(deadline)s）。")
        % {
            "title": problem.title,
            "status": problem.get_status_display(),
            "deadline": f"{problem.deadline.year}年{problem.deadline.month}月{problem.deadline.day}日",
        }
        for problem in still_open
    ]
    return [Part(paragraphs=paragraphs)]


def accountability_section(context: ReportContext) -> list[Part]:
    """五、提醒约谈和问责情况: the year's interventions in the subtree by kind, and the cases."""
    from accountability.models import InterventionKind
    from accountability.permissions import case_handler_paths
    from accountability.selectors import cases_visible_to, interventions_visible_to

    org, year = context.organisation, context.year
    counts = (
        interventions_visible_to(context.user)
        .filter(organisation__path__startswith=org.path, date__year=year)
        .aggregate(**{kind.value: Count("pk", filter=Q(kind=kind)) for kind in InterventionKind})
    )
    paragraphs = [
        _("本年度开展提醒%(remind)s人次、批评教育%(criticise)s人次、约谈%(talk)s人次。")
        % {
            "remind": counts[InterventionKind.REMIND],
            "criticise": counts[InterventionKind.CRITICISE],
            "talk": counts[InterventionKind.TALK],
        }
    ]
    if scope.covers(case_handler_paths(context.user), org.path):
        cases = cases_visible_to(context.user).filter(organisation__path__startswith=org.path, filed_on__year=year)
        case_counts = cases.aggregate(
            filed=Count("pk"),
            decided=Count("pk", filter=Q(decision__isnull=False)),
            people=Count("pk", filter=Q(decision__isnull=False, person__isnull=False)),
        )
        paragraphs.append(
            _("本年度立案问责%(filed)s起，已作出问责决定%(decided)s起，其中问责个人%(people)s人。") % case_counts
        )
    else:
        # The cases are confidential to the 纪检 and 组织 departments: the drafter writes what they give.
        paragraphs.append(_("问责案件情况：") + TO_FILL)
    return [Part(paragraphs=paragraphs)]


def next_steps_section(context: ReportContext) -> list[Part]:
    """The shortcomings and next year's plans: written by the office, never drafted from data."""
    return [
        Part(_("存在的问题"), [TO_FILL]),
        Part(_("下一步打算"), [TO_FILL]),
    ]


def register_builtin_sections() -> None:
    from django.utils.translation import gettext_lazy

    register_report_section("lists", 10, gettext_lazy("责任清单制定和落实情况"), lists_section)
    register_report_section("issued", 20, gettext_lazy("向下级传导压力情况"), issued_section)
    register_report_section("inspections", 30, gettext_lazy("接受检查考核情况"), inspections_section)
    register_report_section("duty", 40, gettext_lazy("履责纪实情况"), duty_section)
    register_report_section("signing", 45, gettext_lazy("责任书签收情况"), signing_section)
    register_report_section("problems", 50, gettext_lazy("问题整改情况"), problems_section)
    register_report_section("accountability", 60, gettext_lazy("提醒约谈和问责情况"), accountability_section)
    register_report_section("next_steps", 90, gettext_lazy("存在的问题和下一步打算"), next_steps_section)
