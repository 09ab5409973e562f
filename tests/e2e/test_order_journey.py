"""督办 in the browser: the city issues a 督办 → the county answers with a file → the city accepts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from responsibilities.models import ReplyFile, ReplyStatus, Role, SupervisionReply
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_city_issues_the_county_answers_with_a_file_and_the_city_accepts(
    page, live_server, login, shoot, tree, superuser, office_staff, tmp_path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser)
    record = tmp_path / "谈话记录.pdf"
    record.write_bytes(PDF_BYTES)

    login("office")
    page.goto(f"{live_server.url}/supervision/new/?issuer={tree['own'].pk}")
    page.fill("#id_title", "廉政谈话落实情况")
    page.fill("#id_text", "请说明新提拔干部廉政谈话的开展情况，附谈话记录。")
    page.fill("#id_reply_by", str(timezone.localdate() + timedelta(days=5)))
    page.get_by_label("测试县委").check()
    shoot(f"order-01-issue-{width}")
    page.get_by_role("button", name="签发").click()
    expect(page.locator(".alert-success")).to_contain_text("已签发督办")
    expect(page.get_by_test_id("reply-P-C-K").get_by_test_id("reply-status")).to_have_text("待反馈")
    page.context.clear_cookies()

    login("county_office")
    group = page.get_by_test_id("todo-orders_to_answer")
    expect(group).to_contain_text("廉政谈话落实情况")
    shoot(f"order-02-county-workbench-{width}")
    group.get_by_role("link", name="反馈").click()
    page.fill("#id_answer", "已对 3 名新提拔干部开展廉政谈话。")
    page.set_input_files("#id_files", str(record))
    page.get_by_test_id("answer").click()
    expect(page.locator(".alert-success")).to_contain_text("已反馈")
    expect(page.get_by_test_id("reply-P-C-K")).to_contain_text("谈话记录.pdf")
    shoot(f"order-03-answered-{width}")
    page.context.clear_cookies()

    login("office")
    group = page.get_by_test_id("todo-orders_to_accept")
    expect(group).to_contain_text("廉政谈话落实情况")
    group.get_by_role("link", name="办结或退回").click()
    page.get_by_test_id("accept").click()
    expect(page.locator(".alert-success")).to_contain_text("已办结")
    expect(page.get_by_test_id("reply-P-C-K").get_by_test_id("reply-status")).to_have_text("已办结")
    shoot(f"order-04-closed-{width}")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("done")).to_contain_text("办结督办：廉政谈话落实情况")
    page.goto(f"{live_server.url}/supervision/")
    shoot(f"order-05-list-{width}")
    # The city's roll-up counts the 督办 its subtree received (the county's, closed).
    reply_year = (timezone.localdate() + timedelta(days=5)).year
    page.goto(
        f"{live_server.url}{reverse('responsibilities:organisation_detail', args=[tree['own'].pk])}?year={reply_year}"
    )
    expect(page.get_by_test_id("subtree-orders")).to_have_text("督办 1 · 已反馈待办结 0 · 已办结 1 · 逾期未反馈 0")
    page.get_by_test_id("rollup-table").scroll_into_view_if_needed()
    shoot(f"order-06-rollup-{width}")
    reply = SupervisionReply.objects.get()
    assert reply.status == ReplyStatus.CLOSED and ReplyFile.objects.filter(reply=reply).count() == 1
