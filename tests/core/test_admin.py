"""The Django admin behind the site's door: a city's administrator given model permissions sees and
changes only his subtree, cannot raise anyone's powers, and grants roles only inside his subtree."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from accountability.models import Restriction
from responsibilities.models import Assignment, Role
from tests.accountability.factories import decide, file_case
from tests.conftest import make_user
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db

PERMISSIONS = [
    "view_restriction",
    "view_user",
    "change_user",
    "view_assignment",
    "add_assignment",
    "change_assignment",
    "view_organisation",
    "view_person",
    "view_group",
    "change_group",
]


@pytest.fixture
def city_admin(tree, superuser):
    """The issue's attacker: an administrator of the city given admin access and model permissions."""
    user = make_user("city-admin", tree["own"], Role.ADMIN, superuser)
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=PERMISSIONS))
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def restrictions(tree, superuser):
    decided = {}
    for key in ("child", "sibling"):
        person = PersonFactory(home_organisation=tree[key], name=f"{key}-干部")
        decide(file_case(tree[key], superuser, person=person), superuser, date(2025, 6, 20), "降职")
        decided[key] = Restriction.objects.filter(person=person).first()
    return decided


def test_admin_changelists_and_pages_show_only_the_subtree(client, city_admin, restrictions, tree, superuser):
    client.force_login(city_admin)
    listing = client.get(reverse("admin:accountability_restriction_changelist"))
    assert listing.status_code == 200
    shown = {r.pk for r in listing.context["cl"].result_list}
    assert restrictions["child"].pk in shown and restrictions["sibling"].pk not in shown
    inside = client.get(reverse("admin:accountability_restriction_change", args=[restrictions["child"].pk]))
    assert inside.status_code == 200
    outside = client.get(reverse("admin:accountability_restriction_change", args=[restrictions["sibling"].pk]))
    assert outside.status_code == 302  # the admin's "does not exist" redirect: never the record
    organisations = client.get(reverse("admin:responsibilities_organisation_changelist")).context["cl"].result_list
    assert tree["sibling"] not in organisations and tree["child"] in organisations


def test_only_superusers_raise_powers(client, city_admin, superuser):
    client.force_login(city_admin)
    url = reverse("admin:auth_user_change", args=[city_admin.pk])
    page = client.get(url)
    assert page.status_code == 200
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page.content.decode(), field
    data = {
        "username": city_admin.username,
        "is_active": "on",
        "is_superuser": "on",
        "is_staff": "on",
        "user_permissions": [p.pk for p in Permission.objects.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }
    client.post(url, data)
    city_admin.refresh_from_db()
    assert not city_admin.is_superuser and city_admin.user_permissions.count() == len(PERMISSIONS)
    # The superuser's account, and the group admin that carries permissions, are out of reach.
    assert client.get(reverse("admin:auth_user_change", args=[superuser.pk])).status_code == 302
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_roles_are_granted_only_inside_the_subtree(client, city_admin, tree):
    newcomer = get_user_model().objects.create_user(username="newcomer", password="x")
    client.force_login(city_admin)
    add = reverse("admin:responsibilities_assignment_add")
    outside = client.post(add, {"user": newcomer.pk, "organisation": tree["parent"].pk, "role": Role.ADMIN})
    assert outside.status_code == 200 and not Assignment.objects.filter(user=newcomer).exists()
    inside = client.post(add, {"user": newcomer.pk, "organisation": tree["child"].pk, "role": Role.OFFICE_STAFF})
    assert inside.status_code == 302, inside.context["adminform"].form.errors
    assert Assignment.objects.get(user=newcomer).organisation == tree["child"]
