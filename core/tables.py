"""Working tables, written once: filters (django-filter), sorting by a column, pagination and the
Excel export of exactly what the table shows.

A list page declares a ``WorkingFilterSet`` (its filters, each a django-filter filter; the sort is
the base's ``sort`` parameter over the page's columns) and a ``WorkingList`` (its scoped queryset,
its columns and its template). The template includes ``includes/_filter_bar.html`` (the filter bar
with the 导出 Excel link), ``includes/_sort_headers.html`` (the column headers, each a sort link)
and ``includes/_pagination.html``. ``?format=xlsx`` answers the same rows, filtered and sorted the
same way, as a workbook with an autofilter on the header and the header frozen.

Bad filter input (an unknown organisation, a year that is not a number, a sort that is no column)
is a Chinese message at the filter and an empty table, never a 500; an organisation outside the
user's scope is not a choice at all, so it is refused like any other unknown value.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import excel
from core.forms import FastSelect, StyledFormMixin, YearSelect

PAGE_SIZE = 25
# The most rows one export writes: past that the reader narrows the filters (the workbook says so).
EXPORT_LIMIT = 5000


class BoundedPaginator(Paginator):
    """Pages over at most ``EXPORT_LIMIT`` rows: the count stops there (``capped`` says it did), so a
    province-wide table does not count all its rows on every page view (the overdue tasks of
    预警提醒 at N = 5,000: 239 of the page's 488 ms). The rows past the limit are no more reachable
    by paging than by the export; the page says so and asks for narrower filters."""

    limit = EXPORT_LIMIT
    capped = False
    exported = True  # the page's export stops at the same limit (the capped note says so)

    def counted_rows(self):
        """What is counted: bare ids, unsorted, so that PostgreSQL stops at limit + 1 rows (with the sort
        or the shown columns' annotations kept, it would compute them for every row)."""
        return self.object_list.order_by().values("pk")

    @property
    def count(self) -> int:
        if not hasattr(self, "_bounded_count"):
            counted = self.counted_rows()[: self.limit + 1].count()
            self.capped = counted > self.limit
            self._bounded_count = min(counted, self.limit)
        return self._bounded_count


@dataclass(frozen=True)
class Column:
    """One column of a working table: its header, the ORM ordering it sorts by (none: not sortable),
    and its value in the export (the page's cell may add links and badges around the same value)."""

    key: str
    label: str
    sort: str | tuple[str, ...] | None = None
    value: Callable | None = None
    width: int = 16
    css: str = ""

    def ordering(self, descending: bool) -> list[str]:
        fields = (self.sort,) if isinstance(self.sort, str) else self.sort
        return [f"{'-' if descending else ''}{field}" for field in fields]


class FilterForm(StyledFormMixin, forms.Form):
    """The filter bar's form: Bootstrap classes like every form of the product. Its plain selects
    (status, source, colour …) are drawn in one pass (``FastSelect``): through Django's template per
    option they were a fifth of 问题清单's time at N = 5,000."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                fast = FastSelect(attrs=field.widget.attrs)
                fast.choices = field.widget.choices
                fast.is_required = field.widget.is_required
                field.widget = fast


class WorkingFilterSet(django_filters.FilterSet):
    """The base of every working table's filters: a bound form with the product's styling, Chinese
    messages for bad input, and the ``sort`` parameter (a column key, ``-`` in front for descending)
    checked against the table's sortable columns."""

    sort = django_filters.CharFilter(method="sort_by", label=gettext_lazy("排序"), widget=forms.HiddenInput)

    def __init__(self, data=None, queryset=None, *, request=None, columns=(), default_sort=(), **kwargs):
        self.columns = {column.key: column for column in columns if column.sort}
        self.default_sort = list(default_sort)
        super().__init__(data, queryset=queryset, request=request, **kwargs)

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{self.__class__.__name__}Form", (FilterForm,), fields)

    @property
    def user(self):
        return self.request.user if self.request is not None else None

    def sort_key(self) -> str:
        """The sort asked for, if it names a sortable column ("" otherwise)."""
        raw = (self.data.get("sort") or "") if self.data else ""
        return raw if raw.lstrip("-") in self.columns else ""

    def sort_by(self, queryset, name, value):
        return queryset  # applied last, in ``filter_queryset``, after every other filter

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        key = self.sort_key()
        if key:
            column = self.columns[key.lstrip("-")]
            return queryset.order_by(*column.ordering(key.startswith("-")), *self.default_sort, "pk")
        return queryset.order_by(*self.default_sort, "pk") if self.default_sort else queryset

    def is_valid(self):
        valid = super().is_valid()
        raw = (self.data.get("sort") or "") if self.data else ""
        if raw and not self.sort_key():
            if "sort" not in self.form.errors:  # asked again by the bar: the message once
                self.form.add_error("sort", _("无法按“%(value)s”排序：请点击表头排序。") % {"value": raw[:20]})
            return False
        return valid

    @property
    def errors_shown(self) -> list[tuple[str, str]]:
        """(label, message) of every refused filter, for the bar."""
        if self.is_valid():
            return []
        return [
            (self.form.fields[name].label if name in self.form.fields else "", message)
            for name, messages in self.form.errors.items()
            for message in messages
        ]


class SubtreeFilter(django_filters.ModelChoiceFilter):
    """An organisation and everything below it; the choices are the organisations the user may see
    (``queryset`` is called with the request), so one outside the scope is an unknown choice."""

    def __init__(self, *args, path_field: str = "organisation__path", **kwargs):
        self.path_field = path_field
        kwargs.setdefault("label", gettext_lazy("组织（含下级）"))
        kwargs.setdefault("method", self.within)
        super().__init__(*args, **kwargs)

    def within(self, queryset, name, value):
        return queryset.filter(**{f"{self.path_field}__startswith": value.path}) if value else queryset


class YearFilter(django_filters.NumberFilter):
    """A year (2000 to 2100), on a date field (``lookup_expr="year"``) or an integer year field."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", gettext_lazy("年度"))
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("widget", YearSelect())  # the shared year picker, as on every page
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": gettext_lazy("年度应是四位数字，例如 2026。"),
                "min_value": gettext_lazy("年度应在 2000 至 2100 之间。"),
                "max_value": gettext_lazy("年度应在 2000 至 2100 之间。"),
            },
        )
        super().__init__(*args, **kwargs)


class WorkingList(View):
    """The view of a working table: scoped rows (``get_queryset``), the filter set, the sort, one page
    of rows, or with ``?format=xlsx`` the workbook of all the rows the filters keep (up to
    ``EXPORT_LIMIT``). Pages add their own context in ``get_context`` and may decorate the shown
    rows in ``decorate`` (one pass over the page, never a query per row)."""

    http_method_names = ["get"]
    template_name = ""
    filterset_class = WorkingFilterSet
    columns: list[Column] = []
    default_sort: tuple[str, ...] = ()
    page_size = PAGE_SIZE
    export_title = ""
    export_filename = ""
    rows_name = "rows"  # the template's name for the shown rows (also given as ``rows``)
    page_param = "page"  # the GET parameter of the page number (another when a page shows two lists)

    def get_queryset(self):
        raise NotImplementedError

    def get_columns(self) -> list[Column]:
        return list(self.columns)

    def decorate(self, rows) -> list:
        return list(rows)

    def get_context(self) -> dict:
        return {}

    def filtered(self):
        """(filter set, rows): the rows the filters keep, in the asked order (none for bad input)."""
        filterset = self.filterset_class(
            self.request.GET,
            queryset=self.get_queryset(),
            request=self.request,
            columns=self.get_columns(),
            default_sort=self.default_sort,
        )
        # Always bound (an empty GET is "no filter"): a refused filter shows its message and no rows.
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        return filterset, rows

    def get(self, request, *args, **kwargs):
        columns = self.get_columns()
        filterset, rows = self.filtered()
        if request.GET.get("format") == "xlsx":
            return self.export(rows, columns)
        page = BoundedPaginator(rows, self.page_size).get_page(request.GET.get(self.page_param))
        query = request.GET.copy()
        query.pop(self.page_param, None)
        without_sort = query.copy()
        without_sort.pop("sort", None)
        context = {
            "filter": filterset,
            "page": page,
            "rows": (shown := self.decorate(page.object_list)),
            self.rows_name: shown,
            "query": query.urlencode(),
            "headers": sort_headers(columns, filterset.sort_key(), without_sort.urlencode()),
            "export_query": (query.urlencode() + "&" if query else "") + "format=xlsx",
            "page_param": self.page_param,
            **self.get_context(),
        }
        return render(request, self.template_name, context)

    def export(self, rows, columns):
        shown = self.decorate(rows[:EXPORT_LIMIT])
        values = [[export_value(column.value(row)) for column in columns] for row in shown]
        title = str(self.export_title)
        workbook = excel.table_workbook(title, title, [(str(column.label), column.width) for column in columns], values)
        return excel.download(workbook, str(self.export_filename or f"{title}.xlsx"))


def export_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | int | float | Decimal) or value is None:
        return "" if value is None else value
    return str(value)


@dataclass(frozen=True)
class Header:
    label: str
    url: str = ""  # the link that sorts by this column ("" when it does not sort)
    direction: str = ""  # "asc" / "desc" when the table is sorted by it now
    css: str = ""


def sort_headers(columns, current: str, query: str) -> list[Header]:
    """Each column's header: a link that sorts by it (ascending first, then descending)."""
    headers = []
    prefix = f"?{query}&" if query else "?"
    for column in columns:
        if not column.sort:
            headers.append(Header(column.label, css=column.css))
            continue
        direction = "asc" if current == column.key else "desc" if current == f"-{column.key}" else ""
        wanted = f"-{column.key}" if direction == "asc" else column.key
        headers.append(Header(column.label, f"{prefix}sort={wanted}", direction, column.css))
    return headers
