"""工作台: every role's home page — 待办 from the apps' providers, 已办, and the apps' side panels."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import worklist
from core.models import Notification

NEW_MESSAGES = 5

# The navigation shows the to-do count of the user's last visit to the 工作台 (kept in the session,
# written only when it changed: sessions are not saved on every request): computing every provider
# on every page would cost each page a dozen queries.
SESSION_TODO_COUNT = "worklist_todo_count"


@require_GET
def workbench(request):
    today = timezone.localdate()
    groups = worklist.todos(request.user, today)
    total = worklist.todo_total(groups)
    if request.session.get(SESSION_TODO_COUNT) != total:
        request.session[SESSION_TODO_COUNT] = total
    # The newest unread messages (the header has their count): what the user was told since.
    unread = list(Notification.objects.for_user(request.user).unread()[:NEW_MESSAGES])
    panels = [panel for panel in (provider(request) for provider in worklist.WORKBENCH_PANELS) if panel is not None]
    return render(
        request,
        "core/workbench.html",
        {
            "today": today,
            "groups": groups,
            "todo_total": total,
            "done": worklist.done(request.user),
            "done_days": worklist.DONE_DAYS,
            "panels": panels,
            "unread": unread,
            "nav_todo": total,
        },
    )
