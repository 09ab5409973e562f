"""履责纪实 and 责任书签收 in the browser, at 1366 px and on a phone (390 px): a member records a 谈心谈话
on his own list with a file and sees the count on his checklist; he signs his list (本人已知悉并承诺履行)
and the 待签收 to-do is gone; nothing is wider than the window."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from responsibilities import services
from responsibilities.models import DutyRecord, ListKind, ListSignature, ResponsibilityList, Role, TeamRole
from tests.conftest import make_user
from tests.responsibilities.list_factories import add_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def fits(page):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(FITS), f"{page.url} is {width[0]} px wide in a {width[1]} px window"


@pytest.mark.parametrize("width", [1366, 390])
def test_a_member_records_a_talk_sees_the_count_and_signs_his_list(
    page, live_server, login, shoot, tree, superuser, secretary, office_staff, tmp_path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    member_user = make_user("member", tree["own"], Role.LEADER, superuser)
    add_member(tree["own"], superuser, role=TeamRole.MEMBER, name="张委员", user=member_user)
    year = timezone.localdate().year
    services.lists_generate(organisation=tree["own"], year=year, by=superuser)
    member_list = ResponsibilityList.objects.get(organisation=tree["own"], year=year, kind=ListKind.MEMBER)
    services.list_transition(
        responsibility_list=member_list, version=member_list.version, target="submitted", by=office_staff
    )
    item = member_list.items.get(number=1)
    sheet = tmp_path / "谈话记录.pdf"
    sheet.write_bytes(PDF_BYTES)

    login("member")
    # The 工作台 asks him to sign.
    expect(page.get_by_test_id("todo-lists_to_sign")).to_be_visible()
    page.goto(f"{live_server.url}/my/checklist/")
    expect(page.get_by_test_id(f"duty-item-{item.pk}").get_by_test_id("duty-count")).to_have_text("0")
    page.get_by_test_id("checklist-record-duty").click()
    page.fill("#id_date", str(timezone.localdate()))
    page.select_option("#id_kind", label="谈心谈话")
    page.fill("#id_place", "市委二楼小会议室")
    page.fill("#id_participants", "分管部门负责人 2 人")
    page.fill("#id_content", "与分管部门主要负责人谈心谈话，提醒落实“一岗双责”。")
    page.get_by_test_id("duty-items").get_by_label(f"{item.number}. {item.title}", exact=False).check()
    page.locator("#id_files").set_input_files(str(sheet))
    fits(page)
    shoot(f"duty-01-form-{width}")
    page.get_by_test_id("save-duty").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录履责纪实")
    expect(page.get_by_test_id("duty-record")).to_contain_text("谈心谈话")
    expect(page.get_by_role("link", name="谈话记录.pdf")).to_be_visible()
    fits(page)
    shoot(f"duty-02-recorded-{width}")
    record = DutyRecord.objects.get()
    assert record.on_behalf is False and list(record.items.all()) == [item]

    # The checklist counts it on the item, with the last record.
    page.goto(f"{live_server.url}/my/checklist/")
    row = page.get_by_test_id(f"duty-item-{item.pk}")
    expect(row.get_by_test_id("duty-count")).to_have_text("1")
    expect(row).to_contain_text("谈心谈话")
    expect(page.get_by_test_id("own-signing").first).to_contain_text("未签收")
    fits(page)
    shoot(f"duty-03-checklist-{width}")

    # He signs his list with his own login.
    page.get_by_test_id(f"sign-list-{member_list.pk}").click()
    expect(page.locator(".alert-success")).to_contain_text("已签收：本人已知悉并承诺履行。")
    expect(page.get_by_test_id("own-signing").first).to_contain_text("已签收")
    fits(page)
    shoot(f"duty-04-signed-{width}")
    assert ListSignature.objects.filter(responsibility_list=member_list, user=member_user).count() == 1
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("todo-lists_to_sign")).to_have_count(0)
    page.context.clear_cookies()

    # The city's office staff see who has signed on the organisation page and in the summary.
    login("office")
    page.goto(f"{live_server.url}{tree['own'].get_absolute_url()}")
    signing = page.get_by_test_id("signing-table")
    expect(signing.locator("tr", has_text="张委员")).to_contain_text("已签收")
    expect(signing.locator("tr", has_text="王书记")).to_contain_text("未签收")
    fits(page)
    shoot(f"duty-05-organisation-{width}")
    page.get_by_test_id("duty-rollup-link").click()
    expect(page.get_by_test_id("duty-rollup").locator("tr", has_text="张委员")).to_contain_text("1")
    fits(page)
    shoot(f"duty-06-rollup-{width}")
