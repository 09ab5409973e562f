"""消息接收设置: which events reach the user by e-mail or SMS, where, and whether as a daily digest."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import services
from core.events import EVENTS
from core.forms import PreferenceForm, attach_errors
from core.models import EditConflict, NotificationPreference


@require_http_methods(["GET", "POST"])
def preferences(request):
    current = NotificationPreference.objects.for_user(request.user).first()
    initial = {"version": current.version if current else None}
    if current:
        initial |= {"email": current.email, "phone": current.phone, "digest": current.digest}
        initial |= {f"event_{code}": chosen for code, chosen in current.channels.items()}
    form = PreferenceForm(request.POST or None, initial=initial, events=EVENTS)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.preference_save(
                    user=request.user,
                    version=data["version"],
                    email=data["email"],
                    phone=data["phone"],
                    digest=data["digest"],
                    channels=form.channels(),
                    by=request.user,
                )
            except EditConflict:
                messages.error(request, _("设置已在别处修改，请查看后重新保存。"))
                return redirect("core:preferences")
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("已保存消息接收设置。"))
                return redirect("core:preferences")
        status = 400
    rows = [(form[name], code) for code, name in form.event_fields]
    return render(request, "core/preferences.html", {"form": form, "rows": rows}, status=status)
