"""Pages of the annual 主体责任 report: the year's page (our reports to draft or follow, and the
subordinates' reports with who has not reported by the deadline), one report with its status moves,
its edit page, and its PDF in 公文 layout."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import report_pdf, rules, selectors
from assessments import report_services as services
from assessments.models import ReportStatus
from assessments.permissions import may_move_report
from assessments.report_forms import ReportDraftForm, ReportEditForm, ReportMoveForm, ReportYearForm
from core.forms import attach_errors
from core.permissions import can
from core.views import ServiceFormView, TransitionView, private_no_store
from responsibilities.models import Organisation

logger = logging.getLogger(__name__)

# The moves offered on a report's page: (target, the button's words, whether it asks for a reason).
MOVES = {
    ReportStatus.SUBMITTED: (_("提交书记确认"), False),
    ReportStatus.CONFIRMED: (_("确认并报送"), False),
    ReportStatus.RECEIVED: (_("接收"), False),
    ReportStatus.RETURNED: (_("退回"), True),
}


def _year_and_upper(request, today):
    form = ReportYearForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or rules.reporting_year(today)
    receiving = selectors.receiving_organisations(request.user)
    upper = None
    if data.get("org"):
        upper = get_object_or_404(receiving, pk=data["org"])
    else:
        upper = receiving.order_by("depth", "path").first()
    return year, upper


@require_GET
def report_list(request):
    """The year's reports: ours (to draft, or where they are), and those due to us from below."""
    return _list_page(request)


def _list_page(request, status=200):
    today = timezone.localdate()
    year, upper = _year_and_upper(request, today)
    own = list(selectors.preparing_organisations(request.user, today))
    reports = {
        report.organisation_id: report
        for report in selectors.reports_visible_to(request.user).filter(organisation__in=[o.pk for o in own], year=year)
    }
    own_rows = [(organisation, reports.get(organisation.pk)) for organisation in own]
    rows = selectors.reporting_rows(request.user, upper, year, today) if upper else []
    return render(
        request,
        "assessments/report_list.html",
        {
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "deadline": selectors.report_deadline(year),
            "own_rows": own_rows,
            "upper": upper,
            "rows": rows,
            "missing": sum(1 for row in rows if not (row.report and row.report.is_reported)),
            "overdue": sum(1 for row in rows if row.overdue),
            "draft_form": ReportDraftForm(initial={"year": year}),
        },
        status=status,
    )


@require_POST
def report_create(request):
    form = ReportDraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作无效，请刷新页面后重试。"))
        return redirect("assessments:report_list")
    organisation = get_object_or_404(Organisation.objects.for_user(request.user), pk=form.cleaned_data["organisation"])
    if not can(request.user, "assessments.prepare_report", organisation):
        messages.error(request, services.PREPARE_REFUSED)
        return _list_page(request, status=403)
    try:
        report = services.report_draft(organisation=organisation, year=form.cleaned_data["year"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{_list_url()}?year={form.cleaned_data['year']}")
    messages.success(request, _("已根据本年度数据生成报告草稿，请修改完善后提交。"))
    return redirect(report.get_absolute_url())


def _list_url():
    return reverse("assessments:report_list")


def _context(user, report, move_form=None) -> dict:
    moves = []
    for target, (label, needs_reason) in MOVES.items():
        actor = rules.report_transition_actor(report.status, target)
        if actor and may_move_report(user, actor, report):
            moves.append({"target": target.value, "label": label, "needs_reason": needs_reason})
    return {
        "report": report,
        "blocks": report_pdf.blocks(report.body),
        "deadline": selectors.report_deadline(report.year),
        "can_edit": report.is_editable and can(user, "assessments.prepare_report", report.organisation),
        "unfinished": rules.report_unfinished(report.body),
        "moves": moves,
        "move_form": move_form or ReportMoveForm(initial={"version": report.version}),
    }


@require_GET
@private_no_store
def report_detail(request, pk):
    report = selectors.annual_report_for(request.user, pk)
    return render(request, "assessments/annual_report_detail.html", _context(request.user, report))


class ReportEdit(ServiceFormView):
    template_name = "assessments/annual_report_form.html"
    form_class = ReportEditForm
    success_message = _("报告已保存。")

    def get_object(self):
        return selectors.annual_report_for(self.request.user, self.kwargs["pk"])

    def refuse(self):
        if not can(self.request.user, "assessments.prepare_report", self.object.organisation):
            # The report's page, with the rule's words (403): who may read it but not change it.
            messages.error(self.request, services.PREPARE_REFUSED)
            return render(
                self.request,
                "assessments/annual_report_detail.html",
                _context(self.request.user, self.object),
                status=403,
            )
        if not self.object.is_editable:
            messages.error(
                self.request, _("报告%(status)s，不能再修改。") % {"status": self.object.get_status_display()}
            )
            return redirect(self.object.get_absolute_url())
        return None

    def get_form_kwargs(self):
        report = self.object
        return {
            "initial": {
                "version": report.version,
                "title": report.title,
                "body": report.body,
                "issuer_name": report.issuer_name,
            }
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.report_edit(
            report=self.object,
            version=data["version"],
            title=data["title"],
            body=data["body"],
            issuer_name=data["issuer_name"],
            by=self.request.user,
        )


class ReportMove(TransitionView):
    """A report's status move; a refusal is the report's page with the reasons above the moves (400,
    or 403 when the rule is about who may move it)."""

    form_class = ReportMoveForm
    template_name = "assessments/annual_report_detail.html"
    kept_field = "reason"
    statuses = ReportStatus
    forbidden = False

    def get_object(self):
        return selectors.annual_report_for(self.request.user, self.kwargs["pk"])

    def get_context(self, obj) -> dict:
        return _context(self.request.user, obj)

    def perform(self, form):
        data = form.cleaned_data
        target = ReportStatus(data["target"])
        try:
            services.report_move(
                report=self.object, version=data["version"], target=target, reason=data["reason"], by=self.request.user
            )
        except PermissionDenied as refusal:
            self.forbidden = True
            raise ValidationError(str(refusal)) from refusal

    def refused(self, form, error):
        attach_errors(form, error)
        context = _context(self.request.user, self.object, form)
        return render(self.request, self.template_name, context, status=403 if self.forbidden else 400)

    def success_message(self, target) -> str:
        return {
            ReportStatus.SUBMITTED: _("报告已提交书记确认。"),
            ReportStatus.CONFIRMED: _("报告已确认并报送上级。"),
            ReportStatus.RECEIVED: _("报告已接收。"),
            ReportStatus.RETURNED: _("报告已退回。"),
        }[target]


report_move = ReportMove.as_view()


@require_GET
@private_no_store
def report_pdf_view(request, pk):
    """The report as an A4 PDF in 公文 layout, shown in the browser (inline)."""
    report = selectors.annual_report_for(request.user, pk)
    try:
        pdf = report_pdf.render_pdf(report)
    except report_pdf.PdfUnavailable as error:
        logger.error("annual report PDF unavailable: %s", error)
        return render(request, "assessments/report_pdf_unavailable.html", {"report": report}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"annual-report-{report.organisation.code}-{report.year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
