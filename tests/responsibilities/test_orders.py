"""督办: issue → answer with a file → 办结 or return; who may do each; bad input at the field; overdue
turns red, reminds and shows on 预警提醒; the list's filters, its Excel export and the A4 通知单."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core import worklist
from core.models import Notification
from responsibilities.models import ReplyFile, ReplyStatus, Role, SupervisionOrder, SupervisionReply
from responsibilities.order_notifications import remind_overdue
from responsibilities.services import orders as services
from tests.conftest import make_user
from tests.helpers import on_day, queries_for
from tests.responsibilities.list_factories import THIS_YEAR, add_task, committee_list, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_staff(tree, superuser):
    return make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser)


def issue(tree, by, **changes):
    fields = {
        "issuer": tree["own"],
        "recipients": [tree["child"]],
        "title": "专题学习进度督办",
        "subject": "tasks",
        "text": "请说明第三季度专题学习落实情况。",
        "reply_by": timezone.localdate() + timedelta(days=7),
        "by": by,
    } | changes
    return services.order_issue(**fields)


def test_the_city_issues_the_county_answers_with_a_file_and_the_city_accepts_once(
    client, tree, office_staff, county_staff
):
    client.force_login(office_staff)
    url = reverse("responsibilities:order_create") + f"?issuer={tree['own'].pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "专题学习进度督办",
            "subject": "tasks",
            "text": "请说明落实情况。",
            "reply_by": str(timezone.localdate() + timedelta(days=7)),
            "recipients": [tree["child"].pk],
        },
    )
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert Notification.objects.filter(recipient=county_staff, event="order_issued").count() == 1
    reply = SupervisionReply.objects.get()
    # The issuer's office staff reach the county's records but do not answer for it.
    refused = client.post(
        reverse("responsibilities:order_reply_answer", args=[reply.pk]), {"version": reply.version, "answer": "代答"}
    )
    assert refused.status_code == 403 and "只有承办单位" in refused.content.decode()
    assert SupervisionReply.objects.get().status == ReplyStatus.WAITING
    assert "orders_to_answer" in {g.key for g in worklist.todos(county_staff)}
    assert "orders_to_answer" not in {g.key for g in worklist.todos(office_staff)}

    client.force_login(county_staff)
    response = client.post(
        reverse("responsibilities:order_reply_answer", args=[reply.pk]),
        {"version": reply.version, "answer": "已完成两次专题学习。", "files": [pdf("学习记录.pdf")]},
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.ANSWERED and ReplyFile.objects.filter(reply=reply).count() == 1
    assert Notification.objects.filter(recipient=office_staff, event="order_answered").count() == 1
    assert client.get(ReplyFile.objects.get().get_absolute_url()).status_code == 200

    client.force_login(office_staff)
    assert "orders_to_accept" in {g.key for g in worklist.todos(office_staff)}
    close = reverse("responsibilities:order_reply_close", args=[reply.pk])
    assert client.post(close, {"version": reply.version, "action": "accept"}).status_code == 302
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.CLOSED and reply.closed_by == office_staff
    again = client.post(close, {"version": reply.version, "action": "accept"})
    assert again.status_code == 400 and "不能重复办结" in again.content.decode()
    assert 'data-field-error="reason"' in again.content.decode()
    assert SupervisionReply.objects.get().version == reply.version


def test_a_returned_answer_needs_a_reason_and_is_answered_again(tree, office_staff, county_staff):
    issue(tree, office_staff)
    reply = SupervisionReply.objects.get()
    reply = services.order_answer(reply=reply, version=reply.version, answer="已完成", by=county_staff)
    with pytest.raises(Exception, match="退回时请写明原因"):
        services.order_close(reply=reply, version=reply.version, accept=False, reason=" ", by=office_staff)
    reply = services.order_close(
        reply=reply, version=reply.version, accept=False, reason="缺少会议记录", by=office_staff
    )
    assert reply.status == ReplyStatus.RETURNED
    assert Notification.objects.filter(recipient=county_staff, event="order_returned").exists()
    reply = services.order_answer(reply=reply, version=reply.version, answer="补充了会议记录", by=county_staff)
    assert reply.status == ReplyStatus.ANSWERED


def test_bad_orders_are_refused_at_the_field_and_nothing_is_written(client, tree, office_staff):
    client.force_login(office_staff)
    url = reverse("responsibilities:order_create") + f"?issuer={tree['own'].pk}"
    good = {
        "title": "督办",
        "subject": "problem",
        "text": "请整改。",
        "reply_by": str(timezone.localdate() + timedelta(days=3)),
        "recipients": [tree["child"].pk],
    }
    for changes, field, words in (
        ({"recipients": [tree["sibling"].pk]}, "recipients", "只能向本组织的下级组织督办"),
        ({"recipients": [tree["own"].pk]}, "recipients", "只能向本组织的下级组织督办"),
        ({"recipients": []}, "recipients", "请至少选择一个下级组织"),
        ({"reply_by": str(timezone.localdate() - timedelta(days=1))}, "reply_by", "反馈期限不能早于今天"),
        ({"reply_by": "明天"}, "reply_by", ""),
        ({"subject": "fax"}, "subject", ""),
    ):
        response = client.post(url, good | changes)
        page = response.content.decode()
        assert response.status_code == 400, changes
        assert f'data-field-error="{field}"' in page and words in page, changes
    assert not SupervisionOrder.objects.exists()
    # An issuer outside the user's scope: 404; a leader of the issuer may not issue: 403.
    outside = reverse("responsibilities:order_create") + f"?issuer={tree['sibling'].pk}"
    assert client.get(outside).status_code == 404
    assert client.get(reverse("responsibilities:order_create") + "?issuer=x").status_code == 404


def test_an_overdue_answer_turns_red_reminds_once_and_shows_on_the_early_warning(
    client, tree, superuser, office_staff, county_staff
):
    order = issue(tree, office_staff)
    past = timezone.localdate() - timedelta(days=1)
    SupervisionOrder.objects.filter(pk=order.pk).update(reply_by=past)
    assert remind_overdue(timezone.localdate()) == 2  # the county's staff and the city's
    assert remind_overdue(timezone.localdate()) == 0
    client.force_login(office_staff)
    page = client.get(reverse("responsibilities:order_list")).content.decode()
    assert "红色预警·逾期未反馈" in page
    assert "逾期未反馈的督办" in client.get(reverse("accountability:early_warning")).content.decode()
    overdue = client.get(reverse("responsibilities:order_list") + "?status=overdue").content.decode()
    assert "专题学习进度督办" in overdue
    answered = client.get(reverse("responsibilities:order_list") + "?status=answered").content.decode()
    assert "专题学习进度督办" not in answered
    rows = [g for g in worklist.todos(county_staff) if g.key == "orders_to_answer"][0].rows
    assert rows[0].warning.colour == "red"


def test_the_list_exports_to_excel_prints_an_a4_notice_and_keeps_its_query_count(
    client, tree, superuser, office_staff, county_staff
):
    issue(tree, office_staff)
    client.force_login(office_staff)
    url = reverse("responsibilities:order_list")
    one = queries_for(client, url)
    for index in range(49):
        issue(tree, office_staff, title=f"督办{index}")
    assert queries_for(client, url) == one
    response = client.get(url + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 2 + 50 and sheet.cell(2, 2).value == "督办事项"
    order = SupervisionOrder.objects.order_by("pk").first()
    printed = client.get(reverse("responsibilities:order_print", args=[order.pk])).content.decode()
    assert "督办通知单" in printed and "测试县委" in printed and "print.css" in printed
    client.force_login(make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser))
    assert client.get(order.get_absolute_url()).status_code == 404


@on_day(date(THIS_YEAR, 6, 15))
def test_a_supervision_order_is_about_overdue_tasks_of_the_recipients(client, tree, superuser, office_staff):
    child_list = committee_list(tree["child"], superuser)
    late = add_task(child_list, superuser, title="县委专题学习", deadline=date(THIS_YEAR, 6, 1))
    sibling_task = add_task(committee_list(tree["sibling"], superuser), superuser, deadline=date(THIS_YEAR, 6, 1))
    client.force_login(office_staff)
    url = reverse("responsibilities:order_create") + f"?issuer={tree['own'].pk}&task={late.pk}"
    page = client.get(url).content.decode()
    assert "县委专题学习" in page and f'value="{late.pk}"' in page and "checked" in page
    good = {
        "title": "专题学习督办",
        "subject": "tasks",
        "text": "请说明逾期原因。",
        "reply_by": str(date(THIS_YEAR, 6, 20)),
        "recipients": [tree["child"].pk],
    }
    refused = client.post(url, good | {"tasks": [sibling_task.pk]})
    assert refused.status_code == 400 and 'data-field-error="tasks"' in refused.content.decode()
    assert not SupervisionOrder.objects.exists()
    assert client.post(url, good | {"tasks": [late.pk]}).status_code == 302
    assert list(SupervisionOrder.objects.get().tasks.all()) == [late]
    assert "县委专题学习" in client.get(SupervisionOrder.objects.get().get_absolute_url()).content.decode()
