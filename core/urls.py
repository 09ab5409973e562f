from django.urls import path

from core import job_views

app_name = "core"

urlpatterns = [
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
]
