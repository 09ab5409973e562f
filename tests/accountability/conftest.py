import pytest
from django.contrib.auth import get_user_model

from responsibilities import services
from responsibilities.models import Department, Role, TeamRole
from tests.conftest import make_user
from tests.responsibilities.factories import PersonFactory


@pytest.fixture
def discipline_inspector(tree, superuser):
    return make_user("jijian", tree["own"], Role.INSPECTOR, superuser, department=Department.DISCIPLINE)


@pytest.fixture
def propaganda_inspector(tree, superuser):
    return make_user("xuanchuan", tree["own"], Role.INSPECTOR, superuser, department=Department.PROPAGANDA)


@pytest.fixture
def county_secretary(tree, superuser):
    """A person who has been the county's secretary since 2020, with a login of his own."""
    from datetime import date

    user = get_user_model().objects.create_user(username="xianwei", password="x")
    services.assignment_grant(user=user, organisation=tree["child"], role=Role.LEADER, by=superuser)
    person = PersonFactory(home_organisation=tree["child"], name="县委书记甲", user=user)
    services.membership_add(
        organisation=tree["child"], person=person, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    return person


@pytest.fixture
def regulations_2019(tree, superuser):
    """The province adopts the 2019 regulations from 2019-09-01 (its article adoption ends the day
    before): the dates of the older tests, when the rule set followed the calendar."""
    from datetime import date

    from tests.accountability.factories import adopt, rules_2019

    return adopt(rules_2019(), tree["parent"], date(2019, 9, 1), superuser)


@pytest.fixture(autouse=True)
def chinese_messages():
    """Services' messages are read in Chinese: a page test that switched to English (the switch
    stays active in the test's thread after the request) must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
