"""Pages of assessments: schemes and indicators, inspections and scoring, mass evaluation and the public
ballot, results with their breakdown, exports and award nominations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import exports, permissions, rules, selectors, services, tasks
from assessments.filters import InspectionFilterSet, ResultFilterSet
from assessments.forms import (
    AwardForm,
    BallotCodeForm,
    BallotForm,
    BandsForm,
    EvaluationForm,
    HearingForm,
    HearingRoundForm,
    IndicatorForm,
    InspectionStartForm,
    ReportForm,
    RoundForm,
    SchemeForm,
    ScoreForm,
)
from assessments.models import (
    Deduction,
    EvaluationRound,
    GradeSubject,
    HearingEvaluation,
    HearingReport,
    Indicator,
    InspectionStatus,
    Scheme,
    slip_codes,
)
from core import excel, scope
from core.forms import as_id, attach_errors, picked
from core.models import EditConflict, Job
from core.permissions import can, require
from core.tables import Column, WorkingList
from core.views import ServiceFormView, act_with_message, conflict_page, private_no_store, stored_file_response
from responsibilities.models import Department, Organisation, Problem
from responsibilities.selectors import organisations as org_selectors
from responsibilities.services.lists import template_for


def _today():
    return timezone.localdate()


ROUND_FIELDS = ("organisation", "subject", "issued", "quorum_percent", "opens_on", "closes_on")


def _managed_scheme(user, pk):
    """A scheme the user may see and run (404 otherwise: a reader of it may not edit it)."""
    scheme = selectors.scheme_for(user, pk)
    if not permissions.may_manage(user, scheme):
        raise Http404
    return scheme


class ManagedSchemeForm(ServiceFormView):
    """A form run on a scheme the user manages (404 otherwise), offering the scheme's targets."""

    def get_object(self):
        return _managed_scheme(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"targets": self.object.targets.all()}

    def get_context(self, form):
        return {"form": form, "scheme": self.object}


# ---- Schemes ------------------------------------------------------------------------------------


@require_GET
def scheme_list(request):
    managed = Organisation.objects.for_user(request.user, scope.CHANGE).active()
    return render(
        request,
        "assessments/scheme_list.html",
        {
            "schemes": selectors.schemes_visible_to(request.user),
            "assessors": managed[:200],
        },
    )


class SchemeCreate(ServiceFormView):
    template_name = "assessments/scheme_form.html"
    form_class = SchemeForm
    success_message = gettext_lazy("已创建考核方案。")

    def get_object(self):
        if (assessor_id := as_id(self.request.GET.get("assessor"))) is None:
            raise Http404
        return org_selectors.organisation_for(self.request.user, assessor_id, scope.CHANGE)

    def get_form_kwargs(self):
        year = _today().year
        weights = {"party_building_weight": 20, "weight_routine": 30, "weight_annual": 50, "weight_mass": 20}
        name = _("%(year)s 年度党建工作考核") % {"year": year}
        return {"assessor": self.object, "initial": {"year": year, "name": name, **weights}}

    def get_context(self, form):
        return {"form": form, "assessor": self.object}

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in (*SchemeForm.Meta.fields, "targets")}
        return services.scheme_create(assessor=self.object, **fields, by=self.request.user)


class SchemeEdit(ManagedSchemeForm):
    template_name = "assessments/scheme_form.html"
    form_class = SchemeForm
    success_message = gettext_lazy("已保存考核方案。")

    def get_form_kwargs(self):
        return {"instance": self.object, "assessor": self.object.assessor}

    def get_context(self, form):
        return {"form": form, "assessor": self.object.assessor, "scheme": self.object}

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in (*SchemeForm.Meta.fields, "targets", "version")}
        return services.scheme_update(scheme=self.object, **fields, by=self.request.user)


@require_GET
def scheme_detail(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    groups = selectors.indicators_by_department(scheme)
    manage = permissions.may_manage(request.user, scheme)
    own_departments = permissions.inspector_departments(request.user, scheme.assessor)
    bands = {
        subject: list(scheme.bands.filter(subject=subject).order_by("-min_score")) for subject in GradeSubject.values
    }
    return render(
        request,
        "assessments/scheme_detail.html",
        {
            "scheme": scheme,
            "groups": [(value, label, items, manage or value in own_departments) for value, label, items in groups],
            "vague_count": sum(1 for _v, _l, items in groups for i in items if i.is_vague),
            "indicator_count": sum(len(items) for _v, _l, items in groups),
            "targets": selectors.visible_targets(request.user, scheme),
            "inspections": selectors.inspections_of(request.user, scheme)[:50],
            "rounds": selectors.rounds_of(request.user, scheme),
            "manage": manage,
            "can_inspect": any(permissions.inspector_departments(request.user, t) for t in scheme.targets.all()),
            "team_bands": BandsForm(bands=bands[GradeSubject.TEAM], prefix="team"),
            "leader_bands": BandsForm(bands=bands[GradeSubject.LEADER], prefix="leader"),
        },
    )


class InspectionList(WorkingList):
    """The scheme's 检查考核记录 as a working table: filtered, sorted, paginated, exported (core.tables).
    The scheme is opened through its door (404 out of scope); the rows through the inspections' door."""

    template_name = "assessments/inspection_list.html"
    filterset_class = InspectionFilterSet
    default_sort = ("organisation__path", "department", "kind", "-date")
    columns = [
        Column(
            "organisation",
            gettext_lazy("组织"),
            sort="organisation__path",
            value=lambda i: i.organisation.display_name,
            width=24,
        ),
        Column("department", gettext_lazy("部门"), sort="department", value=lambda i: i.get_department_display()),
        Column("kind", gettext_lazy("方式"), sort="kind", value=lambda i: i.get_kind_display(), width=12),
        Column("date", gettext_lazy("日期"), sort="date", value=lambda i: i.date, width=12),
        Column("total", gettext_lazy("得分"), sort="total", value=lambda i: i.total, width=10, css="text-end"),
        Column("status", gettext_lazy("状态"), sort="status", value=lambda i: i.get_status_display(), width=10),
    ]

    def get_queryset(self):
        self.scheme = selectors.scheme_for(self.request.user, self.kwargs["pk"])
        return selectors.inspections_of(self.request.user, self.scheme)

    @property
    def export_title(self):
        return _("%(scheme)s 检查考核记录") % {"scheme": self.scheme.name}

    def get_context(self):
        return {"scheme": self.scheme}


inspection_list = InspectionList.as_view()


@require_POST
def bands_update(request, pk, subject):
    scheme = selectors.scheme_for(request.user, pk)
    if not permissions.may_manage(request.user, scheme) or subject not in GradeSubject.values:
        raise Http404
    bands = list(scheme.bands.filter(subject=subject).order_by("-min_score"))
    form = BandsForm(request.POST, bands=bands, prefix=subject)
    if form.is_valid():
        act_with_message(
            request,
            lambda: services.bands_update(
                scheme=scheme, subject=subject, minima=form.minima(), shown=form.shown(), by=request.user
            ),
            _("已保存等次分数线。"),
        )
    else:
        messages.error(request, _("分数线应为 0 到 100 之间的数。"))
    return redirect(scheme.get_absolute_url())


# ---- Indicators ---------------------------------------------------------------------------------


class IndicatorCreate(ServiceFormView):
    template_name = "assessments/indicator_form.html"
    form_class = IndicatorForm

    def get_object(self):
        scheme = selectors.scheme_for(self.request.user, self.kwargs["pk"])
        self.department = self.request.GET.get("department", "")
        if self.department not in Department.values:
            raise Http404
        if not permissions.may_define_indicators(self.request.user, scheme, self.department):
            raise Http404
        return scheme

    def get_form_kwargs(self):
        return {"template": template_for(self.object.year)}

    def get_context(self, form):
        return {"form": form, "scheme": self.object, "department": Department(self.department).label}

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in (*IndicatorForm.Meta.fields, "list_items")}
        return services.indicator_save(scheme=self.object, department=self.department, **fields, by=self.request.user)

    def succeeded(self, indicator):
        _vague_message(self.request, indicator)
        return redirect(self.object.get_absolute_url())


def _vague_message(request, indicator: Indicator) -> None:
    if indicator.is_vague:
        messages.warning(
            request,
            _(
                "已保存，但指标“%(title)s”没有数量、时间和标准，只能考“有没有”（例如是否成立领导小组、是否发文），"
                "难以客观反映党建工作实际成效，属于考核内容偏“虚”。请细化量化。"
            )
            % {"title": indicator.title},
        )
    else:
        messages.success(request, _("已保存指标。"))


class IndicatorEdit(ServiceFormView):
    template_name = "assessments/indicator_form.html"
    form_class = IndicatorForm

    def get_object(self):
        indicator = get_object_or_404(
            Indicator.objects.for_user(self.request.user).select_related("scheme__assessor"), pk=self.kwargs["pk"]
        )
        if not permissions.may_define_indicators(self.request.user, indicator.scheme, indicator.department):
            raise Http404
        return indicator

    def get_form_kwargs(self):
        return {"instance": self.object, "template": template_for(self.object.scheme.year)}

    def get_context(self, form):
        department = self.object.get_department_display()
        return {"form": form, "scheme": self.object.scheme, "department": department, "indicator": self.object}

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in (*IndicatorForm.Meta.fields, "list_items", "version")}
        return services.indicator_save(
            scheme=self.object.scheme,
            department=self.object.department,
            indicator=self.object,
            **fields,
            by=self.request.user,
        )

    def succeeded(self, indicator):
        _vague_message(self.request, indicator)
        return redirect(indicator.scheme.get_absolute_url())


# ---- Inspections --------------------------------------------------------------------------------


class InspectionStart(ServiceFormView):
    template_name = "assessments/inspection_form.html"
    form_class = InspectionStartForm
    success_message = gettext_lazy("已开始检查考核，请逐项评分。")

    def get_object(self):
        scheme = selectors.scheme_for(self.request.user, self.kwargs["pk"])
        departments = {t.pk: permissions.inspector_departments(self.request.user, t) for t in scheme.targets.all()}
        self.targets = [pk for pk, found in departments.items() if found]
        self.departments = {d for found in departments.values() for d in found}
        if not self.targets:
            raise Http404
        return scheme

    def get_form_kwargs(self):
        return {"targets": self.object.targets.filter(pk__in=self.targets), "departments": self.departments}

    def get_context(self, form):
        return {"form": form, "scheme": self.object}

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in ("organisation", "kind", "department", "day", "summary")}
        return services.inspection_start(scheme=self.object, **fields, by=self.request.user)


def _score_form(inspection, row):
    """An indicator's score form with its saved bonus, note and deductions."""
    initial = {
        "version": inspection.version,
        "bonus": rules.plain(row.score.bonus) if row.score else 0,
        "note": row.score.note if row.score else "",
    }
    for index, deduction in enumerate(row.deductions[: ScoreForm.ROWS]):
        initial[f"points_{index}"], initial[f"reason_{index}"] = rules.plain(deduction.points), deduction.reason
    return ScoreForm(initial=initial, indicator=row.indicator, prefix=f"i{row.indicator.pk}")


def _inspection_context(request, inspection, forms=None):
    rows = selectors.scoring_rows(request.user, inspection)
    can_score = (
        not inspection.is_locked
        and inspection.status == InspectionStatus.DRAFT
        and can(request.user, "assessments.score", inspection)
    )
    forms = forms or {}
    for row in rows:
        row.form = forms.get(row.indicator.pk) or _score_form(inspection, row)
        row.inputs = [(row.form[f"points_{i}"], row.form[f"reason_{i}"]) for i in range(ScoreForm.ROWS)]
    _mark_raised(request.user, inspection, rows)
    return {
        "inspection": inspection,
        "rows": rows,
        "can_score": can_score,
        "total": sum((row.score.score for row in rows if row.score), 0),
        "bonus": sum((row.score.bonus for row in rows if row.score), 0),
        "total_base": sum((row.score.base for row in rows if row.score), 0),
        "maximum": sum((row.indicator.max_score for row in rows), 0),
        "can_submit": can_score,
        "can_confirm": inspection.status == InspectionStatus.SUBMITTED
        and permissions.may_manage(request.user, inspection.scheme),
    }


def _mark_raised(user, inspection, rows) -> None:
    """Each deduction's problem where it was raised (立为问题), and whether the user may raise it: one query."""
    deductions = [d for row in rows for d in row.deductions]
    may_raise = inspection.status != InspectionStatus.DRAFT and can(
        user, "responsibilities.record_problem", inspection.scheme.assessor
    )
    keys = {services.deduction_source_key(d): d for d in deductions}
    raised = {p.source_key: p for p in Problem.objects.for_user(user).filter(source_key__in=list(keys))} if keys else {}
    for key, deduction in keys.items():
        deduction.problem = raised.get(key)
        deduction.may_raise = may_raise and deduction.problem is None


@require_GET
def inspection_detail(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    return render(request, "assessments/inspection_detail.html", _inspection_context(request, inspection))


class ScoreRecord(ServiceFormView):
    """Score one indicator of an inspection (the form inside the inspection page)."""

    http_method_names = ["post"]
    template_name = "assessments/inspection_detail.html"
    form_class = ScoreForm

    def get_object(self):
        inspection = selectors.inspection_for(self.request.user, self.kwargs["pk"])
        # Before the input is judged: a reader who may not score gets 403, not 400.
        require(self.request.user, "assessments.score", inspection)
        self.indicator = get_object_or_404(inspection.scheme.indicators, pk=self.kwargs["indicator_pk"])
        return inspection

    def get_form(self):
        return ScoreForm(self.request.POST, indicator=self.indicator, prefix=f"i{self.indicator.pk}")

    def get_context(self, form, inspection=None) -> dict:
        context = _inspection_context(self.request, inspection or self.object, forms={self.indicator.pk: form})
        return context | {"error_indicator": self.indicator}

    def perform(self, form):
        data = form.cleaned_data
        return services.score_record(
            inspection=self.object,
            version=data["version"],
            indicator=self.indicator,
            deductions=data["deductions"],
            bonus=data["bonus"] or 0,
            note=data["note"],
            by=self.request.user,
        )

    def succeeded(self, result):
        messages.success(self.request, _("已保存“%(title)s”的得分。") % {"title": self.indicator.title})
        return redirect(f"{self.object.get_absolute_url()}#indicator-{self.indicator.pk}")

    def conflicted(self, conflict):
        # The page as it now is (the other scores included), this indicator's input kept.
        current = selectors.inspection_for(self.request.user, self.object.pk)
        return conflict_page(self.request, self.template_name, self.get_context(self.form, current), conflict.current)


@require_POST
def inspection_transition(request, pk, action):
    inspection = selectors.inspection_for(request.user, pk)
    version = as_id(request.POST.get("version"))
    if version is None or action not in ("submit", "confirm"):
        raise Http404
    service = services.inspection_submit if action == "submit" else services.inspection_confirm
    try:
        service(inspection=inspection, version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict as conflict:
        # The record as it now is (scores changed or already submitted), and who changed it: 409.
        current = selectors.inspection_for(request.user, pk)
        return conflict_page(
            request, "assessments/inspection_detail.html", _inspection_context(request, current), conflict.current
        )
    else:
        messages.success(request, _("已提交，等待确认。") if action == "submit" else _("已确认，记录已锁定。"))
    return redirect(inspection.get_absolute_url())


# ---- Mass evaluation ----------------------------------------------------------------------------


class RoundCreate(ManagedSchemeForm):
    template_name = "assessments/round_form.html"
    form_class = RoundForm

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in ROUND_FIELDS}
        questions = form.cleaned_data["questions"].splitlines()
        return services.round_create(scheme=self.object, questions=questions, **fields, by=self.request.user)

    def succeeded(self, evaluation):
        messages.success(self.request, _("已生成 %(n)s 个票码，请打印票签发放。") % {"n": evaluation.issued})
        return redirect(evaluation.get_absolute_url())


@require_GET
def round_detail(request, pk):
    evaluation = selectors.round_for(request.user, pk)
    return render(
        request,
        "assessments/round_detail.html",
        {
            "round": evaluation,
            "summary": selectors.round_summary(evaluation),
            "manage": permissions.may_manage(request.user, evaluation.scheme),
        },
    )


def _managed_round(user, pk) -> EvaluationRound:
    evaluation = selectors.round_for(user, pk)
    if not permissions.may_manage(user, evaluation.scheme):
        raise Http404
    return evaluation


@require_GET
@private_no_store
def round_slips(request, pk):
    """Every slip of the round while its key exists (never which codes were used); then nothing."""
    evaluation = _managed_round(request.user, pk)
    codes = slip_codes(evaluation.slip_key, evaluation.issued) if evaluation.slip_key else []
    return render(
        request,
        "assessments/round_slips.html",
        {"round": evaluation, "codes": codes, "ballot_url": request.build_absolute_uri("/ballot/")},
    )


@require_POST
def round_slips_destroy(request, pk):
    evaluation = _managed_round(request.user, pk)
    services.round_slips_destroy(evaluation=evaluation, by=request.user)
    messages.success(request, _("票码已销毁，测评可以开始投票。"))
    return redirect(evaluation.get_absolute_url())


@require_POST
def round_close(request, pk):
    evaluation = _managed_round(request.user, pk)
    act_with_message(
        request, lambda: services.round_close(evaluation=evaluation, by=request.user), _("民主测评已结束并计票。")
    )
    return redirect(evaluation.get_absolute_url())


@login_not_required
@require_http_methods(["GET", "POST"])
def ballot(request):
    """The public ballot page (no login): enter a code, then rate each question once."""
    if request.method == "POST" and "q0" in request.POST:
        return _ballot_cast(request)
    form = BallotCodeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "assessments/ballot_code.html", {"form": form}, status=400 if form.errors else 200)
    try:
        evaluation = services.ballot_round(form.cleaned_data["code"])
    except ValidationError as error:
        return _code_refused(request, form, error)
    answers = BallotForm(initial={"code": form.cleaned_data["code"].strip().upper()}, questions=evaluation.questions)
    return render(request, "assessments/ballot_form.html", {"form": answers, "round": evaluation})


def _ballot_cast(request):
    """The answers to a round's questions, with the code they are cast under (checked again)."""
    code_form = BallotCodeForm(request.POST)
    if not code_form.is_valid():
        return render(request, "assessments/ballot_code.html", {"form": code_form}, status=400)
    code = code_form.cleaned_data["code"]
    try:
        evaluation = services.ballot_round(code)
        form = BallotForm(request.POST, questions=evaluation.questions)
        if not form.is_valid():
            return render(request, "assessments/ballot_form.html", {"form": form, "round": evaluation}, status=400)
        services.ballot_cast(code_text=form.cleaned_data["code"], answers=form.answers())
    except ValidationError as error:
        return _code_refused(request, BallotCodeForm({"code": code}), error)
    return render(request, "assessments/ballot_done.html", {"round": evaluation})


def _code_refused(request, form, error):
    return render(request, "assessments/ballot_code.html", {"form": _refused(form, error)}, status=400)


def _refused(form, error):
    """The code form again, with the reason the ballot was refused at the code field."""
    form.is_valid()
    errors = error.error_dict if hasattr(error, "error_dict") else {"code": error.error_list}
    for field, messages_ in errors.items():
        form.add_error("code" if field in ("code", "answers") else None, messages_)
    return form


# ---- Results ------------------------------------------------------------------------------------


class ResultList(WorkingList):
    """考核结果 as a working table (core.tables): sorted by rank, composite, grade or organisation,
    filtered by organisation (subtree) and grade, paginated, exported as shown; with the history
    columns, the line chart of the page's first twelve rows and the secretaries' results below.
    POST recomputes the results (the scheme's managers only). Rows through ``selectors.results_of``."""

    http_method_names = ["get", "post"]
    template_name = "assessments/results.html"
    default_sort = ("rank", "organisation__path")
    page_size = 50

    def dispatch(self, request, *args, **kwargs):
        self.scheme = selectors.scheme_for(request.user, kwargs["pk"])
        self.manage = permissions.may_manage(request.user, self.scheme)
        return super().dispatch(request, *args, **kwargs)

    @property
    def filterset_class(self):
        return ResultFilterSet.for_scheme(self.scheme)

    def get_queryset(self):
        return selectors.results_of(self.request.user, self.scheme).annotate(grade_position=selectors.grade_position())

    def get_columns(self):
        if not hasattr(self, "years"):
            self.years = selectors.history_years(self.request.user, self.scheme)
        return [
            Column("rank", gettext_lazy("排名"), sort="rank", value=lambda r: r.rank, width=8),
            Column(
                "organisation",
                gettext_lazy("组织"),
                sort="organisation__path",
                value=lambda r: r.organisation.display_name,
                width=24,
            ),
            Column("routine", gettext_lazy("平时检查"), value=lambda r: r.routine_base, width=10),
            Column("annual", gettext_lazy("年终考核"), value=lambda r: r.annual_base, width=10),
            Column("mass", gettext_lazy("群众评价"), value=lambda r: r.mass, width=10),
            Column("bonus", gettext_lazy("加分"), value=lambda r: r.bonus if r.bonus else None, width=8),
            Column(
                "composite",
                gettext_lazy("综合得分（含加分）"),
                sort="composite",
                value=lambda r: r.composite,
                width=12,
            ),
            Column("contribution", gettext_lazy("综合考核中的党建得分"), value=lambda r: r.contribution, width=14),
            Column("grade", gettext_lazy("等次"), sort="grade_position", value=lambda r: r.grade_label, width=10),
            *[
                Column(f"y{year}", str(year), value=lambda r, i=index: r.history[i], width=8)
                for index, year in enumerate(self.years)
            ],
            Column("change", gettext_lazy("较上年"), value=lambda r: r.change, width=8),
            Column("note", gettext_lazy("说明"), value=lambda r: r.note, width=30),
        ]

    def decorate(self, rows):
        self.table = selectors.results_table(self.request.user, self.scheme, rows, self.years)
        return self.table.rows

    @property
    def export_title(self):
        return _("%(scheme)s 考核结果") % {"scheme": self.scheme.name}

    def get_context(self):
        return {
            "scheme": self.scheme,
            "leaders": selectors.leader_results_of(self.request.user, self.scheme),
            "manage": self.manage,
            "last_job": Job.objects.for_user(self.request.user).filter(key=tasks.results_key(self.scheme)).first()
            if self.manage
            else None,
            "years": self.years,
            "chart": self.table.chart,
            "contribution_note": _(
                "党建考核在综合考核中的权重为 %(w)s%%：综合考核中的党建得分 = 党建综合得分 × %(w)s%%。"
            )
            % {"w": rules.plain(self.scheme.party_building_weight)},
        }

    def post(self, request, *args, **kwargs):
        if not self.manage:
            raise PermissionDenied
        _job, started = tasks.start_results(scheme=self.scheme, by=request.user)
        messages.success(
            request,
            _("已开始在后台重新计算考核结果，完成后本页显示新结果。")
            if started
            else _("重新计算已在进行中，完成后本页显示新结果。"),
        )
        return redirect("assessments:results", pk=self.scheme.pk)


results = private_no_store(ResultList.as_view())


@require_GET
@private_no_store
def results_print(request, pk):
    """考核结果通报: the scheme's results on A4, with rank, grade and score (the rows the user may see)."""
    scheme = selectors.scheme_for(request.user, pk)
    rows = list(selectors.results_of(request.user, scheme))
    grades: dict[str, int] = {}
    for row in rows:
        if row.grade_label:
            grades[row.grade_label] = grades.get(row.grade_label, 0) + 1
    return render(
        request,
        "assessments/results_print.html",
        {
            "scheme": scheme,
            "rows": rows,
            "leaders": selectors.leader_results_of(request.user, scheme),
            "grades": list(grades.items()),
            "today": _today(),
        },
    )


@require_GET
@private_no_store
def result_detail(request, pk):
    result = selectors.result_for(request.user, pk)
    return render(
        request,
        "assessments/result_detail.html",
        {
            "result": result,
            "scheme": result.scheme,
            "breakdown": selectors.breakdown(result),
            "contribution": rules.contribution(result.composite, result.scheme.party_building_weight),
        },
    )


@require_GET
@private_no_store
def results_export(request, pk):
    """Results for award selection and appointment screening, joined with accountability eligibility."""
    scheme = _managed_scheme(request.user, pk)
    workbook = exports.results_workbook(request.user, scheme, _today())
    return excel.download(workbook, f"考核结果-{scheme.assessor.code}-{scheme.year}.xlsx")


class Awards(ManagedSchemeForm):
    """评先评优 nominations of a scheme: the list and the form to add one."""

    template_name = "assessments/awards.html"
    form_class = AwardForm
    success_message = gettext_lazy("已推荐。")

    def get_form_kwargs(self):
        return {"people": selectors.award_candidates(self.object)}

    def get_context(self, form):
        nominations = self.object.awards.select_related("person__home_organisation", "nominated_by")
        return {"scheme": self.object, "form": form, "nominations": nominations}

    def perform(self, form):
        fields = picked(form.cleaned_data, "person", "title")
        return services.award_nominate(scheme=self.object, **fields, by=self.request.user)

    def succeeded(self, nomination):
        messages.success(self.request, self.success_message)
        return redirect("assessments:awards", pk=self.object.pk)


class DeductionProblem(ServiceFormView):
    """立为问题: the problem form prefilled from a deduction; the assessing organisation records it."""

    template_name = "responsibilities/problem_form.html"
    success_message = gettext_lazy("已立为问题，已通知被考核组织整改。")

    def get_object(self):
        deduction = get_object_or_404(
            Deduction.objects.for_user(self.request.user).select_related(
                "indicator_score__indicator",
                "indicator_score__inspection__scheme__assessor",
                "indicator_score__inspection__organisation",
            ),
            pk=self.kwargs["pk"],
            withdrawn=False,
        )
        self.inspection = deduction.indicator_score.inspection
        return deduction

    def refuse(self):
        key = services.deduction_source_key(self.object)
        raised = Problem.objects.for_user(self.request.user).filter(source_key=key).first()
        if raised is None:
            return None
        messages.info(self.request, _("该扣分已立为问题。"))
        return redirect(raised.get_absolute_url())

    def get_form(self):
        from responsibilities.views.problems import problem_form_context

        initial = selectors.deduction_problem_initial(self.object)
        assessor = self.inspection.scheme.assessor
        data = self.request.POST or None
        organisation = self.inspection.organisation
        form = problem_form_context(self.request.user, organisation, data, initial=initial, finders=[assessor])
        for name in ("found_by", "source", "source_detail"):
            form.fields[name].disabled = True
        return form

    def get_context(self, form):
        return {"form": form, "organisation": self.inspection.organisation, "action": self.request.get_full_path()}

    def perform(self, form):
        fields = picked(form.cleaned_data, "title", "description", "deadline", "person", "items", "long_term")
        return services.deduction_raise_problem(deduction=self.object, **fields, by=self.request.user)


deduction_problem = DeductionProblem.as_view()


# ---- 述责述廉 and its 评议 ---------------------------------------------------------------------------


@require_GET
def hearing_list(request):
    """The 述责述廉 the user may read, and the schemes in which he may open one."""
    from django.db.models import Count

    hearings = (
        selectors.hearings_visible_to(request.user)
        .annotate(report_count=Count("reports"))
        .order_by("-scheme__year", "organisation__path", "pk")[:200]
    )
    managed = Scheme.objects.for_user(request.user, scope.CHANGE).select_related("assessor").order_by("-year", "pk")
    if (scheme_id := as_id(request.GET.get("scheme"))) is not None:
        scheme = get_object_or_404(managed, pk=scheme_id)
        return redirect("assessments:hearing_create", scheme.pk)
    return render(
        request,
        "assessments/hearing_list.html",
        {"hearings": hearings, "schemes": managed[:50], "today": _today()},
    )


class HearingCreate(ManagedSchemeForm):
    template_name = "assessments/hearing_form.html"
    form_class = HearingForm
    success_message = gettext_lazy("已组织述责述廉。")

    def perform(self, form):
        return services.hearing_create(scheme=self.object, **form.cleaned_data, by=self.request.user)


@require_GET
@private_no_store
def hearing_detail(request, pk):
    """The team in office with each member's report (or none yet), its list's completion and 评议."""
    hearing = selectors.hearing_for(request.user, pk)
    today = _today()
    rows, seated = selectors.hearing_rows(hearing, today)
    me = selectors.person_of(request.user)
    may_report = (
        me is not None
        and me.pk in seated
        and hearing.is_open(today)
        and not HearingReport.objects.filter(person=me, year=hearing.scheme.year).exists()
    )
    return render(
        request,
        "assessments/hearing_detail.html",
        {
            "hearing": hearing,
            "rows": rows,
            "me": me,
            "may_report": may_report,
            "manage": permissions.may_manage(request.user, hearing.scheme),
            "today": today,
        },
    )


class ReportSubmit(ServiceFormView):
    template_name = "assessments/report_form.html"
    form_class = ReportForm
    success_message = gettext_lazy("已提交述责述廉报告。")

    def get_object(self):
        return selectors.hearing_for(self.request.user, self.kwargs["pk"])

    def refuse(self):
        if not selectors.is_team_member(selectors.person_of(self.request.user), self.object.organisation, _today()):
            raise PermissionDenied(_("只有该组织在任的班子成员可以提交述责述廉报告。"))
        return None

    def get_context(self, form):
        me = selectors.person_of(self.request.user)
        personal = selectors.personal_list(self.object.organisation, self.object.scheme.year, me, _today())
        existing = HearingReport.objects.filter(person=me, year=self.object.scheme.year).first()
        return {"form": form, "hearing": self.object, "personal": personal, "existing": existing}

    def perform(self, form):
        return services.report_submit(
            hearing=self.object, text=form.cleaned_data["text"], files=form.cleaned_data["files"], by=self.request.user
        )


def _report_page(request, report, form=None, status=200):
    today = _today()
    hearing = report.hearing
    me = selectors.person_of(request.user)
    member = selectors.is_team_member(me, hearing.organisation, today)
    mine = HearingEvaluation.objects.filter(report=report, evaluator=me).first() if member and me is not None else None
    may_evaluate = member and me.pk != report.person_id and mine is None and hearing.is_open(today)
    manage = permissions.may_manage(request.user, hearing.scheme)
    summary = selectors.hearing_summaries([report], today)[0]
    return render(
        request,
        "assessments/report_detail.html",
        {
            "report": report,
            "hearing": hearing,
            "summary": summary,
            "files": list(report.files.order_by("pk")),
            "evaluators": selectors.evaluator_names(report),
            "mine": mine,
            "own_report": me is not None and me.pk == report.person_id,
            "member": member,
            "may_evaluate": may_evaluate,
            "form": form or (EvaluationForm() if may_evaluate else None),
            "manage": manage,
        },
        status=status,
    )


@require_GET
@private_no_store
def hearing_report(request, pk):
    return _report_page(request, selectors.report_for(request.user, pk))


@require_POST
def report_evaluate(request, pk):
    """A committee member's 评议; a self-evaluation, a second one or a bad value is refused at its field."""
    report = selectors.report_for(request.user, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            fields = picked(form.cleaned_data, "rating", "score", "comment")
            services.report_evaluate(report=report, **fields, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已提交评议。"))
            return redirect(report.get_absolute_url())
    return _report_page(request, report, form=form, status=400)


class HearingRoundCreate(ServiceFormView):
    template_name = "assessments/hearing_round_form.html"
    form_class = HearingRoundForm
    success_message = gettext_lazy("已组织群众评议，请打印并分发票码。")

    def get_object(self):
        report = selectors.report_for(self.request.user, self.kwargs["pk"])
        if not permissions.may_manage(self.request.user, report.hearing.scheme):
            raise Http404
        return report

    def get_context(self, form):
        return {"form": form, "report": self.object}

    def perform(self, form):
        fields = dict(form.cleaned_data)
        questions = fields.pop("questions").splitlines()
        return services.hearing_round_create(report=self.object, questions=questions, **fields, by=self.request.user)


@require_GET
def hearing_file(request, pk):
    """A report's file, served only after the door check, as an attachment."""
    attachment = selectors.hearing_file_for(request.user, pk)
    return stored_file_response(attachment)


def hearing_panel(request, person):
    """The 述责述廉评议 on a person's page (for 选拔任用), beside the eligibility panel: the person's
    reports the reader may read, with their 评议; nothing when there is none."""
    from core.panels import Panel

    summaries = selectors.person_hearings(request.user, person, _today())
    if not summaries:
        return None
    return Panel("assessments/_hearing_panel.html", {"person": person, "summaries": summaries})
