"""WSGI entry point for gunicorn (see README, "运维")."""

import gc
import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are ready only after the line above)

if settings.SECRET_KEY == settings.DEV_SECRET_KEY and not settings.DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment of a served process.")

# Everything loaded so far lives as long as the process: move it out of the garbage collector's
# reach, so that its full scans do not walk the framework on every collection (at province scale
# those pauses made the slowest requests half again as slow; see BENCHMARKS.md).
gc.freeze()
