"""Every write of accountability: cases, their moves, decisions with computed restrictions, early signs."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import notifications, rules
from accountability.models import (
    Case,
    CaseStatus,
    Consequence,
    Decision,
    Exemption,
    ExemptionGround,
    Intervention,
    Measure,
    Responsibility,
    Restriction,
    RestrictionKind,
    RuleSet,
    RuleSetAdoption,
    RuleSetStatus,
)
from accountability.permissions import (
    admin_paths,
    handles_cases,
    may_acknowledge,
    may_adopt_for,
    may_edit_rule_set,
    may_intervene,
    may_manage_rules,
)
from core.models import lock_versioned
from core.services import check_acknowledgement
from responsibilities.models import Organisation, Person
from responsibilities.services import service


def _require_case_handler(user, organisation) -> None:
    if not handles_cases(user, organisation):
        raise PermissionDenied(_("只有纪检、组织部门的考核人员和系统管理员可以办理问责案件。"))


# ---- Which rule set judges a decision ---------------------------------------------------------


def adoptions_above(organisation: Organisation) -> list[RuleSetAdoption]:
    """The adoptions of the organisation and of its ancestors: one query."""
    paths = [*organisation.ancestor_paths(), organisation.path]
    return list(RuleSetAdoption.objects.filter(organisation__path__in=paths).select_related("organisation", "rule_set"))


def adoption_on(organisation: Organisation, day: date, field: str = "decided_on") -> RuleSetAdoption:
    """The adoption that judges a decision of ``day`` taken for ``organisation``: the nearest
    adoption in force that day, of the organisation or of an ancestor. A clear refusal when none."""
    rows = adoptions_above(organisation)
    try:
        found = rules.adoption_for([row.as_rule() for row in rows], organisation.path, day)
    except rules.NoRuleSet:
        raise ValidationError(
            {
                field: _(
                    "%(day)s，%(organisation)s及其上级组织都没有采用施行中的问责规则：请系统管理员先在“问责规则”页面为其采用规则。"
                )
                % {"day": day.isoformat(), "organisation": organisation.name}
            },
            code="no_rule_set",
        ) from None
    return next(row for row in rows if row.pk == found.key)


def judging_organisation(case: Case, deciding_organisation: Organisation | None = None) -> Organisation:
    """Whose adoptions judge the case: the deciding body's organisation, or failing that the subject's."""
    return deciding_organisation or case.organisation


def deciding_organisations(case: Case):
    """The organisations a deciding body may belong to: the case's organisation and those above it."""
    return Organisation.objects.filter(path__in=[*case.organisation.ancestor_paths(), case.organisation.path])


def adopt_default_for_root(organisation: Organisation) -> RuleSetAdoption | None:
    """A new top-level organisation adopts the product's default rule set (the article's) from its
    effective date, so that its nine measures can be used at once; administrators adopt others."""
    default = RuleSet.objects.filter(is_default=True, status=RuleSetStatus.PUBLISHED).first()
    if default is None or organisation.depth != 1 or organisation.rule_set_adoptions.exists():
        return None
    return RuleSetAdoption.objects.create(
        organisation=organisation,
        rule_set=default,
        effective_from=default.effective_from,
        decided_by_body=_("产品默认（新建顶级组织时采用）"),
        decided_on=timezone.localdate(),
        document=default.name,
    )


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
        raise ValidationError(_("未作问责决定的案件，请通过“不予或免予问责”结案，并写明依据。"), code="use_exemption")
    if note.strip():
        locked.closing_note = note.strip()
    locked.status = target
    locked.save()
    return locked


@service
def case_exempt(*, case: Case, version: int, exemption: str, ground: str, note: str, by) -> Case:
    """Close a case under investigation or review without accountability (不予问责 / 免予问责), with
    the ground the 2019 regulations name and the reasons: an outcome of review, kept on the case."""
    locked = lock_versioned(Case.objects.select_related("organisation"), case.pk, version)
    _require_case_handler(by, locked.organisation)
    if not rules.case_may_move(locked.status, CaseStatus.CLOSED) or locked.status == CaseStatus.EXECUTED:
        raise ValidationError(
            _("案件当前为“%(status)s”，不能不予或免予问责（只能在调查或审理阶段作出）。")
            % {"status": locked.get_status_display()},
            code="exemption_not_allowed",
        )
    errors = {}
    if exemption not in Exemption.values:
        errors["exemption"] = _("请选择不予问责或免予问责。")
    if ground not in ExemptionGround.values:
        errors["ground"] = _("请选择依据的情形。")
    elif ground == ExemptionGround.NOT_ESTABLISHED and exemption == Exemption.EXEMPTED:
        errors["ground"] = _("不存在失职失责的，应为“不予问责”；“免予问责”须有可以免责的情形。")
    if not note.strip():
        errors["note"] = _("请写明理由和查明的事实。")
    if errors:
        raise ValidationError(errors)
    locked.exemption, locked.exemption_ground = exemption, ground
    locked.closing_note = note.strip()
    locked.status = CaseStatus.CLOSED
    locked.full_clean()
    locked.save()
    return locked


@dataclass
class Preview:
    """What a decision would impose: the rule set that applies and every restriction, before saving."""

    rule_set: RuleSet
    periods: list[tuple[Measure, Consequence, rules.Period]]
    adoption: RuleSetAdoption | None = None
    measures: list[Measure] = field(default_factory=list)

    @property
    def combined(self) -> list[rules.Period]:
        return rules.combined([period for _m, _c, period in self.periods])


def decision_preview(
    *, case: Case, decided_on: date, measures, deciding_organisation: Organisation | None = None
) -> Preview:
    """What a decision would impose; refused for the same reasons as recording it would be."""
    measures = list(measures)
    adoption = _check_decision(case, decided_on, measures, deciding_organisation)
    periods = []
    if case.is_about_person:
        for measure in measures:
            for consequence in measure.consequences.all():
                if consequence.is_active:
                    periods.append(
                        (measure, consequence, rules.period_for(consequence.kind, decided_on, consequence.months))
                    )
    return Preview(rule_set=adoption.rule_set, periods=periods, adoption=adoption, measures=measures)


def _check_decision(
    case: Case, decided_on: date, measures: list[Measure], deciding_organisation: Organisation | None = None
) -> RuleSetAdoption:
    errors = {}
    if decided_on < case.facts_date:
        errors["decided_on"] = _("决定日期不能早于事实发生日期（%(day)s）。") % {"day": case.facts_date}
    elif decided_on < case.filed_on:
        errors["decided_on"] = _("决定日期不能早于立案日期（%(day)s）。") % {"day": case.filed_on}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("决定日期不能晚于今天。")
    if deciding_organisation is not None and not case.organisation.path.startswith(deciding_organisation.path):
        errors["deciding_organisation"] = _("决定机关应属于案件所在组织或其上级组织。")
    if errors:
        raise ValidationError(errors)
    adoption = adoption_on(judging_organisation(case, deciding_organisation), decided_on)
    rule_set = adoption.rule_set
    if not measures:
        raise ValidationError({"measures": _("请至少选择一种问责方式。")}, code="no_measure")
    wrong_version = [m.name for m in measures if m.rule_set_id != rule_set.pk or not m.is_active]
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
    return adoption


@service
def decision_record(
    *,
    case: Case,
    version: int,
    decided_on: date,
    deciding_body: str,
    measures,
    deciding_organisation: Organisation | None = None,
    document_number: str = "",
    judicial_transfer: bool = False,
    reasoning: str = "",
    by,
) -> Decision:
    """Record the decision, judged by the rule set adopted for the deciding (else the subject's)
    organisation in force on its date, and store the restrictions it imposes: they never change after."""
    locked = lock_versioned(Case.objects.select_related("organisation", "person"), case.pk, version)
    _require_case_handler(by, locked.organisation)
    if hasattr(locked, "decision") or not rules.decision_allowed(locked.status):
        raise ValidationError(
            _("案件当前为“%(status)s”，不能再作出决定（决定只能在审理阶段作出一次）。")
            % {"status": locked.get_status_display()},
            code="decision_not_allowed",
        )
    measures = list(Measure.objects.filter(pk__in=[m.pk for m in measures]).prefetch_related("consequences"))
    preview = decision_preview(
        case=locked, decided_on=decided_on, measures=measures, deciding_organisation=deciding_organisation
    )
    decision = Decision(
        case=locked,
        rule_set=preview.rule_set,
        adoption=preview.adoption,
        decided_on=decided_on,
        deciding_body=deciding_body.strip(),
        deciding_organisation=deciding_organisation,
        document_number=document_number.strip(),
        judicial_transfer=judicial_transfer,
        reasoning=reasoning.strip(),
        decided_by=by,
    )
    decision.full_clean()
    decision.save()
    decision.measures.set(measures)
    Restriction.objects.bulk_create(
        Restriction(
            person=locked.person,
            decision=decision,
            consequence=consequence,
            kind=period.kind,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        )
        for _measure, consequence, period in preview.periods
    )
    locked.status = CaseStatus.DECIDED
    locked.save()
    notifications.decision_recorded(decision, by)
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


# ---- Managing rule sets: drafts, publication, adoption ------------------------------------------


def judged_count(rule_set: RuleSet) -> int:
    return Decision.objects.filter(rule_set=rule_set).count()


def _lock_draft(rule_set: RuleSet, version: int, by) -> RuleSet:
    """Lock the rule set, check nobody changed it since it was read, and that it may still change."""
    locked = lock_versioned(RuleSet.objects.select_related("owner"), rule_set.pk, version)
    judged = judged_count(locked)
    if judged:
        raise ValidationError(
            _("该规则版本已据以作出 %(n)s 项问责决定，只读；如需改变规则，请复制为新草稿。") % {"n": judged},
            code="judged",
        )
    if not locked.is_draft:
        raise ValidationError(_("已发布的规则版本只读；如需改变规则，请复制为新草稿。"), code="published")
    if not may_edit_rule_set(by, locked):
        raise PermissionDenied(_("只有制定单位及上级的系统管理员可以修改该草稿。"))
    return locked


def draft_owner(user) -> Organisation | None:
    """The organisation a user's new draft belongs to: the top of his or her administrator scope."""
    paths = admin_paths(user)
    if not paths:
        return None
    return Organisation.objects.filter(path=min(paths, key=len)).first()


@service
def rule_set_copy(*, rule_set: RuleSet, by) -> RuleSet:
    """Copy a rule set (its measures and consequences with their sources) into a new draft."""
    if not may_manage_rules(by):
        raise PermissionDenied(_("只有系统管理员可以复制规则版本。"))
    if not RuleSet.objects.for_user(by).filter(pk=rule_set.pk).exists():
        raise PermissionDenied(_("无权查看该规则版本。"))
    draft = RuleSet(
        name=_("%(name)s（修订稿）") % {"name": rule_set.name},
        source=rule_set.source,
        effective_from=rule_set.effective_from,
        status=RuleSetStatus.DRAFT,
        based_on=rule_set,
        owner=draft_owner(by),
        created_by=by,
    )
    draft.full_clean()
    draft.save()
    originals = list(rule_set.measures.filter(is_active=True).prefetch_related("consequences"))
    copies = Measure.objects.bulk_create(
        Measure(
            rule_set=draft,
            category=m.category,
            code=m.code,
            name=m.name,
            severity=m.severity,
            for_individuals=m.for_individuals,
            for_organisations=m.for_organisations,
            source=m.source,
        )
        for m in originals
    )
    Consequence.objects.bulk_create(
        Consequence(measure=copy, kind=c.kind, months=c.months, source=c.source)
        for original, copy in zip(originals, copies, strict=True)
        for c in original.consequences.all()
        if c.is_active
    )
    return draft


@service
def rule_set_update(*, rule_set: RuleSet, version: int, name: str, source: str, effective_from: date, by) -> RuleSet:
    locked = _lock_draft(rule_set, version, by)
    locked.name, locked.source, locked.effective_from = name.strip(), source.strip(), effective_from
    locked.full_clean()
    locked.save()
    return locked


@dataclass
class ConsequenceInput:
    """One row of a measure's consequences as entered: ``pk`` None for a new one."""

    kind: str
    months: int | None
    source: str = ""
    pk: int | None = None
    withdrawn: bool = False


@service
def measure_save(
    *,
    rule_set: RuleSet,
    version: int,
    name: str,
    category: str,
    severity: int,
    for_individuals: bool,
    for_organisations: bool,
    source: str,
    consequences: list[ConsequenceInput],
    measure: Measure | None = None,
    withdrawn: bool = False,
    by,
) -> Measure:
    """Add a measure to a draft, or change one: its words, whom it applies to, its source, and its
    consequences (kind, months or "that year", source). A withdrawn row is kept, no longer applied."""
    locked = _lock_draft(rule_set, version, by)
    if measure is not None and measure.rule_set_id != locked.pk:
        raise ValidationError(_("该问责方式不属于这个规则版本。"), code="wrong_rule_set")
    errors = {}
    kept = [c for c in consequences if not c.withdrawn]
    kinds = [c.kind for c in kept]
    duplicated = sorted({k for k in kinds if kinds.count(k) > 1})
    if duplicated:
        labels = dict(RestrictionKind.choices)
        errors["consequences"] = _("同一问责方式的同一种影响只能有一条：%(kinds)s。") % {
            "kinds": "、".join(str(labels.get(k, k)) for k in duplicated)
        }
    if any(c.months is not None and c.months < 1 for c in kept):
        errors["consequences"] = _("期限至少 1 个月；“当年”请留空。")
    if errors:
        raise ValidationError(errors)
    if measure is None:
        taken = set(locked.measures.values_list("code", flat=True))
        number = len(taken) + 1
        while f"m{number}" in taken:
            number += 1
        measure = Measure(rule_set=locked, code=f"m{number}")
    else:
        measure = Measure.objects.select_for_update(of=("self",)).get(pk=measure.pk)
    measure.name, measure.category, measure.severity = name.strip(), category, severity
    measure.for_individuals, measure.for_organisations = for_individuals, for_organisations
    measure.source, measure.is_active = source.strip(), not withdrawn
    measure.full_clean()
    measure.save()
    existing = {c.pk: c for c in measure.consequences.all()} if measure.pk else {}
    for row in consequences:
        if row.pk is not None:
            consequence = existing.get(row.pk)
            if consequence is None:
                raise ValidationError(_("影响期规则不属于该问责方式，请刷新后重试。"), code="wrong_measure")
        elif row.withdrawn:
            continue
        else:
            consequence = Consequence(measure=measure)
        consequence.kind, consequence.months, consequence.source = row.kind, row.months, row.source.strip()
        consequence.is_active = not row.withdrawn
        consequence.full_clean()
        consequence.save()
    locked.save()  # the rule set's version moves with every change of its measures
    return measure


@service
def rule_set_publish(*, rule_set: RuleSet, version: int, by) -> RuleSet:
    """Publish a draft: from now on it is read-only and may be adopted."""
    locked = _lock_draft(rule_set, version, by)
    if not locked.measures.filter(is_active=True).exists():
        raise ValidationError(_("草稿中没有在用的问责方式，不能发布。"), code="empty")
    locked.status = RuleSetStatus.PUBLISHED
    locked.published_at, locked.published_by = timezone.now(), by
    locked.full_clean()
    locked.save()
    return locked


@dataclass
class AdoptionPreview:
    """What adopting a rule set for a subtree from a date would change, before it is saved."""

    rule_set: RuleSet
    organisation: Organisation
    effective_from: date
    effective_until: date | None
    replaced: RuleSetAdoption | None  # what judges the organisation on that day without the new one
    ends_current: RuleSetAdoption | None  # the organisation's own open adoption, ended the day before
    cases: list  # (case, the adoption judging it today) for open cases the new set would judge
    kept_by_nearer: int  # open cases in the subtree that a nearer organisation's adoption keeps
    differences: list[rules.MeasureDiff]

    @property
    def changed(self) -> list[rules.MeasureDiff]:
        return [row for row in self.differences if row.status != rules.SAME]

    @property
    def unchanged(self) -> list[rules.MeasureDiff]:
        return [row for row in self.differences if row.status == rules.SAME]


def _measure_rules(rule_set: RuleSet | None) -> list[rules.MeasureRule]:
    if rule_set is None:
        return []
    measures = (
        rule_set.measures.filter(is_active=True).prefetch_related("consequences").order_by("category", "severity")
    )
    return [
        rules.MeasureRule(
            code=m.code,
            name=m.name,
            category=m.category,
            consequences={
                c.kind: c.months
                for c in sorted(m.consequences.all(), key=lambda c: rules.KIND_ORDER.index(c.kind))
                if c.is_active
            },
            source=m.source,
            consequence_sources=tuple((c.kind, c.source) for c in m.consequences.all() if c.is_active),
        )
        for m in measures
    ]


def _check_adoption(
    *, rule_set: RuleSet, organisation: Organisation, effective_from: date, effective_until: date | None, by
) -> RuleSetAdoption | None:
    """Refuse an adoption that may not be made; return the organisation's own open adoption that it
    would end the day before (a later adoption supersedes an open one), if any."""
    if not may_adopt_for(by, organisation):
        raise PermissionDenied(_("只能为本组织及下级组织采用规则。"))
    if rule_set.is_draft:
        raise ValidationError(_("草稿不能采用：请先发布该规则版本。"), code="draft")
    errors = {}
    if effective_from < rule_set.effective_from:
        errors["effective_from"] = _("采用日期不能早于该规则版本的施行日期（%(day)s）。") % {
            "day": rule_set.effective_from.isoformat()
        }
    elif effective_until is not None and effective_until < effective_from:
        errors["effective_until"] = _("截止日期不能早于起用日期。")
    if errors:
        raise ValidationError(errors)
    superseded = None
    own = (
        RuleSetAdoption.objects.filter(organisation=organisation).select_related("rule_set").order_by("effective_from")
    )
    for other in own:
        if not rules.overlaps(effective_from, effective_until, other.effective_from, other.effective_until):
            continue
        if other.effective_until is None and other.effective_from < effective_from:
            superseded = other
            continue
        until = other.effective_until.isoformat() if other.effective_until else _("长期")
        raise ValidationError(
            {
                "effective_from": _("与本组织已有的采用时间重叠：%(rules)s（%(start)s 至 %(until)s）。")
                % {"rules": other.rule_set.name, "start": other.effective_from.isoformat(), "until": until}
            },
            code="overlap",
        )
    if superseded is not None:
        late = (
            Decision.objects.filter(adoption=superseded, decided_on__gte=effective_from).order_by("-decided_on").first()
        )
        if late is not None:
            raise ValidationError(
                {
                    "effective_from": _("本组织现行采用已据以作出决定（最晚 %(day)s），新的采用不能早于该决定的次日。")
                    % {"day": late.decided_on.isoformat()}
                },
                code="judged_after",
            )
    return superseded


def adoption_preview(
    *, rule_set: RuleSet, organisation: Organisation, effective_from: date, effective_until: date | None = None, by
) -> AdoptionPreview:
    """The what-if of an adoption: which open cases of the subtree the new set would judge, and per
    measure how the consequences differ from the rules it replaces there."""
    superseded = _check_adoption(
        rule_set=rule_set,
        organisation=organisation,
        effective_from=effective_from,
        effective_until=effective_until,
        by=by,
    )
    from accountability import selectors

    existing = list(
        RuleSetAdoption.objects.filter(
            Q(organisation__path__in=organisation.ancestor_paths())
            | Q(organisation__path__startswith=organisation.path)
        ).select_related("organisation", "rule_set")
    )
    by_key = {a.pk: a for a in existing}
    before = []
    for a in existing:
        rule = a.as_rule()
        if superseded is not None and a.pk == superseded.pk:
            rule = rules.Adoption(
                a.pk, rule.organisation_path, a.rule_set_id, a.effective_from, effective_from - timedelta(days=1)
            )
        before.append(rule)
    new = rules.Adoption("new", organisation.path, rule_set.pk, effective_from, effective_until)
    try:
        replaced = by_key[rules.adoption_for(before, organisation.path, effective_from).key]
    except rules.NoRuleSet:
        replaced = None
    today = timezone.localdate()
    day = max(effective_from, today)
    cases, kept = [], 0
    if effective_until is None or day <= effective_until:
        for case in selectors.open_cases_under(by, organisation):
            try:
                judged_by = rules.adoption_for([*before, new], case.organisation.path, day)
            except rules.NoRuleSet:  # pragma: no cover - the new adoption covers the whole subtree
                continue
            if judged_by.key == "new":
                try:
                    now = by_key[rules.adoption_for(before, case.organisation.path, today).key]
                except rules.NoRuleSet:
                    now = None
                cases.append((case, now))
            else:
                kept += 1
    replaced_rules = replaced.rule_set if replaced is not None else None
    return AdoptionPreview(
        rule_set=rule_set,
        organisation=organisation,
        effective_from=effective_from,
        effective_until=effective_until,
        replaced=replaced,
        ends_current=superseded,
        cases=cases,
        kept_by_nearer=kept,
        differences=rules.measure_differences(_measure_rules(replaced_rules), _measure_rules(rule_set)),
    )


@service
def rule_set_adopt(
    *,
    rule_set: RuleSet,
    organisation: Organisation,
    effective_from: date,
    decided_by_body: str,
    decided_on: date,
    effective_until: date | None = None,
    document: str = "",
    by,
) -> RuleSetAdoption:
    """Adopt a published rule set for an organisation's subtree from a date. An open adoption of the
    same organisation that started earlier ends the day before; any other overlap is refused. Past
    decisions keep the rule set and the restrictions they were given."""
    # One organisation's adoptions are decided one at a time.
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    errors = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("决定日期不能晚于今天。")
    if not decided_by_body.strip():
        errors["decided_by_body"] = _("请填写作出采用决定的机关。")
    if errors:
        raise ValidationError(errors)
    superseded = _check_adoption(
        rule_set=rule_set,
        organisation=organisation,
        effective_from=effective_from,
        effective_until=effective_until,
        by=by,
    )
    if superseded is not None:
        superseded.effective_until = effective_from - timedelta(days=1)
        superseded.full_clean()
        superseded.save()
    adoption = RuleSetAdoption(
        organisation=organisation,
        rule_set=rule_set,
        effective_from=effective_from,
        effective_until=effective_until,
        decided_by_body=decided_by_body.strip(),
        decided_on=decided_on,
        document=document.strip(),
        recorded_by=by,
    )
    adoption.full_clean()
    adoption.save()
    return adoption


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
    check_acknowledgement(locked.acknowledged_at, feedback, _("该记录已于 %(at)s 确认已阅。"))
    locked.acknowledged_at, locked.acknowledged_by, locked.feedback = timezone.now(), by, feedback.strip()
    locked.save(update_fields=["acknowledged_at", "acknowledged_by", "feedback"])
    return locked
