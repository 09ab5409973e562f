"""The secretary's day on 我的责任清单 (issue 16, item 2), at 1366 px and on a phone at 390 px: the
committee list of her organisation with its items, tasks, progress and warnings, her team's lists, and the
lists awaiting her, confirmed and returned in place. Screenshots of each step: look at them."""

import re
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


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_vacant_secretary_rollover_runs_and_a_refused_upload(page, live_server, login, shoot, day, tree, width, height):
    """Issue 16's defects as office staff sees them: the county's vacant secretary post on its page and
    in the city's table; the roll-over page with its breadcrumb and past runs; a refused upload that
    leaves the browser on the task page with the message at the field."""
    page.set_viewport_size({"width": width, "height": height})
    login("office")
    page.goto(f"{live_server.url}/orgs/{tree['own'].pk}/")
    expect(page.get_by_test_id("secretary-vacant")).to_have_count(0)
    expect(page.get_by_test_id("children-table").get_by_test_id("child-secretary-vacant")).to_have_text("缺书记")
    page.goto(f"{live_server.url}/orgs/{tree['child'].pk}/")
    expect(page.get_by_test_id("secretary-vacant")).to_contain_text("书记职位空缺")
    assert page.evaluate(FITS)
    shoot(f"defects-vacant-secretary-{width}")

    page.goto(f"{live_server.url}/orgs/{tree['own'].pk}/rollover/")
    page.get_by_test_id("start-rollover").click()
    # The job runs as the request commits here (JOBS_INLINE); a queued job's words are a view test's.
    expect(page.get_by_test_id("rollover-count")).to_have_text("已处理 2 / 2 个组织")
    expect(page.locator("nav[aria-label=breadcrumb]")).to_contain_text("测试市委")
    expect(page.get_by_test_id("rollover-runs").locator("tbody tr")).to_have_count(1)
    assert page.evaluate(FITS)
    shoot(f"defects-rollover-{width}")

    task = day["committee"].items.get(number=1).tasks.get()
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    page.get_by_test_id("evidence-form").get_by_role("button", name="上传").click()
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/#evidence-form$"))
    expect(page.locator("[data-field-error=file]")).to_have_text("请选择要上传的文件，或直接拍照。")
    page.get_by_test_id("progress-form").locator("#id_percent").fill("150")
    page.get_by_test_id("progress-form").get_by_role("button", name="记录进展").click()
    expect(page.locator("[data-field-error=percent]")).to_have_text("请填写 0 到 100 之间的整数作为完成百分比。")
    assert page.evaluate(FITS)
    shoot(f"defects-refused-at-the-field-{width}")
