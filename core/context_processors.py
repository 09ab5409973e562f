from django.conf import settings

from core import scope
from core.models import Notification
from core.permissions import nav_flags


def navigation(request):
    """What the base layout needs: the product name and which menu entries the user's roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"product_name": settings.PRODUCT_NAME}
    roles = scope.roles_of(user)
    return nav_flags(user) | {
        "product_name": settings.PRODUCT_NAME,
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
