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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountability import exports, permissions, rules, selectors, services
from accountability.filters import CaseFilterSet, OverdueTaskFilterSet
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
from accountability.models import CaseStatus, Exemption, InterventionKind, Subject
from core.forms import AcknowledgeForm, as_id, attach_errors, errors_as_text, picked
from core.models import EditConflict
from core.panels import Panel
from core.permissions import can, require
from core.tables import BoundedPaginator, Column, WorkingList
from core.views import (
    ServiceFormView,
    TransitionView,
    act_on_form,
    act_with_message,
    conflict_page,
    private_no_store,
    transition_conflict,
)
from responsibilities.selectors import lists as list_selectors
from responsibilities.selectors import organisations as org_selectors
from responsibilities.selectors import problems as problem_selectors


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


class RuleSetEdit(ServiceFormView):
    template_name = "accountability/rule_set_form.html"
    form_class = RuleSetForm
    success_message = gettext_lazy("已保存草稿。")

    def get_object(self):
        rule_set = selectors.rule_set_for(self.request.user, self.kwargs["pk"])
        _require_rule_manager(self.request.user)
        return rule_set

    def get_form_kwargs(self) -> dict:
        names = ("name", "source", "effective_from", "version")
        return {"initial": {name: getattr(self.object, name) for name in names}}

    def get_context(self, form) -> dict:
        return {"rule_set": self.object, "form": form, "refusal": _draft_refusal(self.request, self.object)}

    def perform(self, form):
        fields = picked(form.cleaned_data, "version", "name", "source", "effective_from")
        return services.rule_set_update(rule_set=self.object, **fields, by=self.request.user)


rule_set_edit = RuleSetEdit.as_view()


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


class RuleSetAdopt(ServiceFormView):
    """Adopt a published rule set for a subtree from a date; 预览 shows the what-if first."""

    template_name = "accountability/adoption_form.html"
    form_class = AdoptionForm

    def get_object(self):
        rule_set = selectors.rule_set_for(self.request.user, self.kwargs["pk"])
        _require_rule_manager(self.request.user)
        return rule_set

    def get_form_kwargs(self) -> dict:
        return {"organisations": selectors.adoptable_organisations(self.request.user)}

    def get_context(self, form) -> dict:
        return {"rule_set": self.object, "form": form}

    def refuse(self):
        if not self.object.is_draft:
            return None
        context = self.get_context(self.get_form()) | {"refusal": _("草稿不能采用：请先发布该规则版本。")}
        return render(self.request, self.template_name, context, status=400 if self.request.method == "POST" else 200)

    def perform(self, form):
        data = form.cleaned_data
        period = {
            "rule_set": self.object,
            "organisation": data["organisation"],
            "effective_from": data["effective_from"],
            "effective_until": data["effective_until"],
            "by": self.request.user,
        }
        if "confirm" not in self.request.POST:
            return services.adoption_preview(**period)
        return services.rule_set_adopt(
            **period, decided_by_body=data["decided_by_body"], decided_on=data["decided_on"], document=data["document"]
        )

    def succeeded(self, result):
        if "confirm" not in self.request.POST:
            return render(self.request, self.template_name, self.get_context(self.form) | {"preview": result})
        message = _("%(organisation)s 自 %(day)s 起采用“%(rules)s”。") % {
            "organisation": result.organisation.name,
            "day": result.effective_from.isoformat(),
            "rules": self.object.name,
        }
        messages.success(self.request, message)
        return redirect(self.object.get_absolute_url())


# ---- Cases ------------------------------------------------------------------------------------


def case_about(case) -> str:
    if case.person_id:
        return f"{case.person.name}（{case.organisation.display_name}）"
    return case.organisation.name


class CaseList(WorkingList):
    """问责案件: the cases the user may see, filtered, sorted, paginated and exported (core.tables)."""

    template_name = "accountability/case_list.html"
    filterset_class = CaseFilterSet
    default_sort = ("-filed_on", "-pk")
    export_title = gettext_lazy("问责案件")
    columns = [
        Column("number", gettext_lazy("编号"), sort="number", value=lambda c: c.number, width=16),
        Column("about", gettext_lazy("对象"), sort=("organisation__path", "person__name"), value=case_about, width=28),
        Column("subject", gettext_lazy("责任主体"), sort="subject", value=lambda c: c.get_subject_display(), width=16),
        Column("severity", gettext_lazy("情节"), sort="severity", value=lambda c: c.get_severity_display(), width=10),
        Column("status", gettext_lazy("状态"), sort="status", value=lambda c: c.get_status_display(), width=10),
        Column("filed_on", gettext_lazy("立案日期"), sort="filed_on", value=lambda c: c.filed_on, width=12),
        Column(
            "decided_on",
            gettext_lazy("决定日期"),
            sort="decision__decided_on",
            value=lambda c: c.decision.decided_on if hasattr(c, "decision") else None,
            width=12,
        ),
    ]

    def get_queryset(self):
        return selectors.cases_visible_to(self.request.user).select_related("decision")

    def get_context(self):
        return {
            "can_file": selectors.handled_organisations(self.request.user).exists(),
            "outcomes": selectors.case_outcomes(self.request.user),
        }


case_list = private_no_store(CaseList.as_view())


def _case_form(request, data=None, initial=None):
    people = (
        selectors.case_people(request.user)
        .select_related("home_organisation")
        .order_by("home_organisation__path", "name")
    )
    return CaseForm(data, initial=initial, organisations=selectors.handled_organisations(request.user), people=people)


class CaseCreate(ServiceFormView):
    template_name = "accountability/case_form.html"

    def refuse(self):
        if not selectors.handled_organisations(self.request.user).exists():
            raise PermissionDenied

    def get_form(self):
        initial = {"facts_date": _today(), "filed_on": _today()}
        return _case_form(self.request, self.request.POST or None, initial=initial)

    def get_context(self, form) -> dict:
        return {"form": form}

    def perform(self, form):
        return services.case_file(**picked(form.cleaned_data, *CASE_FIELDS), by=self.request.user)

    def succeeded(self, result):
        messages.success(self.request, _("已立案：%(number)s。") % {"number": result.number})
        return redirect(result.get_absolute_url())


# What the user types to file a case, as services.case_file takes it.
CASE_FIELDS = (
    "organisation",
    "subject",
    "person",
    "responsibility",
    "situations",
    "facts",
    "facts_date",
    "severity",
    "circumstances",
    "filed_on",
)
case_create = CaseCreate.as_view()


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


def _case_targets(case, open_for_review):
    """The moves the case's page offers: a decision is recorded by its own form, and a case under
    investigation or review is closed by exempting it."""
    return [
        (target, CaseStatus(target).label)
        for target in sorted(rules.CASE_TRANSITIONS[case.status], key=CaseStatus.values.index)
        if target != CaseStatus.DECIDED and not (target == CaseStatus.CLOSED and open_for_review)
    ]


def _case_context(request, case, decision_form=None, preview=None, exemption_form=None):
    can_handle = can(request.user, "accountability.handle_cases", case.organisation)
    decision = getattr(case, "decision", None)
    open_for_review = case.status in (CaseStatus.INVESTIGATING, CaseStatus.REVIEWING)
    context = {
        "case": case,
        "decision": decision,
        "restrictions": decision.restrictions.select_related("consequence__measure") if decision else [],
        "can_handle": can_handle,
        "targets": _case_targets(case, open_for_review) if can_handle else [],
        "can_decide": can_handle and rules.decision_allowed(case.status) and decision is None,
        "can_exempt": can_handle and open_for_review,
        "preview": preview,
    }
    if context["can_exempt"]:
        context["exemption_form"] = exemption_form or ExemptionForm(initial={"version": case.version})
    if context["can_decide"]:
        context["decision_form"] = decision_form or _decision_form(request, case)
        context["decision_adoption"] = context["decision_form"].adoption
        context["decision_refusal"] = context["decision_form"].refusal
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


def _decision_form(request, case, data=None) -> DecisionForm:
    """The decision form for the date and deciding organisation asked for, offering the measures of
    the adoption that judges them (``form.adoption``, or None with ``form.refusal`` saying why)."""
    day, deciding, adoption, refusal = _decision_rules(request, case)
    return DecisionForm(
        data,
        adoption=adoption,
        refusal=refusal,
        previewing=data is not None and "preview" in data,
        case=case,
        deciding_organisations=services.deciding_organisations(case),
        initial={"decided_on": day, "deciding_organisation": deciding},
    )


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


class CaseAction(ServiceFormView):
    """A handler's form on the case page (a decision, an exemption): the case through its door, the
    handler's permission, the page redrawn with the form's errors, a 409 with the case as it now is."""

    http_method_names = ["post"]
    template_name = "accountability/case_detail.html"
    form_name = ""  # the form's name in the case page's context

    def get_object(self):
        case = selectors.case_for(self.request.user, self.kwargs["pk"])
        # The subject of a case sees it and is refused here (403), as everyone who sees it but does not handle it.
        require(
            self.request.user,
            "accountability.handle_cases",
            case.organisation,
            message=_("只有纪检、组织部门的考核人员和系统管理员可以办理问责案件。"),
        )
        return case

    def get_context(self, form) -> dict:
        return _case_context(self.request, self.object, **{self.form_name: form})


@method_decorator(private_no_store, name="dispatch")
class CaseExempt(CaseAction):
    """Close a case under investigation or review as 不予问责 or 免予问责, with its ground."""

    form_class = ExemptionForm
    form_name = "exemption_form"

    def perform(self, form):
        fields = picked(form.cleaned_data, "version", "exemption", "ground", "note")
        return services.case_exempt(case=self.object, **fields, by=self.request.user)

    def succeeded(self, result):
        outcome = dict(Exemption.choices)[self.form.cleaned_data["exemption"]]
        messages.success(self.request, _("已结案：%(outcome)s。") % {"outcome": outcome})
        return redirect(self.object.get_absolute_url())

    def conflicted(self, conflict):
        current = selectors.case_for(self.request.user, self.object.pk)
        context = _case_context(self.request, current, exemption_form=self.form)
        submitted = dict(Exemption.choices)[self.form.cleaned_data["exemption"]]
        return transition_conflict(
            self.request, self.template_name, context, current, field_label=_("状态"), submitted=submitted
        )


@method_decorator(private_no_store, name="dispatch")
class CaseDecide(CaseAction):
    """Preview what a decision would impose (what-if), or record it."""

    form_name = "decision_form"

    def get_form(self):
        return _decision_form(self.request, self.object, self.request.POST)

    def perform(self, form):
        data = form.cleaned_data
        if form.previewing and not data["measures"]:
            return None  # the measures offered for the date and organisation asked for, nothing to preview yet
        if form.previewing:
            return services.decision_preview(
                case=self.object,
                decided_on=data["decided_on"],
                measures=data["measures"],
                deciding_organisation=data["deciding_organisation"],
            )
        fields = picked(data, "version", "decided_on", "deciding_body", "deciding_organisation", "document_number")
        fields |= picked(data, "measures", "judicial_transfer", "reasoning")
        return services.decision_record(case=self.object, **fields, by=self.request.user)

    def succeeded(self, result):
        if self.form.previewing:
            context = _case_context(self.request, self.object, decision_form=self.form, preview=result)
            return render(self.request, self.template_name, context)
        messages.success(self.request, _("已记录问责决定，影响期已按规则计算。"))
        return redirect(self.object.get_absolute_url())

    def conflicted(self, conflict):
        # The case as it now is, the decision form as the user filled it in.
        current = selectors.case_for(self.request.user, self.object.pk)
        context = _case_context(self.request, current, decision_form=self.form)
        return conflict_page(self.request, self.template_name, context, conflict.current)


@require_GET
@private_no_store
def decision_print(request, pk):
    case = selectors.case_for(request.user, pk)
    decision = getattr(case, "decision", None)
    if decision is None and not case.exempted:
        raise Http404
    combined = selectors.combined_restrictions(decision) if decision else []
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


SCREENING_PAGE = 50


@require_GET
@private_no_store
def screening(request):
    organisations = selectors.handled_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = ScreeningForm(request.GET or None, organisations=organisations)
    rows = page = None
    if form.is_valid():
        root, day = form.cleaned_data["root"], form.cleaned_data["day"]
        if request.GET.get("format") == "xlsx":
            return exports.screening_download(root, day, selectors.screening(root, day))
        # Fifty people a page (the export has them all): a city of a large province has hundreds barred,
        # and reading and drawing them all was most of the page (571 rows: about 200 ms at N = 50,000).
        page = Paginator(selectors.screened_people(root, day), SCREENING_PAGE).get_page(request.GET.get("page"))
        rows = selectors.screening(root, day, people=list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accountability/screening.html",
        {"form": form, "rows": rows, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


# ---- Early warning ----------------------------------------------------------------------------


class GroupsPaginator(BoundedPaginator):
    """The groups of 预警提醒 page over their first ``limit`` (a province has hundreds of thousands of
    late people: counting them all was a tenth of the page at N = 50,000). Counted as they are: the
    groups are rows of their own (tallies) or of a grouped count, not records with ids; not exported."""

    exported = False

    def counted_rows(self):
        return self.object_list.order_by()


def _list_owner(task):
    listed = task.item.responsibility_list
    return listed.person.name if listed.person_id else _("党委（党组）清单")


class EarlyWarning(WorkingList):
    """预警提醒. Above: who is late, one row per person (or committee list) with the count of overdue
    tasks, the measures taken and the one-click next step; those rows come from two code paths (the
    overdue tallies, or the tasks counted when the clock is behind: ``selectors.warning_groups``),
    so they are no flat table: they follow the organisation filter only, and page with ``page``.
    Below: the overdue tasks themselves as the working table (core.tables): filtered by organisation,
    list year and warning colour, sorted, paginated with ``tasks_page``, exported as shown."""

    template_name = "accountability/early_warning.html"
    filterset_class = OverdueTaskFilterSet
    rows_name = "tasks"
    page_param = "tasks_page"
    # Oldest deadline first, then as entered: an index (task_open_by_deadline) gives the page in this
    # order; tied by organisation, PostgreSQL joined the whole first day (5,000 tasks at N = 50,000).
    default_sort = ("deadline",)
    export_title = gettext_lazy("逾期未完成的任务")
    columns = [
        Column(
            "organisation",
            gettext_lazy("组织"),
            sort="item__responsibility_list__organisation__path",
            value=lambda t: t.item.responsibility_list.organisation.name,
            width=24,
        ),
        Column(
            "person",
            gettext_lazy("责任人"),
            sort="item__responsibility_list__person__name",
            value=_list_owner,
            width=14,
        ),
        Column("title", gettext_lazy("具体任务"), sort="title", value=lambda t: t.title, width=40),
        Column("deadline", gettext_lazy("完成时限"), sort="deadline", value=lambda t: t.deadline, width=12),
        Column(
            "warning",
            gettext_lazy("预警"),
            value=lambda t: t.warning.word if t.warning else "",
            width=12,
        ),
        Column("status", gettext_lazy("状态"), sort="status", value=lambda t: t.get_status_display(), width=10),
    ]

    def get_queryset(self):
        self.today = _today()
        return selectors.overdue_task_rows(self.request.user, self.today)

    def filtered(self):
        self.filterset, rows = super().filtered()
        return self.filterset, rows

    def thresholds(self):
        """The 蓝黄红 thresholds, read once for the table and the groups."""
        if not hasattr(self, "_thresholds"):
            self._thresholds = list_selectors.warning_thresholds()
        return self._thresholds

    def decorate(self, rows):
        rows = list(rows)
        for task in rows:
            list_selectors.annotate_deadline_state(task, self.today, self.thresholds())
        return rows

    def groups_page(self, repeat_only):
        """The page of groups (the overdue tasks of one organisation), under the organisation filtered on."""
        root = self.filterset.form.cleaned_data.get("organisation") if self.filterset.is_valid() else None
        groups = selectors.warning_groups(self.request.user, self.today, root=root, repeat_only=repeat_only)
        return GroupsPaginator(groups, 20).get_page(self.request.GET.get("page"))

    def get_context(self):
        request, user, today = self.request, self.request.user, self.today
        repeat_only = request.GET.get("repeat") == "1"
        page = self.groups_page(repeat_only)
        rows = selectors.warning_rows(request.user, today, page.object_list, thresholds=self.thresholds())
        secretary_ids = permissions.secretary_of(request.user, today)
        for row in rows:
            row.can_intervene = permissions.may_intervene(request.user, row.organisation, secretary_ids)
        recent = selectors.recent_interventions(request.user)
        for intervention in recent:
            intervention.can_follow_up = permissions.may_intervene(user, intervention.organisation, secretary_ids)
        groups_query = request.GET.copy()
        groups_query.pop("page", None)
        groups_query.pop("format", None)
        return {
            "rows": rows,  # the groups (the tasks' table is ``tasks``)
            "groups_page": page,
            "groups_query": groups_query.urlencode(),
            "today": today,
            "kinds": InterventionKind.choices,
            "repeat_only": repeat_only,
            "recent": recent,
            "overdue_orders": list(org_selectors.overdue_orders(request.user, today)),
            "overdue_problems": problem_selectors.decorate(
                problem_selectors.overdue_problems(request.user, today), today, self.thresholds()
            ),
        }


early_warning = private_no_store(EarlyWarning.as_view())


@require_POST
def intervention_create(request):
    """Record a 提醒/批评/约谈 from the early-warning page (the answer is a message on that page)."""
    form = InterventionForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_as_text(form, " "))
        return redirect("accountability:early_warning")
    data = form.cleaned_data
    organisation = org_selectors.organisation_for(request.user, data["organisation"])
    require(request.user, "accountability.intervene", organisation, _("您无权对该组织或干部进行提醒、批评或约谈。"))
    person, task = selectors.intervention_subjects(request.user, data["person"], data["task"], _today())
    act_with_message(
        request,
        lambda: services.intervention_record(
            organisation=organisation,
            person=person,
            task=task,
            **picked(data, "kind", "reason", "day", "follow_up"),
            by=request.user,
        ),
        lambda intervention: _("已记录%(kind)s。") % {"kind": intervention.get_kind_display()},
    )
    return redirect("accountability:early_warning")


@require_POST
def intervention_follow_up(request, pk):
    intervention = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
    act_on_form(
        request,
        FollowUpForm(request.POST),
        lambda data: services.intervention_follow_up(
            intervention=intervention, follow_up=data["follow_up"], by=request.user
        ),
        _("已记录跟进情况。"),
        invalid=lambda form: messages.error(request, _("请填写跟进情况。")),
    )
    return redirect("accountability:early_warning")


@method_decorator(private_no_store, name="dispatch")
class InterventionAcknowledge(ServiceFormView):
    """An intervention as its recipient reads it: 已阅 with the time, and an answer (反馈)."""

    template_name = "accountability/intervention_acknowledge.html"
    form_class = AcknowledgeForm

    def get_object(self):
        return selectors.intervention_for_recipient(self.request.user, self.kwargs["pk"])

    def refuse(self):
        if self.request.method == "POST" and not permissions.may_acknowledge(self.request.user, self.object):
            raise PermissionDenied(_("只有被提醒、批评或约谈的对象可以确认已阅。"))

    def get_context(self, form) -> dict:
        may = permissions.may_acknowledge(self.request.user, self.object) and not self.object.is_acknowledged
        return {"intervention": self.object, "form": form, "can_acknowledge": may}

    def perform(self, form):
        feedback = form.cleaned_data["feedback"]
        return services.intervention_acknowledge(intervention=self.object, feedback=feedback, by=self.request.user)

    def succeeded(self, result):
        messages.success(self.request, _("已确认已阅。"))
        return redirect("home")


intervention_acknowledge = InterventionAcknowledge.as_view()
