"""The case list's filters (``core.tables``): organisation, status, year filed, 责任主体 and 情节."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accountability.models import CaseStatus, Severity, Subject
from core.tables import SubtreeFilter, WorkingFilterSet, YearFilter
from responsibilities.filters import PickedOrganisationMixin, visible_organisations


class CaseFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    organisation = SubtreeFilter(queryset=visible_organisations, label=_("所在组织（含下级）"))
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("状态"), empty_label=_("全部状态"))
    year = YearFilter(field_name="filed_on", lookup_expr="year", label=_("立案年度"))
    subject = django_filters.ChoiceFilter(choices=Subject.choices, label=_("责任主体"), empty_label=_("全部"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("情节"), empty_label=_("全部"))
    q = django_filters.CharFilter(method="matching", label=_("编号或姓名"), max_length=50)

    def matching(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(person__name__icontains=value))
