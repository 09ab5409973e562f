"""The server-error page (handler500)."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger(__name__)


def server_error(request):
    """A lost database connection (a restart, a failover) answers 503 with a plain explanation.

    Django calls this for an exception raised anywhere in the stack: in a view, and also in a
    middleware (reading the session, saving it after the view). The request's transaction was
    rolled back by the database and Django reconnects on the next request (CONN_HEALTH_CHECKS), so
    the user only needs to try again. The page is rendered without the request's context
    processors, which could need the database. Any other error is the ordinary 500 page.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
    return default_server_error(request)
