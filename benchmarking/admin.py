"""The benchmark's own admin site: plain changelists over the rows of key pages that the product's admin
does not list (消息中心, 督办, 问题清单), so that each page has "the Django admin over the same rows" to
be compared with. Served only under ``benchmarking.urls`` (the measurement and the load test's server),
never by the product: a notification is for its recipient alone, and 督办 and problems are worked on
the product's own pages."""

from django.contrib import admin

from core.models import Notification
from responsibilities.models import Problem, SupervisionReply

site = admin.AdminSite(name="bench_admin")


@admin.register(Notification, site=site)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "text", "read_at"]
    list_filter = ["recipient", "read_at"]


@admin.register(SupervisionReply, site=site)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["order", "order__issuer", "organisation", "order__reply_by", "status"]
    list_select_related = ["order__issuer", "organisation"]
    list_filter = ["status"]


@admin.register(Problem, site=site)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "source", "deadline", "status"]
    list_select_related = ["organisation"]
    list_filter = ["status", "found_on"]
