"""The assessed organisation is told when an inspection of it is confirmed (消息中心)."""

from datetime import date

from assessments import services
from assessments.notifications import INSPECTION_CONFIRMED
from core.models import Notification
from responsibilities import services as org_services
from responsibilities.models import Role, TeamRole
from tests.assessments.conftest import inspect
from tests.conftest import make_user
from tests.responsibilities.factories import PersonFactory


def told(event):
    return sorted(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


def test_confirming_an_inspection_tells_the_assessed_organisations_office_staff_and_secretary(
    tree, superuser, scheme, indicators, inspectors
):
    county = tree["child"]
    make_user("county-office", county, Role.OFFICE_STAFF, superuser)
    make_user("sibling-office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    secretary = make_user("county-secretary", county, Role.LEADER, superuser)
    person = PersonFactory(home_organisation=county, user=secretary, name="县委书记")
    org_services.membership_add(
        organisation=county, person=person, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    inspection = inspect(scheme, county, "organisation", inspectors["organisation"])
    assert told(INSPECTION_CONFIRMED) == []  # submitted is not yet a result
    services.inspection_confirm(inspection=inspection, version=inspection.version, by=superuser)
    assert told(INSPECTION_CONFIRMED) == ["county-office", "county-secretary"]
    [note] = Notification.objects.filter(event=INSPECTION_CONFIRMED, recipient__username="county-office")
    assert note.url == inspection.get_absolute_url()
