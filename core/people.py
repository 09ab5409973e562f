"""How a user is named on a page, in a history, a 409 and a print: by the person's name, never by the
login (issue 16, item 8: "确认人 admin", "最近一次修改：office" must not appear)."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _


def user_label(user, *, look_up: bool = False) -> str:
    """The user's full name; else the name of the person linked to the account when it is loaded
    (``select_related("person")``; ``look_up`` reads it with one query); else what the account is
    (系统管理员 / 未填写姓名的用户), never the login name. Pages with rows load the person with the
    user, so that a row costs no query."""
    if user is None:
        return _("系统")
    name = (user.get_full_name() or "").strip()
    if name:
        return name
    person = None
    if look_up or "person" in user._state.fields_cache:
        try:
            person = user.person
        except ObjectDoesNotExist:  # no person linked to the account
            person = None
    if person is not None and getattr(person, "name", ""):
        return person.name
    return _("系统管理员") if user.is_superuser else _("未填写姓名的用户")


def person_of(user):
    """The person linked to the account, or None. Read once per request: Django keeps the answer on the
    user (found or not), so the 工作台's sections and the navigation share one query."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.person
    except ObjectDoesNotExist:
        return None
