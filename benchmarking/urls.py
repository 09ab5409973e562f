"""The product's URLs and the benchmark's trivial page (only served by the load test's server)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler500  # noqa: F401  (the handlers too)
from config.urls import urlpatterns as product_urlpatterns

TRIVIAL_PATH = "/bench/trivial/"


def trivial(request):
    """A logged-in page that does nothing: the session, the user and every middleware, no view work."""
    return HttpResponse(request.user.get_username(), content_type="text/plain; charset=utf-8")


urlpatterns = [path(TRIVIAL_PATH.strip("/") + "/", trivial, name="bench_trivial"), *product_urlpatterns]
