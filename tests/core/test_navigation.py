"""The grouped header menu: each role sees the groups and entries it may use, and each entry opens."""

import pytest
from django.test import Client

from core.navigation import is_current

pytestmark = pytest.mark.django_db

WORKBENCH = ("工作台", ["我的工作台", "预警提醒", "驾驶舱", "我的任务"])
ASSESSMENTS = ("考核评价", ["考核方案", "述责述廉", "年度主体责任报告"])
REFERENCE = ("基础数据", ["组织架构", "干部名册"])
PUBLIC_ACCOUNTABILITY = ("问责", ["负面清单", "问责规则"])
CASE_ACCOUNTABILITY = ("问责", ["问责案件", "资格筛查", "负面清单", "问责规则"])

EXPECTED = {
    "office_staff": [
        WORKBENCH,
        ("责任清单", ["履责纪实", "督办", "下发的任务", "问题清单", "清单模板"]),
        ASSESSMENTS,
        PUBLIC_ACCOUNTABILITY,
        REFERENCE,
    ],
    "leader": [
        WORKBENCH,
        ("责任清单", ["我的责任清单", "履责纪实", "督办", "下发的任务", "问题清单", "清单模板"]),
        ASSESSMENTS,
        PUBLIC_ACCOUNTABILITY,
        REFERENCE,
    ],
    "inspector": [
        WORKBENCH,
        ("责任清单", ["履责纪实", "督办", "下发的任务", "问题清单", "清单模板"]),
        ASSESSMENTS,
        CASE_ACCOUNTABILITY,
        REFERENCE,
    ],
    "outsider": [
        ("工作台", ["我的工作台", "我的任务"]),
        ("责任清单", ["履责纪实", "督办", "下发的任务", "问题清单", "清单模板"]),
        ASSESSMENTS,
        PUBLIC_ACCOUNTABILITY,
        REFERENCE,
    ],
    "superuser": [
        WORKBENCH,
        # no list of his own: 我的责任清单 is for leaders
        ("责任清单", ["履责纪实", "督办", "下发的任务", "问题清单", "清单模板"]),
        ASSESSMENTS,
        CASE_ACCOUNTABILITY,
        REFERENCE,
        ("系统管理", ["后台管理"]),
    ],
}


def menu_of(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.context["nav_menu"]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_groups_and_every_entry_opens(request, tree, role):
    user = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)
    menu = menu_of(client)
    assert [(str(group.label), [str(link.label) for link in group.links]) for group in menu] == EXPECTED[role]
    for group in menu:
        for link in group.links:
            assert client.get(link.url).status_code == 200, (role, link.url)


def test_the_current_page_marks_its_entry_and_group(office_staff):
    client = Client()
    client.force_login(office_staff)
    response = client.get("/accountability/negative-list/")
    marked = [
        (str(group.label), str(link.label))
        for group in response.context["nav_menu"]
        for link in group.links
        if link.active
    ]
    assert marked == [("问责", "负面清单")]
    assert [str(group.label) for group in response.context["nav_menu"] if group.active] == ["问责"]
    assert 'aria-current="page"' in response.content.decode()


@pytest.mark.parametrize(
    ("url", "path", "current"),
    [
        ("/", "/", True),
        ("/", "/people/", False),
        ("/people/", "/people/", True),
        ("/people/", "/people/12/", True),
        ("/people/", "/peoplex/", False),
        ("/orgs/", "/people/", False),
    ],
)
def test_is_current(url, path, current):
    assert is_current(url, path) is current
