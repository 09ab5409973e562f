"""Pages for organisations, people and leadership teams. Thin: a form in, a service or selector, a page out."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core import history, scope
from core.forms import DateChoiceForm, as_id
from core.panels import person_panels
from core.tables import Column, WorkingList
from core.views import ArchiveView, ServiceFormView
from responsibilities import services
from responsibilities.filters import PeopleFilterSet
from responsibilities.forms import MembershipEndForm, MembershipForm, OrganisationForm, PersonForm
from responsibilities.list_forms import YearForm
from responsibilities.models import TeamRole
from responsibilities.permissions import may_change, may_export_subtree
from responsibilities.selectors import duties as duty_selectors
from responsibilities.selectors import lists as list_selectors
from responsibilities.selectors import organisations as selectors

PAGE_SIZE = 25
PERSON_FIELDS = ("name", "post", "post_level", "home_organisation")


# ---- Home and login --------------------------------------------------------------------------


@login_not_required
def login_view(request, *args, **kwargs):
    return LoginView.as_view(redirect_authenticated_user=True)(request, *args, **kwargs)


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


def _rollup(organisation, year, sort) -> dict:
    """The year's roll-up of the organisation's children, each row with its signing counts, sorted."""
    rollup = list_selectors.rollup(organisation, year, timezone.localdate())
    signing = duty_selectors.signing_counts(organisation, [row.organisation for row in rollup.rows], year)
    for row in rollup.rows:
        row.signing = signing["children"][row.organisation.pk]
    return {
        "rollup": rollup,
        "signing": signing,
        "team_lists": duty_selectors.personal_lists(organisation, year),
        "rollup_rows": list_selectors.sort_rollup(rollup.rows, sort),
        "sort": sort,
        "chart": rollup_chart(rollup),
    }


@require_GET
def organisation_detail(request, pk):
    organisation = selectors.organisation_for(request.user, pk)
    date_form = DateChoiceForm(request.GET or None)
    chosen = date_form.cleaned_data["on"] if date_form.is_valid() else None
    day = chosen or timezone.localdate()
    can_change = may_change(request.user, organisation)
    year = YearForm(request.GET or None).year_or(timezone.localdate().year)
    team = selectors.team_on(organisation, day)
    context = _rollup(organisation, year, request.GET.get("sort", "name")) | {
        "can_export_subtree": may_export_subtree(request.user, organisation),
        "can_record_duty": can_change,
        "organisation": organisation,
        "ancestors": selectors.ancestors_of(organisation, request.user),
        "day": day,
        "is_today": day == timezone.localdate(),
        "date_form": date_form,
        "team": team,
        # 书记职位空缺: nobody could confirm the lists (the list service refuses a submission then).
        "secretary_vacant": not organisation.is_archived and not any(m.role == TeamRole.SECRETARY for m in team),
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


class OrganisationCreate(ServiceFormView):
    template_name = "responsibilities/organisation_form.html"
    form_class = OrganisationForm
    success_message = gettext_lazy("已创建组织。")

    def get_object(self):
        parent_id = as_id(self.request.GET.get("parent"))
        return None if parent_id is None else selectors.organisation_for(self.request.user, parent_id, scope.CHANGE)

    def get_form_kwargs(self):
        return {"user": self.request.user, "initial": {"parent": self.object}}

    def get_context(self, form):
        return {"form": form, "parent": self.object}

    def perform(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("name", "short_name", "code", "kind")}
        return services.organisation_create(parent=data.get("parent"), **fields, by=self.request.user)


class OrganisationEdit(ServiceFormView):
    template_name = "responsibilities/organisation_form.html"
    form_class = OrganisationForm
    success_message = gettext_lazy("已保存组织信息。")

    def get_object(self):
        return selectors.organisation_for(self.request.user, self.kwargs["pk"], scope.CHANGE)

    def get_form_kwargs(self):
        return {"instance": self.object, "user": self.request.user}

    def get_context(self, form):
        return {"form": form, "organisation": self.object}

    def perform(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("version", "name", "short_name", "code", "kind")}
        return services.organisation_update(
            organisation=self.object, parent=data.get("parent"), **fields, by=self.request.user
        )


class OrganisationArchive(ArchiveView):
    success_message = gettext_lazy("已归档组织。")

    def get_object(self):
        return selectors.organisation_for(self.request.user, self.kwargs["pk"], scope.CHANGE)

    def blocked(self):
        return services.organisation_archive_blocker(self.object)

    def archive(self, *, version, reason):
        return services.organisation_archive(
            organisation=self.object, version=version, reason=reason, by=self.request.user
        )


# ---- Leadership teams ------------------------------------------------------------------------


class MembershipAdd(ServiceFormView):
    template_name = "responsibilities/membership_form.html"
    form_class = MembershipForm
    success_message = gettext_lazy("已添加班子成员。")

    def get_object(self):
        return selectors.organisation_for(self.request.user, self.kwargs["pk"], scope.CHANGE)

    def get_form_kwargs(self):
        return {"organisation": self.object, "candidates": selectors.candidates_for_team(self.object)}

    def get_context(self, form):
        new_person_url = f"{reverse('responsibilities:person_create')}?organisation={self.object.pk}"
        return {"form": form, "organisation": self.object, "new_person_url": new_person_url}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in ("person", "role", "areas", "start_date", "end_date")}
        return services.membership_add(organisation=self.object, **fields, by=self.request.user).organisation


class MembershipEnd(ServiceFormView):
    template_name = "responsibilities/membership_end_form.html"
    form_class = MembershipEndForm
    success_message = gettext_lazy("已结束该任职。")

    def get_object(self):
        return selectors.membership_for(self.request.user, self.kwargs["pk"], scope.CHANGE)

    def get_form_kwargs(self):
        return {"membership": self.object}

    def get_context(self, form):
        return {"form": form, "membership": self.object}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in ("version", "end_date", "reason")}
        return services.membership_end(membership=self.object, **fields, by=self.request.user).organisation


# ---- People ----------------------------------------------------------------------------------


class PersonList(WorkingList):
    """干部名册: the people the user may see, filtered, sorted, paginated and exported (core.tables)."""

    template_name = "responsibilities/person_list.html"
    filterset_class = PeopleFilterSet
    default_sort = ("home_organisation__path", "-post_level", "name")
    export_title = gettext_lazy("干部名册")
    columns = [
        Column("name", gettext_lazy("姓名"), sort="name", value=lambda p: p.name, width=12),
        Column("post", gettext_lazy("现任职务"), sort="post", value=lambda p: p.post, width=30),
        Column(
            "post_level",
            gettext_lazy("职务层次"),
            sort="post_level",
            value=lambda p: p.get_post_level_display(),
            width=14,
        ),
        Column(
            "organisation",
            gettext_lazy("所在单位"),
            sort="home_organisation__path",
            value=lambda p: p.home_organisation.display_name,
            width=24,
        ),
        Column("login", gettext_lazy("登录账号"), value=lambda p: _("有") if p.user_id else "", width=10),
        Column(
            "status",
            gettext_lazy("状态"),
            value=lambda p: _("已归档") if p.is_archived else _("已离任、调任") if p.former else _("在任"),
            width=14,
        ),
    ]

    def get_queryset(self):
        return selectors.people_with_status(self.request.user, timezone.localdate())

    def get_context(self):
        return {"can_create": scope.can_change_anything(self.request.user)}


person_list = PersonList.as_view()


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


class PersonCreate(ServiceFormView):
    template_name = "responsibilities/person_form.html"
    form_class = PersonForm
    success_message = gettext_lazy("已添加干部。")

    def get_object(self):
        organisation_id = as_id(self.request.GET.get("organisation"))
        if organisation_id is None:
            return None
        return selectors.organisation_for(self.request.user, organisation_id, scope.CHANGE)

    def get_form_kwargs(self):
        initial = {"home_organisation": self.object} if self.object else {}
        return {"user": self.request.user, "initial": initial}

    def get_context(self, form):
        return {"form": form}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in PERSON_FIELDS}
        return services.person_create(**fields, by=self.request.user)


class PersonEdit(ServiceFormView):
    template_name = "responsibilities/person_form.html"
    form_class = PersonForm
    success_message = gettext_lazy("已保存干部信息。")

    def get_object(self):
        return selectors.person_for(self.request.user, self.kwargs["pk"], scope.CHANGE)

    def get_form_kwargs(self):
        return {"instance": self.object, "user": self.request.user}

    def get_context(self, form):
        return {"form": form, "person": self.object}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in (*PERSON_FIELDS, "version")}
        return services.person_update(person=self.object, **fields, by=self.request.user)


class PersonArchive(ArchiveView):
    success_message = gettext_lazy("已归档干部信息。")

    def get_object(self):
        return selectors.person_for(self.request.user, self.kwargs["pk"], scope.CHANGE)

    def archive(self, *, version, reason):
        return services.person_archive(person=self.object, version=version, reason=reason, by=self.request.user)


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
