"""Pages for organisations, people and leadership teams. Thin: a form in, a service or selector, a page out."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import history, scope
from core.forms import ArchiveForm, DateChoiceForm, as_id
from core.panels import person_panels
from core.views import save_or_show_errors
from responsibilities import services
from responsibilities.forms import MembershipEndForm, MembershipForm, OrganisationForm, PeopleFilterForm, PersonForm
from responsibilities.list_forms import YearForm
from responsibilities.models import Role
from responsibilities.permissions import may_change, may_export_subtree
from responsibilities.selectors import lists as list_selectors
from responsibilities.selectors import organisations as selectors

PAGE_SIZE = 25


# ---- Home and login --------------------------------------------------------------------------


@login_not_required
def login_view(request, *args, **kwargs):
    return LoginView.as_view(redirect_authenticated_user=True)(request, *args, **kwargs)


@require_GET
def home(request):
    today = timezone.localdate()
    user = request.user
    roles = scope.roles_of(user)
    context = {
        "today": today,
        "roles": roles,
        "role_labels": [label for value, label in Role.choices if value in roles],
        "scope_roots": selectors.tree_roots(user, today=today),
    }
    if roles & {Role.OFFICE_STAFF, Role.ADMIN} or user.is_superuser:
        context["without_secretary"] = selectors.organisations_without_secretary(user, today)[:10]
        context["counts"] = selectors.scope_counts(user)
    if Role.LEADER in roles or hasattr(user, "person"):
        context["my_memberships"] = selectors.my_memberships(user, today)
    if Role.INSPECTOR in roles:
        context["inspector_assignments"] = selectors.inspector_assignments(user)
    return render(request, "responsibilities/home.html", context)


# ---- Organisations ---------------------------------------------------------------------------


@require_GET
def organisation_tree(request):
    today = timezone.localdate()
    text = request.GET.get("q", "").replace("\x00", "").strip()[:50]  # PostgreSQL refuses NUL
    context = {"q": text, "today": today}
    if text:
        context["hits"] = selectors.organisation_search(request.user, text)
    else:
        # The first level below each root is shown open; deeper levels load when expanded.
        context["roots"] = selectors.tree_roots_with_children(request.user, today=today)
    return render(request, "responsibilities/organisation_tree.html", context)


@require_GET
def organisation_tree_children(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    children = selectors.tree_children(request.user, organisation, today=timezone.localdate())
    return render(request, "responsibilities/_tree_nodes.html", {"nodes": children})


@require_GET
def organisation_detail(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    date_form = DateChoiceForm(request.GET or None)
    day = timezone.localdate()
    if date_form.is_valid() and date_form.cleaned_data["on"]:
        day = date_form.cleaned_data["on"]
    can_change = may_change(request.user, organisation)
    year = YearForm(request.GET or None).year_or(timezone.localdate().year)
    rollup = list_selectors.rollup(organisation, year, timezone.localdate())
    sort = request.GET.get("sort", "name")
    context = {
        "can_export_subtree": may_export_subtree(request.user, organisation),
        "rollup": rollup,
        "rollup_rows": list_selectors.sort_rollup(rollup.rows, sort),
        "sort": sort,
        "chart": rollup_chart(rollup),
        "organisation": organisation,
        "ancestors": selectors.ancestors_of(organisation, request.user),
        "day": day,
        "is_today": day == timezone.localdate(),
        "date_form": date_form,
        "team": selectors.team_on(organisation, day),
        "children": selectors.tree_children(request.user, organisation, today=day),
        "can_change": can_change and not organisation.is_archived,
    }
    return render(request, "responsibilities/organisation_detail.html", context)


def rollup_chart(rollup) -> dict:
    """Data for the roll-up bar chart: each child's completion against the subtree's."""
    return {
        "labels": [row.organisation.display_name for row in rollup.rows],
        "rates": [float(row.rate) if row.rate is not None else 0 for row in rollup.rows],
        "colors": ["#c62828" if row.lagging else "#2e7d32" for row in rollup.rows],
        "parentRate": float(rollup.subtree.rate) if rollup.subtree.rate is not None else None,
        "doneLabel": _("完成率（%）"),
        "parentLabel": _("全辖区完成率"),
    }


@require_http_methods(["GET", "POST"])
def organisation_create(request):
    parent = None
    if (parent_id := as_id(request.GET.get("parent"))) is not None:
        parent = selectors.organisation_for(request.user, parent_id, scope.CHANGE)
    form = OrganisationForm(request.POST or None, user=request.user, initial={"parent": parent})
    template, context = "responsibilities/organisation_form.html", {"form": form, "parent": parent}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: services.organisation_create(
                parent=data.get("parent"),
                name=data["name"],
                short_name=data["short_name"],
                code=data["code"],
                kind=data["kind"],
                by=request.user,
            ),
            _("已创建组织。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = selectors.organisation_for(request.user, pk, scope.CHANGE)
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    template = "responsibilities/organisation_form.html"
    context = {"form": form, "organisation": organisation}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: services.organisation_update(
                organisation=organisation,
                version=data["version"],
                parent=data.get("parent"),
                name=data["name"],
                short_name=data["short_name"],
                code=data["code"],
                kind=data["kind"],
                by=request.user,
            ),
            _("已保存组织信息。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def organisation_archive(request, pk):
    organisation = selectors.organisation_for(request.user, pk, scope.CHANGE)
    form = ArchiveForm(request.POST or None, initial={"version": organisation.version})
    template = "responsibilities/archive_form.html"
    context = {"form": form, "object": organisation, "cancel_url": organisation.get_absolute_url()}
    if request.method == "POST" and form.is_valid():
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: services.organisation_archive(
                organisation=organisation,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
            _("已归档组织。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


# ---- Leadership teams ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def membership_add(request, pk):
    organisation = selectors.organisation_for(request.user, pk, scope.CHANGE)
    form = MembershipForm(
        request.POST or None, organisation=organisation, candidates=selectors.candidates_for_team(organisation)
    )
    template = "responsibilities/membership_form.html"
    new_person_url = f"{reverse('responsibilities:person_create')}?organisation={organisation.pk}"
    context = {"form": form, "organisation": organisation, "new_person_url": new_person_url}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: (
                services.membership_add(
                    organisation=organisation,
                    person=data["person"],
                    role=data["role"],
                    areas=data["areas"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    by=request.user,
                ).organisation
            ),
            _("已添加班子成员。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def membership_end(request, pk):
    membership = selectors.membership_for(request.user, pk, scope.CHANGE)
    form = MembershipEndForm(request.POST or None, membership=membership)
    template = "responsibilities/membership_end_form.html"
    context = {"form": form, "membership": membership}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: (
                services.membership_end(
                    membership=membership,
                    version=data["version"],
                    end_date=data["end_date"],
                    reason=data["reason"],
                    by=request.user,
                ).organisation
            ),
            _("已结束该任职。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


# ---- People ----------------------------------------------------------------------------------


@require_GET
def person_list(request):
    form = PeopleFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.people_list(
        request.user,
        text=filters.get("q", ""),
        organisation=filters.get("organisation"),
        post_level=filters.get("post_level"),
        include_archived=filters.get("archived", False),
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_create = scope.can_change_anything(request.user)
    return render(
        request,
        "responsibilities/person_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_create": can_create},
    )


@require_GET
def person_detail(request, pk):
    person = selectors.person_for(request.user, pk)
    can_change = may_change(request.user, person.home_organisation)
    return render(
        request,
        "responsibilities/person_detail.html",
        {
            "person": person,
            "memberships": selectors.person_memberships(person),
            "panels": person_panels(request, person),
            "today": timezone.localdate(),
            "can_change": can_change and not person.is_archived,
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    initial = {}
    if (organisation_id := as_id(request.GET.get("organisation"))) is not None:
        initial["home_organisation"] = selectors.organisation_for(request.user, organisation_id, scope.CHANGE)
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    template, context = "responsibilities/person_form.html", {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: services.person_create(
                name=data["name"],
                post=data["post"],
                post_level=data["post_level"],
                home_organisation=data["home_organisation"],
                by=request.user,
            ),
            _("已添加干部。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = selectors.person_for(request.user, pk, scope.CHANGE)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    template, context = "responsibilities/person_form.html", {"form": form, "person": person}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: services.person_update(
                person=person,
                version=data["version"],
                name=data["name"],
                post=data["post"],
                post_level=data["post_level"],
                home_organisation=data["home_organisation"],
                by=request.user,
            ),
            _("已保存干部信息。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def person_archive(request, pk):
    person = selectors.person_for(request.user, pk, scope.CHANGE)
    form = ArchiveForm(request.POST or None, initial={"version": person.version})
    template = "responsibilities/archive_form.html"
    context = {"form": form, "object": person, "cancel_url": person.get_absolute_url()}
    if request.method == "POST" and form.is_valid():
        return save_or_show_errors(
            request,
            form,
            template,
            context,
            lambda: services.person_archive(
                person=person,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
            _("已归档干部信息。"),
        )
    return render(request, template, context, status=400 if form.errors else 200)


@require_GET
def record_history(request, key, pk):
    """修改记录: who changed which field from what to what, for any record kind registered in history."""
    if key not in history.HISTORY_MODELS:
        raise Http404
    _model, visible_to = history.HISTORY_MODELS[key]
    record = get_object_or_404(visible_to(request.user), pk=pk)
    return render(
        request,
        "responsibilities/history.html",
        {
            "record": record,
            "entries": history.entries(record),
            "back_url": record.get_absolute_url() if hasattr(record, "get_absolute_url") else None,
        },
    )
