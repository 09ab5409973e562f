"""问题清单 and 整改: recording a problem, its measures, progress with evidence, 提请复核, and the
finder's 复核 (销号 or return with a reason). Each write re-checks its rule in
``responsibilities.permissions`` inside the transaction; the status moves are ``rules.PROBLEM_TRANSITIONS``."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import lock_versioned
from core.permissions import can
from core.services import service
from core.uploads import checked_uploads, stored_fields
from responsibilities import problem_notifications as notifications
from responsibilities import rules
from responsibilities.models import (
    ListItem,
    MeasureEvidence,
    MeasureProgress,
    Organisation,
    Person,
    Problem,
    ProblemSource,
    ProblemStatus,
    RectificationMeasure,
    SupervisionOrder,
)

RECORD_REFUSED = gettext_lazy("只有发现单位（或其上级）的党建工作人员、考核人员可以登记问题。")
RECTIFY_REFUSED = gettext_lazy("只有整改单位的党建工作人员、书记或责任人可以填报整改。")
REVIEW_REFUSED = gettext_lazy("只有发现问题的单位或其上级可以复核、销号。")


def _move(problem: Problem, target: str, actor: str) -> None:
    if rules.problem_transition_actor(problem.status, target) != actor:
        raise ValidationError(
            {"status": _("当前状态（%(status)s）不能进行该操作。") % {"status": problem.get_status_display()}},
            code="bad_transition",
        )
    problem.status = target


@service
def problem_record(
    *,
    organisation: Organisation,
    found_by: Organisation,
    source: str,
    title: str,
    description: str,
    deadline: date | None,
    long_term: bool = False,
    person: Person | None = None,
    items=(),
    source_detail: str = "",
    source_key: str = "",
    order: SupervisionOrder | None = None,
    by,
) -> Problem:
    """Record a problem found by ``found_by`` at ``organisation`` (itself or an organisation below it)."""
    if not can(by, "responsibilities.record_problem", found_by):
        raise PermissionDenied(RECORD_REFUSED)
    items = list(items)
    today = timezone.localdate()
    errors = {}
    if not organisation.path.startswith(found_by.path):
        errors["organisation"] = _("问题只能登记给发现单位本级或其下级组织。")
    if source not in ProblemSource.values:
        errors["source"] = _("请选择问题来源。")
    if not title.strip():
        errors["title"] = _("请填写问题。")
    if not description.strip():
        errors["description"] = _("请填写问题描述。")
    errors.update(rules.problem_deadline_problems(found_on=today, deadline=deadline, long_term=long_term))
    if person is not None and not person.home_organisation.path.startswith(organisation.path):
        errors["person"] = _("责任人须为整改单位（含下级）的干部。")
    if any(item.responsibility_list.organisation_id != organisation.pk for item in items):
        errors["items"] = _("涉及的责任事项须是整改单位责任清单中的事项。")
    if order is not None and not order.replies.filter(organisation=organisation).exists():
        errors["order"] = _("来源督办须是向整改单位签发的督办。")
    if source_key and Problem.objects.filter(source_key=source_key).exists():
        errors["source_detail"] = _("该记录已立为问题，不能重复登记。")
    if errors:
        raise ValidationError(errors)
    problem = Problem(
        organisation=organisation,
        found_by=found_by,
        person=person,
        source=source,
        source_detail=source_detail.strip(),
        source_key=source_key,
        order=order,
        title=title.strip(),
        description=description.strip(),
        found_on=today,
        deadline=deadline,
        long_term=long_term,
        recorded_by=by,
    )
    problem.full_clean()
    problem.save()
    problem.items.set(items)
    notifications.problem_assigned(problem, by)
    return problem


def _lock(problem: Problem, version: int | None) -> Problem:
    return lock_versioned(Problem.objects.select_related("organisation", "found_by", "person"), problem.pk, version)


def _refuse_unless(user, action: str, obj, message: str) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(message)


@service
def measure_add(
    *,
    problem: Problem,
    version: int,
    text: str,
    responsible_person: Person | None,
    deadline: date | None,
    quantity: Decimal | None = None,
    unit: str = "",
    standard: str = "",
    milestone: bool = False,
    by,
) -> RectificationMeasure:
    """Set a rectification measure; the first one starts the rectification (待整改 → 整改中)."""
    locked = _lock(problem, version)
    _refuse_unless(by, "responsibilities.rectify_problem", locked, RECTIFY_REFUSED)
    if locked.status not in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING):
        raise ValidationError({"text": _("问题已提请复核或已销号，不能再增加整改措施。")}, code="not_rectifying")
    errors = rules.measure_problems(
        quantity=quantity,
        unit=unit,
        standard=standard,
        deadline=deadline,
        problem_deadline=locked.deadline,
        milestone=milestone,
        long_term=locked.long_term,
    )
    if not text.strip():
        errors["text"] = _("请填写整改措施。")
    if responsible_person is None:
        errors["responsible_person"] = _("请选择责任人。")
    elif not responsible_person.home_organisation.path.startswith(locked.organisation.path):
        errors["responsible_person"] = _("责任人须为整改单位（含下级）的干部。")
    if deadline is not None and deadline < timezone.localdate():
        errors.setdefault("deadline", _("完成时限不能早于今天。"))
    if errors:
        raise ValidationError(errors)
    measure = RectificationMeasure(
        problem=locked,
        text=text.strip(),
        responsible_person=responsible_person,
        deadline=deadline,
        quantity=quantity,
        unit=unit.strip(),
        standard=standard.strip(),
        milestone=milestone,
        created_by=by,
    )
    measure.full_clean()
    measure.save()
    if locked.status == ProblemStatus.OPEN:
        _move(locked, ProblemStatus.RECTIFYING, "rectifier")
    locked.save()  # the version moves with every change of the problem's rectification
    return measure


@service
def measure_report(
    *, measure: RectificationMeasure, version: int, note: str, files=(), complete: bool, by
) -> MeasureProgress:
    """Report progress on a measure with evidence files (checked as task evidence is); ``complete``
    marks it done, which needs at least one file (整改留痕)."""
    locked = lock_versioned(
        RectificationMeasure.objects.select_related(
            "problem__organisation", "problem__found_by", "problem__person", "responsible_person"
        ),
        measure.pk,
        version,
    )
    _refuse_unless(by, "responsibilities.report_measure", locked, RECTIFY_REFUSED)
    if locked.problem.status not in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING):
        raise ValidationError({"note": _("问题已提请复核或已销号，不能再填报整改进展。")}, code="not_rectifying")
    if locked.is_done:
        raise ValidationError({"note": _("该整改措施已完成。")}, code="done")
    if not note.strip():
        raise ValidationError({"note": _("请填写进展情况。")}, code="required")
    checked = checked_uploads(files)
    if complete and not checked and not locked.evidence.exists():
        raise ValidationError({"files": _("标记完成前请上传至少一份整改佐证材料。")}, code="evidence_required")
    progress = MeasureProgress.objects.create(measure=locked, note=note.strip(), completes=complete, recorded_by=by)
    for uploaded, content_type in checked:
        MeasureEvidence.objects.create(measure=locked, progress=progress, **stored_fields(uploaded, content_type, by))
    if complete:
        locked.completed_on, locked.completed_by = timezone.localdate(), by
    locked.save()
    return progress


@service
def problem_submit(*, problem: Problem, version: int, report: str, by) -> Problem:
    """The rectifying side reports the rectification done and asks for 复核 (整改中 → 待复核)."""
    locked = _lock(problem, version)
    _refuse_unless(by, "responsibilities.rectify_problem", locked, RECTIFY_REFUSED)
    if not report.strip():
        raise ValidationError({"report": _("请填写整改情况说明。")}, code="required")
    try:
        _move(locked, ProblemStatus.REVIEW, "rectifier")
    except ValidationError as error:
        raise ValidationError({"report": error.message_dict["status"]}) from error
    locked.report, locked.submitted_by, locked.submitted_at = report.strip(), by, timezone.now()
    locked.save()
    notifications.problem_submitted(locked, by)
    return locked


@service
def problem_review(*, problem: Problem, version: int, accept: bool, reason: str = "", by) -> Problem:
    """The finder (or above) checks the rectification: 销号 (who and when recorded), every measure done,
    or returned to 整改中 with a reason."""
    locked = _lock(problem, version)
    _refuse_unless(by, "responsibilities.review_problem", locked, REVIEW_REFUSED)
    if locked.status != ProblemStatus.REVIEW:
        raise ValidationError({"reason": _("问题尚未提请复核，不能销号或退回。")}, code="not_in_review")
    if accept:
        measures = list(locked.measures.values_list("completed_on", flat=True))
        refusal = rules.closing_refusal(sum(1 for done in measures if done is None), len(measures))
        if refusal:
            raise ValidationError({"reason": refusal}, code="measures_open")
        _move(locked, ProblemStatus.CLOSED, "reviewer")
        locked.closed_by, locked.closed_at = by, timezone.now()
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("退回时请写明原因。")}, code="reason_required")
        _move(locked, ProblemStatus.RECTIFYING, "reviewer")
        locked.return_reason = reason.strip()
    locked.save()
    notifications.problem_reviewed(locked, accept, by)
    return locked


def items_for(organisation: Organisation, year: int):
    """The list items a problem of the organisation may concern: its lists of the year."""
    return (
        ListItem.objects.filter(responsibility_list__organisation=organisation, responsibility_list__year=year)
        .select_related("responsibility_list__person")
        .order_by("responsibility_list__kind", "responsibility_list__person__name", "number")
    )
