"""The product's URLs, the benchmark's trivial page and its own admin site (``benchmarking.admin``): served
by the load test's server and by the page measurement, never by the product."""

from django.http import HttpResponse
from django.urls import path

from benchmarking.admin import site as bench_admin
from config.urls import handler400, handler500  # noqa: F401  (the handlers too)
from config.urls import urlpatterns as product_urlpatterns

TRIVIAL_PATH = "/bench/trivial/"


def trivial(request):
    """A logged-in page that does nothing: the session, the user and every middleware, no view work."""
    return HttpResponse(request.user.get_username(), content_type="text/plain; charset=utf-8")


ADMIN_PATH = "bench/admin/"

urlpatterns = [
    path(TRIVIAL_PATH.strip("/") + "/", trivial, name="bench_trivial"),
    path(ADMIN_PATH, bench_admin.urls),
    *product_urlpatterns,
]
