"""What assessments puts on the 工作台: inspections to submit or confirm and evaluation rounds to hand
out or wind up; 已办: inspections confirmed and rounds organised. Read through the doors."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import rules
from assessments.models import EvaluationRound, Inspection, InspectionStatus
from core import scope
from core.people import person_of
from core.worklist import TODO_LIMIT, Done, DoneSource, Todo, TodoRow, group, on_day

# A round is handed out (票码分发) from a week before it opens until it closes, and wound up (汇总结果)
# in the two weeks after it closed: the round itself has no status to say so.
DISTRIBUTE_BEFORE_DAYS = 7
CLOSE_WITHIN_DAYS = 14


def _inspection_row(inspection):
    return TodoRow(
        text=" · ".join(
            [inspection.organisation.name, inspection.get_department_display(), inspection.get_kind_display()]
        ),
        url=inspection.get_absolute_url(),
        detail=f"{inspection.scheme.name} · {inspection.date:%Y-%m-%d}",
    )


def todo(user, today) -> list[Todo]:
    to_submit = (
        Inspection.objects.for_user(user)
        .filter(inspector=user, status=InspectionStatus.DRAFT)
        .select_related("organisation", "scheme")
        .order_by("date", "pk")
    )
    # Confirming is for the assessing level's office staff: the door's "change" over the scheme.
    to_confirm = (
        Inspection.objects.for_user(user, scope.CHANGE)
        .filter(status=InspectionStatus.SUBMITTED)
        .select_related("organisation", "scheme")
        .order_by("date", "pk")
    )
    managed = EvaluationRound.objects.for_user(user, scope.CHANGE).select_related("organisation", "person", "scheme")
    to_distribute = managed.filter(
        opens_on__lte=today + timedelta(days=DISTRIBUTE_BEFORE_DAYS), closes_on__gte=today
    ).order_by("opens_on", "pk")
    to_close = managed.filter(closes_on__lt=today, closes_on__gte=today - timedelta(days=CLOSE_WITHIN_DAYS)).order_by(
        "closes_on", "pk"
    )
    return [
        group("inspections_to_submit", _("待提交的检查考核记录"), _("评分并提交"), to_submit, _inspection_row),
        group("inspections_to_confirm", _("待确认的检查考核记录"), _("确认"), to_confirm, _inspection_row),
        group(
            "rounds_to_distribute",
            _("待分发票码的民主测评"),
            _("打印并分发票码"),
            to_distribute,
            lambda r: TodoRow(
                text=str(r),
                url=r.get_absolute_url(),
                detail=_("%(opens)s 至 %(closes)s") % {"opens": r.opens_on, "closes": r.closes_on},
            ),
        ),
        group(
            "rounds_to_close",
            _("已截止待汇总的民主测评"),
            _("查看结果并汇总"),
            to_close,
            lambda r: TodoRow(text=str(r), url=r.get_absolute_url(), detail=_("%(day)s 截止") % {"day": r.closes_on}),
        ),
    ]


def done(user, since) -> list[DoneSource]:
    return [
        DoneSource(
            Inspection.objects.filter(confirmed_by=user, confirmed_at__gte=since).select_related("organisation"),
            ("-confirmed_at",),
            lambda i: Done(
                i.confirmed_at, _("确认检查考核：%(org)s") % {"org": i.organisation.name}, i.get_absolute_url()
            ),
        ),
        DoneSource(
            EvaluationRound.objects.filter(created_by=user, opens_on__gte=since.date()).select_related(
                "organisation", "person"
            ),
            ("-opens_on",),
            lambda r: Done(on_day(r.opens_on), _("组织民主测评：%(round)s") % {"round": r}, r.get_absolute_url()),
        ),
    ]


def hearing_todo(user, today) -> list[Todo]:
    """述责述廉 on the 工作台: the member who has not yet reported in an open 述责述廉 of his team, and
    the reports of the other members he has not yet evaluated (评议)."""
    from django.db.models import Exists, OuterRef

    from assessments.models import Hearing, HearingEvaluation, HearingReport
    from responsibilities.models import TeamMembership

    person = person_of(user)
    if person is None:
        return []
    seats = TeamMembership.objects.on(today).filter(person=person).values("organisation")
    open_hearings = Hearing.objects.for_user(user).filter(
        organisation__in=seats, opens_on__lte=today, closes_on__gte=today
    )
    reported = HearingReport.objects.filter(person=person, year=OuterRef("scheme__year"))
    to_report = (
        open_hearings.filter(~Exists(reported)).select_related("organisation", "scheme").order_by("closes_on", "pk")
    )
    evaluated = HearingEvaluation.objects.filter(report=OuterRef("pk"), evaluator=person)
    to_evaluate = (
        HearingReport.objects.for_user(user)
        .filter(hearing__in=open_hearings)
        .exclude(person=person)
        .filter(~Exists(evaluated))
        .select_related("person", "hearing__organisation")
        .order_by("hearing__closes_on", "person__name", "pk")
    )
    return [
        group(
            "hearing_reports_to_submit",
            _("待提交的述责述廉报告"),
            _("提交报告"),
            to_report,
            lambda h: TodoRow(
                text=str(h),
                url=reverse("assessments:report_submit", args=[h.pk]),
                detail=_("%(day)s 截止") % {"day": h.closes_on},
            ),
        ),
        group(
            "hearing_reports_to_evaluate",
            _("待评议的述责述廉报告"),
            _("评议"),
            to_evaluate,
            lambda r: TodoRow(
                text=_("%(name)s · %(year)s 年述责述廉报告") % {"name": r.person.name, "year": r.year},
                url=r.get_absolute_url(),
                detail=_("%(day)s 截止") % {"day": r.hearing.closes_on},
            ),
        ),
    ]


def hearing_done(user, since) -> list[DoneSource]:
    """已办: the reports the user submitted and the 评议 he gave, through the reports' door."""
    from assessments.models import HearingEvaluation, HearingReport

    return [
        DoneSource(
            HearingReport.objects.filter(submitted_by=user, submitted_at__gte=since).select_related("person"),
            ("-submitted_at",),
            lambda r: Done(r.submitted_at, _("提交述责述廉报告：%(year)s 年") % {"year": r.year}, r.get_absolute_url()),
        ),
        DoneSource(
            HearingEvaluation.objects.filter(evaluated_by=user, evaluated_at__gte=since).select_related(
                "report__person"
            ),
            ("-evaluated_at",),
            lambda e: Done(
                e.evaluated_at,
                _("评议述责述廉报告：%(name)s") % {"name": e.report.person.name},
                e.report.get_absolute_url(),
            ),
        ),
    ]


# ---- The annual 主体责任 report -----------------------------------------------------------------


def reports_todo(user, today) -> list[Todo]:
    """The reporting year's report to draft or finish (the organisation's own office; the secretary may
    draft too, but his or her 待办 is the confirmation),
    to confirm (the secretary) and to receive (the upper level's office staff)."""
    from assessments.models import AnnualReport, ReportStatus
    from assessments.selectors import preparing_organisations, report_deadline
    from responsibilities.models import TeamMembership

    year = rules.reporting_year(today)
    deadline = _("报送期限 %(day)s") % {"day": report_deadline(year)}
    own = list(preparing_organisations(user, today, secretary=False))
    reports = {
        report.organisation_id: report
        for report in AnnualReport.objects.for_user(user).filter(organisation__in=[o.pk for o in own], year=year)
    }
    to_draft = [
        TodoRow(
            text=_("%(org)s %(year)s 年度主体责任报告") % {"org": organisation.name, "year": year},
            url=reports[organisation.pk].get_absolute_url()
            if organisation.pk in reports
            else reverse("assessments:report_list") + f"?year={year}",
            detail=(reports[organisation.pk].get_status_display() if organisation.pk in reports else _("未起草"))
            + " · "
            + deadline,
        )
        for organisation in own
        if organisation.pk not in reports or reports[organisation.pk].is_editable
    ]
    to_confirm = (
        AnnualReport.objects.for_user(user)
        .filter(status=ReportStatus.SUBMITTED, organisation__in=TeamMembership.objects.secretary_of(user, today))
        .select_related("organisation")
        .order_by("year", "organisation__path")
    )
    to_receive = (
        AnnualReport.objects.for_user(user)
        .filter(scope.within(scope.scope_paths(user, scope.CHANGE), field="recipient__path"))
        .filter(status=ReportStatus.CONFIRMED)
        .select_related("organisation")
        .order_by("confirmed_at", "pk")
    )

    def report_row(report):
        return TodoRow(text=str(report.title), url=report.get_absolute_url(), detail=report.organisation.name)

    return [
        Todo(
            key="reports_to_draft",
            title=_("待起草的年度主体责任报告"),
            action=_("起草并提交"),
            rows=to_draft[:TODO_LIMIT],
            count=len(to_draft),
        ),
        group("reports_to_confirm", _("待确认的年度主体责任报告"), _("审阅确认"), to_confirm, report_row),
        group("reports_to_receive", _("待接收的年度主体责任报告"), _("接收"), to_receive, report_row),
    ]


def reports_done(user, since) -> list[DoneSource]:
    from assessments.models import AnnualReport

    reports = AnnualReport.objects.select_related("organisation")

    def source(field, words):
        return DoneSource(
            reports.filter(**{f"{field}_by": user, f"{field}_at__gte": since}),
            (f"-{field}_at",),
            lambda report: Done(
                getattr(report, f"{field}_at"), words % {"org": report.organisation.name}, report.get_absolute_url()
            ),
        )

    return [
        source("submitted", _("提交年度主体责任报告：%(org)s")),
        source("confirmed", _("确认报送年度主体责任报告：%(org)s")),
        source("received", _("接收年度主体责任报告：%(org)s")),
    ]
