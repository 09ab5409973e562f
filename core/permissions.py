"""The permission base: "may this user do X to this record" is a named rule, asked through ``can``.

Each app writes its rules once, in its own ``permissions.py`` (django-rules predicates registered
here under "app.action"); services re-check them inside their transaction, views ask once and pass
the answer to templates as a flag. Which rows a user may see at all is the scoping door
(``core.scope.ScopedQuerySet.for_user``); these rules answer for one record already in sight.
"""

from collections.abc import Callable

import rules
from django.core.exceptions import PermissionDenied

PERMISSIONS = rules.RuleSet()


def rule(name: str) -> Callable:
    """Register a predicate ``(user, obj) -> bool`` as the rule ``name``."""

    def register(predicate: Callable) -> Callable:
        PERMISSIONS.add_rule(name, rules.predicate(predicate))
        return predicate

    return register


def can(user, action: str, obj=None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return PERMISSIONS.test_rule(action, user, obj)


def require(user, action: str, obj=None, message: str = "") -> None:
    """Refuse (403) unless ``can``: for services, which re-check inside their transaction."""
    if not can(user, action, obj):
        raise PermissionDenied(message)


# Navigation: which menu entries the user's roles open. An app registers its own flags here (in its
# AppConfig.ready) so that the base layout needs no knowledge of the app's rules.
NAV_FLAGS: dict[str, Callable] = {}


def nav_flag(name: str) -> Callable:
    def register(predicate: Callable) -> Callable:
        NAV_FLAGS[name] = predicate
        return predicate

    return register


def nav_flags(user) -> dict[str, bool]:
    return {name: bool(predicate(user)) for name, predicate in NAV_FLAGS.items()}
