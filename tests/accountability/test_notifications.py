"""The case handlers over a case's organisation are told when its decision is on record (消息中心)."""

from datetime import date

from accountability.notifications import DECISION
from core.models import Notification
from responsibilities.models import Department, Role
from tests.accountability.factories import decide, file_case
from tests.conftest import make_user
from tests.responsibilities.factories import PersonFactory


def told(event):
    return sorted(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


def test_a_decision_tells_the_case_handlers_above_the_case_and_nobody_else(tree, superuser, office_staff):
    make_user("prov-discipline", tree["parent"], Role.INSPECTOR, superuser, department=Department.DISCIPLINE)
    make_user("city-organisation", tree["own"], Role.INSPECTOR, superuser, department=Department.ORGANISATION)
    make_user("city-admin", tree["own"], Role.ADMIN, superuser)
    make_user("city-propaganda", tree["own"], Role.INSPECTOR, superuser, department=Department.PROPAGANDA)
    make_user("sibling-admin", tree["sibling"], Role.ADMIN, superuser)
    person = PersonFactory(home_organisation=tree["child"], name="县委书记乙")
    case = file_case(tree["child"], superuser, person=person, facts_date=date(2025, 1, 10))
    decide(case, superuser, date(2025, 3, 1), "通报批评")
    assert told(DECISION) == ["city-admin", "city-organisation", "prov-discipline"]
    [note] = Notification.objects.filter(event=DECISION, recipient__username="city-admin")
    assert note.url == case.get_absolute_url()
    assert note.text == f"案件 {case.number} 已作出问责决定。"  # the number only: no facts, no measure
