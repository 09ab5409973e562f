"""The scheme's inspections as a working table (``core.tables``): organisation, department, method,
status and year."""

import django_filters
from django.utils.translation import gettext_lazy as _

from assessments.models import GradeSubject, InspectionKind, InspectionStatus
from core.tables import SubtreeFilter, WorkingFilterSet, YearFilter
from responsibilities.filters import PickedOrganisationMixin, visible_organisations
from responsibilities.models import Department


class InspectionFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    organisation = SubtreeFilter(queryset=visible_organisations, label=_("被考核组织（含下级）"))
    department = django_filters.ChoiceFilter(choices=Department.choices, label=_("部门"), empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices, label=_("方式"), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices, label=_("状态"), empty_label=_("全部状态"))
    year = YearFilter(field_name="date", lookup_expr="year", label=_("检查年度"))


class ResultFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    """考核结果: organisation (with its subtree) and grade; the grades are the scheme's bands for the
    team (``for_scheme`` gives the choices of one scheme)."""

    organisation = SubtreeFilter(queryset=visible_organisations)
    grade = django_filters.ChoiceFilter(choices=(), label=_("等次"), empty_label=_("全部"))

    @classmethod
    def for_scheme(cls, scheme):
        bands = scheme.bands.filter(subject=GradeSubject.TEAM).order_by("-min_score").values_list("grade", "label")
        grade = django_filters.ChoiceFilter(choices=list(bands), label=_("等次"), empty_label=_("全部"))
        return type(cls.__name__, (cls,), {"grade": grade})
