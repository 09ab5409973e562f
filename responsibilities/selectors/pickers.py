"""What this app's pickers offer (``core.pickers``): people and organisations, read through the
family's own door, the same querysets the form fields validate against.

Former and transferred cadres (已离任、调任): people whose every seat in a team has ended and who hold
none today, such as the former secretary of a team that changed hands. They are left out of a
picker unless asked for; the form still accepts them (a case may concern a former secretary).
Archived people are never offered (as in the search: the record is retired).
"""

from django.db.models import QuerySet
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import scope
from core.pickers import register_picker
from responsibilities.models import Organisation, Person
from responsibilities.selectors.organisations import (
    ORGANISATION_SEARCH_FIELDS,
    PEOPLE_SEARCH_FIELDS,
    candidates_for_team,
    former_cadres,
    organisation_for,
    organisations_visible_to,
    people_visible_to,
)


def without_former(people: QuerySet[Person], include_former: bool) -> QuerySet[Person]:
    return people if include_former else people.exclude(former_cadres(timezone.localdate()))


def people_choices(user, *, within: int | None = None, include_former: bool = True) -> QuerySet[Person]:
    """The people a person field offers: those working in ``within``'s subtree (an organisation in
    the user's scope, else 404), or every active person the user may see."""
    if within is not None:
        people = candidates_for_team(organisation_for(user, within))
    else:
        people = people_visible_to(user).active()
    return without_former(people, include_former)


def organisation_choices(user, *, within: int | None = None, include_former: bool = True, action=scope.VIEW):
    organisations = organisations_visible_to(user, action).active()
    if within is not None:
        organisations = organisations.filter(path__startswith=organisation_for(user, within, action).path)
    return organisations.only("pk", "name", "code", "kind", "depth", "path")


def changeable_organisation_choices(user, *, within: int | None = None, include_former: bool = True):
    return organisation_choices(user, within=within, action=scope.CHANGE)


def person_label(person: Person) -> str:
    return f"{person.name} · {person.post}（{person.home_organisation.display_name}）"


def organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name}（{organisation.code}）"


PEOPLE = {
    "search_fields": PEOPLE_SEARCH_FIELDS,
    "order_by": (Length("name"), "name", "pk"),
    "label": person_label,
    "detail": lambda person: person.get_post_level_display(),
    "former_option": True,
    "placeholder": _("输入姓名或职务"),
}
ORGANISATIONS = {
    "search_fields": ORGANISATION_SEARCH_FIELDS,
    "order_by": ("path",),
    "label": organisation_label,
    "detail": lambda organisation: organisation.get_kind_display(),
    "placeholder": _("输入名称或代码"),
}


def register() -> None:
    register_picker("people", choices=people_choices, **PEOPLE)
    register_picker("organisations", choices=organisation_choices, **ORGANISATIONS)
    register_picker("organisations-change", choices=changeable_organisation_choices, **ORGANISATIONS)
