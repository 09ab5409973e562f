"""How a user is named on a page, in a history, a 409 and a print: by the person's name, never by the
login (issue 16, item 8: "确认人 admin", "最近一次修改：office" must not appear)."""

from django.utils.translation import gettext as _


def user_label(user) -> str:
    """The user's full name; else the name of the person linked to the account (already loaded, or
    one query); else what the account is (系统管理员 / 未填写姓名的用户), never the login name."""
    if user is None:
        return _("系统")
    name = (user.get_full_name() or "").strip()
    if name:
        return name
    try:
        person = user.person
    except Exception:  # no linked person (RelatedObjectDoesNotExist), or no such relation
        person = None
    if person is not None and getattr(person, "name", ""):
        return person.name
    return _("系统管理员") if user.is_superuser else _("未填写姓名的用户")
