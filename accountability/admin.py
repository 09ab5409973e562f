"""Django admin for rule sets. Rule sets are managed on the product's own pages (问责规则: copy into a
draft, edit, publish, adopt); here a draft may also be edited, and a published rule set (every one a
decision has applied is) is read-only: a change of rules is a new draft. Cases, decisions and
restrictions are handled on the product's own pages."""

from django.contrib import admin

from accountability.models import Consequence, Decision, Measure, Restriction, RuleSet, Situation, SituationFailedItem
from core.admin import NoDeleteAdmin, VersionCheckedAdmin


def applied(rule_set) -> bool:
    """Whether the rule set is frozen: published (adoptable, perhaps applied by decisions)."""
    return rule_set is not None and (not rule_set.is_draft or Decision.objects.filter(rule_set=rule_set).exists())


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["category", "code", "name", "severity", "for_individuals", "for_organisations"]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return not applied(obj)

    def has_change_permission(self, request, obj=None):
        return not applied(obj)


@admin.register(RuleSet)
class RuleSetAdmin(NoDeleteAdmin):
    list_display = ["name", "status", "effective_from"]
    readonly_fields = ["status"]
    inlines = [MeasureInline]

    def has_change_permission(self, request, obj=None):
        return not applied(obj)


class ConsequenceInline(admin.TabularInline):
    model = Consequence
    extra = 1
    fields = ["kind", "months"]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return not applied(obj.rule_set if obj else None)

    def has_change_permission(self, request, obj=None):
        return not applied(obj.rule_set if obj else None)


@admin.register(Measure)
class MeasureAdmin(NoDeleteAdmin):
    list_display = ["name", "rule_set", "category", "severity", "for_individuals", "for_organisations"]
    list_filter = ["rule_set", "category"]
    list_select_related = ["rule_set"]
    inlines = [ConsequenceInline]

    def has_change_permission(self, request, obj=None):
        return not applied(obj.rule_set if obj else None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "rule_set":  # new measures only in drafts
            kwargs["queryset"] = RuleSet.objects.filter(status="draft")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SituationFailedItemInline(admin.TabularInline):
    """The 责任事项 a situation describes the failure of; adding and removing them is recorded in the
    link table's history."""

    model = SituationFailedItem
    extra = 1
    raw_id_fields = ["templateitem"]


@admin.register(Situation)
class SituationAdmin(VersionCheckedAdmin):
    list_display = ["code", "title", "is_active"]
    search_fields = ["code", "title", "description"]
    inlines = [SituationFailedItemInline]


@admin.register(Restriction)
class RestrictionAdmin(NoDeleteAdmin):
    """Read-only: restrictions are computed from decisions."""

    list_display = ["person", "kind", "starts_on", "ends_on", "decision"]
    list_filter = ["kind", "starts_on", "ends_on"]
    list_select_related = ["person", "decision"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
