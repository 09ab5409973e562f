"""The working tables' filters of this app, each on ``core.tables.WorkingFilterSet`` (django-filter):
organisation (with its subtree), status, year and warning colour where the rows have them."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pickers, scope
from core.search import containing
from core.tables import SubtreeFilter, WorkingFilterSet, YearFilter
from responsibilities import rules
from responsibilities.models import (
    Organisation,
    PostLevel,
    ProblemSource,
    ProblemStatus,
    ReplyStatus,
    WarningColour,
)
from responsibilities.selectors.lists import warning_thresholds
from responsibilities.selectors.organisations import PEOPLE_SEARCH_FIELDS, former_cadres


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
        return containing(queryset, PEOPLE_SEARCH_FIELDS, value)

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


class WarningFilter(django_filters.ChoiceFilter):
    """蓝黄红: the open rows whose deadline lies in the colour's window (``rules.deadline_window``, the
    warning rule as a date range; thresholds read once). ``open_rows`` is the condition of an open row."""

    def __init__(self, *args, deadline_field="deadline", open_rows: Q = None, **kwargs):
        self.deadline_field = deadline_field
        self.open_rows = open_rows if open_rows is not None else Q()
        kwargs.setdefault("label", _("预警"))
        kwargs.setdefault("choices", WarningColour.choices)
        kwargs.setdefault("empty_label", _("全部"))
        kwargs.setdefault("method", self.coloured)
        super().__init__(*args, **kwargs)

    def coloured(self, queryset, name, value):
        earliest, latest = rules.deadline_window(value, timezone.localdate(), warning_thresholds())
        bounds = {}
        if earliest is not None:
            bounds[f"{self.deadline_field}__gte"] = earliest
        if latest is not None:
            bounds[f"{self.deadline_field}__lte"] = latest
        return queryset.filter(self.open_rows, **bounds)


class ProblemFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    """问题清单: organisation, status (or 逾期未整改), source, year found, warning colour, text."""

    organisation = SubtreeFilter(queryset=visible_organisations, label=_("整改单位（含下级）"))
    status = django_filters.ChoiceFilter(
        choices=[*ProblemStatus.choices, ("overdue", _("逾期未整改"))],
        method="in_status",
        label=_("状态"),
        empty_label=_("全部"),
    )
    source = django_filters.ChoiceFilter(choices=ProblemSource.choices, label=_("来源"), empty_label=_("全部"))
    year = YearFilter(field_name="found_on", lookup_expr="year")
    warning = WarningFilter(open_rows=~Q(status=ProblemStatus.CLOSED))
    q = django_filters.CharFilter(method="matching", label=_("问题"), max_length=50)

    def in_status(self, queryset, name, value):
        if value == "overdue":
            return queryset.overdue_on(timezone.localdate())
        return queryset.filter(status=value)

    def matching(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(organisation__name__icontains=value))


class OrderFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    """督办 (one row per recipient): side, 承办单位, status (or 逾期未反馈), year issued, warning, text.
    A 督办 has one warning, 红色预警·逾期未反馈: unanswered past its reply deadline."""

    side = django_filters.ChoiceFilter(
        choices=[("issued", _("我方签发")), ("received", _("我方承办"))],
        method="on_side",
        label=_("范围"),
        empty_label=_("全部"),
    )
    organisation = SubtreeFilter(queryset=visible_organisations, label=_("承办单位（含下级）"))
    status = django_filters.ChoiceFilter(
        choices=[*ReplyStatus.choices, ("overdue", _("逾期未反馈"))],
        method="in_status",
        label=_("状态"),
        empty_label=_("全部"),
    )
    year = YearFilter(field_name="order__issued_at", lookup_expr="year")
    warning = django_filters.ChoiceFilter(
        choices=[(WarningColour.RED, _("红色预警·逾期未反馈"))],
        method="overdue",
        label=_("预警"),
        empty_label=_("全部"),
    )
    q = django_filters.CharFilter(method="matching", label=_("督办事项"), max_length=50)

    def on_side(self, queryset, name, value):
        own = scope.scope_paths(self.user, scope.VIEW)
        if own is None:
            return queryset
        issued = scope.within(own, field="order__issuer__path")
        return queryset.filter(issued) if value == "issued" else queryset.exclude(issued)

    def overdue(self, queryset, name=None, value=None):
        return queryset.filter(
            status__in=[ReplyStatus.WAITING, ReplyStatus.RETURNED], order__reply_by__lt=timezone.localdate()
        )

    def in_status(self, queryset, name, value):
        return self.overdue(queryset) if value == "overdue" else queryset.filter(status=value)

    def matching(self, queryset, name, value):
        return queryset.filter(Q(order__title__icontains=value) | Q(organisation__name__icontains=value))


class IssuedTaskFilterSet(PickedOrganisationMixin, WorkingFilterSet):
    """下发的任务: 下发组织, year, whether every recipient has finished, warning colour, text. An issued
    task is open while a recipient's task is not done; its warning is the deadline rule on that."""

    organisation = SubtreeFilter(
        queryset=visible_organisations, path_field="issuer__path", label=_("下发组织（含下级）")
    )
    year = YearFilter(field_name="year")
    status = django_filters.ChoiceFilter(
        choices=[("open", _("未全部完成")), ("done", _("已全部完成"))],
        method="in_status",
        label=_("状态"),
        empty_label=_("全部"),
    )
    warning = WarningFilter(open_rows=Q(done_count__lt=F("recipient_count")))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("具体任务"), max_length=50)

    def in_status(self, queryset, name, value):
        finished = Q(done_count=F("recipient_count"))
        return queryset.filter(finished) if value == "done" else queryset.exclude(finished)
