"""``{{ user|who }}``: a user by name, never by login (core.people.user_label)."""

from django import template

from core.people import user_label

register = template.Library()


@register.filter
def who(user) -> str:
    return user_label(user) if user is not None and user != "" else ""
