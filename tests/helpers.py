"""Small helpers shared by the tests."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import InternalError, ProgrammingError, connection
from django.test.utils import CaptureQueriesContext

# A trigger's RAISE EXCEPTION (SQLSTATE P0001): psycopg 2 reports it as InternalError, psycopg 3 as
# ProgrammingError.
REFUSED_BY_TRIGGER = (InternalError, ProgrammingError)


def on_day(day: date):
    """Run the test as if it were noon of ``day`` in the app's time zone (time-machine; the clock still ticks).

    For tests whose meaning depends on today, e.g. that a task due earlier this year is overdue: on
    1 January no earlier day of the year exists.
    """
    return pytest.mark.time_machine(datetime.combine(day, time(12), tzinfo=ZoneInfo("Asia/Shanghai")))


def queries_for(client, url) -> int:
    """How many SQL queries one GET of the page runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)
