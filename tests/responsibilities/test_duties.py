"""履责纪实 and 责任书签收 against PostgreSQL: a member records a duty event on his own items and sees
the count on his checklist; office staff record on his behalf (marked); inspectors read but cannot
change; the secretary sees the team's records; bad input (a future date, another person's items, a
closed year) changes nothing; a member signs his own list, never another's; a change after signing
shows 签收后已修改 and may be signed again; the organisation page and the roll-ups show who has not
signed, with query counts that do not grow with the rows."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core import worklist
from core.models import Notification
from responsibilities import services as list_services
from responsibilities.models import (
    DutyFile,
    DutyKind,
    DutyRecord,
    ListKind,
    ListSignature,
    ListStatus,
    ResponsibilityList,
    Role,
    TeamRole,
)
from responsibilities.selectors import duties as selectors
from responsibilities.services import duties as services
from tests.conftest import make_user
from tests.helpers import queries_for
from tests.responsibilities.list_factories import THIS_YEAR, add_member, add_task, committee_list, pdf

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def member_user(tree, superuser):
    return make_user("member", tree["own"], Role.LEADER, superuser)


@pytest.fixture
def member(tree, superuser, member_user):
    return add_member(tree["own"], superuser, name="张委员", user=member_user)


@pytest.fixture
def lists(tree, superuser, member, secretary):
    committee_list(tree["own"], superuser)
    return ResponsibilityList.objects.filter(organisation=tree["own"], year=THIS_YEAR)


@pytest.fixture
def member_list(lists, member):
    return lists.get(person=member, kind=ListKind.MEMBER)


def talk():
    return DutyKind.objects.get(name="谈心谈话")


def record(person, by, items, **changes):
    fields = {
        "person": person,
        "kind": talk(),
        "day": TODAY,
        "place": "市委三楼会议室",
        "participants": "分管部门负责人 3 人",
        "content": "与分管部门负责人逐一谈心谈话，提醒落实“一岗双责”。",
        "items": items,
        "by": by,
    } | changes
    return services.duty_record_create(**fields)


def submit(responsibility_list, by):
    responsibility_list.refresh_from_db()
    return list_services.list_transition(
        responsibility_list=responsibility_list, version=responsibility_list.version, target="submitted", by=by
    )


# ---- 履责纪实 -------------------------------------------------------------------------------------


def test_the_eight_kinds_are_seeded_in_order():
    assert list(DutyKind.objects.values_list("name", flat=True)) == [
        "讲党课",
        "谈心谈话",
        "调研指导",
        "主持或参加专题会议",
        "督促检查",
        "约谈提醒",
        "参加双重组织生活",
        "其他",
    ]


def test_a_member_records_a_talk_on_his_own_items_with_a_file(member, member_user, member_list, tree):
    items = list(member_list.items.order_by("number")[:2])
    made = record(member, member_user, items, files=[pdf("谈话记录.pdf")])
    made.refresh_from_db()
    assert made.organisation == tree["own"]
    assert made.on_behalf is False
    assert made.recorded_by == member_user
    assert sorted(made.items.values_list("number", flat=True)) == [1, 2]
    assert list(DutyFile.objects.filter(record=made).values_list("original_name", flat=True)) == ["谈话记录.pdf"]


def test_office_staff_record_on_the_leaders_behalf_marked_as_such(member, member_user, office_staff, member_list):
    made = record(member, office_staff, [member_list.items.get(number=1)])
    assert made.on_behalf is True
    assert made.recorded_by == office_staff
    # The leader is told of what was written in his name; his own records tell nobody.
    told = Notification.objects.filter(recipient=member_user, event="duty_on_behalf")
    assert [n.text for n in told] == [f"office 代您记录了一条履责纪实：{TODAY} 谈心谈话。"]
    assert told.get().url == made.get_absolute_url()
    record(member, member_user, [member_list.items.get(number=1)])
    assert Notification.objects.filter(event="duty_on_behalf").count() == 1


def test_a_future_date_is_refused_at_the_field_and_nothing_is_saved(member, member_user, member_list):
    with pytest.raises(ValidationError) as refused:
        record(member, member_user, [member_list.items.get(number=1)], day=TODAY + timedelta(days=1))
    assert refused.value.message_dict == {"date": ["履责纪实的日期不能晚于今天。"]}
    assert DutyRecord.objects.count() == 0


def test_another_persons_items_are_refused(member, member_user, lists, secretary):
    secretary_list = lists.get(kind=ListKind.SECRETARY)
    with pytest.raises(ValidationError) as refused:
        record(member, member_user, [secretary_list.items.get(number=1)])
    assert refused.value.message_dict == {"items": ["只能选择履责人本人责任清单中的事项，不能记在他人的清单上。"]}
    assert DutyRecord.objects.count() == 0


def test_the_committee_list_is_not_the_leaders_own(member, member_user, lists):
    with pytest.raises(ValidationError) as refused:
        record(member, member_user, [lists.get(kind=ListKind.COMMITTEE).items.get(number=1)])
    assert refused.value.message_dict == {"items": ["只能选择履责人本人责任清单中的事项，不能记在他人的清单上。"]}


def test_an_inspector_cannot_record_or_change(member, member_user, member_list, inspector):
    with pytest.raises(PermissionDenied):
        record(member, inspector, [member_list.items.get(number=1)])
    made = record(member, member_user, [member_list.items.get(number=1)])
    with pytest.raises(PermissionDenied):
        services.duty_record_update(
            record=made, version=made.version, kind=talk(), day=TODAY, content="改", items=[], by=inspector
        )
    assert DutyRecord.objects.get(pk=made.pk).content.startswith("与分管部门负责人")


def test_another_leader_cannot_record_for_the_member(member, member_list, secretary):
    with pytest.raises(PermissionDenied):
        record(member, secretary, [member_list.items.get(number=1)])


def test_a_record_is_changed_while_the_year_is_open_and_fixed_once_it_is_closed(
    member, member_user, member_list, office_staff, lists, superuser
):
    made = record(member, member_user, [member_list.items.get(number=1)])
    changed = services.duty_record_update(
        record=made,
        version=made.version,
        kind=DutyKind.objects.get(name="讲党课"),
        day=TODAY,
        content="为分管部门讲专题党课",
        items=[member_list.items.get(number=2)],
        by=member_user,
    )
    assert changed.kind.name == "讲党课"
    assert list(changed.items.values_list("number", flat=True)) == [2]
    committee = lists.get(kind=ListKind.COMMITTEE)
    ResponsibilityList.objects.filter(pk=committee.pk).update(status=ListStatus.CLOSED)
    assert selectors.record_is_locked(changed) is True
    with pytest.raises(ValidationError) as refused:
        services.duty_record_update(
            record=changed, version=changed.version, kind=talk(), day=TODAY, content="再改", items=[], by=member_user
        )
    assert refused.value.messages == ["该年度已关闭，履责纪实不能再记录或修改。"]
    with pytest.raises(ValidationError) as refused:
        record(member, member_user, [member_list.items.get(number=1)])
    assert refused.value.message_dict == {"date": ["该年度已关闭，履责纪实不能再记录或修改。"]}
    assert DutyRecord.objects.get(pk=made.pk).content == "为分管部门讲专题党课"


def test_who_sees_the_records(member, member_user, member_list, secretary, inspector, office_staff, tree, superuser):
    made = record(member, member_user, [member_list.items.get(number=1)])
    other_user = make_user("other", tree["own"], Role.LEADER, superuser)
    add_member(tree["own"], superuser, name="刘委员", user=other_user)
    sibling_staff = make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    for user, sees in [
        (member_user, True),
        (secretary, True),
        (inspector, True),
        (office_staff, True),
        (other_user, False),
        (sibling_staff, False),
    ]:
        assert DutyRecord.objects.for_user(user).filter(pk=made.pk).exists() is sees, user.username
    assert DutyRecord.objects.for_user(inspector, "change").filter(pk=made.pk).exists() is False
    assert DutyRecord.objects.for_user(secretary, "change").filter(pk=made.pk).exists() is False


def test_checklist_counts_per_item_and_shows_the_last_record(client, member, member_user, member_list):
    first, second = member_list.items.get(number=1), member_list.items.get(number=2)
    record(member, member_user, [first], day=TODAY - timedelta(days=3) if TODAY.day > 3 else TODAY)
    last = record(member, member_user, [first, second], kind=DutyKind.objects.get(name="督促检查"))
    counts = {item.number: item for item in selectors.item_duty_counts([member_list.pk])}
    assert counts[1].duty_count == 2
    assert counts[2].duty_count == 1
    assert sorted(counts) == [1, 2]
    assert counts[1].last_record_id == last.pk
    assert counts[1].last_record_kind == "督促检查"
    client.force_login(member_user)
    page = client.get(reverse("responsibilities:my_checklist")).content.decode()
    assert f'data-testid="duty-item-{first.pk}"' in page
    assert "督促检查" in page


def test_checklist_query_count_does_not_grow_with_records(client, member, member_user, member_list):
    client.force_login(member_user)
    url = reverse("responsibilities:my_checklist")
    record(member, member_user, [member_list.items.get(number=1)])
    one = queries_for(client, url)
    for number in (1, 2, 1, 2, 1):
        record(member, member_user, [member_list.items.get(number=number)])
    assert queries_for(client, url) == one


def test_record_pages(client, member, member_user, member_list, inspector):
    client.force_login(member_user)
    item = member_list.items.get(number=1)
    response = client.post(
        reverse("responsibilities:duty_create"),
        {
            "date": TODAY.isoformat(),
            "kind": talk().pk,
            "place": "会议室",
            "participants": "3 人",
            "content": "谈心谈话",
            "items": [item.pk],
            "files": [pdf()],
        },
    )
    made = DutyRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == made.get_absolute_url()
    detail = client.get(made.get_absolute_url()).content.decode()
    assert "谈心谈话" in detail and 'data-testid="edit-duty"' in detail
    file_url = reverse("responsibilities:duty_file", args=[made.files.get().pk])
    assert client.get(file_url).status_code == 200
    client.force_login(inspector)
    assert 'data-testid="edit-duty"' not in client.get(made.get_absolute_url()).content.decode()
    assert client.get(reverse("responsibilities:duty_edit", args=[made.pk])).status_code == 403


def test_a_future_date_on_the_page_is_shown_at_the_field(client, member, member_user, member_list):
    client.force_login(member_user)
    response = client.post(
        reverse("responsibilities:duty_create"),
        {
            "date": (TODAY + timedelta(days=2)).isoformat(),
            "kind": talk().pk,
            "content": "谈心谈话",
            "items": [member_list.items.get(number=1).pk],
        },
    )
    assert response.status_code == 400
    assert "履责纪实的日期不能晚于今天。" in response.content.decode()
    assert DutyRecord.objects.count() == 0


def test_another_persons_item_on_the_page_is_refused(client, member_user, member, lists):
    client.force_login(member_user)
    response = client.post(
        reverse("responsibilities:duty_create"),
        {
            "date": TODAY.isoformat(),
            "kind": talk().pk,
            "content": "谈心谈话",
            "items": [lists.get(kind=ListKind.SECRETARY).items.get(number=1).pk],
        },
    )
    assert response.status_code == 400
    assert "只能选择履责人本人责任清单中的事项，不能记在他人的清单上。" in response.content.decode()
    assert DutyRecord.objects.count() == 0


def test_subtree_counts_per_person_and_item_with_a_constant_query_count(
    client, member, member_user, member_list, office_staff, tree, superuser
):
    record(member, member_user, [member_list.items.get(number=1)])
    client.force_login(office_staff)
    url = reverse("responsibilities:duty_rollup", args=[tree["own"].pk])
    people = {
        p.responsibility_list.person.name: p
        for p in selectors.subtree_duty_counts(office_staff, tree["own"], THIS_YEAR)
    }
    assert people["张委员"].total == 1
    assert [i.duty_count for i in people["张委员"].items][:2] == [1, 0]
    assert people["王书记"].total == 0
    assert "个人责任清单 2 份：未签收 2 份，签收后已修改 0 份。" in client.get(url).content.decode()
    few = queries_for(client, url)
    for n in range(5):
        add_member(tree["child"], superuser, name=f"县委委员{n}")
    committee_list(tree["child"], superuser)
    for number in (2, 1, 2):
        record(member, member_user, [member_list.items.get(number=number)])
    assert queries_for(client, url) == few
    assert "个人责任清单 7 份：未签收 7 份，签收后已修改 0 份。" in client.get(url).content.decode()


# ---- 责任书签收 ----------------------------------------------------------------------------------


def test_a_member_signs_his_own_submitted_list(member_list, member_user, office_staff, member):
    assert selectors.signature_state_of(member_list) == "unsigned"
    with pytest.raises(ValidationError) as refused:
        services.list_sign(responsibility_list=member_list, by=member_user)
    assert refused.value.messages == ["清单尚在起草，提交后才能签收。"]
    submit(member_list, office_staff)
    signature = services.list_sign(responsibility_list=member_list, by=member_user)
    assert signature.person == member and signature.user == member_user
    assert signature.statement == "本人已知悉并承诺履行"
    assert signature.signed_at is not None
    assert selectors.signature_state_of(member_list) == "signed"
    with pytest.raises(ValidationError) as refused:
        services.list_sign(responsibility_list=member_list, by=member_user)
    assert refused.value.messages == ["您已签收该清单，清单签收后未再修改。"]
    assert ListSignature.objects.count() == 1


def test_nobody_signs_another_persons_list(member_list, office_staff, secretary, superuser):
    submit(member_list, office_staff)
    for user in (secretary, office_staff, superuser):
        with pytest.raises(PermissionDenied) as refused:
            services.list_sign(responsibility_list=member_list, by=user)
        assert str(refused.value) == "只能由本人登录签收自己的责任清单，不能代他人签收。"
    assert ListSignature.objects.count() == 0


def test_a_list_changed_after_signing_shows_it_and_is_signed_again(member_list, member_user, office_staff):
    submit(member_list, office_staff)
    services.list_sign(responsibility_list=member_list, by=member_user)
    task = add_task(member_list, office_staff, reason="补充任务")
    assert selectors.signature_state_of(member_list) == "changed"
    services.list_sign(responsibility_list=member_list, by=member_user)
    assert selectors.signature_state_of(member_list) == "signed"
    # Progress is not a change of what was signed.
    list_services.progress_record(task=task, text="已开展一次", percent=30, by=member_user)
    assert selectors.signature_state_of(member_list) == "signed"
    task.refresh_from_db()
    list_services.task_update(
        task=task,
        version=task.version,
        by=office_staff,
        reason="调整时限",
        title=task.title,
        quantity=task.quantity,
        unit=task.unit,
        deadline=task.deadline - timedelta(days=1),
        standard=task.standard,
        requirement=task.requirement,
        responsible_person=None,
        status=task.status,
        completed_on=None,
    )
    assert selectors.signature_state_of(member_list) == "changed"
    assert ListSignature.objects.filter(responsibility_list=member_list).count() == 2


def test_the_signature_row_is_never_changed(member_list, member_user, office_staff):
    from django.db import ProgrammingError, transaction

    submit(member_list, office_staff)
    signature = services.list_sign(responsibility_list=member_list, by=member_user)
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        ListSignature.objects.filter(pk=signature.pk).update(fingerprint="x")


def test_signing_pages_and_the_todo(client, member_list, member_user, office_staff, secretary, tree):
    submit(member_list, office_staff)
    groups = {g.key: g for g in worklist.todos(member_user, TODAY)}
    assert groups["lists_to_sign"].count == 1
    client.force_login(secretary)
    response = client.post(reverse("responsibilities:list_sign", args=[member_list.pk]), follow=True)
    assert "只能由本人登录签收自己的责任清单，不能代他人签收。" in response.content.decode()
    assert ListSignature.objects.count() == 0
    client.force_login(member_user)
    page = client.get(member_list.get_absolute_url()).content.decode()
    assert 'data-testid="sign-list"' in page
    response = client.post(reverse("responsibilities:list_sign", args=[member_list.pk]), follow=True)
    assert "已签收：本人已知悉并承诺履行。" in response.content.decode()
    assert ListSignature.objects.filter(responsibility_list=member_list, user=member_user).count() == 1
    assert "lists_to_sign" not in {g.key for g in worklist.todos(member_user, TODAY)}


def test_the_organisation_page_and_the_rollup_show_who_has_not_signed(
    client, member_list, member_user, office_staff, tree, superuser, lists
):
    submit(member_list, office_staff)
    services.list_sign(responsibility_list=member_list, by=member_user)
    county_user = make_user("county_member", tree["child"], Role.LEADER, superuser)
    add_member(tree["child"], superuser, name="赵县委委员", user=county_user)
    committee_list(tree["child"], superuser)
    counts = selectors.signing_counts(tree["own"], [tree["child"]], THIS_YEAR)
    # The city: the secretary's and the member's lists (one signed); the county: one member, unsigned.
    assert (counts["own"].lists, counts["own"].unsigned, counts["own"].changed) == (2, 1, 0)
    assert (counts["children"][tree["child"].pk].lists, counts["children"][tree["child"].pk].unsigned) == (1, 1)
    assert (counts["subtree"].lists, counts["subtree"].unsigned) == (3, 2)
    client.force_login(office_staff)
    url = reverse("responsibilities:organisation_detail", args=[tree["own"].pk])
    page = client.get(url).content.decode()
    assert "个人清单 3 份 · 未签收 2 · 签收后已修改 0" in page
    assert "未签收" in page and "已签收" in page
    few = queries_for(client, url)
    for n in range(4):
        add_member(tree["own"], superuser, name=f"新委员{n}", role=TeamRole.MEMBER)
    assert queries_for(client, url) == few


def test_the_leader_changes_his_record_on_the_page_and_a_stale_form_is_refused(
    client, member, member_user, member_list
):
    made = record(member, member_user, [member_list.items.get(number=1)])
    client.force_login(member_user)
    url = reverse("responsibilities:duty_edit", args=[made.pk])
    page = client.get(url).content.decode()
    assert "checked" in page and "全面从严治党“一岗双责”" in page
    payload = {
        "version": made.version,
        "date": TODAY.isoformat(),
        "kind": DutyKind.objects.get(name="约谈提醒").pk,
        "content": "约谈提醒分管部门负责人",
        "items": [member_list.items.get(number=2).pk],
    }
    response = client.post(url, payload)
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.kind.name == "约谈提醒"
    assert list(made.items.values_list("number", flat=True)) == [2]
    response = client.post(url, payload | {"content": "旧页面"}, follow=True)
    assert "该纪实已被他人修改，请查看最新内容后重试。" in response.content.decode()
    assert DutyRecord.objects.get(pk=made.pk).content == "约谈提醒分管部门负责人"


def test_a_record_made_on_behalf_says_so_on_its_page(client, member, office_staff, member_list):
    made = record(member, office_staff, [member_list.items.get(number=1)])
    client.force_login(office_staff)
    page = client.get(made.get_absolute_url()).content.decode()
    assert 'data-testid="on-behalf-badge"' in page
    form = client.get(reverse("responsibilities:duty_create") + f"?person={member.pk}").content.decode()
    assert "您正在代 张委员 记录" in form


def test_the_records_page_query_count_does_not_grow_with_its_rows(
    client, member, member_user, member_list, office_staff
):
    record(member, member_user, [member_list.items.get(number=1)], files=[pdf()])
    client.force_login(office_staff)
    url = reverse("responsibilities:duty_list")
    one = queries_for(client, url)
    for number in (1, 2, 1, 2, 1, 2):
        record(member, office_staff, [member_list.items.get(number=number)])
    assert queries_for(client, url) == one
    page = client.get(url).content.decode()
    assert page.count("代为记录") >= 6
