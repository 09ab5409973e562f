"""The working tables' filters of this app, each on ``core.tables.WorkingFilterSet`` (django-filter):
organisation (with its subtree), status, year and warning colour where the rows have them."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pickers
from core.tables import SubtreeFilter, WorkingFilterSet
from responsibilities.models import Organisation, PostLevel
from responsibilities.selectors.organisations import former_cadres


def visible_organisations(request):
    """The organisation filter's choices: what the user may see (the filter's picker offers the same)."""
    return Organisation.objects.for_user(request.user if request else None).active()


class PickedOrganisationMixin:
    """The organisation filter is the searchable organisation picker (``core.pickers``)."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if "organisation" in form.fields:
                pickers.widget("organisations", field=form.fields["organisation"])
            self._form = form
        return self._form


class PersonStatus:
    CURRENT = "current"
    FORMER = "former"
    ARCHIVED = "archived"
    CHOICES = [
        (CURRENT, _("在任")),
        (FORMER, _("已离任、调任")),
        (ARCHIVED, _("已归档")),
    ]


class PeopleFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    """干部名册: name or post, organisation, post level, status (在册 by default)."""

    q = django_filters.CharFilter(method="matching", label=_("姓名或职务"), max_length=50)
    organisation = SubtreeFilter(queryset=visible_organisations, path_field="home_organisation__path")
    post_level = django_filters.ChoiceFilter(choices=PostLevel.choices, label=_("职务层次"), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(
        choices=PersonStatus.CHOICES, method="in_status", label=_("状态"), empty_label=_("全部在册")
    )

    def matching(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(post__icontains=value))

    def in_status(self, queryset, name, value):
        if value == PersonStatus.ARCHIVED:
            return queryset.filter(archived_at__isnull=False)
        queryset = queryset.filter(archived_at__isnull=True)
        former = former_cadres(timezone.localdate())
        if value == PersonStatus.FORMER:
            return queryset.filter(former)
        return queryset.exclude(former)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(archived_at__isnull=True)  # the roster is of people in post
        return super().filter_queryset(queryset)
