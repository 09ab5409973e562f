"""People by their names, never by their logins (issue 16, item 8): history pages, the 409 page, the header."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.people import user_label
from responsibilities import services
from responsibilities.models import ListStatus
from tests.responsibilities.list_factories import committee_list

pytestmark = pytest.mark.django_db


def test_a_user_is_named_by_full_name_then_person_then_what_the_account_is(secretary):
    User = get_user_model()
    assert user_label(User(username="li", first_name="李小红")) == "李小红"
    assert user_label(secretary) == "王书记"  # no name on the account: the linked person's
    assert user_label(User(username="admin", is_superuser=True)) == "系统管理员"
    assert user_label(User(username="office")) == "未填写姓名的用户"
    assert user_label(None) == "系统"


def test_the_list_history_names_who_confirmed_it(client, tree, superuser, office_staff, secretary):
    responsibility_list = committee_list(tree["own"], superuser)
    for target, by in ((ListStatus.SUBMITTED, office_staff), (ListStatus.CONFIRMED, secretary)):
        responsibility_list.refresh_from_db()
        services.list_transition(
            responsibility_list=responsibility_list, version=responsibility_list.version, target=target, by=by
        )
    client.force_login(office_staff)
    page = client.get(reverse("responsibilities:history", args=["list", responsibility_list.pk])).content.decode()
    assert '<td>确认人</td><td class="text-muted">—</td><td>王书记</td>' in page
    assert ">secretary<" not in page and ">office<" not in page and "未填写姓名的用户" in page


def test_the_409_page_names_who_changed_the_record_last(client, tree, office_staff, superuser):
    county = tree["child"]
    services.organisation_update(
        organisation=county,
        version=1,
        parent=None,
        by=superuser,
        name="别人先改的名称",
        short_name="",
        code=county.code,
        kind=county.kind,
    )
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:organisation_edit", args=[county.pk]),
        {"parent": tree["own"].pk, "name": "我的修改", "code": county.code, "kind": county.kind, "version": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "最近一次修改：超级管理员，" in page and "最近一次修改：root" not in page


def test_the_header_names_the_user_not_the_login(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("home")).content.decode()
    assert '<span data-testid="current-user">王书记</span>' in page
