import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

logger = logging.getLogger(__name__)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switch.

    The browser's Accept-Language is ignored on purpose: offices use machines set up in many
    ways, and the product's working language is Chinese.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseUnavailableMiddleware:
    """A lost database connection (a restart, a failover) answers 503 with a plain explanation.

    The request's transaction was rolled back by the database; Django reconnects on the next
    request (CONN_HEALTH_CHECKS), so the user only needs to try again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.template.response import TemplateResponse

        if isinstance(exception, OperationalError | InterfaceError):
            logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
            response = TemplateResponse(request, "503.html", status=503)
            response["Retry-After"] = "5"
            return response.render()
        return None
