"""The product's settings, with the benchmark's URLs added: the load test's server runs with these
(``DJANGO_SETTINGS_MODULE=benchmarking.settings``), so that a trivial logged-in page goes through the
same middleware stack as the product's pages. Nothing else differs."""

from config.settings import *  # noqa: F403  (every setting of the product, unchanged)

ROOT_URLCONF = "benchmarking.urls"
