"""Searchable pickers (choosing a person or an organisation in a form), gathered from the apps.

A form field that would list hundreds or tens of thousands of options (被问责人, 责任人, 班子成员,
an organisation) shows a ``core.forms.RemoteSelect`` instead: the page carries only the chosen
option, and ``static/js/pickers.js`` (Tom Select) asks ``/pick/<kind>/?q=…&page=…`` as the user
types. Each app registers its kinds when it starts (``register_picker``, as with ``core.search``):
a kind's ``choices(user, within, include_former)`` is the app's own selector, the very queryset the
form field validates against, so the picker never offers what the field would refuse and the field
refuses anything the picker would not offer (a forged value is the field's own error).

``within`` narrows to an organisation's subtree (the team's candidates, a list's people); a kind
that needs it checks the organisation through its door (404 out of scope). Former and transferred
cadres (``include_former``) are left out unless the user ticks the box below the picker.
Matching is ``core.search.containing`` (trigram- and bigram-indexed columns), one query per
page whatever the number of rows, ordered so that the closest (shortest) match leads.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse_lazy

PAGE_SIZE = 20
MAX_PAGE = 500


@dataclass(frozen=True)
class PickerKind:
    key: str
    choices: Callable  # (user, *, within: int | None, include_former: bool) -> QuerySet
    search_fields: tuple[str, ...]
    order_by: tuple
    label: Callable  # row -> the option's text
    detail: Callable = lambda row: ""
    former_option: bool = False  # whether the kind has former cadres to leave out
    placeholder: str = ""  # what the empty picker says (what to type)


KINDS: dict[str, PickerKind] = {}


def register_picker(key: str, **options) -> PickerKind:
    kind = PickerKind(key=key, **options)
    KINDS.setdefault(key, kind)
    return KINDS[key]


def matching(kind: PickerKind, queryset, text: str):
    from core.search import containing

    return containing(queryset, kind.search_fields, text) if text else queryset


def page_of(kind: PickerKind, user, *, text: str, page: int, within: int | None, include_former: bool):
    """(rows, more): one page of the kind's matches for the user, in one query."""
    rows = matching(kind, kind.choices(user, within=within, include_former=include_former), text)
    start = (page - 1) * PAGE_SIZE
    found = list(rows.order_by(*kind.order_by)[start : start + PAGE_SIZE + 1])
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE


def widget(key: str, *, within=None, field=None):
    """The picker widget for a form field: ``field`` (given) gets it with its class and choices."""
    from core.forms import RemoteSelect

    params = {"within": within} if within else {}
    kind = KINDS.get(key)
    picker = RemoteSelect(
        reverse_lazy("core:picker", args=[key]),
        attrs={"class": "form-select"},
        params=params,
        former_option=kind.former_option if kind else False,
        placeholder=kind.placeholder if kind else "",
    )
    if field is not None:
        picker.choices = field.choices
        picker.is_required = field.required
        field.widget = picker
    return picker
