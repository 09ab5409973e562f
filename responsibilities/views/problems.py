"""问题清单 pages: the list (filters, 整改台账 Excel and A4 print), recording a problem, one problem with
its measures (progress and evidence), 提请复核, 复核 (销号 or return), the roll-up and the files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import excel
from core.forms import attach_errors, picked
from core.models import EditConflict
from core.permissions import can
from core.tables import Column, WorkingList
from core.views import stored_file_response
from responsibilities.filters import ProblemFilterSet
from responsibilities.list_forms import YearForm
from responsibilities.models import MeasureEvidence, Organisation, ProblemStatus, RectificationMeasure
from responsibilities.problem_forms import (
    MeasureForm,
    MeasureReportForm,
    ProblemForm,
    ReviewForm,
    SubmitForm,
)
from responsibilities.selectors import organisations as org_selectors
from responsibilities.selectors import problems as selectors
from responsibilities.services import problems as services

CONFLICT = gettext_lazy("该问题已被他人更新，请查看最新情况后重试。")


LEDGER_COLUMNS = [
    (_("编号"), 16),
    (_("问题"), 40),
    (_("问题来源"), 14),
    (_("整改单位"), 24),
    (_("责任人"), 10),
    (_("发现单位"), 24),
    (_("发现日期"), 12),
    (_("整改时限"), 12),
    (_("长期整改"), 8),
    (_("整改措施（已完成/总数）"), 14),
    (_("状态"), 10),
    (_("预警"), 16),
    (_("销号人"), 12),
    (_("销号时间"), 18),
]


def ledger_row(p):
    """One row of the 整改台账 workbook (more columns than the page: the ledger kept on file)."""
    return (
        p.number,
        p.title,
        p.get_source_display(),
        p.organisation.name,
        p.person.name if p.person else "",
        p.found_by.name,
        p.found_on,
        p.deadline,
        _("是") if p.long_term else "",
        f"{p.measure_count - p.open_measures}/{p.measure_count}",
        p.get_status_display(),
        p.warning.word if p.warning else "",
        (p.closed_by.get_full_name() or p.closed_by.username) if p.closed_by else "",
        timezone.localtime(p.closed_at).strftime("%Y-%m-%d %H:%M") if p.closed_at else "",
    )


class ProblemList(WorkingList):
    """问题清单: filtered, sorted, paginated (core.tables); its export is the 整改台账 of the same rows."""

    template_name = "responsibilities/problem_list.html"
    filterset_class = ProblemFilterSet
    default_sort = ("-found_on", "-pk")
    page_size = 30
    columns = [
        Column("number", gettext_lazy("编号"), sort="number", css="text-nowrap"),
        Column("title", gettext_lazy("问题"), sort="title", css="col-text"),
        Column("organisation", gettext_lazy("整改单位"), sort="organisation__path", css="col-text"),
        Column("source", gettext_lazy("来源"), sort="source", css="text-nowrap"),
        Column("deadline", gettext_lazy("整改时限"), sort="deadline", css="text-nowrap"),
        Column("measures", gettext_lazy("措施"), sort="measure_count", css="text-nowrap"),
        Column("status", gettext_lazy("状态"), sort="status", css="text-nowrap"),
    ]

    def get_queryset(self):
        return selectors.ledger_problems(self.request.user)

    def decorate(self, rows):
        return selectors.decorate(rows, timezone.localdate())

    rows_name = "problems"

    def get_context(self):
        return {"home": selectors.recording_home(self.request.user)}

    def export(self, rows, columns):
        problems = self.decorate(rows[: selectors.LEDGER_LIMIT])
        workbook = excel.table_workbook(_("整改台账"), _("问题清单"), LEDGER_COLUMNS, [ledger_row(p) for p in problems])
        return excel.download(workbook, _("整改台账.xlsx"))


problem_list = require_GET(ProblemList.as_view())


class ProblemPrint(ProblemList):
    """The 整改台账 to print: the rows of the list's filters and sort, up to ``LEDGER_LIMIT``."""

    def get(self, request, *args, **kwargs):
        _filterset, rows = self.filtered()
        return render(
            request,
            "responsibilities/problem_print.html",
            {"problems": self.decorate(rows[: selectors.LEDGER_LIMIT]), "today": timezone.localdate()},
        )


problem_print = require_GET(ProblemPrint.as_view())


def _people_of(organisation):
    """The people a problem's 责任人 may be: the picker's "people" within the organisation."""
    return org_selectors.candidates_for_team(organisation)


def problem_form_context(user, organisation, data=None, initial=None, finders=None):
    """The form to record a problem at ``organisation`` (used by this page and by an inspection's
    立为问题): the finders the user may record for are the organisation and its ancestors."""
    if finders is None:
        finders = Organisation.objects.filter(path__in=[*organisation.ancestor_paths(), organisation.path])
    finders = [org for org in finders if can(user, "responsibilities.record_problem", org)]
    if not finders:
        raise PermissionDenied(services.RECORD_REFUSED)
    return ProblemForm(
        data,
        initial=initial,
        finders=Organisation.objects.filter(pk__in=[org.pk for org in finders]).order_by("-depth"),
        people=_people_of(organisation),
        within=organisation.pk,
        items=services.items_for(organisation, timezone.localdate().year),
    )


def record_from_form(form, organisation, *, by, source_key="", order=None):
    """Call the service with a valid ProblemForm; returns the problem or None (errors on the form)."""
    data = form.cleaned_data
    try:
        return services.problem_record(
            organisation=organisation,
            found_by=data["found_by"],
            source=data["source"],
            source_detail=data["source_detail"],
            source_key=source_key,
            order=order,
            title=data["title"],
            description=data["description"],
            person=data["person"],
            items=data["items"],
            deadline=data["deadline"],
            long_term=data["long_term"],
            by=by,
        )
    except ValidationError as error:
        attach_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
def problem_create(request, pk):
    organisation = org_selectors.organisation_for(request.user, pk)
    initial = {"source": request.GET.get("source", "tour"), "deadline": None}
    form = problem_form_context(request.user, organisation, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        problem = record_from_form(form, organisation, by=request.user)
        if problem is not None:
            messages.success(request, _("已登记问题，已通知整改单位。"))
            return redirect(problem.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "responsibilities/problem_form.html",
        {"form": form, "organisation": organisation, "action": request.get_full_path()},
        status=status,
    )


def _measures(user, problem, today, forms):
    """The problem's measures, each with whether the user may report on it and its report form."""
    rectifying = problem.status in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING)
    measures = selectors.measures_of(problem, today)
    for measure in measures:
        measure.can_report = (
            rectifying and not measure.is_done and can(user, "responsibilities.report_measure", measure)
        )
        given = forms.get(("report", measure.pk))
        if measure.can_report or given:
            measure.report_form = given or MeasureReportForm(
                initial={"version": measure.version}, prefix=f"m{measure.pk}"
            )
    return measures


def _page(request, problem, *, forms=None, status=200):
    today = timezone.localdate()
    user = request.user
    forms = forms or {}
    can_rectify = can(user, "responsibilities.rectify_problem", problem)
    can_review = can(user, "responsibilities.review_problem", problem)
    rectifying = problem.status in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING)
    measures = _measures(user, problem, today, forms)
    [problem] = selectors.decorate([problem], today)
    version = {"version": problem.version}
    context = {
        "problem": problem,
        "measures": measures,
        "items": problem.items.select_related("responsibility_list__person"),
        "can_rectify": can_rectify,
        "can_review": can_review and problem.status == ProblemStatus.REVIEW,
        "measure_form": forms.get("measure")
        or (can_rectify and rectifying and MeasureForm(initial=version, **_measure_choices(problem))),
        "submit_form": forms.get("submit")
        or (can_rectify and problem.status == ProblemStatus.RECTIFYING and SubmitForm(initial=version)),
        "review_form": forms.get("review") or ReviewForm(initial=version),
        "open_measures": sum(1 for m in measures if not m.is_done),
    }
    return render(request, "responsibilities/problem_detail.html", context, status=status)


def _measure_choices(problem) -> dict:
    """A measure's 责任人 is one of the people of the problem's organisation."""
    return {"people": _people_of(problem.organisation), "within": problem.organisation_id}


@require_GET
def problem_detail(request, pk):
    return _page(request, selectors.problem_for(request.user, pk))


REFUSALS = {
    "measure": ("text", services.RECTIFY_REFUSED),
    "report": ("note", services.RECTIFY_REFUSED),
    "submit": ("report", services.RECTIFY_REFUSED),
    "review": ("reason", services.REVIEW_REFUSED),
}


def _refused(request, problem, key, form):
    """Who may read the problem but not do this: the page again with the rule's words at the field (403)."""
    field, message = REFUSALS[key[0] if isinstance(key, tuple) else key]
    form.is_valid()
    form.add_error(field, message)
    return _page(request, problem, forms={key: form}, status=403)


def _handle(request, problem, key, form, action, call, success, target=None):
    """Shared POST handling: refused at the field (403) without the rule, else the service; a redirect
    on success, the page again with the errors at the fields (400), or the fresh page after a
    concurrent change (409)."""
    if not can(request.user, action, target or problem):
        return _refused(request, problem, key, form)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except EditConflict:
            messages.error(request, CONFLICT)
            return _page(request, selectors.problem_for(request.user, problem.pk), status=409)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, success)
            return redirect((target or problem).get_absolute_url())
    return _page(request, problem, forms={key: form}, status=400)


@require_POST
def measure_add(request, pk):
    problem = selectors.problem_for(request.user, pk)
    form = MeasureForm(request.POST, **_measure_choices(problem))
    return _handle(
        request,
        problem,
        "measure",
        form,
        "responsibilities.rectify_problem",
        lambda data: services.measure_add(
            problem=problem,
            **picked(
                data, "version", "text", "responsible_person", "deadline", "quantity", "unit", "standard", "milestone"
            ),
            by=request.user,
        ),
        _("已制定整改措施。"),
    )


@require_POST
def measure_report(request, pk):
    measure = get_object_or_404(
        RectificationMeasure.objects.for_user(request.user).select_related(
            "problem__organisation", "problem__found_by", "problem__person", "responsible_person"
        ),
        pk=pk,
    )
    problem = selectors.problem_for(request.user, measure.problem_id)
    return _handle(
        request,
        problem,
        ("report", measure.pk),
        MeasureReportForm(request.POST, request.FILES, prefix=f"m{measure.pk}"),
        "responsibilities.report_measure",
        lambda data: services.measure_report(
            measure=measure, **picked(data, "version", "note", "files", "complete"), by=request.user
        ),
        _("已填报整改进展。"),
        target=measure,
    )


@require_POST
def problem_submit(request, pk):
    problem = selectors.problem_for(request.user, pk)
    return _handle(
        request,
        problem,
        "submit",
        SubmitForm(request.POST),
        "responsibilities.rectify_problem",
        lambda data: services.problem_submit(
            problem=problem, version=data["version"], report=data["report"], by=request.user
        ),
        _("已提请复核。"),
    )


@require_POST
def problem_review(request, pk):
    problem = selectors.problem_for(request.user, pk)
    form = ReviewForm(request.POST)
    closing = request.POST.get("action") == "close"
    return _handle(
        request,
        problem,
        "review",
        form,
        "responsibilities.review_problem",
        lambda data: services.problem_review(
            problem=problem,
            version=data["version"],
            accept=data["action"] == "close",
            reason=data["reason"],
            by=request.user,
        ),
        _("已销号。") if closing else _("已退回整改。"),
    )


@require_GET
def measure_file(request, pk):
    attached = get_object_or_404(MeasureEvidence.objects.for_user(request.user), pk=pk)
    return stored_file_response(attached)


@require_GET
def problem_rollup(request, pk):
    organisation = org_selectors.organisation_for(request.user, pk)
    year = YearForm(request.GET or None).year_or(timezone.localdate().year)
    rollup = selectors.problem_rollup(organisation, year, timezone.localdate())
    return render(request, "responsibilities/problem_rollup.html", {"organisation": organisation, "rollup": rollup})
