"""The annual 主体责任 report's writes: drafting it from the year's data, editing it (versioned: a save
over a newer version is refused), and its status moves (``rules.REPORT_TRANSITIONS``), each re-checking
its rule in ``assessments.permissions`` inside the transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import annual_report, rules
from assessments import report_notifications as notifications
from assessments.models import AnnualReport, ReportStatus
from assessments.permissions import may_move_report, may_prepare_report
from core.models import lock_versioned
from core.services import service
from responsibilities.models import Organisation

PREPARE_REFUSED = gettext_lazy("只有本单位的党建工作人员或书记可以起草、修改和提交年度主体责任报告。")
CONFIRM_REFUSED = gettext_lazy("只有本单位书记可以确认报告。")
RECEIVE_REFUSED = gettext_lazy("只有主送机关（或其上级）的党建工作人员可以接收或退回报告。")
REFUSALS = {"office": PREPARE_REFUSED, "secretary": CONFIRM_REFUSED, "upper": RECEIVE_REFUSED}


@service
def report_draft(*, organisation: Organisation, year: int, by) -> AnnualReport:
    """Draft an organisation's report for a year from the year's own data, addressed to the
    organisation above it."""
    if not may_prepare_report(by, organisation):
        raise PermissionDenied(PREPARE_REFUSED)
    today = timezone.localdate()
    errors = {}
    if organisation.kind not in rules.REPORTING_KINDS:
        errors["organisation"] = _("年度主体责任报告由党委（党组）报送，%(org)s不需报送。") % {"org": organisation.name}
    parent = Organisation.objects.filter(path=organisation.parent_path).first() if organisation.depth > 1 else None
    if parent is None:
        errors.setdefault("organisation", _("%(org)s没有上级组织，无需报送。") % {"org": organisation.name})
    if not 2000 <= year <= today.year:
        errors["year"] = _("只能起草本年度或以前年度的报告。")
    elif AnnualReport.objects.filter(organisation=organisation, year=year).exists():
        errors["year"] = _("该组织%(year)s年度的报告已起草，请打开已有报告修改。") % {"year": year}
    if errors:
        raise ValidationError(errors)
    context = annual_report.ReportContext(organisation=organisation, year=year, user=by, today=today)
    report = AnnualReport(
        organisation=organisation,
        recipient=parent,
        year=year,
        title=annual_report.report_title(organisation, year),
        body=annual_report.draft_body(context),
        issuer_name=organisation.name,
        drafted_by=by,
    )
    report.full_clean()
    report.save()
    return report


def _lock(report: AnnualReport, version: int | None) -> AnnualReport:
    return lock_versioned(AnnualReport.objects.select_related("organisation", "recipient"), report.pk, version)


@service
def report_edit(*, report: AnnualReport, version: int, title: str, body: str, issuer_name: str, by) -> AnnualReport:
    """Save the office's edit of a draft (or of a returned report)."""
    locked = _lock(report, version)
    if not may_prepare_report(by, locked.organisation):
        raise PermissionDenied(PREPARE_REFUSED)
    if not locked.is_editable:
        raise ValidationError(
            {"body": _("报告%(status)s，不能再修改。") % {"status": locked.get_status_display()}}, code="locked"
        )
    errors = {}
    if not title.strip():
        errors["title"] = _("请填写标题。")
    if not body.strip():
        errors["body"] = _("请填写正文。")
    if not issuer_name.strip():
        errors["issuer_name"] = _("请填写落款单位。")
    if errors:
        raise ValidationError(errors)
    locked.title = title.strip()
    locked.body = "\n".join(line.strip() for line in body.strip().splitlines() if line.strip())
    locked.issuer_name = issuer_name.strip()
    locked.full_clean()
    locked.save()
    return locked


@service
def report_move(*, report: AnnualReport, version: int, target: str, reason: str = "", by) -> AnnualReport:
    """Submit (office), confirm or send back (secretary), receive or return (upper level)."""
    locked = _lock(report, version)
    actor = rules.report_transition_actor(locked.status, target)
    if actor is None:
        raise ValidationError(
            {"status": _("当前状态（%(status)s）不能进行该操作。") % {"status": locked.get_status_display()}},
            code="bad_transition",
        )
    if not may_move_report(by, actor, locked):
        raise PermissionDenied(REFUSALS[actor])
    reason = reason.strip()
    if rules.report_needs_reason(locked.status, target) and not reason:
        raise ValidationError({"reason": _("请填写退回原因。")}, code="reason_required")
    if target == ReportStatus.SUBMITTED:
        unfinished = rules.report_unfinished(locked.body)
        if unfinished:
            raise ValidationError(
                {
                    "body": _("正文还有 %(n)s 处“%(mark)s”未填写，请补充后再提交。")
                    % {"n": unfinished, "mark": rules.REPORT_TO_FILL}
                },
                code="unfinished",
            )
    now = timezone.now()
    previous = locked.status
    locked.status = target
    if target == ReportStatus.SUBMITTED:
        locked.submitted_by, locked.submitted_at, locked.return_reason = by, now, ""
    elif target == ReportStatus.CONFIRMED:
        locked.confirmed_by, locked.confirmed_at, locked.issued_on = by, now, timezone.localdate()
    elif target == ReportStatus.RECEIVED:
        locked.received_by, locked.received_at = by, now
    elif target == ReportStatus.RETURNED:
        locked.return_reason = reason
        locked.confirmed_by = locked.confirmed_at = locked.issued_on = None
    locked.full_clean()
    locked.save()
    notifications.report_moved(locked, previous, by)
    return locked
