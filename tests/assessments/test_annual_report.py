"""The annual 主体责任 report: its rules as pure functions, the services against PostgreSQL (drafting
from the year's data, the registry of sections, versioned edits, the status moves with who may do
each, notifications, history), the PDF in 公文 layout read back as text, and its pages."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import annual_report, rules
from assessments import report_services as services
from assessments.models import AnnualReport, ReportStatus
from core.history import entries
from core.models import EditConflict, Notification
from responsibilities import services as org_services
from responsibilities.models import OrganisationKind, Role, TaskStatus
from tests.conftest import make_user
from tests.helpers import queries_for
from tests.responsibilities.list_factories import THIS_YEAR, add_task, committee_list

# ---- Rules (no database) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target", "actor"),
    [
        ("draft", "submitted", "office"),
        ("returned", "submitted", "office"),
        ("submitted", "confirmed", "secretary"),
        ("submitted", "returned", "secretary"),
        ("confirmed", "received", "upper"),
        ("confirmed", "returned", "upper"),
        ("draft", "confirmed", None),
        ("draft", "received", None),
        ("submitted", "received", None),
        ("received", "returned", None),
        ("received", "draft", None),
        ("returned", "confirmed", None),
    ],
)
def test_report_status_moves_and_who_makes_them(current, target, actor):
    assert rules.report_transition_actor(current, target) == actor


def test_returning_a_report_needs_a_reason_and_nothing_else_does():
    assert rules.report_needs_reason("confirmed", "returned") is True
    assert rules.report_needs_reason("submitted", "returned") is True
    assert rules.report_needs_reason("draft", "submitted") is False
    assert rules.report_needs_reason("confirmed", "received") is False


def test_deadline_is_31_january_of_the_next_year_unless_configured():
    assert rules.report_deadline(2026) == date(2027, 1, 31)
    assert rules.report_deadline(2026, "02-15") == date(2027, 2, 15)


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        (None, date(2027, 1, 31), False),  # the deadline day itself is in time
        (None, date(2027, 2, 1), True),
        ("draft", date(2027, 2, 1), True),
        ("submitted", date(2027, 2, 1), True),  # not yet confirmed by the secretary: not reported
        ("returned", date(2027, 2, 1), True),
        ("confirmed", date(2027, 2, 1), False),
        ("received", date(2027, 3, 1), False),
    ],
)
def test_overdue_means_not_reported_after_the_deadline(status, today, overdue):
    assert rules.report_overdue(status, date(2027, 1, 31), today) is overdue


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (5, "五"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")])
def test_headings_are_numbered_in_chinese(n, text):
    assert rules.chinese_number(n) == text


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("一、责任清单制定和落实情况", 1),
        ("十二、其他", 1),
        ("（三）下一步打算", 2),
        ("1．召开专题会议", 3),
        ("本年度……", 0),
    ],
)
def test_heading_levels_are_read_from_the_numbering(line, level):
    assert rules.heading_level(line) == level


def test_reporting_year_is_this_year_in_december_and_last_year_before():
    assert rules.reporting_year(date(2026, 12, 2)) == 2026
    assert rules.reporting_year(date(2027, 1, 15)) == 2026
    assert rules.reporting_year(date(2027, 11, 30)) == 2026


def test_unfinished_places_are_counted():
    assert rules.report_unfinished("一、情况\n【请填写】\n（一）打算\n【请填写】") == 2
    assert rules.report_unfinished("特此报告。") == 0


# ---- Services ------------------------------------------------------------------------------------------


@pytest.fixture
def city_secretary(secretary):
    return secretary


def _draft(tree, office_staff, year=THIS_YEAR):
    return services.report_draft(organisation=tree["own"], year=year, by=office_staff)


def _finished(report, by):
    """The draft with its places to write filled in, as the office would."""
    body = report.body.replace(rules.REPORT_TO_FILL, "已据实填写。")
    return services.report_edit(
        report=report, version=report.version, title=report.title, body=body, issuer_name=report.issuer_name, by=by
    )


def test_draft_is_written_from_the_years_data_and_addressed_to_the_upper_level(tree, office_staff, superuser):
    committee = committee_list(tree["own"], superuser)
    add_task(committee, superuser, number=1, status=TaskStatus.DONE, completed_on=date(THIS_YEAR, 1, 2))
    add_task(committee, superuser, number=1, title="开展专题调研")
    report = _draft(tree, office_staff)
    assert report.recipient == tree["parent"]
    assert report.status == ReportStatus.DRAFT
    assert report.title == f"测试市委关于{THIS_YEAR}年度履行全面从严治党主体责任情况的报告"
    assert report.issuer_name == "测试市委"
    lines = report.body.splitlines()
    headings = [line for line in lines if rules.heading_level(line) == 1]
    assert headings == [
        "一、责任清单制定和落实情况",
        "二、向下级传导压力情况",
        "三、接受检查考核情况",
        "四、履责纪实情况",
        "五、责任书签收情况",
        "六、问题整改情况",
        "七、提醒约谈和问责情况",
        "八、存在的问题和下一步打算",
    ]
    assert "（一）清单制定情况" in lines
    assert "分解具体任务2项，已完成1项，完成率50%" in report.body
    first_item = committee.items.get(number=1)
    assert f"1．{first_item.title}：具体任务2项，已完成1项，完成率50%。" in lines
    assert "2．严明党的纪律：未分解具体任务。" in lines
    assert "本年度未向下级党组织下发任务。" in lines
    assert "本年度本级及所属党组织未发现问题。" in lines
    assert lines[-1] == "特此报告。"
    # The office staff do not handle cases: what the 纪检 department gives is left to write.
    assert "问责案件情况：【请填写】" in lines


def test_a_registered_section_takes_its_place_and_number_without_touching_the_others(tree, office_staff):
    def signatures(context):
        return [annual_report.Part(paragraphs=[f"{context.organisation.name}班子成员均已签收责任清单。"])]

    annual_report.register_report_section("signatures", 35, "责任清单签收情况", signatures)
    try:
        report = _draft(tree, office_staff)
    finally:
        del annual_report.SECTIONS["signatures"]
    lines = report.body.splitlines()
    assert lines.index("四、责任清单签收情况") + 1 == lines.index("测试市委班子成员均已签收责任清单。")
    assert "五、履责纪实情况" in lines
    assert "九、存在的问题和下一步打算" in lines


def test_the_draft_counts_the_teams_duty_records_and_names_who_has_not_signed(tree, office_staff, superuser, secretary):
    from responsibilities.models import DutyKind, ListKind, ResponsibilityList
    from responsibilities.services import duties as duty_services
    from tests.responsibilities.list_factories import add_member

    member_user = make_user("member", tree["own"], Role.LEADER, superuser)
    member = add_member(tree["own"], superuser, name="张委员", user=member_user)
    committee_list(tree["own"], superuser)
    member_list = ResponsibilityList.objects.get(organisation=tree["own"], year=THIS_YEAR, person=member)
    secretary_list = ResponsibilityList.objects.get(organisation=tree["own"], year=THIS_YEAR, kind=ListKind.SECRETARY)
    for kind in ("谈心谈话", "谈心谈话", "讲党课"):
        duty_services.duty_record_create(
            person=member,
            kind=DutyKind.objects.get(name=kind),
            day=date.today(),
            content="记录一次履责。",
            items=[member_list.items.first()],
            by=member_user,
        )
    for personal in (member_list, secretary_list):
        personal.refresh_from_db()
        org_services.list_transition(
            responsibility_list=personal, version=personal.version, target="submitted", by=office_staff
        )
    duty_services.list_sign(responsibility_list=member_list, by=member_user)

    lines = _draft(tree, office_staff).body.splitlines()
    duty = lines.index("四、履责纪实情况")
    assert lines[duty + 1 : duty + 3] == [
        "本年度班子成员记录履责纪实3件，其中谈心谈话2件、讲党课1件。",
        "本级及所属党组织共记录履责纪实3件。",
    ]
    signing = lines.index("五、责任书签收情况")
    assert lines[signing + 1 : signing + 4] == [
        "本级班子成员个人责任清单2份，本人签收1份。",
        "尚未签收：王书记。",
        "本级及所属党组织个人责任清单2份，已签收1份，未签收1份，签收后已修改0份。",
    ]


def test_only_the_organisations_own_office_or_secretary_drafts(tree, superuser, leader):
    upper_office = make_user("upper_office", tree["parent"], Role.OFFICE_STAFF, superuser)
    for user in (leader, upper_office):
        with pytest.raises(PermissionDenied, match="只有本单位的党建工作人员或书记"):
            services.report_draft(organisation=tree["own"], year=THIS_YEAR, by=user)
    assert not AnnualReport.objects.exists()


def test_secretary_may_draft_and_a_second_report_for_the_year_is_refused(tree, secretary):
    services.report_draft(organisation=tree["own"], year=THIS_YEAR, by=secretary)
    with pytest.raises(ValidationError) as refused:
        services.report_draft(organisation=tree["own"], year=THIS_YEAR, by=secretary)
    assert refused.value.message_dict == {"year": [f"该组织{THIS_YEAR}年度的报告已起草，请打开已有报告修改。"]}
    assert AnnualReport.objects.count() == 1


def test_a_branch_or_the_top_organisation_does_not_report(tree, superuser):
    branch = org_services.organisation_create(
        parent=tree["own"], name="测试支部", code="P-C-B", kind=OrganisationKind.BRANCH, by=superuser
    )
    staff = make_user("branch_office", branch, Role.OFFICE_STAFF, superuser)
    with pytest.raises(ValidationError, match="由党委（党组）报送"):
        services.report_draft(organisation=branch, year=THIS_YEAR, by=staff)
    top = make_user("top_office", tree["parent"], Role.OFFICE_STAFF, superuser)
    with pytest.raises(ValidationError, match="没有上级组织"):
        services.report_draft(organisation=tree["parent"], year=THIS_YEAR, by=top)
    with pytest.raises(ValidationError, match="本年度或以前年度"):
        services.report_draft(
            organisation=tree["child"],
            year=THIS_YEAR + 1,
            by=make_user("k", tree["child"], Role.OFFICE_STAFF, superuser),
        )
    assert not AnnualReport.objects.exists()


def test_edit_over_a_newer_version_is_refused_and_the_first_edit_survives(tree, office_staff):
    report = _draft(tree, office_staff)
    opened = report.version
    services.report_edit(
        report=report, version=opened, title="第一次修改", body="正文一", issuer_name="测试市委", by=office_staff
    )
    with pytest.raises(EditConflict):
        services.report_edit(
            report=report, version=opened, title="第二次修改", body="正文二", issuer_name="测试市委", by=office_staff
        )
    report.refresh_from_db()
    assert (report.title, report.body, report.version) == ("第一次修改", "正文一", opened + 1)


def test_submit_is_refused_while_places_are_left_to_write(tree, office_staff):
    report = _draft(tree, office_staff)
    with pytest.raises(ValidationError) as refused:
        services.report_move(report=report, version=report.version, target="submitted", by=office_staff)
    assert refused.value.message_dict["body"] == ["正文还有 3 处“【请填写】”未填写，请补充后再提交。"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_submit_by_someone_else_is_refused_in_chinese(tree, office_staff, leader, inspector):
    report = _finished(_draft(tree, office_staff), office_staff)
    for user in (leader, inspector):
        with pytest.raises(PermissionDenied, match="只有本单位的党建工作人员或书记可以起草、修改和提交"):
            services.report_move(report=report, version=report.version, target="submitted", by=user)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_submitted_confirmed_received_with_who_and_when_and_messages(tree, office_staff, secretary, superuser):
    upper = make_user("upper_office", tree["parent"], Role.OFFICE_STAFF, superuser)
    report = _finished(_draft(tree, office_staff), office_staff)
    report = services.report_move(report=report, version=report.version, target="submitted", by=office_staff)
    assert Notification.objects.get(event="annual_report_submitted").recipient == secretary
    # The upper level cannot receive what the secretary has not confirmed.
    with pytest.raises(ValidationError, match="当前状态（待书记确认）不能进行该操作"):
        services.report_move(report=report, version=report.version, target="received", by=upper)
    with pytest.raises(PermissionDenied, match="只有本单位书记可以确认"):
        services.report_move(report=report, version=report.version, target="confirmed", by=office_staff)
    report = services.report_move(report=report, version=report.version, target="confirmed", by=secretary)
    assert (report.status, report.confirmed_by, report.issued_on is not None) == ("confirmed", secretary, True)
    assert Notification.objects.get(event="annual_report_confirmed").recipient == upper
    with pytest.raises(PermissionDenied, match="只有主送机关"):
        services.report_move(report=report, version=report.version, target="received", by=office_staff)
    report = services.report_move(report=report, version=report.version, target="received", by=upper)
    assert (report.status, report.received_by) == ("received", upper)
    assert {n.recipient for n in Notification.objects.filter(event="annual_report_received")} == {
        office_staff,
        secretary,
    }
    kinds = [entry.kind for entry in entries(report)]
    assert kinds[0] == "创建" and len(kinds) == 5


def test_upper_level_returns_with_a_reason_and_the_office_edits_again(tree, office_staff, secretary, superuser):
    upper = make_user("upper_office", tree["parent"], Role.OFFICE_STAFF, superuser)
    report = _finished(_draft(tree, office_staff), office_staff)
    report = services.report_move(report=report, version=report.version, target="submitted", by=office_staff)
    report = services.report_move(report=report, version=report.version, target="confirmed", by=secretary)
    with pytest.raises(ValidationError) as refused:
        services.report_move(report=report, version=report.version, target="returned", reason=" ", by=upper)
    assert refused.value.message_dict == {"reason": ["请填写退回原因。"]}
    report = services.report_move(
        report=report, version=report.version, target="returned", reason="问题整改情况过于简略", by=upper
    )
    assert (report.status, report.return_reason, report.confirmed_by) == ("returned", "问题整改情况过于简略", None)
    returned = Notification.objects.filter(event="annual_report_returned")
    assert {n.recipient for n in returned} == {office_staff, secretary}
    assert returned[0].text == "测试省委退回了" + f"{THIS_YEAR}年度主体责任报告：问题整改情况过于简略"
    report = services.report_edit(
        report=report,
        version=report.version,
        title=report.title,
        body=report.body + "\n补充。",
        issuer_name=report.issuer_name,
        by=office_staff,
    )
    report = services.report_move(report=report, version=report.version, target="submitted", by=office_staff)
    assert report.status == ReportStatus.SUBMITTED and report.return_reason == ""


def test_a_confirmed_report_is_no_longer_edited(tree, office_staff, secretary):
    report = _finished(_draft(tree, office_staff), office_staff)
    report = services.report_move(report=report, version=report.version, target="submitted", by=office_staff)
    with pytest.raises(ValidationError, match="报告待书记确认，不能再修改"):
        services.report_edit(
            report=report, version=report.version, title="x", body="y", issuer_name="z", by=office_staff
        )


# ---- The PDF ------------------------------------------------------------------------------------------


def test_pdf_is_an_a4_official_document_with_its_title_and_organs(tree, office_staff):
    from pypdf import PdfReader

    from assessments.report_pdf import render_pdf

    report = _draft(tree, office_staff)
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    page = reader.pages[0]
    # A4: 210 × 297 mm in points.
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    assert f"测试市委关于{THIS_YEAR}年度履行全面从严治党主体责任情况的报告" in text
    assert "测试省委：" in text  # 主送机关
    assert "一、责任清单制定和落实情况" in text
    assert "特此报告。测试市委" in text  # the issuing organ after the closing
    assert "—1—" in text  # the page number at the foot


# ---- Pages ----------------------------------------------------------------------------------------------


def test_upper_level_sees_who_has_not_reported_with_a_constant_query_count(
    client, tree, office_staff, secretary, superuser
):
    upper = make_user("upper_office", tree["parent"], Role.OFFICE_STAFF, superuser)
    report = _finished(_draft(tree, office_staff), office_staff)
    report = services.report_move(report=report, version=report.version, target="submitted", by=office_staff)
    services.report_move(report=report, version=report.version, target="confirmed", by=secretary)
    client.force_login(upper)
    url = reverse("assessments:report_list") + f"?year={THIS_YEAR}"
    page = client.get(url).content.decode()
    assert "应报 2 个" in page and "未报送 1 个" in page  # the city reported, the sibling city has not
    few = queries_for(client, url)
    for n in range(5):
        org_services.organisation_create(
            parent=tree["parent"], name=f"新增市委{n}", code=f"P-N{n}", kind=OrganisationKind.COMMITTEE, by=superuser
        )
    assert queries_for(client, url) == few
    assert "应报 7 个" in client.get(url).content.decode()


def test_report_page_refuses_a_move_at_the_field_for_a_leader(client, tree, office_staff, leader):
    report = _finished(_draft(tree, office_staff), office_staff)
    client.force_login(leader)
    response = client.post(
        reverse("assessments:report_move", args=[report.pk]), {"version": report.version, "target": "submitted"}
    )
    assert response.status_code == 403
    assert "只有本单位的党建工作人员或书记可以起草、修改和提交年度主体责任报告。" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_edit_page_answers_409_over_a_newer_version(client, tree, office_staff):
    report = _draft(tree, office_staff)
    client.force_login(office_staff)
    url = reverse("assessments:report_edit", args=[report.pk])
    data = {"version": report.version, "title": "标题一", "body": "正文", "issuer_name": "测试市委"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data | {"title": "标题二"})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.title == "标题一"


def test_pdf_page_answers_a_pdf(client, tree, office_staff):
    report = _draft(tree, office_staff)
    client.force_login(office_staff)
    response = client.get(reverse("assessments:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_outside_the_scope_a_report_is_404(client, tree, office_staff, superuser):
    report = _draft(tree, office_staff)
    sibling_staff = make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    client.force_login(sibling_staff)
    for name in ("report_detail", "report_pdf", "report_edit"):
        assert client.get(reverse(f"assessments:{name}", args=[report.pk])).status_code == 404


def test_drafting_or_editing_by_someone_else_answers_403_with_the_rule(client, tree, office_staff, leader):
    report = _draft(tree, office_staff)
    client.force_login(leader)
    refusal = "只有本单位的党建工作人员或书记可以起草、修改和提交年度主体责任报告。"
    edit = client.get(reverse("assessments:report_edit", args=[report.pk]))
    assert edit.status_code == 403 and refusal in edit.content.decode()
    draft = client.post(reverse("assessments:report_create"), {"organisation": tree["child"].pk, "year": THIS_YEAR})
    assert draft.status_code == 403 and refusal in draft.content.decode()
    assert AnnualReport.objects.count() == 1
