"""The scheme's inspections as a working table (``core.tables``): organisation, department, method,
status and year."""

import django_filters
from django.utils.translation import gettext_lazy as _

from assessments.models import InspectionKind, InspectionStatus
from core.tables import SubtreeFilter, WorkingFilterSet, YearFilter
from responsibilities.filters import PickedOrganisationMixin, visible_organisations
from responsibilities.models import Department


class InspectionFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    organisation = SubtreeFilter(queryset=visible_organisations, label=_("被考核组织（含下级）"))
    department = django_filters.ChoiceFilter(choices=Department.choices, label=_("部门"), empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices, label=_("方式"), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices, label=_("状态"), empty_label=_("全部状态"))
    year = YearFilter(field_name="date", lookup_expr="year", label=_("检查年度"))
