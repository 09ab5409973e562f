"""问题清单 in the browser: an inspector's deduction becomes a problem (立为问题) → the county sets a
measure, reports it done with evidence and asks for 复核 → the city checks and closes it (销号)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as assessment_services
from responsibilities.models import Department, MeasureEvidence, Problem, ProblemStatus, Role
from tests.assessments.conftest import add_indicator, inspect, scheme_fields
from tests.conftest import make_user
from tests.e2e.conftest import pick
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import committee_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize("width", [1366, 390])
def test_a_deduction_becomes_a_problem_the_county_rectifies_and_the_city_closes(
    page, live_server, login, shoot, tree, superuser, office_staff, tmp_path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    inspector = make_user("inspector", tree["own"], Role.INSPECTOR, superuser, department=Department.ORGANISATION)
    make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser)
    PersonFactory(home_organisation=tree["child"], name="赵县委委员", post="县委常委")
    scheme = assessment_services.scheme_create(
        assessor=tree["own"],
        targets=[tree["child"]],
        by=superuser,
        **scheme_fields(team_top_quota=100, leader_top_quota=100),
    )
    committee_list(tree["child"], superuser, year=scheme.year)
    add_indicator(scheme, "organisation", inspector, "按期召开民主生活会", 20, items=[5])
    inspection = inspect(
        scheme, tree["child"], "organisation", inspector, deductions_by_indicator={"按期召开民主生活会": [2]}
    )
    evidence = tmp_path / "民主生活会整改记录.pdf"
    evidence.write_bytes(PDF_BYTES)

    # The inspector raises the deduction as a problem: the text is prefilled.
    login("inspector")
    page.goto(f"{live_server.url}{inspection.get_absolute_url()}")
    page.get_by_test_id("raise-problem").click()
    expect(page.locator("#id_title")).to_have_value("按期召开民主生活会：差距")
    page.fill("#id_deadline", str(timezone.localdate() + timedelta(days=30)))
    shoot(f"problem-01-raise-{width}")
    page.get_by_test_id("save-problem").click()
    expect(page.locator(".alert-success")).to_contain_text("已立为问题")
    expect(page.get_by_test_id("problem-status")).to_have_text("待整改")
    shoot(f"problem-02-recorded-{width}")
    page.context.clear_cookies()

    # The county sets a measure, reports it done with a file, and asks for 复核.
    login("county_office")
    page.goto(f"{live_server.url}/problems/")
    page.get_by_role("link", name="按期召开民主生活会：差距").click()
    page.fill("#id_text", "重新召开专题民主生活会，会前谈心谈话全覆盖")
    pick(page, "#id_responsible_person", "赵县委委员")
    page.fill("#id_deadline", str(timezone.localdate() + timedelta(days=20)))
    page.fill("#id_quantity", "1")
    page.fill("#id_unit", "次")
    page.get_by_test_id("add-measure").click()
    expect(page.locator(".alert-success")).to_contain_text("已制定整改措施")
    expect(page.get_by_test_id("problem-status")).to_have_text("整改中")
    measure = page.get_by_test_id("measure")
    measure.get_by_label("进展情况").fill("已召开专题民主生活会，谈心谈话 7 人次。")
    measure.get_by_label("整改佐证材料（可多选）").set_input_files(str(evidence))
    measure.get_by_label("该措施已完成").check()
    shoot(f"problem-03-report-{width}")
    measure.get_by_test_id("report-measure").click()
    expect(page.locator(".alert-success")).to_contain_text("已填报整改进展")
    expect(page.get_by_test_id("measure-done")).to_be_visible()
    page.fill("#id_report", "已重新召开专题民主生活会，整改到位。")
    page.get_by_test_id("submit-problem").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("待复核")
    shoot(f"problem-04-submitted-{width}")
    page.context.clear_cookies()

    # The city checks it from its 工作台 and closes it.
    login("office")
    group = page.get_by_test_id("todo-problems_to_review")
    expect(group).to_contain_text("按期召开民主生活会：差距")
    shoot(f"problem-05-city-workbench-{width}")
    group.get_by_role("link", name="复核销号").click()
    expect(page.get_by_test_id("problem-report")).to_contain_text("整改到位")
    page.get_by_test_id("close-problem").click()
    expect(page.locator(".alert-success")).to_contain_text("已销号")
    expect(page.get_by_test_id("problem-status")).to_have_text("已销号")
    expect(page.get_by_test_id("closed-by")).to_be_visible()
    shoot(f"problem-06-closed-{width}")
    page.goto(f"{live_server.url}/problems/")
    shoot(f"problem-07-list-{width}")
    page.goto(f"{live_server.url}/orgs/{tree['own'].pk}/problems/rollup/")
    expect(page.get_by_test_id("rollup-subtree")).to_contain_text("100.0%")
    shoot(f"problem-08-rollup-{width}")
    problem = Problem.objects.get()
    assert problem.status == ProblemStatus.CLOSED and problem.closed_by == office_staff
    assert problem.source == "inspection" and MeasureEvidence.objects.count() == 1
    assert Decimal(problem.measures.get().quantity) == Decimal(1)
