"""Django admin for system administrators: accounts, role assignments, and a read view of the tree.

Organisations and teams are edited on the product's own pages, where the tree, scope and
dated-membership rules are enforced; the admin does not add or delete them.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core import scope
from core.admin import NoDeleteAdmin, ReadOnlyAdmin, ScopedInlineMixin, VersionCheckedAdmin
from responsibilities.models import (
    Assignment,
    DutyKind,
    Organisation,
    Person,
    ReminderSetting,
    ResponsibilityList,
    Task,
    TeamMembership,
    WarningThreshold,
)

# Fields that give power over the whole system: only superusers set them.
SUPERUSER_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def grantable_organisations(user):
    """Where the user may grant roles: the subtrees he administers (superusers: everywhere)."""
    return Organisation.objects.filter(scope.within(scope.scope_paths(user, scope.CHANGE, roles={"admin"})))


def check_grant(user, organisation) -> None:
    if organisation is not None and not grantable_organisations(user).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("只能在您管理的组织及其下级授予角色。")})


class GrantFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if form.has_changed() and not form.cleaned_data.get("DELETE"):
                try:
                    check_grant(self.request_user, form.cleaned_data.get("organisation"))
                except ValidationError as error:
                    form.add_error("organisation", error.message_dict["organisation"])


@admin.register(Organisation)
class OrganisationAdmin(VersionCheckedAdmin):
    list_display = ["name", "code", "kind", "depth", "archived_at"]
    list_filter = ["kind", "depth"]
    search_fields = ["name", "short_name", "code"]
    fields = [
        "name",
        "short_name",
        "code",
        "kind",
        "path",
        "depth",
        "numchild",
        "archived_at",
        "archive_reason",
        "seen_version",
    ]
    readonly_fields = ["path", "depth", "numchild", "archived_at", "archive_reason"]

    def has_add_permission(self, request):
        return False  # new organisations are placed in the tree from the 组织架构 pages


@admin.register(Person)
class PersonAdmin(VersionCheckedAdmin):
    list_display = ["name", "post", "post_level", "home_organisation", "user"]
    list_filter = ["post_level"]
    search_fields = ["name", "post", "user__username"]
    list_select_related = ["home_organisation", "user"]
    autocomplete_fields = ["home_organisation", "user"]


@admin.register(TeamMembership)
class TeamMembershipAdmin(NoDeleteAdmin):
    list_display = ["organisation", "role", "person", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = ["organisation__name", "person__name"]
    list_select_related = ["organisation", "person"]
    readonly_fields = ["organisation", "person", "role", "areas", "start_date", "end_date", "end_reason"]

    def has_add_permission(self, request):
        return False  # teams are changed on the organisation page, where overlaps are explained


class AssignmentInline(ScopedInlineMixin, admin.TabularInline):
    model = Assignment
    formset = GrantFormSet
    fk_name = "user"
    extra = 1
    fields = ["organisation", "role", "department", "archived_at"]
    readonly_fields = ["archived_at"]
    autocomplete_fields = ["organisation"]
    verbose_name = _("授权")
    verbose_name_plural = _("授权（角色与组织）")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = grantable_organisations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AssignmentForm(admin.ModelAdmin.form):
    def clean(self):
        cleaned = super().clean()
        check_grant(self.request_user, cleaned.get("organisation"))
        return cleaned


@admin.register(Assignment)
class AssignmentAdmin(NoDeleteAdmin):
    """Roles are granted only inside the subtrees the administrator administers."""

    form = AssignmentForm
    list_display = ["user", "organisation", "role", "department", "archived_at"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = users_visible_to(request.user)
        elif db_field.name == "organisation":
            kwargs["queryset"] = grantable_organisations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


User = get_user_model()
admin.site.unregister(User)


def users_visible_to(user):
    """Accounts a non-superuser administrator may open in the admin: not superusers, and none with a
    role outside the subtrees he administers (an account unassigned so far is open to all of them)."""
    if user.is_superuser:
        return User.objects.all()
    inside = scope.within(scope.scope_paths(user, scope.CHANGE, roles={"admin"}), field="organisation__path")
    elsewhere = Assignment.objects.active().filter(user=OuterRef("pk")).exclude(inside)
    return User.objects.filter(is_superuser=False).exclude(Exists(elsewhere))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are deactivated (untick 有效), never deleted: the history names who made each change.
    Only superusers set superuser or staff status, groups and permissions (read-only for others,
    so that a POST of them changes nothing); other administrators see only accounts of their subtree."""

    inlines = [AssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=users_visible_to(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, *SUPERUSER_FIELDS]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Groups carry permissions: only superusers change them."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("从严治党责任体系管理平台 · 系统管理")
admin.site.site_title = _("系统管理")


@admin.register(ResponsibilityList)
class ResponsibilityListAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "year", "kind", "person", "status"]
    list_filter = ["year", "kind", "status", "organisation"]
    list_select_related = ["organisation", "person"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "item", "deadline", "status", "responsible_person"]
    list_filter = ["status", "deadline", "item__responsibility_list__year", "item__responsibility_list__organisation"]
    list_select_related = ["item", "responsible_person"]
    show_full_result_count = False  # counting half a million rows on every page view is not worth it


@admin.register(WarningThreshold)
class WarningThresholdAdmin(VersionCheckedAdmin):
    """The 蓝黄红 thresholds: three fixed rows whose days an administrator changes (never added or deleted)."""

    list_display = ["colour", "days", "after_intervention"]
    fields = ["days", "after_intervention"]

    def has_add_permission(self, request):
        return False


class ReminderSettingForm(VersionCheckedAdmin.form):
    def clean(self):
        cleaned = super().clean()
        check_grant(self.request_user, cleaned.get("organisation"))
        return cleaned


@admin.register(ReminderSetting)
class ReminderSettingAdmin(VersionCheckedAdmin):
    """到期提醒天数 for a subtree: set for an organisation, inherited below it unless a lower one has its own.
    Set only inside the subtrees the administrator administers."""

    form = ReminderSettingForm
    list_display = ["organisation", "days_before"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ["organisation"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = grantable_organisations(request.user).filter(archived_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DutyKind)
class DutyKindAdmin(NoDeleteAdmin):
    """The kinds of 履责纪实 (seeded with the eight of issue 15): a superuser adds one or retires one
    (启用 off: no longer offered, the records that name it keep it)."""

    list_display = ("name", "number", "is_active")
    list_editable = ("number", "is_active")
    ordering = ("number", "pk")
