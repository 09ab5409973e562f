"""Admin base classes every app's admin uses: the scoping door, no deletes, version-checked saves,
read-only views."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import scope


def door(model, user, action):
    """The rows of ``model`` the user may see ("view") or change ("change"), through the model
    family's own door; a model without one is for superusers only."""
    manager = model._default_manager
    if hasattr(manager, "for_user"):
        return manager.for_user(user, action)
    return manager.all() if user.is_superuser else manager.none()


class ScopedAdminMixin:
    """Every admin queryset, change page and foreign-key choice goes through the site's door: the
    admin's own model permissions are needed as well, but they never reach past the user's subtree."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=door(self.model, request.user, scope.VIEW).values("pk"))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return door(type(obj), request.user, scope.CHANGE).filter(pk=obj.pk).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", door(db_field.related_model, request.user, scope.VIEW))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedInlineMixin:
    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=door(self.model, request.user, scope.VIEW).values("pk"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", door(db_field.related_model, request.user, scope.VIEW))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NoDeleteAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Business records are archived, never deleted (the database refuses DELETE too)."""

    def has_delete_permission(self, request, obj=None):
        return False


class VersionCheckedForm(forms.ModelForm):
    """An admin form for a versioned record: it carries the version it was opened with, and saving
    over a newer version (someone saved it on a product page or in the admin meanwhile) is refused
    with a message instead of silently replacing the other person's change."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin saves inside one transaction: the row stays locked until the save commits.
            current = (
                type(self.instance)
                .objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("seen_version") != current:
                raise ValidationError(
                    _("保存未成功：在您编辑期间，其他人已修改了这条记录。请重新打开本页，核对后再修改。"),
                    code="edit_conflict",
                )
        return cleaned


class VersionCheckedAdmin(NoDeleteAdmin):
    """Saves raise the version, as the product's services do, so that either side notices the other."""

    form = VersionCheckedForm

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.cleaned_data["seen_version"] + 1
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(NoDeleteAdmin):
    """Read-only views for administrators: these records are changed on the product's own pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# ---- The login log (django-axes) ----------------------------------------------------------------


def _login_log_admins():
    """The login log is read by superusers only and never deleted from the admin; deleting a lockout
    (an AccessAttempt) is how a superuser unlocks an account, so that one stays for superusers."""
    from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    class SuperusersOnly:
        def has_module_permission(self, request):
            return request.user.is_superuser

        def has_view_permission(self, request, obj=None):
            return request.user.is_superuser

        def has_change_permission(self, request, obj=None):
            return False

    class LogAdmin(SuperusersOnly):
        def has_delete_permission(self, request, obj=None):
            return False

    class AttemptAdmin(SuperusersOnly):
        def has_delete_permission(self, request, obj=None):
            return request.user.is_superuser

        # django-axes leaves these two columns unnamed (their headers would read "Status", "Expiration").
        @admin.display(description=_("状态"))
        def status(self, obj):
            return super().status(obj)

        @admin.display(description=_("过期时间"))
        def expiration(self, obj):
            return super().expiration(obj)

    for model, base, mixin in (
        (AccessLog, AccessLogAdmin, LogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin, LogAdmin),
        (AccessAttempt, AccessAttemptAdmin, AttemptAdmin),
    ):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(base.__name__, (mixin, base), {}))


_login_log_admins()


def _without_queue_admin():
    """The task queue's own admin (procrastinate's, in English, with retry and cancel buttons) is left
    out: people follow background work on 我的任务 (core.jobs) in Chinese, and operators use the
    ``procrastinate`` command line (README, operations)."""
    from procrastinate.contrib.django import models as queue_models

    if admin.site.is_registered(queue_models.ProcrastinateJob):
        admin.site.unregister(queue_models.ProcrastinateJob)


_without_queue_admin()
