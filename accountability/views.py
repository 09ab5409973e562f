"""Pages of accountability: negative list, rule sets, cases and decisions, eligibility, screening, early warning."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountability import permissions, rules, selectors, services
from accountability.forms import (
    MEASURE_FIELDS,
    AdoptionForm,
    CaseForm,
    CaseTransitionForm,
    ConsequenceFormSet,
    DayForm,
    DecisionForm,
    ExemptionForm,
    FollowUpForm,
    InterventionForm,
    MeasureForm,
    RuleSetForm,
    ScreeningForm,
    consequence_rows,
    measure_initial,
)
from accountability.models import CaseStatus, Exemption, InterventionKind, RestrictionKind, Subject
from core import excel
from core.forms import AcknowledgeForm, as_id, attach_errors
from core.models import EditConflict
from core.panels import Panel
from core.permissions import can
from core.views import TransitionView, conflict_page, private_no_store, save_or_show_errors, transition_conflict
from responsibilities.models import Person, Task
from responsibilities.selectors import organisations as org_selectors
from responsibilities.selectors import problems as problem_selectors
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
    today = _today()
    coverage = selectors.coverage_today(today)
    rule_sets = list(selectors.rule_sets_visible_to(request.user))
    for rule_set in rule_sets:
        rule_set.places = coverage.get(rule_set.pk, [])
    return render(
        request,
        "accountability/rule_set_list.html",
        {
            "rule_sets": rule_sets,
            "today": today,
            "can_manage": permissions.may_manage_rules(request.user),
        },
    )


def _rule_set_context(request, rule_set, **extra):
    today = _today()
    judged = services.judged_count(rule_set)
    can_manage = permissions.may_manage_rules(request.user)
    return {
        "rule_set": rule_set,
        "measures": selectors.rule_set_measures(rule_set),
        "adoptions": selectors.adoptions_of(rule_set),
        "in_force": selectors.coverage_today(today).get(rule_set.pk, []),
        "today": today,
        "judged": judged,
        "can_edit": permissions.may_edit_rule_set(request.user, rule_set),
        "can_copy": can_manage,
        "can_adopt": can_manage and not rule_set.is_draft,
        **extra,
    }


@require_GET
def rule_set_detail(request, pk):
    rule_set = selectors.rule_set_for(request.user, pk)
    return render(request, "accountability/rule_set_detail.html", _rule_set_context(request, rule_set))


def _require_rule_manager(user):
    if not permissions.may_manage_rules(user):
        raise PermissionDenied(_("只有系统管理员可以管理问责规则。"))


@require_POST
def rule_set_copy(request, pk):
    rule_set = selectors.rule_set_for(request.user, pk)
    _require_rule_manager(request.user)
    draft = services.rule_set_copy(rule_set=rule_set, by=request.user)
    messages.success(request, _("已复制为新草稿：%(name)s。修改后发布，才能采用。") % {"name": draft.name})
    return redirect(draft.get_absolute_url())


def _draft_refusal(request, rule_set):
    """Why a rule set may not be edited (None when it may): shown above the form, which is then disabled."""
    if permissions.may_edit_rule_set(request.user, rule_set):
        return None
    judged = services.judged_count(rule_set)
    if judged:
        return _("该规则版本已据以作出 %(n)s 项问责决定，只读；如需改变规则，请复制为新草稿。") % {"n": judged}
    return _("已发布的规则版本只读；如需改变规则，请复制为新草稿。")


@require_http_methods(["GET", "POST"])
def rule_set_edit(request, pk):
    rule_set = selectors.rule_set_for(request.user, pk)
    _require_rule_manager(request.user)
    initial = {
        "name": rule_set.name,
        "source": rule_set.source,
        "effective_from": rule_set.effective_from,
        "version": rule_set.version,
    }
    form = RuleSetForm(request.POST or None, initial=initial)
    context = {"rule_set": rule_set, "form": form, "refusal": _draft_refusal(request, rule_set)}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            "accountability/rule_set_form.html",
            context,
            lambda: services.rule_set_update(
                rule_set=rule_set,
                version=data["version"],
                name=data["name"],
                source=data["source"],
                effective_from=data["effective_from"],
                by=request.user,
            ),
            _("已保存草稿。"),
        )
    return render(request, "accountability/rule_set_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def measure_edit(request, pk, measure_pk=None):
    """Add a measure to a draft or change one, with its consequences (a formset of rows)."""
    rule_set = selectors.rule_set_for(request.user, pk)
    _require_rule_manager(request.user)
    measure = get_object_or_404(rule_set.measures, pk=measure_pk) if measure_pk is not None else None
    initial, rows = measure_initial(measure, rule_set.version)
    form = MeasureForm(request.POST or None, initial=initial)
    formset = ConsequenceFormSet(request.POST or None, initial=rows, prefix="c")
    refusal = _draft_refusal(request, rule_set)
    context = {"rule_set": rule_set, "measure": measure, "form": form, "formset": formset, "refusal": refusal}
    template = "accountability/measure_form.html"
    if request.method != "POST":
        return render(request, template, context)
    if not all([formset.is_valid(), form.is_valid()]):  # both validated, so both show their errors
        return render(request, template, context, status=400)
    return _measure_save(request, rule_set, measure, form, formset, template, context)


def _measure_save(request, rule_set, measure, form, formset, template, context):
    data = form.cleaned_data
    consequences = [services.ConsequenceInput(**row) for row in consequence_rows(formset)]
    fields = {name: data[name] for name in MEASURE_FIELDS}
    try:
        services.measure_save(
            rule_set=rule_set,
            measure=measure,
            version=data["version"],
            **fields,
            consequences=consequences,
            by=request.user,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "consequences" in error.error_dict:
            context["consequence_errors"] = error.error_dict.pop("consequences")
            error = ValidationError(error.error_dict) if error.error_dict else None
        if error is not None:
            attach_errors(form, error)
        return render(request, template, context, status=400)
    except EditConflict as conflict:
        return conflict_page(request, template, context, conflict.current)
    messages.success(request, _("已保存问责方式“%(name)s”。") % {"name": data["name"]})
    return redirect(rule_set.get_absolute_url())


@require_POST
def rule_set_publish(request, pk):
    rule_set = selectors.rule_set_for(request.user, pk)
    _require_rule_manager(request.user)
    version = as_id(request.POST.get("version"))
    if version is None:
        context = _rule_set_context(request, rule_set, publish_errors=[_("操作无效，请刷新页面后重试。")])
        return render(request, "accountability/rule_set_detail.html", context, status=400)
    try:
        services.rule_set_publish(rule_set=rule_set, version=version, by=request.user)
    except ValidationError as error:
        context = _rule_set_context(request, rule_set, publish_errors=error.messages)
        return render(request, "accountability/rule_set_detail.html", context, status=400)
    except EditConflict as conflict:
        context = _rule_set_context(request, conflict.current)
        return conflict_page(request, "accountability/rule_set_detail.html", context, conflict.current)
    messages.success(request, _("已发布：%(name)s。现在可以为组织采用。") % {"name": rule_set.name})
    return redirect(rule_set.get_absolute_url())


@require_http_methods(["GET", "POST"])
def rule_set_adopt(request, pk):
    """Adopt a published rule set for a subtree from a date; 预览 shows the what-if first."""
    rule_set = selectors.rule_set_for(request.user, pk)
    _require_rule_manager(request.user)
    form = AdoptionForm(request.POST or None, organisations=selectors.adoptable_organisations(request.user))
    preview = None
    template = "accountability/adoption_form.html"
    refusal = _("草稿不能采用：请先发布该规则版本。") if rule_set.is_draft else None
    if refusal:
        context = {"rule_set": rule_set, "form": form, "refusal": refusal}
        return render(request, template, context, status=400 if request.method == "POST" else 200)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "confirm" in request.POST:
                adoption = services.rule_set_adopt(
                    rule_set=rule_set,
                    organisation=data["organisation"],
                    effective_from=data["effective_from"],
                    effective_until=data["effective_until"],
                    decided_by_body=data["decided_by_body"],
                    decided_on=data["decided_on"],
                    document=data["document"],
                    by=request.user,
                )
                messages.success(
                    request,
                    _("%(organisation)s 自 %(day)s 起采用“%(rules)s”。")
                    % {
                        "organisation": adoption.organisation.name,
                        "day": adoption.effective_from.isoformat(),
                        "rules": rule_set.name,
                    },
                )
                return redirect(rule_set.get_absolute_url())
            preview = services.adoption_preview(
                rule_set=rule_set,
                organisation=data["organisation"],
                effective_from=data["effective_from"],
                effective_until=data["effective_until"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
    context = {"rule_set": rule_set, "form": form, "preview": preview}
    return render(request, template, context, status=400 if form.errors else 200)


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
            "outcomes": selectors.case_outcomes(request.user),
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


def _case_context(request, case, decision_form=None, preview=None, exemption_form=None):
    can_handle = can(request.user, "accountability.handle_cases", case.organisation)
    decision = getattr(case, "decision", None)
    open_for_review = case.status in (CaseStatus.INVESTIGATING, CaseStatus.REVIEWING)
    context = {
        "case": case,
        "decision": decision,
        "restrictions": decision.restrictions.select_related("consequence__measure") if decision else [],
        "can_handle": can_handle,
        "targets": [
            (target, CaseStatus(target).label)
            for target in sorted(rules.CASE_TRANSITIONS[case.status], key=CaseStatus.values.index)
            if target != CaseStatus.DECIDED and not (target == CaseStatus.CLOSED and open_for_review)
        ]
        if can_handle
        else [],
        "can_decide": can_handle and rules.decision_allowed(case.status) and decision is None,
        "can_exempt": can_handle and open_for_review,
        "preview": preview,
    }
    if context["can_exempt"]:
        context["exemption_form"] = exemption_form or ExemptionForm(initial={"version": case.version})
    if context["can_decide"]:
        day, deciding, adoption, refusal = _decision_rules(request, case)
        context["decision_form"] = decision_form or DecisionForm(
            rule_set=adoption.rule_set if adoption else None,
            case=case,
            deciding_organisations=services.deciding_organisations(case),
            initial={"decided_on": day, "deciding_organisation": deciding},
        )
        context["decision_adoption"] = adoption
        context["decision_refusal"] = refusal
    return context


def _decision_rules(request, case):
    """The decision date and deciding organisation asked for (else today and the case's organisation),
    the adoption whose measures the form offers, and why no adoption judges the date asked for.

    When none judges that date (a typo, a date before any adoption) the form offers today's
    measures, so that the service names what is wrong with the date at its field.
    """
    form = DayForm({"day": request.POST.get("decided_on") or request.GET.get("decided_on")})
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else _today()
    deciding_id = as_id(request.POST.get("deciding_organisation") or request.GET.get("deciding_organisation"))
    deciding = services.deciding_organisations(case).filter(pk=deciding_id).first() if deciding_id else None
    judging = services.judging_organisation(case, deciding)
    refusal = None
    for on in (day, _today()):
        try:
            return day, deciding, services.adoption_on(judging, on), refusal
        except ValidationError as error:
            refusal = refusal or " ".join(error.messages)
    return day, deciding, None, refusal


@require_GET
@private_no_store
def case_detail(request, pk):
    case = selectors.case_for(request.user, pk)
    return render(request, "accountability/case_detail.html", _case_context(request, case))


@method_decorator(private_no_store, name="dispatch")
class CaseTransition(TransitionView):
    form_class = CaseTransitionForm
    template_name = "accountability/case_detail.html"
    kept_field = "note"
    statuses = CaseStatus

    def get_object(self):
        return selectors.case_for(self.request.user, self.kwargs["pk"])

    def get_context(self, obj):
        return _case_context(self.request, obj)

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in ("version", "target", "note")}
        return services.case_transition(case=self.object, **fields, by=self.request.user)

    def success_message(self, target):
        return _("案件状态已更新。")


@require_POST
@private_no_store
def case_exempt(request, pk):
    """Close a case under investigation or review as 不予问责 or 免予问责, with its ground."""
    case = selectors.case_for(request.user, pk)
    if not can(request.user, "accountability.handle_cases", case.organisation):
        raise PermissionDenied(_("只有纪检、组织部门的考核人员和系统管理员可以办理问责案件。"))
    form = ExemptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_exempt(
                case=case,
                version=data["version"],
                exemption=data["exemption"],
                ground=data["ground"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        except EditConflict:
            current = selectors.case_for(request.user, pk)
            context = _case_context(request, current, exemption_form=form)
            return transition_conflict(
                request,
                "accountability/case_detail.html",
                context,
                current,
                field_label=_("状态"),
                submitted=dict(Exemption.choices)[data["exemption"]],
            )
        else:
            messages.success(
                request, _("已结案：%(outcome)s。") % {"outcome": dict(Exemption.choices)[data["exemption"]]}
            )
            return redirect(case.get_absolute_url())
    context = _case_context(request, case, exemption_form=form)
    return render(request, "accountability/case_detail.html", context, status=400)


@require_POST
@private_no_store
def case_decide(request, pk):
    """Preview what a decision would impose (what-if), or record it."""
    case = selectors.case_for(request.user, pk)
    if not can(request.user, "accountability.handle_cases", case.organisation):
        raise Http404
    _day, _deciding, adoption, refusal = _decision_rules(request, case)
    form = DecisionForm(
        request.POST,
        rule_set=adoption.rule_set if adoption else None,
        case=case,
        deciding_organisations=services.deciding_organisations(case),
    )
    preview = None
    if form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            try:
                preview = services.decision_preview(
                    case=case,
                    decided_on=data["decided_on"],
                    measures=data["measures"],
                    deciding_organisation=data["deciding_organisation"],
                )
            except ValidationError as error:
                attach_errors(form, error)
        else:
            try:
                services.decision_record(
                    case=case,
                    version=data["version"],
                    decided_on=data["decided_on"],
                    deciding_body=data["deciding_body"],
                    deciding_organisation=data["deciding_organisation"],
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
    elif adoption is None and refusal and "decided_on" not in form.errors:
        form.add_error("decided_on", refusal)
    context = _case_context(request, case, decision_form=form, preview=preview)
    return render(request, "accountability/case_detail.html", context, status=400 if form.errors else 200)


@require_GET
@private_no_store
def decision_print(request, pk):
    case = selectors.case_for(request.user, pk)
    decision = getattr(case, "decision", None)
    if decision is None and not case.exempted:
        raise Http404
    restrictions = list(decision.restrictions.select_related("consequence__measure")) if decision else []
    periods = rules.combined([rules.Period(r.kind, r.starts_on, r.ends_on) for r in restrictions])
    labels = dict(RestrictionKind.choices)
    combined = [
        {
            "label": labels[p.kind],
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "measures": sorted({r.consequence.measure.name for r in restrictions if r.kind == p.kind}),
        }
        for p in periods
    ]
    return render(
        request,
        "accountability/decision_print.html",
        {
            "case": case,
            "decision": decision,
            "measures": decision.measures.order_by("category", "severity") if decision else [],
            "restrictions": combined,
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
    overdue_problems = problem_selectors.decorate(problem_selectors.overdue_problems(request.user, today)[:20], today)
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
            "overdue_problems": overdue_problems,
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
