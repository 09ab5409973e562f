"""Django admin for system administrators: accounts, role assignments, and a read view of the tree.

Organisations and teams are edited on the product's own pages, where the tree, scope and
dated-membership rules are enforced; the admin does not add or delete them.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import NoDeleteAdmin, ReadOnlyAdmin, VersionCheckedAdmin
from responsibilities.models import (
    Assignment,
    Organisation,
    Person,
    ResponsibilityList,
    Task,
    TeamMembership,
    WarningThreshold,
)


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


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "user"
    extra = 1
    fields = ["organisation", "role", "department", "archived_at"]
    readonly_fields = ["archived_at"]
    autocomplete_fields = ["organisation"]
    verbose_name = _("授权")
    verbose_name_plural = _("授权（角色与组织）")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(NoDeleteAdmin):
    list_display = ["user", "organisation", "role", "department", "archived_at"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are deactivated (untick 有效), never deleted: the history names who made each change."""

    inlines = [AssignmentInline]

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
