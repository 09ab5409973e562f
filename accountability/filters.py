"""The working tables' filters of this app (``core.tables``): the case list's (organisation, status,
year filed, 责任主体 and 情节) and 预警提醒's overdue tasks (organisation, year, warning colour)."""

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import CaseStatus, Severity, Subject
from core.tables import SubtreeFilter, WorkingFilterSet, YearFilter
from responsibilities.filters import PickedOrganisationMixin, visible_organisations
from responsibilities.models import WarningColour
from responsibilities.selectors.lists import warning_thresholds


class CaseFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    organisation = SubtreeFilter(queryset=visible_organisations, label=_("所在组织（含下级）"))
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("状态"), empty_label=_("全部状态"))
    year = YearFilter(field_name="filed_on", lookup_expr="year", label=_("立案年度"))
    subject = django_filters.ChoiceFilter(choices=Subject.choices, label=_("责任主体"), empty_label=_("全部"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("情节"), empty_label=_("全部"))
    q = django_filters.CharFilter(method="matching", label=_("编号或姓名"), max_length=50)

    def matching(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(person__name__icontains=value))


class OverdueTaskFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    """预警提醒's overdue tasks: organisation (with its subtree), the list's year, and the warning
    colour. Every row is overdue, so a colour is 黄 or 红; the rows carry ``intervened``
    (``selectors.overdue_task_rows``), so the colour is the warning rule itself: red once overdue
    past the red threshold or after an intervention (when the thresholds say so), else yellow past
    the yellow threshold."""

    organisation = SubtreeFilter(
        queryset=visible_organisations,
        path_field="item__responsibility_list__organisation__path",
        label=_("组织（含下级）"),
    )
    year = YearFilter(field_name="item__responsibility_list__year", label=_("清单年度"))
    warning = django_filters.ChoiceFilter(
        choices=[(WarningColour.YELLOW, WarningColour.YELLOW.label), (WarningColour.RED, WarningColour.RED.label)],
        method="coloured",
        label=_("预警"),
        empty_label=_("全部"),
    )

    def coloured(self, queryset, name, value):
        today = timezone.localdate()
        thresholds = warning_thresholds()
        red = Q(deadline__lt=today - timedelta(days=thresholds.red_days))
        if thresholds.red_after_intervention:
            red |= Q(intervened=True)
        if value == WarningColour.RED:
            return queryset.filter(red)
        return queryset.filter(deadline__lt=today - timedelta(days=thresholds.yellow_days)).exclude(red)
