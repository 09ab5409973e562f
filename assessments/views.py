"""Pages of assessments: schemes and indicators, inspections and scoring, mass evaluation and the public
ballot, results with their breakdown, exports and award nominations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountability import selectors as accountability
from accountability.models import RestrictionKind
from assessments import permissions, rules, selectors, services, tasks
from assessments.forms import (
    AwardForm,
    BallotCodeForm,
    BallotForm,
    BandsForm,
    IndicatorForm,
    InspectionStartForm,
    RoundForm,
    SchemeForm,
    ScoreForm,
)
from assessments.models import GradeSubject, Indicator, InspectionStatus
from core import excel, scope
from core.forms import as_id, attach_errors
from core.models import EditConflict, Job
from core.views import conflict_page, conflict_response, save_or_show_errors
from responsibilities.models import Department, Organisation, Person
from responsibilities.selectors import organisations as org_selectors
from responsibilities.services.lists import template_for


def _today():
    return timezone.localdate()


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


@require_http_methods(["GET", "POST"])
def scheme_create(request):
    if (assessor_id := as_id(request.GET.get("assessor"))) is None:
        raise Http404
    assessor = org_selectors.organisation_for(request.user, assessor_id, scope.CHANGE)
    form = SchemeForm(
        request.POST or None,
        assessor=assessor,
        initial={
            "year": _today().year,
            "party_building_weight": 20,
            "weight_routine": 30,
            "weight_annual": 50,
            "weight_mass": 20,
            "name": _("%(year)s 年度党建工作考核") % {"year": _today().year},
        },
    )
    template, context = "assessments/scheme_form.html", {"form": form, "assessor": assessor}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: services.scheme_create(
                assessor=assessor,
                targets=data["targets"],
                by=request.user,
                **{f: data[f] for f in SchemeForm.Meta.fields},
            ),
            _("已创建考核方案。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    if not permissions.may_manage(request.user, scheme):
        raise Http404
    form = SchemeForm(request.POST or None, instance=scheme, assessor=scheme.assessor)
    template, context = "assessments/scheme_form.html", {"form": form, "assessor": scheme.assessor, "scheme": scheme}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: services.scheme_update(
                scheme=scheme,
                version=data["version"],
                targets=data["targets"],
                by=request.user,
                **{f: data[f] for f in SchemeForm.Meta.fields},
            ),
            _("已保存考核方案。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


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


@require_POST
def bands_update(request, pk, subject):
    scheme = selectors.scheme_for(request.user, pk)
    if not permissions.may_manage(request.user, scheme) or subject not in GradeSubject.values:
        raise Http404
    bands = list(scheme.bands.filter(subject=subject).order_by("-min_score"))
    form = BandsForm(request.POST, bands=bands, prefix=subject)
    if form.is_valid():
        try:
            services.bands_update(
                scheme=scheme, subject=subject, minima=form.minima(), shown=form.shown(), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已保存等次分数线。"))
    else:
        messages.error(request, _("分数线应为 0 到 100 之间的数。"))
    return redirect(scheme.get_absolute_url())


# ---- Indicators ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def indicator_create(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    department = request.GET.get("department", "")
    if department not in Department.values or not permissions.may_define_indicators(request.user, scheme, department):
        raise Http404
    form = IndicatorForm(request.POST or None, template=template_for(scheme.year))
    template = "assessments/indicator_form.html"
    context = {"form": form, "scheme": scheme, "department": Department(department).label}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator = services.indicator_save(
                scheme=scheme,
                department=department,
                list_items=data["list_items"],
                by=request.user,
                **{f: data[f] for f in IndicatorForm.Meta.fields},
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            _vague_message(request, indicator)
            return redirect(scheme.get_absolute_url())
    return render(request, template, context, status=400 if form.errors else 200)


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


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("scheme__assessor"), pk=pk)
    scheme = selectors.scheme_for(request.user, indicator.scheme_id)
    if not permissions.may_define_indicators(request.user, scheme, indicator.department):
        raise Http404
    form = IndicatorForm(request.POST or None, instance=indicator, template=template_for(scheme.year))
    template = "assessments/indicator_form.html"
    context = {"form": form, "scheme": scheme, "department": indicator.get_department_display(), "indicator": indicator}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.indicator_save(
                scheme=scheme,
                department=indicator.department,
                list_items=data["list_items"],
                by=request.user,
                indicator=indicator,
                version=data["version"],
                **{f: data[f] for f in IndicatorForm.Meta.fields},
            )
        except ValidationError as error:
            attach_errors(form, error)
        except EditConflict as conflict:
            return conflict_response(request, template, context, conflict)
        else:
            _vague_message(request, saved)
            return redirect(scheme.get_absolute_url())
    return render(request, template, context, status=400 if form.errors else 200)


# ---- Inspections --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def inspection_start(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    targets = [t for t in scheme.targets.all() if permissions.inspector_departments(request.user, t)]
    departments = {d for t in targets for d in permissions.inspector_departments(request.user, t)}
    if not targets:
        raise Http404
    form = InspectionStartForm(
        request.POST or None, targets=scheme.targets.filter(pk__in=[t.pk for t in targets]), departments=departments
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_start(
                scheme=scheme,
                organisation=data["organisation"],
                kind=data["kind"],
                department=data["department"],
                day=data["day"],
                summary=data["summary"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已开始检查考核，请逐项评分。"))
            return redirect(inspection.get_absolute_url())
    return render(
        request,
        "assessments/inspection_form.html",
        {"form": form, "scheme": scheme},
        status=400 if form.errors else 200,
    )


def _inspection_context(request, inspection, forms=None):
    rows = selectors.scoring_rows(request.user, inspection)
    can_score = (
        not inspection.is_locked
        and inspection.status == InspectionStatus.DRAFT
        and inspection.department in permissions.inspector_departments(request.user, inspection.organisation)
    )
    forms = forms or {}
    for row in rows:
        initial = {
            "version": inspection.version,
            "bonus": row.score.bonus if row.score else 0,
            "note": row.score.note if row.score else "",
        }
        for index, deduction in enumerate(row.deductions[: ScoreForm.ROWS]):
            initial[f"points_{index}"], initial[f"reason_{index}"] = deduction.points, deduction.reason
        row.form = forms.get(row.indicator.pk) or ScoreForm(
            initial=initial, indicator=row.indicator, prefix=f"i{row.indicator.pk}"
        )
        row.inputs = [(row.form[f"points_{i}"], row.form[f"reason_{i}"]) for i in range(ScoreForm.ROWS)]
    return {
        "inspection": inspection,
        "rows": rows,
        "can_score": can_score,
        "total": sum((row.score.score for row in rows if row.score), 0),
        "maximum": sum((row.indicator.max_score for row in rows), 0),
        "can_submit": can_score,
        "can_confirm": inspection.status == InspectionStatus.SUBMITTED
        and permissions.may_manage(request.user, inspection.scheme),
    }


@require_GET
def inspection_detail(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    return render(request, "assessments/inspection_detail.html", _inspection_context(request, inspection))


@require_POST
def score_record(request, pk, indicator_pk):
    inspection = selectors.inspection_for(request.user, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk)
    form = ScoreForm(request.POST, indicator=indicator, prefix=f"i{indicator.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.score_record(
                inspection=inspection,
                version=data["version"],
                indicator=indicator,
                deductions=data["deductions"],
                bonus=data["bonus"] or 0,
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        except EditConflict as conflict:
            # The page as it now is (the other scores included), this indicator's input kept, 409.
            current = selectors.inspection_for(request.user, pk)
            context = _inspection_context(request, current, forms={indicator.pk: form})
            context["error_indicator"] = indicator
            return conflict_page(request, "assessments/inspection_detail.html", context, conflict.current)
        else:
            messages.success(request, _("已保存“%(title)s”的得分。") % {"title": indicator.title})
            return redirect(f"{inspection.get_absolute_url()}#indicator-{indicator.pk}")
    context = _inspection_context(request, inspection, forms={indicator.pk: form})
    context["error_indicator"] = indicator
    return render(request, "assessments/inspection_detail.html", context, status=400)


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


@require_http_methods(["GET", "POST"])
def round_create(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    if not permissions.may_manage(request.user, scheme):
        raise Http404
    form = RoundForm(request.POST or None, targets=scheme.targets.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.round_create(
                scheme=scheme,
                organisation=data["organisation"],
                subject=data["subject"],
                questions=data["questions"].splitlines(),
                issued=data["issued"],
                quorum_percent=data["quorum_percent"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已生成 %(n)s 个票码，请打印票签发放。") % {"n": evaluation.issued})
            return redirect(evaluation.get_absolute_url())
    return render(
        request, "assessments/round_form.html", {"form": form, "scheme": scheme}, status=400 if form.errors else 200
    )


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


@require_GET
def round_slips(request, pk):
    evaluation = selectors.round_for(request.user, pk)
    if not permissions.may_manage(request.user, evaluation.scheme):
        raise Http404
    return render(
        request,
        "assessments/round_slips.html",
        {
            "round": evaluation,
            "codes": evaluation.codes.filter(used=False).values_list("code", flat=True),
            "ballot_url": request.build_absolute_uri("/ballot/"),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def ballot(request):
    """The public ballot page (no login): enter a code, then rate each question once."""
    if request.method == "POST" and "q0" in request.POST:
        code_form = BallotCodeForm(request.POST)
        if not code_form.is_valid():
            return render(request, "assessments/ballot_code.html", {"form": code_form}, status=400)
        code = code_form.cleaned_data["code"]
        try:
            evaluation = services.ballot_round(code)
        except ValidationError as error:
            return render(
                request,
                "assessments/ballot_code.html",
                {"form": _refused(BallotCodeForm({"code": code}), error)},
                status=400,
            )
        form = BallotForm(request.POST, questions=evaluation.questions)
        if form.is_valid():
            try:
                services.ballot_cast(code_text=form.cleaned_data["code"], answers=form.answers())
            except ValidationError as error:
                return render(
                    request,
                    "assessments/ballot_code.html",
                    {"form": _refused(BallotCodeForm({"code": code}), error)},
                    status=400,
                )
            return render(request, "assessments/ballot_done.html", {"round": evaluation})
        return render(request, "assessments/ballot_form.html", {"form": form, "round": evaluation}, status=400)
    form = BallotCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.ballot_round(form.cleaned_data["code"])
        except ValidationError as error:
            return render(request, "assessments/ballot_code.html", {"form": _refused(form, error)}, status=400)
        return render(
            request,
            "assessments/ballot_form.html",
            {
                "form": BallotForm(
                    initial={"code": form.cleaned_data["code"].strip().upper()}, questions=evaluation.questions
                ),
                "round": evaluation,
            },
        )
    return render(request, "assessments/ballot_code.html", {"form": form}, status=400 if form.errors else 200)


def _refused(form, error):
    """The code form again, with the reason the ballot was refused at the code field."""
    form.is_valid()
    errors = error.error_dict if hasattr(error, "error_dict") else {"code": error.error_list}
    for field, messages_ in errors.items():
        form.add_error("code" if field in ("code", "answers") else None, messages_)
    return form


# ---- Results ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def results(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    manage = permissions.may_manage(request.user, scheme)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        _job, started = tasks.start_results(scheme=scheme, by=request.user)
        messages.success(
            request,
            _("已开始在后台重新计算考核结果，完成后本页显示新结果。")
            if started
            else _("重新计算已在进行中，完成后本页显示新结果。"),
        )
        return redirect("assessments:results", pk=scheme.pk)
    rows = list(selectors.results_of(request.user, scheme))
    years, history = selectors.history(scheme, [r.organisation for r in rows])
    for row in rows:
        row.history = [history[row.organisation_id].get(year) for year in years]
        previous = [v for y, v in sorted(history[row.organisation_id].items()) if y < scheme.year and v is not None]
        row.change = row.composite - previous[-1] if previous and row.composite is not None else None
        row.contribution = rules.contribution(row.composite, scheme.party_building_weight)
    chart = {
        "years": years,
        "series": [
            {"label": r.organisation.display_name, "values": [float(v) if v is not None else None for v in r.history]}
            for r in rows[:12]
        ],
    }
    return render(
        request,
        "assessments/results.html",
        {
            "scheme": scheme,
            "rows": rows,
            "leaders": selectors.leader_results_of(request.user, scheme),
            "manage": manage,
            "last_job": Job.objects.for_user(request.user).filter(key=tasks.results_key(scheme)).first()
            if manage
            else None,
            "years": years,
            "chart": chart,
            "contribution_note": _(
                "党建考核在综合考核中的权重为 %(w)s%%：综合考核中的党建得分 = 党建综合得分 × %(w)s%%。"
            )
            % {"w": rules.plain(scheme.party_building_weight)},
        },
    )


@require_GET
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
def results_export(request, pk):
    """Results for award selection and appointment screening, joined with accountability eligibility."""
    scheme = selectors.scheme_for(request.user, pk)
    if not permissions.may_manage(request.user, scheme):
        raise Http404
    day = _today()
    leaders = list(selectors.leader_results_of(request.user, scheme))
    people = [leader.person_id for leader in leaders]
    bars = accountability.award_bars(people, scheme.year)
    # Today's eligibility of every secretary; the reasons (cases) are not exported: the office staff
    # reading this may not see cases.
    eligible = accountability.eligibilities(people, day)

    def answer(person_id, kind):
        bar = eligible[person_id].bars.get(kind)
        return _("否，%(day)s 起可以") % {"day": bar.lifts_on} if bar else _("是")

    weight = scheme.party_building_weight
    team_rows = [
        [
            r.rank,
            r.organisation.name,
            r.routine,
            r.annual,
            r.mass,
            r.composite,
            rules.contribution(r.composite, weight),
            r.grade_label,
            r.note,
        ]
        for r in selectors.results_of(request.user, scheme)
    ]
    leader_rows = [
        [
            leader.rank,
            leader.person.name,
            leader.organisation.name,
            leader.organisation_part,
            leader.mass,
            leader.score,
            leader.grade_label,
            _("否，%(day)s 起可以") % {"day": bars[leader.person_id].ends_on} if leader.person_id in bars else _("是"),
            answer(leader.person_id, RestrictionKind.NO_PROMOTION),
            answer(leader.person_id, RestrictionKind.NO_POST),
            answer(leader.person_id, RestrictionKind.NO_HIGHER_POST),
            leader.note,
        ]
        for leader in leaders
    ]
    workbook = excel.table_workbook(
        _("%(name)s · 班子考核结果") % {"name": scheme.name},
        _("班子结果"),
        [
            (_("排名"), 6),
            (_("组织"), 28),
            (_("平时检查"), 10),
            (_("年终考核"), 10),
            (_("群众评价"), 10),
            (_("综合得分"), 10),
            (_("计入综合考核（权重 %(w)s%%）") % {"w": rules.plain(weight)}, 16),
            (_("等次"), 8),
            (_("说明"), 40),
        ],
        team_rows,
    )
    excel.add_table_sheet(
        workbook,
        _("%(name)s · 书记考核结果与资格") % {"name": scheme.name},
        _("书记结果与资格"),
        [
            (_("排名"), 6),
            (_("姓名"), 10),
            (_("组织"), 24),
            (_("组织党建结果"), 12),
            (_("民主测评"), 10),
            (_("个人得分"), 10),
            (_("等次"), 8),
            (_("本年度可否评先评优"), 18),
            (_("今天可否提拔"), 16),
            (_("今天可否安排职务"), 16),
            (_("今天可否担任高于原职务层次的职务"), 22),
            (_("说明"), 40),
        ],
        leader_rows,
    )
    return excel.download(workbook, f"考核结果-{scheme.assessor.code}-{scheme.year}.xlsx")


@require_http_methods(["GET", "POST"])
def awards(request, pk):
    scheme = selectors.scheme_for(request.user, pk)
    if not permissions.may_manage(request.user, scheme):
        raise Http404
    people = (
        Person.objects.active()
        .filter(home_organisation__path__startswith=scheme.assessor.path)
        .select_related("home_organisation")
        .order_by("home_organisation__path", "name")
    )
    form = AwardForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_nominate(
                scheme=scheme, person=form.cleaned_data["person"], title=form.cleaned_data["title"], by=request.user
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已推荐。"))
            return redirect("assessments:awards", pk=scheme.pk)
    return render(
        request,
        "assessments/awards.html",
        {
            "scheme": scheme,
            "form": form,
            "nominations": scheme.awards.select_related("person__home_organisation", "nominated_by"),
        },
        status=400 if form.errors else 200,
    )
