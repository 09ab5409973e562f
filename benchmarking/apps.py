from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    """The performance benchmark (``manage.py bench``): generated provinces, timed pages, BENCHMARKS.md.

    Installed last, so that it may import every domain app; no domain app imports it.
    """

    name = "benchmarking"
