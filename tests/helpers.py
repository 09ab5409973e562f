"""Small helpers shared by the view tests."""

from django.db import InternalError, ProgrammingError, connection
from django.test.utils import CaptureQueriesContext

# A trigger's RAISE EXCEPTION (SQLSTATE P0001): psycopg 2 reports it as InternalError, psycopg 3 as
# ProgrammingError.
REFUSED_BY_TRIGGER = (InternalError, ProgrammingError)


def queries_for(client, url) -> int:
    """How many SQL queries one GET of the page runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)
