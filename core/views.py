"""What every page shares: the 409 conflict answer, save-or-show-errors, and the error pages Django
shows for an exception nobody handled (handler400, handler500)."""

import logging
import sys
from functools import wraps

import psycopg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View, defaults
from django.views.decorators.http import require_POST

from core import history
from core.forms import ArchiveForm, PasswordChangeForm, attach_errors
from core.models import EditConflict

logger = logging.getLogger(__name__)


def private_no_store(view):
    """For confidential pages (cases, restrictions, screening, results, early warning): neither a
    shared proxy nor the browser's cache may keep them (``Cache-Control: private, no-store``, as
    ``core.excel.download`` sends for every export)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def stored_file_response(attached) -> FileResponse:
    """Serve an uploaded file (evidence, an answer's or a report's file) read through its door: an
    attachment browsers will not sniff, kept by no cache (it may be confidential); 404 when the file is
    gone from storage. ``attached`` has ``file``, ``original_name`` and ``content_type``."""
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attached.original_name, content_type=attached.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def conflict_page(request, template, context, current, rows=()):
    """Answer 409: the page (its context built by the caller, with the user's input) and the
    ``includes/_conflict.html`` box: who saved ``current`` in between and, per row, what differs."""
    context |= {"conflict": current, "conflict_change": history.last_change(current), "conflict_rows": list(rows)}
    return render(request, template, context, status=409)


def conflict_response(request, template, context, conflict: EditConflict):
    """Refuse a save over a newer version: keep the user's input, show what the other person changed."""
    rows = history.differences(context["form"], conflict.current)
    return conflict_page(request, template, context, conflict.current, rows)


def transition_conflict(request, template, context, current, *, field_label, submitted):
    """A status change refused because someone moved the record first (409): the page as it is now,
    who moved it, what the user asked for, and the text the user typed kept in its box."""
    rows = [{"label": field_label, "saved": current.get_status_display(), "submitted": submitted}]
    return conflict_page(request, template, context, current, rows)


def save_or_show_errors(
    request, form, template, context, action, success_message="", on_success=None, on_conflict=None
):
    """Run a service; on a broken rule show the messages at their fields, on a conflict answer 409
    (``on_conflict(conflict)`` where the page is not the form's own); on success ``on_success(result)``,
    or the message and a redirect to the result's page."""
    try:
        result = action()
    except ValidationError as error:
        attach_errors(form, error)
    except EditConflict as conflict:
        if on_conflict is not None:
            return on_conflict(conflict)
        return conflict_response(request, template, context, conflict)
    else:
        if on_success is not None:
            return on_success(result)
        messages.success(request, success_message)
        return redirect(result.get_absolute_url())
    return render(request, template, context, status=400)


def act_with_message(request, action, success_message):
    """Run a service for a small form that answers with a message on the page it came from (a note,
    a follow-up, a close): the service's refusal as an error message, else ``success_message`` (a
    callable is given the result). The result, or None when the service refused."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, success_message(result) if callable(success_message) else success_message)
    return result


def act_on_form(request, form, action, success_message, *, invalid):
    """``act_with_message`` for a small form: the service (``action`` is given the cleaned data) when
    the form is valid, else ``invalid(form)`` says why. The result, or None."""
    if not form.is_valid():
        invalid(form)
        return None
    return act_with_message(request, lambda: action(form.cleaned_data), success_message)


class ServiceFormView(View):
    """The edit page's skeleton, written once: the record through its door (``get_object``), a form
    bound to it, one service call (``perform``), the service's errors at their fields (400), a 409
    over a newer version with the user's input kept, or a message and a redirect to the result."""

    http_method_names = ["get", "post"]
    template_name = ""
    form_class = None
    success_message = ""

    def get_object(self):
        return None

    def get_form_kwargs(self) -> dict:
        return {}

    def get_context(self, form) -> dict:
        return {"form": form, "object": self.object}

    def perform(self, form):
        raise NotImplementedError

    def get_form(self):
        # An empty POST shows the form as a GET does (an unbound form, no errors).
        return self.form_class(self.request.POST or None, self.request.FILES or None, **self.get_form_kwargs())

    def succeeded(self, result):
        """After the service: the message and a redirect to the result's page."""
        messages.success(self.request, self.success_message)
        return redirect(result.get_absolute_url())

    def conflicted(self, conflict: EditConflict):
        """Someone saved a newer version first: None answers with the form's page and what differs."""
        return None

    def refuse(self):
        """A response instead of the form (after ``get_object``), or None to go on."""
        return None

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.object = self.get_object()
        return self.refuse() or super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.post(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form = self.get_form()
        context = self.get_context(form)
        if form.is_valid():
            return save_or_show_errors(
                request,
                form,
                self.template_name,
                context,
                lambda: self.perform(form),
                on_success=self.succeeded,
                on_conflict=lambda conflict: (
                    self.conflicted(conflict) or conflict_response(request, self.template_name, context, conflict)
                ),
            )
        return render(request, self.template_name, context, status=400 if form.errors else 200)


class ArchiveView(ServiceFormView):
    """Archive a record with a reason (records are archived, never deleted)."""

    template_name = "core/archive_form.html"
    form_class = ArchiveForm

    def get_form_kwargs(self) -> dict:
        return {"initial": {"version": self.object.version}}

    def get_context(self, form) -> dict:
        return {
            "form": form,
            "object": self.object,
            "cancel_url": self.object.get_absolute_url(),
            "blocked": self.blocked(),
        }

    def blocked(self) -> str | None:
        """Why the record cannot be archived now (shown before a reason is typed), or None. The service
        refuses the same on save: this only spares the user a reason typed in vain."""
        return None

    def perform(self, form):
        return self.archive(version=form.cleaned_data["version"], reason=form.cleaned_data["reason"])

    def archive(self, *, version, reason):
        raise NotImplementedError


class TransitionView(View):
    """A status move (POST only), written once: the record through its door, the move's form, one
    service call; a refused move is a message on the record's page, a move over someone else's move
    a 409 with the page as it now is and the typed text (``kept_field``) kept."""

    http_method_names = ["post"]
    form_class = None
    template_name = ""
    kept_field = ""  # the form's free-text field (a reason or a note), kept on a 409
    statuses = None  # the TextChoices of the record's status

    def get_object(self):
        raise NotImplementedError

    def get_context(self, obj) -> dict:
        raise NotImplementedError

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, target) -> str:
        raise NotImplementedError

    def refused(self, form, error: ValidationError):
        """A refused move: its reasons as a message on the page the browser goes back to (None), or
        the response to answer with instead."""
        messages.error(self.request, " ".join(error.messages))

    def success_url(self) -> str:
        """Where the browser goes after the move or its refusal: the record's page."""
        return self.object.get_absolute_url()

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("操作无效，请刷新页面后重试。"))
            return redirect(self.success_url())
        target = self.statuses(form.cleaned_data["target"])
        try:
            self.perform(form)
        except ValidationError as error:
            if (refusal := self.refused(form, error)) is not None:
                return refusal
        except EditConflict:
            current = self.get_object()
            context = self.get_context(current) | {f"kept_{self.kept_field}": form.cleaned_data[self.kept_field]}
            return transition_conflict(
                request, self.template_name, context, current, field_label=_("状态"), submitted=target.label
            )
        else:
            messages.success(request, self.success_message(target))
        return redirect(self.success_url())


# A lost connection as Django raises it, and as the driver does where no Django wrapper stands between:
# the task queue's connector unwraps Django's error and raises its own from the driver's (a job deferred
# while the database restarts), so the chain then holds only psycopg's class.
LOST_CONNECTION = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def _lost_connection(exception: BaseException | None) -> bool:
    """Whether the database connection was lost on the way to ``exception`` (its chain included)."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, LOST_CONNECTION):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def _database_unavailable(request, exception) -> HttpResponse:
    """503 with a plain explanation. The request's transaction was rolled back by the database and
    Django reconnects on the next request (CONN_HEALTH_CHECKS), so the user only needs to try again.
    Rendered without the request's context processors, which could need the database."""
    logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request):
    """An exception raised anywhere in the stack: in a view, or in a middleware (reading the session).
    A lost database connection (a restart, a failover) answers 503; anything else is the 500 page."""
    exception = sys.exc_info()[1]
    if _lost_connection(exception):
        return _database_unavailable(request, exception)
    return defaults.server_error(request)


def bad_request(request, exception):
    """Django answers 400 when the session could not be saved after the view ("the session was
    deleted"), also when the cause was a lost database connection: that one answers 503 too."""
    if _lost_connection(exception):
        return _database_unavailable(request, exception)
    return defaults.bad_request(request, exception)


# ---- The user's own account: password and text size ----------------------------------------------

LARGE_TEXT_KEY = "large_text"


def remember_preferences(sender, request, user, **kwargs):
    """At login, copy the user's stored text size into the session (pages read it from there)."""
    from core.models import Preference

    preference = Preference.objects.for_user(user).filter(user=user).first()
    request.session[LARGE_TEXT_KEY] = bool(preference and preference.large_text)


class PasswordChange(auth_views.PasswordChangeView):
    """修改密码: Django's view and validators (AUTH_PASSWORD_VALIDATORS), the product's template."""

    template_name = "registration/password_change_form.html"
    form_class = PasswordChangeForm

    def get_success_url(self):
        return reverse("password_change")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


@require_POST
def text_size(request):
    """放大文字 on or off, remembered for the user; back to the page the switch was pressed on."""
    from core.services import preference_set

    large = request.POST.get("large_text") == "1"
    preference_set(user=request.user, large_text=large, by=request.user)
    request.session[LARGE_TEXT_KEY] = large
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    return redirect(target)
