"""A scheme's 被考核组织 changed in its form shows in its 修改记录 with who changed it, at a desktop's
1366 px and a phone's 390 px."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services
from assessments.models import Scheme
from responsibilities.models import Role
from tests.conftest import make_user
from tests.responsibilities.factories import make_organisation
from tests.responsibilities.list_factories import THIS_YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_a_target_taken_out_and_one_added_are_in_the_schemes_history(
    page, live_server, login, shoot, tree, superuser, width
):
    office = make_user("office", tree["own"], Role.OFFICE_STAFF, superuser)
    office.first_name = "办公室张三"
    office.save()
    make_organisation(parent=tree["own"], name="测试区委", code="P-C-Q")
    organ = make_organisation(parent=tree["own"], name="市直机关工委", code="P-C-J")
    scheme = services.scheme_create(
        assessor=tree["own"],
        targets=[tree["child"], organ],
        by=superuser,
        name="年度考核",
        year=THIS_YEAR,
        kind="annual",
        party_building_weight=D(20),
        weight_routine=D(30),
        weight_annual=D(50),
        weight_mass=D(20),
        team_top_quota=D(50),
        leader_top_quota=D(50),
        secretary_org_weight=D(70),
    )
    page.set_viewport_size({"width": width, "height": 900})
    login("office")
    page.goto(live_server.url + reverse("assessments:scheme_edit", args=[scheme.pk]))
    page.get_by_label("市直机关工委").uncheck()
    page.get_by_label("测试区委").check()
    page.locator("main").get_by_role("button", name="保存").click()
    page.wait_for_url(live_server.url + scheme.get_absolute_url())
    assert set(Scheme.objects.get(pk=scheme.pk).targets.values_list("name", flat=True)) == {"测试县委", "测试区委"}
    page.locator("main").get_by_role("link", name="修改记录").first.click()
    entry = page.get_by_test_id("history-entry").first  # newest first
    expect(entry).to_contain_text("办公室张三")
    expect(entry).to_contain_text("添加：测试区委；移除：市直机关工委")
    shoot(f"history-01-scheme-targets-{width}")
