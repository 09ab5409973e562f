"""Pages of accountability: negative list, rule sets, cases and decisions, eligibility, screening, early warning."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountability import permissions, rules, selectors, services
from accountability.forms import (
    CaseForm,
    CaseTransitionForm,
    DayForm,
    DecisionForm,
    FollowUpForm,
    InterventionForm,
    ScreeningForm,
)
from accountability.models import CaseStatus, InterventionKind, RuleSet, Subject
from core import excel
from core.forms import AcknowledgeForm, as_id, attach_errors
from core.models import EditConflict
from core.panels import Panel
from core.permissions import can
from core.views import conflict_page, private_no_store, transition_conflict
from responsibilities.models import Person, Task
from responsibilities.selectors import organisations as org_selectors
from responsibilities.selectors.lists import lists_visible_to


def _today():
    return timezone.localdate()


# ---- Negative list and rule sets (every user may read them) ----------------------------------


@require_GET
def negative_list(request):
    return render(
        request,
        "accountability/negative_list.html",
        {
            "situations": selectors.negative_list(),
            "subjects": Subject.choices,
        },
    )


@require_GET
def rule_set_list(request):
    return render(
        request,
        "accountability/rule_set_list.html",
        {
            "rule_sets": RuleSet.objects.all(),
            "in_force": services.rule_set_on(_today()),
        },
    )


@require_GET
def rule_set_detail(request, pk):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    measures = rule_set.measures.prefetch_related("consequences").order_by("category", "severity")
    return render(request, "accountability/rule_set_detail.html", {"rule_set": rule_set, "measures": measures})


# ---- Cases ------------------------------------------------------------------------------------


@require_GET
@private_no_store
def case_list(request):
    cases = selectors.cases_visible_to(request.user).select_related("decision")
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/case_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CaseStatus.choices,
            "can_file": selectors.handled_organisations(request.user).exists(),
            "query": f"status={status}" if status else "",
        },
    )


def _case_form(request, data=None, initial=None):
    people = (
        selectors.case_people(request.user)
        .select_related("home_organisation")
        .order_by("home_organisation__path", "name")
    )
    return CaseForm(data, initial=initial, organisations=selectors.handled_organisations(request.user), people=people)


@require_http_methods(["GET", "POST"])
def case_create(request):
    if not selectors.handled_organisations(request.user).exists():
        raise PermissionDenied
    form = _case_form(request, request.POST or None, initial={"facts_date": _today(), "filed_on": _today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_file(
                organisation=data["organisation"],
                subject=data["subject"],
                person=data["person"],
                responsibility=data["responsibility"],
                situations=data["situations"],
                facts=data["facts"],
                facts_date=data["facts_date"],
                severity=data["severity"],
                circumstances=data["circumstances"],
                filed_on=data["filed_on"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已立案：%(number)s。") % {"number": case.number})
            return redirect(case.get_absolute_url())
    return render(request, "accountability/case_form.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@private_no_store
def case_attribution(request):
    """htmx: the role the chosen person held in the chosen organisation on the date of the facts."""
    form = DayForm({"day": request.GET.get("facts_date")})
    hint = None
    person_id, organisation_id = as_id(request.GET.get("person")), as_id(request.GET.get("organisation"))
    if form.is_valid() and form.cleaned_data["day"] and person_id is not None and organisation_id is not None:
        person = selectors.case_people(request.user).filter(pk=person_id).first()
        organisation = selectors.handled_organisations(request.user).filter(pk=organisation_id).first()
        if person is not None and organisation is not None:
            hint = selectors.attribution(person, organisation, form.cleaned_data["day"])
            hint["person"], hint["organisation"], hint["day"] = person, organisation, form.cleaned_data["day"]
    return render(request, "accountability/_attribution.html", {"hint": hint, "subjects": Subject.choices})


def _case_context(request, case, decision_form=None, preview=None):
    can_handle = can(request.user, "accountability.handle_cases", case.organisation)
    decision = getattr(case, "decision", None)
    context = {
        "case": case,
        "decision": decision,
        "restrictions": decision.restrictions.select_related("consequence__measure") if decision else [],
        "can_handle": can_handle,
        "targets": [
            (target, CaseStatus(target).label)
            for target in sorted(rules.CASE_TRANSITIONS[case.status], key=CaseStatus.values.index)
            if target != CaseStatus.DECIDED
        ]
        if can_handle
        else [],
        "can_decide": can_handle and rules.decision_allowed(case.status) and decision is None,
        "preview": preview,
    }
    if context["can_decide"]:
        day = _decision_day(request)
        context["decision_form"] = decision_form or DecisionForm(
            rule_set=services.rule_set_on(day), case=case, initial={"decided_on": day}
        )
        context["decision_rule_set"] = services.rule_set_on(day)
    return context


def _decision_day(request):
    form = DayForm({"day": request.POST.get("decided_on") or request.GET.get("decided_on")})
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else _today()
    return day if RuleSet.objects.filter(effective_from__lte=day).exists() else _today()


@require_GET
@private_no_store
def case_detail(request, pk):
    case = selectors.case_for(request.user, pk)
    return render(request, "accountability/case_detail.html", _case_context(request, case))


@require_POST
@private_no_store
def case_transition(request, pk):
    case = selectors.case_for(request.user, pk)
    form = CaseTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作无效，请刷新页面后重试。"))
        return redirect(case.get_absolute_url())
    try:
        services.case_transition(
            case=case,
            version=form.cleaned_data["version"],
            target=form.cleaned_data["target"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict:
        current = selectors.case_for(request.user, pk)
        context = _case_context(request, current) | {"kept_note": form.cleaned_data["note"]}
        return transition_conflict(
            request,
            "accountability/case_detail.html",
            context,
            current,
            field_label=_("状态"),
            submitted=CaseStatus(form.cleaned_data["target"]).label,
        )
    else:
        messages.success(request, _("案件状态已更新。"))
    return redirect(case.get_absolute_url())


@require_POST
@private_no_store
def case_decide(request, pk):
    """Preview what a decision would impose (what-if), or record it."""
    case = selectors.case_for(request.user, pk)
    if not can(request.user, "accountability.handle_cases", case.organisation):
        raise Http404
    day = _decision_day(request)
    form = DecisionForm(request.POST, rule_set=services.rule_set_on(day), case=case)
    preview = None
    if form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            try:
                preview = services.decision_preview(case=case, decided_on=data["decided_on"], measures=data["measures"])
            except ValidationError as error:
                attach_errors(form, error)
        else:
            try:
                services.decision_record(
                    case=case,
                    version=data["version"],
                    decided_on=data["decided_on"],
                    deciding_body=data["deciding_body"],
                    document_number=data["document_number"],
                    measures=data["measures"],
                    judicial_transfer=data["judicial_transfer"],
                    reasoning=data["reasoning"],
                    by=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            except EditConflict as conflict:
                # The case as it now is, the decision form as the user filled it in, 409.
                current = selectors.case_for(request.user, pk)
                context = _case_context(request, current, decision_form=form)
                return conflict_page(request, "accountability/case_detail.html", context, conflict.current)
            else:
                messages.success(request, _("已记录问责决定，影响期已按规则计算。"))
                return redirect(case.get_absolute_url())
    context = _case_context(request, case, decision_form=form, preview=preview)
    return render(request, "accountability/case_detail.html", context, status=400 if form.errors else 200)


@require_GET
@private_no_store
def decision_print(request, pk):
    case = selectors.case_for(request.user, pk)
    decision = getattr(case, "decision", None)
    if decision is None:
        raise Http404
    return render(
        request,
        "accountability/decision_print.html",
        {
            "case": case,
            "decision": decision,
            "measures": decision.measures.order_by("category", "severity"),
            "restrictions": decision.restrictions.select_related("consequence__measure"),
        },
    )


# ---- Eligibility ------------------------------------------------------------------------------


def _day(request):
    """The day asked for (?day=), else today; the returned form shows the day actually used."""
    form = DayForm(request.GET or None)
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else _today()
    if not form.is_bound:
        form = DayForm(initial={"day": day})
    return day, form


def eligibility_panel(request, person):
    """The panel on a person's page (registered in AccountabilityConfig.ready); hidden from readers
    who may not see accountability records."""
    if not can(request.user, "accountability.see_restrictions", person):
        return None
    day, _form = _day(request)
    return Panel(
        "accountability/_eligibility_panel.html",
        {
            "person": person,
            "day": day,
            "eligibility": selectors.eligibility(person, day),
            "record_url": reverse("accountability:person_record", args=[person.pk]),
        },
    )


@require_GET
@private_no_store
def person_record(request, pk):
    person = org_selectors.person_for(request.user, pk)
    if not can(request.user, "accountability.see_restrictions", person):
        raise Http404
    day, form = _day(request)
    restrictions = list(selectors.restrictions_of(person))
    for restriction in restrictions:
        restriction.state = rules.Period(restriction.kind, restriction.starts_on, restriction.ends_on).state_on(day)
    eligibility = selectors.eligibility(person, day, restrictions)
    return render(
        request,
        "accountability/person_record.html",
        {
            "person": person,
            "day": day,
            "day_form": form,
            "eligibility": eligibility,
            "panel": {"person": person, "day": day, "eligibility": eligibility},
            "restrictions": restrictions,
            "cases": selectors.person_cases(request.user, person),
        },
    )


@require_GET
@private_no_store
def screening(request):
    organisations = selectors.handled_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = ScreeningForm(request.GET or None, organisations=organisations)
    rows = None
    if form.is_valid():
        rows = selectors.screening(form.cleaned_data["root"], form.cleaned_data["day"])
        if request.GET.get("format") == "xlsx":
            return _screening_workbook(form.cleaned_data["root"], form.cleaned_data["day"], rows)
    return render(
        request, "accountability/screening.html", {"form": form, "rows": rows}, status=400 if form.errors else 200
    )


def _screening_workbook(root, day, rows):
    columns = [
        (_("姓名"), 10),
        (_("现任职务"), 24),
        (_("职务层次"), 12),
        (_("所在单位"), 24),
        (_("受限事项"), 34),
        (_("恢复资格日期"), 14),
        (_("依据（案件、决定）"), 40),
    ]
    lines = []
    for row in rows:
        for label, lifts_on, reasons in row.bars:
            why = "；".join(
                f"{r.decision.case.number} {r.consequence.measure.name}（{r.decision.decided_on:%Y-%m-%d}）"
                for r in reasons
            )
            lines.append(
                [
                    row.person.name,
                    row.person.post,
                    row.person.get_post_level_display(),
                    row.person.home_organisation.name,
                    label,
                    lifts_on,
                    why,
                ]
            )
    title = _("%(root)s 选拔任用资格筛查（%(day)s）") % {"root": root.name, "day": day.isoformat()}
    workbook = excel.table_workbook(title, _("资格筛查"), columns, lines)
    return excel.download(workbook, f"资格筛查-{root.code}-{day.isoformat()}.xlsx")


# ---- Early warning ----------------------------------------------------------------------------


@require_GET
@private_no_store
def early_warning(request):
    today = _today()
    repeat_only = request.GET.get("repeat") == "1"
    groups = selectors.warning_groups(request.user, today, repeat_only=repeat_only)
    page = Paginator(groups, 20).get_page(request.GET.get("page"))
    rows = selectors.warning_rows(request.user, today, page.object_list)
    secretary_ids = permissions.secretary_of(request.user, today)
    for row in rows:
        row.can_intervene = permissions.may_intervene(request.user, row.organisation, secretary_ids)
    overdue_orders = list(org_selectors.overdue_orders(request.user, today)[:20])
    recent = list(selectors.interventions_visible_to(request.user)[:10])
    for intervention in recent:
        intervention.can_follow_up = permissions.may_intervene(request.user, intervention.organisation, secretary_ids)
    return render(
        request,
        "accountability/early_warning.html",
        {
            "rows": rows,
            "page": page,
            "today": today,
            "kinds": InterventionKind.choices,
            "repeat_only": repeat_only,
            "query": "repeat=1" if repeat_only else "",
            "recent": recent,
            "overdue_orders": overdue_orders,
        },
    )


@require_POST
def intervention_create(request):
    form = InterventionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(f"{form.fields[name].label or name}：{' '.join(errors)}" for name, errors in form.errors.items()),
        )
        return redirect("accountability:early_warning")
    data = form.cleaned_data
    organisation = org_selectors.organisation_for(request.user, data["organisation"])
    if not permissions.may_intervene(request.user, organisation):
        raise PermissionDenied(_("您无权对该组织或干部进行提醒、批评或约谈。"))
    # A person or task named but not visible to the user is a 404, never silently dropped.
    person = get_object_or_404(Person.objects.for_user(request.user), pk=data["person"]) if data["person"] else None
    task = (
        get_object_or_404(
            Task.objects.select_related("item__responsibility_list__organisation").filter(
                item__responsibility_list__in=lists_visible_to(request.user, _today())
            ),
            pk=data["task"],
        )
        if data["task"]
        else None
    )
    try:
        intervention = services.intervention_record(
            organisation=organisation,
            person=person,
            task=task,
            kind=data["kind"],
            reason=data["reason"],
            day=data["day"],
            follow_up=data["follow_up"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已记录%(kind)s。") % {"kind": intervention.get_kind_display()})
    return redirect("accountability:early_warning")


@require_POST
def intervention_follow_up(request, pk):
    intervention = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.intervention_follow_up(
                intervention=intervention, follow_up=form.cleaned_data["follow_up"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已记录跟进情况。"))
    else:
        messages.error(request, _("请填写跟进情况。"))
    return redirect("accountability:early_warning")


@private_no_store
@require_http_methods(["GET", "POST"])
def intervention_acknowledge(request, pk):
    """An intervention as its recipient reads it: 已阅 with the time, and an answer (反馈)."""
    intervention = selectors.intervention_for_recipient(request.user, pk)
    can_acknowledge = permissions.may_acknowledge(request.user, intervention) and not intervention.is_acknowledged
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST":
        if not permissions.may_acknowledge(request.user, intervention):
            raise PermissionDenied(_("只有被提醒、批评或约谈的对象可以确认已阅。"))
        if form.is_valid():
            try:
                services.intervention_acknowledge(
                    intervention=intervention, feedback=form.cleaned_data["feedback"], by=request.user
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("已确认已阅。"))
                return redirect("home")
        status = 400
    else:
        status = 200
    return render(
        request,
        "accountability/intervention_acknowledge.html",
        {"intervention": intervention, "form": form, "can_acknowledge": can_acknowledge},
        status=status,
    )
