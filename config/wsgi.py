"""WSGI entry point for gunicorn (see README, "运维")."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are ready only after the line above)

if settings.SECRET_KEY == settings.DEV_SECRET_KEY and not settings.DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment of a served process.")
