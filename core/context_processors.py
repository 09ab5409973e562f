from django.conf import settings
from django.utils.translation import gettext as _

from core import scope
from core.models import Notification
from core.navigation import menu_for
from core.people import user_label
from core.permissions import nav_flags
from core.search import MAX_LENGTH as SEARCH_MAX_LENGTH
from core.views import LARGE_TEXT_KEY


def navigation(request):
    """What the base layout needs: the product name and which menu entries the user's roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"product_name": settings.PRODUCT_NAME}
    roles = scope.roles_of(user)
    choices = scope.assignment_model()._meta.get_field("role").flatchoices
    context = nav_flags(user) | {
        "nav_user_name": user_label(user, look_up=True),
        "nav_role_labels": [str(label) for value, label in choices if value in roles]
        or ([_("超级管理员")] if user.is_superuser else []),
        # Read from the session (copied there at login and when changed), so no page pays a query for it.
        "large_text": request.session.get(LARGE_TEXT_KEY, False),
        "product_name": settings.PRODUCT_NAME,
        "product_short_name": settings.PRODUCT_SHORT_NAME,
        "search_max_length": SEARCH_MAX_LENGTH,
        "nav_roles": roles,
        "nav_can_change": scope.can_change_anything(user),
        "nav_admin": user.is_staff,
        # Leaders have a checklist of their own; the assignment list is already read for scope.
        "nav_has_checklist": "leader" in roles,
        "nav_early_warning": user.is_superuser or bool(roles),
        # One indexed count per page (recipient, read_at).
        "nav_unread": Notification.objects.for_user(user).unread().count(),
        # As of the user's last visit to the 工作台 (no queries here; see core.workbench_views).
        "nav_todo": request.session.get("worklist_todo_count") if hasattr(request, "session") else None,
    }
    # The grouped header menu, from the flags above (no query).
    context["nav_menu"] = menu_for(context, request.path)
    return context
