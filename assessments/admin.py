"""Read-only admin views of assessment results (they are computed on the product's results page)."""

from django.contrib import admin

from assessments.models import Result
from core.admin import NoDeleteAdmin


@admin.register(Result)
class ResultAdmin(NoDeleteAdmin):
    list_display = ["organisation", "scheme", "composite", "grade_label", "rank"]
    list_filter = ["scheme"]
    list_select_related = ["organisation", "scheme"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
