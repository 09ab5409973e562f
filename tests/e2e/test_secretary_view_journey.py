"""The secretary's day on 我的责任清单 (issue 16, item 2), at 1366 px and on a phone at 390 px: the
committee list of her organisation with its items, tasks, progress and warnings, her team's lists, and the
lists awaiting her, confirmed and returned in place. Screenshots of each step: look at them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from responsibilities import services
from responsibilities.models import ListKind, ResponsibilityList, TeamRole
from tests.conftest import make_user
from tests.responsibilities.list_factories import add_member, add_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"
LONG = "组织开展党风廉政建设专题教育并形成书面总结报告"


@pytest.fixture
def day(tree, superuser, secretary):
    office = make_user("office", tree["own"], "office_staff", superuser)
    add_member(tree["own"], superuser, role=TeamRole.LEADER_IN_CHARGE, name="李副书记")
    add_member(tree["own"], superuser, role=TeamRole.MEMBER, name="赵委员")
    year = timezone.localdate().year
    services.lists_generate(organisation=tree["own"], year=year, by=superuser)
    lists = ResponsibilityList.objects.filter(organisation=tree["own"], year=year)
    committee = lists.get(kind=ListKind.COMMITTEE)
    late = add_task(committee, superuser, number=1, title=LONG, deadline=timezone.localdate() - timedelta(days=20))
    services.progress_record(task=late, text="已拟定方案", percent=30, by=superuser)
    add_task(committee, superuser, number=3, title="召开年度民主生活会")
    submitted = []
    for rl in (lists.get(person__name="赵委员"), lists.get(person__name="李副书记")):
        submitted.append(
            services.list_transition(responsibility_list=rl, version=rl.version, target="submitted", by=office)
        )
    return {"committee": committee, "member": submitted[0], "leader": submitted[1]}


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_secretary_confirms_and_returns_in_place(page, live_server, login, shoot, day, width, height):
    page.set_viewport_size({"width": width, "height": height})
    login("secretary")
    page.goto(f"{live_server.url}/my/checklist/")
    awaiting = page.get_by_test_id("awaiting-confirmation")
    expect(awaiting).to_contain_text("待我确认的责任清单（2）")
    committee = page.get_by_test_id("committee-list")
    expect(committee).to_contain_text("测试市委党委（党组）责任清单")
    expect(committee).to_contain_text(LONG)
    expect(committee).to_contain_text("30%")
    expect(committee.get_by_test_id("item-warned").first).to_contain_text("1 项预警")
    assert page.evaluate(FITS)
    shoot(f"secretary-view-{width}")

    member = page.get_by_test_id(f"awaiting-{day['member'].pk}")
    member.get_by_test_id(f"return-{day['member'].pk}").click()
    expect(member.get_by_test_id("return-reason-error")).to_have_text("退回时请写明原因。")
    assert page.url.endswith("/my/checklist/")
    shoot(f"secretary-view-return-refused-{width}")
    member = page.get_by_test_id(f"awaiting-{day['member'].pk}")
    member.get_by_placeholder("退回原因").fill("第1项任务的完成时限不在本年度")
    member.get_by_test_id(f"return-{day['member'].pk}").click()
    expect(page.get_by_test_id(f"awaiting-{day['member'].pk}")).to_contain_text("已退回修改")

    leader = page.get_by_test_id(f"awaiting-{day['leader'].pk}")
    leader.get_by_test_id(f"confirm-{day['leader'].pk}").click()
    expect(page.get_by_test_id(f"awaiting-{day['leader'].pk}")).to_contain_text("已确认。清单进入执行阶段。")
    assert page.evaluate(FITS)
    shoot(f"secretary-view-done-{width}")

    page.reload()
    expect(page.get_by_test_id("awaiting-confirmation")).to_have_count(0)
    if width < 576:
        table = page.get_by_test_id("committee-table")
        expect(table.locator("thead")).to_have_css("position", "absolute")
        row = table.locator("tbody tr", has_text=LONG).first
        assert row.bounding_box()["width"] > 300
    assert page.evaluate(FITS)
