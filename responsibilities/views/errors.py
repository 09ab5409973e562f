"""The error pages Django shows for an exception nobody handled (handler400, handler500)."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)


def _lost_connection(exception: BaseException | None) -> bool:
    """Whether the database connection was lost on the way to ``exception`` (its chain included)."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def _database_unavailable(request, exception) -> HttpResponse:
    """503 with a plain explanation. The request's transaction was rolled back by the database and
    Django reconnects on the next request (CONN_HEALTH_CHECKS), so the user only needs to try again.
    Rendered without the request's context processors, which could need the database."""
    logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request):
    """An exception raised anywhere in the stack: in a view, or in a middleware (reading the session).
    A lost database connection (a restart, a failover) answers 503; anything else is the 500 page."""
    exception = sys.exc_info()[1]
    if _lost_connection(exception):
        return _database_unavailable(request, exception)
    return defaults.server_error(request)


def bad_request(request, exception):
    """Django answers 400 when the session could not be saved after the view ("the session was
    deleted"), also when the cause was a lost database connection: that one answers 503 too."""
    if _lost_connection(exception):
        return _database_unavailable(request, exception)
    return defaults.bad_request(request, exception)
