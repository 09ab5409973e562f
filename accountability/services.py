"""Every write of accountability: cases, their moves, decisions with computed restrictions, early signs."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import notifications, rules
from accountability.models import (
    Case,
    CaseStatus,
    Consequence,
    Decision,
    Intervention,
    Measure,
    Responsibility,
    Restriction,
    RuleSet,
)
from accountability.permissions import handles_cases, may_acknowledge, may_intervene
from core.models import lock_versioned
from responsibilities.models import Organisation, Person
from responsibilities.services import service


def _require_case_handler(user, organisation) -> None:
    if not handles_cases(user, organisation):
        raise PermissionDenied(_("只有纪检、组织部门的考核人员和系统管理员可以办理问责案件。"))


def rule_set_on(day: date) -> RuleSet:
    """The rule set in force on a day: the latest one effective on or before it."""
    rule_set = RuleSet.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rule_set is None:
        raise ValidationError({"decided_on": _("%(day)s 没有施行中的问责规则。") % {"day": day}}, code="no_rule_set")
    return rule_set


def _next_number(year: int) -> str:
    taken = Case.objects.filter(number__startswith=f"WZ-{year}-").aggregate(Max("number"))["number__max"]
    sequence = int(taken.rsplit("-", 1)[1]) + 1 if taken else 1
    return f"WZ-{year}-{sequence:04d}"


@service
def case_file(
    *,
    organisation: Organisation,
    subject: str,
    responsibility: str,
    situations,
    facts: str,
    facts_date: date,
    severity: str,
    person: Person | None = None,
    circumstances: str = "",
    filed_on: date | None = None,
    by,
) -> Case:
    """File a case (立案) with its attribution (实事求是: whose responsibility it is)."""
    _require_case_handler(by, organisation)
    filed_on = filed_on or timezone.localdate()
    situations = list(situations)
    errors = {}
    if not situations:
        errors["situations"] = _("请至少选择一种追责情形。")
    not_applicable = [s.code for s in situations if subject not in s.subjects]
    if not_applicable:
        errors["situations"] = _("以下情形不适用于所选责任主体：%(codes)s。") % {"codes": "、".join(not_applicable)}
    if facts_date > timezone.localdate():
        errors["facts_date"] = _("事实发生日期不能晚于今天。")
    if filed_on > timezone.localdate():
        errors["filed_on"] = _("立案日期不能晚于今天。")
    elif filed_on < facts_date:
        errors["filed_on"] = _("立案日期不能早于事实发生日期。")
    if person is not None and not person.home_organisation.path.startswith(organisation.path):
        errors["person"] = _("被问责人必须是该组织或其下级单位的干部。")
    if person is None and responsibility != Responsibility.COLLECTIVE:
        errors["responsibility"] = _("问责组织（不指明个人）时应为集体责任。")
    if person is not None and responsibility != Responsibility.INDIVIDUAL:
        errors["responsibility"] = _("问责个人时应为个人责任。")
    if errors:
        raise ValidationError(errors)
    case = Case(
        number=_next_number(filed_on.year),
        organisation=organisation,
        person=person,
        subject=subject,
        responsibility=responsibility,
        facts=facts.strip(),
        facts_date=facts_date,
        severity=severity,
        circumstances=circumstances.strip(),
        filed_on=filed_on,
        filed_by=by,
    )
    case.full_clean()
    case.save()
    case.situations.set(situations)
    return case


@service
def case_transition(*, case: Case, version: int, target: str, note: str = "", by) -> Case:
    locked = lock_versioned(Case.objects.select_related("organisation"), case.pk, version)
    _require_case_handler(by, locked.organisation)
    if target == CaseStatus.DECIDED:
        raise ValidationError(_("请通过“作出决定”录入问责决定。"), code="use_decision")
    if not rules.case_may_move(locked.status, target):
        raise ValidationError(
            _("案件当前为“%(current)s”，不能改为“%(target)s”。")
            % {"current": locked.get_status_display(), "target": CaseStatus(target).label},
            code="illegal_transition",
        )
    if target == CaseStatus.CLOSED and locked.status in (CaseStatus.INVESTIGATING, CaseStatus.REVIEWING):
        if not note.strip():
            raise ValidationError({"note": _("不予问责结案时请写明理由。")}, code="note_required")
        locked.exempted = True
    if note.strip():
        locked.closing_note = note.strip()
    locked.status = target
    locked.save()
    return locked


@dataclass
class Preview:
    """What a decision would impose: the rule set that applies and every restriction, before saving."""

    rule_set: RuleSet
    periods: list[tuple[Measure, Consequence, rules.Period]]


def decision_preview(*, case: Case, decided_on: date, measures) -> Preview:
    """What a decision would impose; refused for the same reasons as recording it would be."""
    rule_set = _check_decision(case, decided_on, list(measures))
    periods = []
    if case.is_about_person:
        for measure in measures:
            for consequence in measure.consequences.all():
                periods.append(
                    (measure, consequence, rules.period_for(consequence.kind, decided_on, consequence.months))
                )
    return Preview(rule_set=rule_set, periods=periods)


def _check_decision(case: Case, decided_on: date, measures: list[Measure]) -> RuleSet:
    errors = {}
    if decided_on < case.facts_date:
        errors["decided_on"] = _("决定日期不能早于事实发生日期（%(day)s）。") % {"day": case.facts_date}
    elif decided_on < case.filed_on:
        errors["decided_on"] = _("决定日期不能早于立案日期（%(day)s）。") % {"day": case.filed_on}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("决定日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    rule_set = rule_set_on(decided_on)
    if not measures:
        raise ValidationError({"measures": _("请至少选择一种问责方式。")}, code="no_measure")
    wrong_version = [m.name for m in measures if m.rule_set_id != rule_set.pk]
    if wrong_version:
        raise ValidationError(
            {
                "measures": _("%(names)s 不属于决定日期施行的规则（%(rules)s）。")
                % {"names": "、".join(wrong_version), "rules": rule_set.name}
            },
            code="wrong_rule_set",
        )
    if case.is_about_person:
        wrong_subject = [m.name for m in measures if not m.for_individuals]
        message = _("%(names)s 只适用于组织，不适用于个人。")
    else:
        wrong_subject = [m.name for m in measures if not m.for_organisations]
        message = _("%(names)s 只适用于个人，不适用于组织。")
    if wrong_subject:
        raise ValidationError({"measures": message % {"names": "、".join(wrong_subject)}}, code="wrong_subject")
    return rule_set


@service
def decision_record(
    *,
    case: Case,
    version: int,
    decided_on: date,
    deciding_body: str,
    measures,
    document_number: str = "",
    judicial_transfer: bool = False,
    reasoning: str = "",
    by,
) -> Decision:
    """Record the decision, judged by the rule set in force on its date, and store the restrictions it imposes."""
    locked = lock_versioned(Case.objects.select_related("organisation", "person"), case.pk, version)
    _require_case_handler(by, locked.organisation)
    if hasattr(locked, "decision") or not rules.decision_allowed(locked.status):
        raise ValidationError(
            _("案件当前为“%(status)s”，不能再作出决定（决定只能在审理阶段作出一次）。")
            % {"status": locked.get_status_display()},
            code="decision_not_allowed",
        )
    measures = list(Measure.objects.filter(pk__in=[m.pk for m in measures]).prefetch_related("consequences"))
    rule_set = _check_decision(locked, decided_on, measures)
    decision = Decision(
        case=locked,
        rule_set=rule_set,
        decided_on=decided_on,
        deciding_body=deciding_body.strip(),
        document_number=document_number.strip(),
        judicial_transfer=judicial_transfer,
        reasoning=reasoning.strip(),
        decided_by=by,
    )
    decision.full_clean()
    decision.save()
    decision.measures.set(measures)
    if locked.is_about_person:
        Restriction.objects.bulk_create(
            Restriction(
                person=locked.person,
                decision=decision,
                consequence=consequence,
                kind=period.kind,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
            )
            for _measure, consequence, period in decision_preview(
                case=locked, decided_on=decided_on, measures=measures
            ).periods
        )
    locked.status = CaseStatus.DECIDED
    locked.save()
    return decision


# ---- Early signs ------------------------------------------------------------------------------


@service
def intervention_record(
    *,
    organisation: Organisation,
    kind: str,
    reason: str,
    person: Person | None = None,
    task=None,
    day: date | None = None,
    follow_up: str = "",
    by,
) -> Intervention:
    """Record a reminder, a criticism or a talk about an early sign (该提醒的提醒、该批评的批评、该约谈的约谈)."""
    if not may_intervene(by, organisation):
        raise PermissionDenied(_("您无权对该组织或干部进行提醒、批评或约谈。"))
    day = day or timezone.localdate()
    errors = {}
    if day > timezone.localdate():
        errors["day"] = _("日期不能晚于今天。")
    if not reason.strip():
        errors["reason"] = _("请写明事由。")
    if person is not None and not person.home_organisation.path.startswith(organisation.path):
        errors["person"] = _("对象必须是该组织或其下级单位的干部。")
    if task is not None and not task.item.responsibility_list.organisation.path.startswith(organisation.path):
        errors["task"] = _("相关任务必须是该组织或其下级单位责任清单中的任务。")
    if errors:
        raise ValidationError(errors)
    intervention = Intervention(
        organisation=organisation,
        person=person,
        task=task,
        kind=kind,
        reason=reason.strip(),
        date=day,
        follow_up=follow_up.strip(),
        done_by=by,
        responsibility_list=task.item.responsibility_list if task is not None else None,
    )
    intervention.full_clean()
    intervention.save()
    notifications.intervention_recorded(intervention, by)
    return intervention


@service
def intervention_follow_up(*, intervention: Intervention, follow_up: str, by) -> Intervention:
    if not may_intervene(by, intervention.organisation):
        raise PermissionDenied(_("您无权修改该记录。"))
    if not follow_up.strip():
        raise ValidationError({"follow_up": _("请填写跟进情况。")}, code="required")
    # Written once: of two people recording it at the same time, the second is refused and shown
    # the first one's words instead of silently replacing them.
    if not Intervention.objects.filter(pk=intervention.pk, follow_up="").update(follow_up=follow_up.strip()):
        recorded = Intervention.objects.values_list("follow_up", flat=True).get(pk=intervention.pk)
        raise ValidationError(
            {"follow_up": _("跟进情况已由他人记录：“%(text)s”。") % {"text": recorded}}, code="already_recorded"
        )
    intervention.refresh_from_db(fields=["follow_up"])
    return intervention


@service
def intervention_acknowledge(*, intervention: Intervention, feedback: str = "", by) -> Intervention:
    """The recipient marks a reminder, criticism or talk read (已阅, with the time) and answers it (反馈),
    once: so that 该提醒的提醒 leaves a trace of having been heard."""
    locked = (
        Intervention.objects.select_for_update(of=("self",))
        .select_related("organisation", "person")
        .get(pk=intervention.pk)
    )
    if not may_acknowledge(by, locked):
        raise PermissionDenied(_("只有被提醒、批评或约谈的对象可以确认已阅。"))
    if locked.acknowledged_at is not None:
        raise ValidationError(
            {
                "feedback": _("该记录已于 %(at)s 确认已阅。")
                % {"at": f"{timezone.localtime(locked.acknowledged_at):%Y-%m-%d %H:%M}"}
            },
            code="already_acknowledged",
        )
    if len(feedback) > 2000:
        raise ValidationError({"feedback": _("反馈不能超过 2000 字。")}, code="too_long")
    locked.acknowledged_at, locked.acknowledged_by, locked.feedback = timezone.now(), by, feedback.strip()
    locked.save(update_fields=["acknowledged_at", "acknowledged_by", "feedback"])
    return locked
