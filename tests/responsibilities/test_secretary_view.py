"""The secretary's view on 我的责任清单 (issue 16, item 2): her organisation's committee list with its items,
tasks, progress and warnings; her team's lists; what awaits her confirmation, confirmed or returned in place."""

from datetime import date

import pytest
from django.urls import reverse

from responsibilities import services
from responsibilities.models import ListKind, ListStatus, ResponsibilityList
from tests.helpers import on_day, queries_for
from tests.responsibilities.list_factories import THIS_YEAR, add_member, add_task

pytestmark = pytest.mark.django_db

URL = reverse("responsibilities:my_checklist")


def _submit(responsibility_list, by):
    responsibility_list.refresh_from_db()
    return services.list_transition(
        responsibility_list=responsibility_list, version=responsibility_list.version, target="submitted", by=by
    )


@pytest.fixture
def lists(tree, superuser, secretary):
    org = tree["own"]
    member = add_member(org, superuser, name="张委员")
    services.lists_generate(organisation=org, year=THIS_YEAR, by=superuser)
    by_kind = ResponsibilityList.objects.filter(organisation=org, year=THIS_YEAR)
    return {
        "committee": by_kind.get(kind=ListKind.COMMITTEE),
        "member": by_kind.get(person=member),
        "own": by_kind.get(person__user=secretary),
    }


@on_day(date(THIS_YEAR, 6, 15))
def test_the_secretary_sees_the_committee_list_with_items_tasks_progress_and_warnings(
    client, secretary, lists, superuser
):
    late = add_task(lists["committee"], superuser, number=2, title="开展警示教育", deadline=date(THIS_YEAR, 3, 1))
    add_task(lists["committee"], superuser, number=2, title="专题党课", deadline=date(THIS_YEAR, 12, 1))
    services.progress_record(task=late, text="已筹备", percent=40, by=superuser, day=date(THIS_YEAR, 2, 1))
    client.force_login(secretary)
    page = client.get(URL)
    committee = page.context["checklist"].committee_lists
    assert [rl.pk for rl in committee] == [lists["committee"].pk]
    items = committee[0].items_with_tasks
    assert len(items) == lists["committee"].items.count()
    second = items[1]
    assert [t.title for t in second.active_tasks] == ["开展警示教育", "专题党课"]
    assert (second.active_tasks[0].latest_percent, second.active_tasks[0].overdue, second.warned) == (40, True, 1)
    html = page.content.decode()
    assert "测试市委党委（党组）责任清单" in html and "开展警示教育" in html and "40%" in html
    assert 'data-testid="item-warned"' in html and "1 项预警" in html


def test_a_member_who_is_not_secretary_sees_no_committee_list_or_awaiting(client, tree, superuser, lists, office_staff):
    from django.contrib.auth import get_user_model

    from responsibilities.models import Person, Role

    user = get_user_model().objects.create_user(username="zhang", password="x")
    services.assignment_grant(user=user, organisation=tree["own"], role=Role.LEADER, by=superuser)
    Person.objects.filter(pk=lists["member"].person_id).update(user=user)
    _submit(lists["member"], office_staff)
    client.force_login(user)
    checklist = client.get(URL).context["checklist"]
    assert (checklist.committee_lists, checklist.awaiting, checklist.team_lists) == ([], [], [])


def test_submitted_lists_await_the_secretary_and_are_confirmed_in_place(client, secretary, lists, office_staff):
    _submit(lists["member"], office_staff)
    _submit(lists["committee"], office_staff)
    client.force_login(secretary)
    page = client.get(URL)
    assert [rl.pk for rl in page.context["checklist"].awaiting] == [lists["member"].pk, lists["committee"].pk]
    assert "待我确认的责任清单（2）" in page.content.decode()
    member = ResponsibilityList.objects.get(pk=lists["member"].pk)
    response = client.post(
        reverse("responsibilities:list_transition", args=[member.pk]),
        {"target": "confirmed", "version": member.version, "next": URL, "in_place": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已确认。清单进入执行阶段。" in response.content.decode()
    member.refresh_from_db()
    assert (member.status, member.confirmed_by) == (ListStatus.CONFIRMED, secretary)
    assert [rl.pk for rl in client.get(URL).context["checklist"].awaiting] == [lists["committee"].pk]


def test_a_return_without_a_reason_is_refused_at_the_field_and_changes_nothing(client, secretary, lists, office_staff):
    _submit(lists["member"], office_staff)
    member = ResponsibilityList.objects.get(pk=lists["member"].pk)
    client.force_login(secretary)
    url = reverse("responsibilities:list_transition", args=[member.pk])
    refused = client.post(
        url,
        {"target": "draft", "version": member.version, "reason": "  ", "next": URL, "in_place": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'data-testid="return-reason-error"' in html and "退回时请写明原因。" in html and "is-invalid" in html
    assert ResponsibilityList.objects.get(pk=member.pk).status == ListStatus.SUBMITTED
    returned = client.post(
        url,
        {"target": "draft", "version": member.version, "reason": "第3项任务缺少数量", "next": URL, "in_place": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert returned.status_code == 200 and "已退回修改" in returned.content.decode()
    assert ResponsibilityList.objects.get(pk=member.pk).status == ListStatus.DRAFT


def test_without_scripts_a_confirmation_goes_back_to_my_checklist(client, secretary, lists, office_staff):
    _submit(lists["member"], office_staff)
    member = ResponsibilityList.objects.get(pk=lists["member"].pk)
    client.force_login(secretary)
    response = client.post(
        reverse("responsibilities:list_transition", args=[member.pk]),
        {"target": "confirmed", "version": member.version, "next": URL},
    )
    assert (response.status_code, response.url) == (302, URL)
    outside = client.post(
        reverse("responsibilities:list_transition", args=[lists["committee"].pk]),
        {"target": "confirmed", "version": 1, "next": "https://example.com/"},
    )
    assert outside.url == lists["committee"].get_absolute_url()


def test_an_office_clerk_cannot_confirm_in_place(client, lists, office_staff):
    _submit(lists["member"], office_staff)
    member = ResponsibilityList.objects.get(pk=lists["member"].pk)
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:list_transition", args=[member.pk]),
        {"target": "confirmed", "version": member.version, "next": URL, "in_place": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert ResponsibilityList.objects.get(pk=member.pk).status == ListStatus.SUBMITTED


def test_the_secretary_view_query_count_does_not_grow_with_tasks_team_or_awaiting(
    client, tree, superuser, secretary, lists, office_staff
):
    add_task(lists["committee"], superuser)
    _submit(lists["member"], office_staff)
    client.force_login(secretary)
    few = queries_for(client, URL)
    for index in range(30):
        add_task(lists["committee"], superuser, number=1 + index % 15, title=f"任务{index}")
        add_member(tree["own"], superuser, start=date(THIS_YEAR, 1, 1))
    services.lists_generate(organisation=tree["own"], year=THIS_YEAR, by=superuser)
    drafts = ResponsibilityList.objects.filter(organisation=tree["own"], status=ListStatus.DRAFT, person__isnull=False)
    for rl in drafts[:10]:
        _submit(rl, office_staff)
    assert len(client.get(URL).context["checklist"].awaiting) == 11
    assert queries_for(client, URL) == few


def test_the_secretary_view_costs_the_same_queries_for_one_team_member_and_for_five(
    client, tree, secretary, lists, superuser, office_staff
):
    client.force_login(secretary)
    with_one = queries_for(client, URL)
    for n in range(4):
        add_member(tree["own"], superuser, name=f"李委员{n}")
    services.lists_generate(organisation=tree["own"], year=THIS_YEAR, by=superuser)
    for rl in ResponsibilityList.objects.filter(organisation=tree["own"], year=THIS_YEAR, kind=ListKind.MEMBER):
        _submit(rl, office_staff)
    page = client.get(URL)
    checklist = page.context["checklist"]
    assert len(checklist.team_lists) == 5
    # A submitted member's list is both in the team's lists and awaiting confirmation.
    assert {rl.pk for rl in checklist.awaiting} == {rl.pk for rl in checklist.team_lists}
    assert queries_for(client, URL) == with_one
