"""述责述廉 pages: submitting with a file, the second report and the self-evaluation refused at their
fields, the 工作台's to-dos, the panel on the person's page, a page whose query count stays flat."""

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services, worklist
from assessments.models import HearingEvaluation, HearingReport
from core.worklist import done_rows
from tests.assessments.hearing_factories import county_team, lists_with_tasks, open_hearing
from tests.helpers import queries_for
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import THIS_YEAR, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats(tree, superuser, list_template):
    return county_team(tree, superuser)


@pytest.fixture
def hearing(scheme, tree, office_staff):
    return open_hearing(scheme, tree, office_staff)


def test_a_member_submits_his_report_with_a_file_and_a_second_is_refused_at_the_field(
    client, hearing, seats, tree, superuser
):
    lists_with_tasks(tree, superuser, seats)
    client.force_login(seats["赵委员"][0])
    url = reverse("assessments:report_submit", args=[hearing.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "已完成 1 / 2 项任务，逾期 0 项" in page.content.decode()
    response = client.post(url, {"text": "对照清单逐项报告。", "files": [pdf("报告.pdf")]})
    report = HearingReport.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.files.get().original_name == "报告.pdf"
    again = client.post(url, {"text": "第二份"})
    assert again.status_code == 400
    body = again.content.decode()
    assert f'data-field-error="text">您 {THIS_YEAR} 年的述责述廉报告已经提交，每年只提交一份。' in body
    assert HearingReport.objects.count() == 1
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "对照清单逐项报告。" in detail and "50%" in detail
    assert "这是您本人的报告，由其他班子成员评议，本人不参加评议。" in detail


def test_someone_outside_the_team_may_read_the_hearing_but_not_report(client, hearing, office_staff):
    client.force_login(office_staff)
    page = client.get(hearing.get_absolute_url())
    # Evaluations of named people, like results: no cache may keep the page.
    assert (page.status_code, page["Cache-Control"]) == (200, "private, no-store")
    assert client.get(reverse("assessments:report_submit", args=[hearing.pk])).status_code == 403


def test_a_self_evaluation_is_refused_at_the_field_and_another_members_is_recorded(client, hearing, seats):
    report = services.report_submit(hearing=hearing, text="报告", by=seats["赵委员"][0])
    url = reverse("assessments:report_evaluate", args=[report.pk])
    client.force_login(seats["赵委员"][0])
    response = client.post(url, {"rating": "good"})
    assert response.status_code == 400
    assert 'data-field-error="rating">不能评议本人的述责述廉报告，请评议其他班子成员。' in response.content.decode()
    client.force_login(seats["钱委员"][0])
    response = client.post(url, {"rating": "", "score": "88"})
    assert response.status_code == 302
    assert list(HearingEvaluation.objects.values_list("evaluator__name", "score")) == [("钱委员", D("88.00"))]
    page = client.get(report.get_absolute_url()).content.decode()
    assert "已评议：钱委员" in page and "您的评议：88 分" in page
    both = client.post(url, {"rating": "good", "score": "90"})
    assert both.status_code == 400 and "评议等次和评议得分只填一项。" in both.content.decode()


def test_the_workbench_lists_the_report_to_submit_and_the_reports_to_evaluate(hearing, seats):
    today = timezone.localdate()
    qian = seats["钱委员"][0]
    groups = {g.key: g for g in worklist.hearing_todo(qian, today)}
    assert groups["hearing_reports_to_submit"].count == 1 and groups["hearing_reports_to_evaluate"].count == 0
    report = services.report_submit(hearing=hearing, text="报告", by=seats["赵委员"][0])
    groups = {g.key: g for g in worklist.hearing_todo(qian, today)}
    assert [row.text for row in groups["hearing_reports_to_evaluate"].rows] == [f"赵委员 · {THIS_YEAR} 年述责述廉报告"]
    services.report_evaluate(report=report, rating="fairly_good", by=qian)
    services.report_submit(hearing=hearing, text="我的报告", by=qian)
    groups = {g.key: g for g in worklist.hearing_todo(qian, today)}
    assert (groups["hearing_reports_to_submit"].count, groups["hearing_reports_to_evaluate"].count) == (0, 0)
    since = timezone.now() - timedelta(days=30)
    assert sorted(row.text for row in done_rows(qian, worklist.hearing_done(qian, since))) == [
        f"提交述责述廉报告：{THIS_YEAR} 年",
        "评议述责述廉报告：赵委员",
    ]
    # The author never sees his own report to evaluate.
    zhao = {g.key: g for g in worklist.hearing_todo(seats["赵委员"][0], today)}
    assert [row.text for row in zhao["hearing_reports_to_evaluate"].rows] == [f"钱委员 · {THIS_YEAR} 年述责述廉报告"]


def test_the_person_page_shows_the_evaluation_beside_the_eligibility_panel(client, hearing, seats, office_staff):
    report = services.report_submit(hearing=hearing, text="报告", by=seats["赵委员"][0])
    services.report_evaluate(report=report, rating="good", by=seats["王书记"][0])
    services.report_evaluate(report=report, rating="average", by=seats["钱委员"][0])
    client.force_login(office_staff)
    page = client.get(reverse("responsibilities:person_detail", args=[seats["赵委员"][1].pk])).content.decode()
    assert 'data-testid="hearing-panel"' in page
    panel = page.split('data-testid="hearing-panel"')[1].split("</section>")[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", panel).split())
    assert "80.00 （2 人）" in text and "未组织群众评议" in text
    assert 'data-testid="hearing-result">80.00<' in panel


def test_the_hearing_page_runs_as_many_queries_for_three_reports_as_for_one(
    client, hearing, seats, tree, superuser, office_staff
):
    from responsibilities import services as team
    from responsibilities.models import TeamRole

    services.report_submit(hearing=hearing, text="报告", by=seats["赵委员"][0])
    client.force_login(office_staff)
    url = hearing.get_absolute_url()
    one = queries_for(client, url)
    services.report_submit(hearing=hearing, text="报告", by=seats["钱委员"][0])
    services.report_submit(hearing=hearing, text="报告", by=seats["王书记"][0])
    services.report_evaluate(
        report=HearingReport.objects.get(person=seats["钱委员"][1]), rating="good", by=seats["赵委员"][0]
    )
    for name in ("孙委员", "李委员"):
        team.membership_add(
            organisation=tree["child"],
            person=PersonFactory(home_organisation=tree["child"], name=name),
            role=TeamRole.MEMBER,
            start_date=hearing.opens_on,
            by=superuser,
        )
    assert queries_for(client, url) == one


def test_the_results_show_and_export_the_secretarys_evaluation_where_the_scheme_weighs_it(
    client, scheme, tree, inspectors, indicators, office_staff, seats
):
    import io

    import openpyxl

    from assessments.models import Scheme

    Scheme.objects.filter(pk=scheme.pk).update(hearing_weight=D(20))
    hearing = open_hearing(Scheme.objects.get(pk=scheme.pk), tree, office_staff)
    report = services.report_submit(hearing=hearing, text="报告", by=seats["王书记"][0])
    services.report_evaluate(report=report, rating="fairly_good", by=seats["赵委员"][0])
    from tests.assessments.conftest import inspect_all

    inspect_all(scheme, tree["child"], inspectors, confirm_by=office_staff)
    services.results_compute(scheme=Scheme.objects.get(pk=scheme.pk), by=office_staff)
    client.force_login(office_staff)
    page = client.get(reverse("assessments:results", args=[scheme.pk])).content.decode()
    assert 'data-testid="leader-hearing">80<' in page
    response = client.get(reverse("assessments:results_export", args=[scheme.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["书记结果与资格"].iter_rows(values_only=True))
    assert rows[1][-1] == "述责述廉评议"
    assert {row[1]: row[-1] for row in rows[2:]} == {"王书记": 80}
