from django.urls import path

from core import job_views, notification_views, picker_views, preference_views

app_name = "core"

urlpatterns = [
    path("jobs/", job_views.job_list, name="job_list"),
    path("pick/<slug:kind>/", picker_views.picker, name="picker"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("messages/", notification_views.notification_list, name="notification_list"),
    path("messages/<int:pk>/open/", notification_views.notification_open, name="notification_open"),
    path("messages/preferences/", preference_views.preferences, name="preferences"),
    path("messages/read-all/", notification_views.notification_read_all, name="notification_read_all"),
]
