"""消息中心: the user's notifications, newest first, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.events import EVENTS
from core.models import Notification


@require_GET
def notification_list(request):
    notifications = Notification.objects.for_user(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.unread()
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.event_label = EVENTS.get(notification.event, notification.event)
    return render(
        request,
        "core/notification_list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread_only": unread_only,
            "query": "unread=1" if unread_only else "",
        },
    )


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to its link (a POST: reading changes the row)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("core:notification_list")
    return redirect(target)


@require_POST
def notification_read_all(request):
    count = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": count})
    return redirect("core:notification_list")
