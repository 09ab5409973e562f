"""我的任务: the background jobs a user asked for, and one job's progress (polled while it runs)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.models import Job


@require_GET
def job_list(request):
    jobs = Job.objects.for_user(request.user).requested_by(request.user).select_related("started_by")
    page = Paginator(jobs, 30).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page, "jobs": page.object_list})


@require_GET
def job_detail(request, pk):
    job = get_object_or_404(Job.objects.for_user(request.user).select_related("started_by"), pk=pk)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})
