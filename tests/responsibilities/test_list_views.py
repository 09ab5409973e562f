"""List pages: scope (sibling 404, member sees own list only, secretary sees the team's), happy paths,
bad input changing nothing, downloads, htmx progress, and query counts flat from 1 row to 50."""

from datetime import date

import pytest
from django.urls import reverse

from responsibilities import services
from responsibilities.models import ListKind, ListStatus, ResponsibilityList, Role, SupervisionNote, Task, TeamRole
from tests.conftest import make_user
from tests.helpers import on_day, queries_for
from tests.responsibilities.factories import make_organisation
from tests.responsibilities.list_factories import THIS_YEAR, add_member, add_task, committee_list, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def sibling_task(tree, superuser):
    listed = committee_list(tree["sibling"], superuser)
    task = add_task(listed, superuser)
    evidence = services.evidence_upload(task=task, uploaded=pdf(), by=superuser)
    return {"list": listed, "task": task, "evidence": evidence, "item": listed.items.get(number=1)}


def urls_for(rows):
    task, listed = rows["task"], rows["list"]
    return {
        "get": [
            reverse("responsibilities:list_detail", args=[listed.pk]),
            reverse("responsibilities:task_detail", args=[task.pk]),
            reverse("responsibilities:evidence_download", args=[rows["evidence"].pk]),
            reverse("responsibilities:organisation_lists", args=[listed.organisation_id]),
        ],
        "post": [
            reverse("responsibilities:task_create", args=[rows["item"].pk]),
            reverse("responsibilities:task_edit", args=[task.pk]),
            reverse("responsibilities:task_archive", args=[task.pk]),
            reverse("responsibilities:progress_record", args=[task.pk]),
            reverse("responsibilities:evidence_upload", args=[task.pk]),
            reverse("responsibilities:list_transition", args=[listed.pk]),
            reverse("responsibilities:supervision_note_add", args=[listed.pk]),
            reverse("responsibilities:lists_generate", args=[listed.organisation_id]),
            reverse("responsibilities:rollover_start", args=[listed.organisation_id]),
            reverse("responsibilities:task_issue", args=[listed.organisation_id]),
        ],
    }


def test_anonymous_is_sent_to_login_from_every_list_page(client, sibling_task):
    urls = urls_for(sibling_task)
    for url in [
        *urls["get"],
        *urls["post"],
        reverse("responsibilities:my_checklist"),
        reverse("responsibilities:template_list"),
    ]:
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response.url.startswith(reverse("login")), url


def test_a_sibling_organisations_lists_answer_404_and_nothing_changes(client, office_staff, sibling_task):
    client.force_login(office_staff)
    urls = urls_for(sibling_task)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        response = client.post(
            url,
            {
                "title": "越权",
                "text": "越权",
                "percent": 100,
                "day": "2026-01-01",
                "target": "submitted",
                "version": 1,
                "year": THIS_YEAR,
                "reason": "x",
            },
        )
        assert response.status_code == 404, url
    task = Task.objects.get(pk=sibling_task["task"].pk)
    assert (task.title, task.status, task.progress_entries.count()) == ("召开专题会议", "not_started", 0)
    assert ResponsibilityList.objects.get(pk=sibling_task["list"].pk).status == ListStatus.DRAFT


@pytest.fixture
def team_lists(tree, superuser, secretary):
    org = tree["own"]
    member = add_member(org, superuser, name="张委员")
    other = add_member(org, superuser, name="李委员")
    services.lists_generate(organisation=org, year=THIS_YEAR, by=superuser)
    lists = {rl.person_id: rl for rl in ResponsibilityList.objects.filter(organisation=org, person__isnull=False)}
    return {
        "member": lists[member.pk],
        "other": lists[other.pk],
        "secretary": lists[secretary.person.pk],
        "member_person": member,
    }


def test_a_member_sees_own_list_and_the_committee_list_but_not_a_colleagues(client, tree, superuser, team_lists):
    from django.contrib.auth import get_user_model

    from responsibilities.models import Person, Role

    user = get_user_model().objects.create_user(username="zhang", password="x")
    services.assignment_grant(user=user, organisation=tree["own"], role=Role.LEADER, by=superuser)
    Person.objects.filter(pk=team_lists["member_person"].pk).update(user=user)
    client.force_login(user)
    committee = ResponsibilityList.objects.get(organisation=tree["own"], kind=ListKind.COMMITTEE)
    assert client.get(reverse("responsibilities:list_detail", args=[team_lists["member"].pk])).status_code == 200
    assert client.get(reverse("responsibilities:list_detail", args=[committee.pk])).status_code == 200
    assert client.get(reverse("responsibilities:list_detail", args=[team_lists["other"].pk])).status_code == 404
    assert client.get(reverse("responsibilities:list_detail", args=[team_lists["secretary"].pk])).status_code == 404


@on_day(date(THIS_YEAR, 6, 15))
def test_the_secretary_sees_the_teams_lists_with_counts_and_records_a_note(client, secretary, team_lists, superuser):
    add_task(team_lists["member"], superuser, deadline=date(THIS_YEAR, 1, 1))
    client.force_login(secretary)
    page = client.get(reverse("responsibilities:my_checklist"))
    team = {rl.person.name: rl for rl in page.context["checklist"].team_lists}
    assert set(team) == {"张委员", "李委员"}
    assert (team["张委员"].task_overdue, team["李委员"].task_overdue) == (1, 0)
    response = client.post(
        reverse("responsibilities:supervision_note_add", args=[team_lists["member"].pk]),
        {"text": "请于月底前完成督导", "next": reverse("responsibilities:my_checklist")},
    )
    assert response.status_code == 302 and response.url == reverse("responsibilities:my_checklist")
    assert SupervisionNote.objects.get().written_by == secretary


def test_supervision_note_with_an_outside_next_url_goes_back_to_the_list(client, secretary, team_lists):
    client.force_login(secretary)
    response = client.post(
        reverse("responsibilities:supervision_note_add", args=[team_lists["member"].pk]),
        {"text": "督促", "next": "https://evil.example/"},
    )
    assert response.url == team_lists["member"].get_absolute_url()


def test_generate_button_creates_the_lists_and_says_how_many(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:lists_generate", args=[tree["own"].pk]), {"year": THIS_YEAR}, follow=True
    )
    assert "新建 1 份" in response.content.decode()
    assert ResponsibilityList.objects.filter(organisation=tree["own"], year=THIS_YEAR).count() == 1


def test_generate_with_a_bad_year_changes_nothing(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:lists_generate", args=[tree["own"].pk]), {"year": "abc"}, follow=True
    )
    assert "年度无效" in response.content.decode()
    assert not ResponsibilityList.objects.exists()


def test_add_task_then_see_it_on_the_list(client, tree, office_staff, superuser):
    listed = committee_list(tree["own"], superuser)
    item = listed.items.get(number=3)
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:task_create", args=[item.pk]),
        {
            "title": "开展中心组学习",
            "quantity": "12",
            "unit": "次",
            "deadline": f"{THIS_YEAR}-12-31",
            "standard": "每月一次",
            "requirement": "有记录",
            "status": "not_started",
        },
    )
    assert response.status_code == 302 and response.url == listed.get_absolute_url()
    page = client.get(listed.get_absolute_url()).content.decode()
    assert "开展中心组学习" in page and "每月一次" in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": "1999-12-31"}, "deadline"),
        ({"quantity": "-3"}, "quantity"),
        ({"quantity": "", "standard": ""}, "standard"),
        ({"title": ""}, "title"),
        ({"deadline": "not-a-date"}, "deadline"),
        ({"responsible_person": "999999"}, "responsible_person"),
    ],
)
def test_bad_task_input_is_shown_at_its_field_and_saves_nothing(client, tree, office_staff, superuser, change, field):
    item = committee_list(tree["own"], superuser).items.get(number=1)
    client.force_login(office_staff)
    data = {
        "title": "任务",
        "quantity": "1",
        "unit": "次",
        "deadline": f"{THIS_YEAR}-06-30",
        "standard": "标准",
        "requirement": "",
        "status": "not_started",
        **change,
    }
    response = client.post(reverse("responsibilities:task_create", args=[item.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Task.objects.exists()


def test_editing_a_confirmed_list_asks_for_a_reason_on_the_form(client, tree, office_staff, secretary, superuser):
    listed = committee_list(tree["own"], superuser)
    task = add_task(listed, superuser)
    listed = services.list_transition(responsibility_list=listed, version=1, target="submitted", by=office_staff)
    services.list_transition(responsibility_list=listed, version=listed.version, target="confirmed", by=secretary)
    client.force_login(office_staff)
    data = {
        "title": "新标题",
        "quantity": "1",
        "unit": "次",
        "deadline": f"{THIS_YEAR}-06-30",
        "standard": "标准",
        "status": "not_started",
        "version": task.version,
    }
    response = client.post(reverse("responsibilities:task_edit", args=[task.pk]), data)
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = client.post(reverse("responsibilities:task_edit", args=[task.pk]), {**data, "reason": "按要求调整"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "新标题"


def test_list_transitions_from_the_page(client, tree, office_staff, secretary, superuser):
    listed = committee_list(tree["own"], superuser)
    url = reverse("responsibilities:list_transition", args=[listed.pk])
    client.force_login(office_staff)
    client.post(url, {"target": "submitted", "version": listed.version})
    listed.refresh_from_db()
    assert listed.status == ListStatus.SUBMITTED
    response = client.post(url, {"target": "confirmed", "version": listed.version}, follow=False)
    assert response.status_code == 403
    client.force_login(secretary)
    page = client.get(listed.get_absolute_url()).content.decode()
    assert 'data-testid="transition-confirmed"' in page
    client.post(url, {"target": "confirmed", "version": listed.version})
    listed.refresh_from_db()
    assert listed.status == ListStatus.CONFIRMED


def test_a_stale_transition_is_refused_with_a_message(client, tree, office_staff, superuser, secretary):
    listed = committee_list(tree["own"], superuser)
    client.force_login(office_staff)
    url = reverse("responsibilities:list_transition", args=[listed.pk])
    client.post(url, {"target": "submitted", "version": 1})
    response = client.post(url, {"target": "submitted", "version": 1})
    assert response.status_code == 409 and 'data-testid="edit-conflict"' in response.content.decode()


def test_progress_from_the_checklist_updates_the_row_in_place(client, tree, superuser, secretary):
    services.lists_generate(organisation=tree["own"], year=THIS_YEAR, by=superuser)
    own = ResponsibilityList.objects.get(person__user=secretary, year=THIS_YEAR)
    task = add_task(own, superuser)
    client.force_login(secretary)
    url = reverse("responsibilities:progress_record", args=[task.pk])
    response = client.post(url, {"day": str(date.today()), "percent": 60, "text": "已开两次"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and f'id="task-row-{task.pk}"' in page and "60%" in page
    bad = client.post(url, {"day": str(date.today()), "percent": 160, "text": "x"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "完成百分比" in bad.content.decode()
    assert task.progress_entries.count() == 1


def test_evidence_download_is_an_attachment_that_browsers_will_not_sniff(client, tree, office_staff, superuser):
    task = add_task(committee_list(tree["own"], superuser), superuser)
    evidence = services.evidence_upload(task=task, uploaded=pdf("纪要.pdf"), by=superuser)
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_uploading_a_disguised_file_shows_the_reason_and_keeps_nothing(client, tree, office_staff, superuser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = add_task(committee_list(tree["own"], superuser), superuser)
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:evidence_upload", args=[task.pk]),
        {"file": SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")},
        follow=True,
    )
    assert "文件内容与扩展名" in response.content.decode()
    assert not task.evidence.exists()


def test_issue_page_issues_to_chosen_children(client, tree, office_staff, superuser):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:task_issue", args=[tree["own"].pk]),
        {
            "year": THIS_YEAR,
            "item_number": 7,
            "title": "廉政谈话",
            "quantity": "1",
            "unit": "轮",
            "deadline": f"{THIS_YEAR}-12-20",
            "standard": "全覆盖",
            "recipients": [tree["child"].pk],
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(source__isnull=False)
    assert task.item.responsibility_list.organisation == tree["child"]
    status_page = client.get(response.url)
    assert [t.pk for t in status_page.context["recipients"]] == [task.pk]
    assert f'href="{response.url}"' in client.get(task.get_absolute_url()).content.decode()
    # The county's own office staff see where the task came from, without a link they could not open.
    county_staff = make_user("county-office", tree["child"], Role.OFFICE_STAFF, superuser)
    client.force_login(county_staff)
    page = client.get(task.get_absolute_url()).content.decode()
    assert f"{tree['own'].name}下发的任务" in page and f'href="{response.url}"' not in page
    assert client.get(response.url).status_code == 404


def test_issue_page_refuses_a_sibling_as_recipient(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:task_issue", args=[tree["own"].pk]),
        {
            "year": THIS_YEAR,
            "item_number": 7,
            "title": "廉政谈话",
            "quantity": "1",
            "unit": "轮",
            "deadline": f"{THIS_YEAR}-12-20",
            "standard": "全覆盖",
            "recipients": [tree["sibling"].pk],
        },
    )
    assert response.status_code == 400 and "recipients" in response.context["form"].errors
    assert not Task.objects.exists()


def test_rollover_page_starts_a_job_that_finishes(client, tree, office_staff, django_capture_on_commit_callbacks):
    client.force_login(office_staff)  # the job runs when the request commits (JOBS_INLINE in tests)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("responsibilities:rollover_start", args=[tree["own"].pk]), {"year": THIS_YEAR + 1}
        )
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.context["job"].status == "done" and "新建清单 2 份" in page.content.decode()


def test_rollover_for_a_year_without_template_is_refused_at_the_field(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(reverse("responsibilities:rollover_start", args=[tree["own"].pk]), {"year": 2005})
    assert response.status_code == 400 and "year" in response.context["form"].errors


def test_template_pages_show_the_four_lists_and_only_superusers_edit(client, tree, office_staff, superuser):
    client.force_login(office_staff)
    version = services.template_for(2026)
    page = client.get(reverse("responsibilities:template_detail", args=[version.pk])).content.decode()
    assert "完善抓党建相关制度" in page and "加强对分管领域党建工作督促指导" in page
    item = version.items.first()
    assert client.get(reverse("responsibilities:template_item_edit", args=[item.pk])).status_code == 403
    client.force_login(superuser)
    response = client.post(
        reverse("responsibilities:template_item_edit", args=[item.pk]), {"title": "", "version": item.version}
    )
    assert response.status_code == 400 and "title" in response.context["form"].errors


# ---- Query counts -----------------------------------------------------------------------------


def test_list_page_query_count_does_not_grow_with_tasks(client, tree, office_staff, superuser):
    listed = committee_list(tree["own"], superuser)
    add_task(listed, superuser)
    client.force_login(office_staff)
    few = queries_for(client, listed.get_absolute_url())
    for index in range(49):
        task = add_task(listed, superuser, number=1 + index % 15)
        services.progress_record(task=task, text="进展", percent=50, by=superuser)
    assert queries_for(client, listed.get_absolute_url()) == few


def test_organisation_lists_query_count_does_not_grow_with_lists(client, tree, office_staff, superuser):
    org = tree["own"]
    committee_list(org, superuser)
    client.force_login(office_staff)
    url = reverse("responsibilities:organisation_lists", args=[org.pk])
    few = queries_for(client, url)
    for _ in range(50):
        add_member(org, superuser, start=date(THIS_YEAR, 1, 1))
    assert ResponsibilityList.objects.filter(organisation=org).count() == 51
    assert queries_for(client, url) == few


def test_checklist_query_count_does_not_grow_with_tasks_or_team(client, tree, superuser, secretary):
    org = tree["own"]
    add_member(org, superuser)
    services.lists_generate(organisation=org, year=THIS_YEAR, by=superuser)
    own = ResponsibilityList.objects.get(person__user=secretary, year=THIS_YEAR)
    add_task(own, superuser)
    client.force_login(secretary)
    url = reverse("responsibilities:my_checklist")
    few = queries_for(client, url)
    for index in range(49):
        add_task(own, superuser, number=1 + index % 4)
        add_member(org, superuser, start=date(THIS_YEAR, 1, 1))
    assert queries_for(client, url) == few


def test_organisation_page_rollup_query_count_does_not_grow_with_children(client, tree, office_staff, superuser):
    org = tree["own"]
    client.force_login(office_staff)
    url = reverse("responsibilities:organisation_detail", args=[org.pk])
    add_task(committee_list(tree["child"], superuser), superuser)
    few = queries_for(client, url)
    for index in range(50):
        child = make_organisation(parent=org, name=f"机关{index}")
        add_task(committee_list(child, superuser), superuser)
    assert queries_for(client, url) == few


def test_issued_task_status_query_count_does_not_grow_with_recipients(client, tree, office_staff, superuser):
    org = tree["own"]
    children = [tree["child"]]
    issue = {
        "year": THIS_YEAR,
        "item_number": 1,
        "title": "下发",
        "quantity": 1,
        "unit": "次",
        "deadline": date(THIS_YEAR, 12, 1),
        "standard": "",
        "requirement": "",
    }
    client.force_login(office_staff)
    one = services.task_issue(issuer=org, recipients=children, by=superuser, **issue)
    few = queries_for(client, one.get_absolute_url())
    children += [make_organisation(parent=org) for _ in range(49)]
    many = services.task_issue(issuer=org, recipients=children, by=superuser, **issue)
    assert queries_for(client, many.get_absolute_url()) == few


def test_a_member_role_sees_my_checklist_in_the_navigation(client, secretary, office_staff):
    client.force_login(secretary)
    assert "我的责任清单" in client.get(reverse("home")).content.decode()
    client.force_login(office_staff)
    assert "我的责任清单" not in client.get(reverse("home")).content.decode()


def test_team_role_constants_cover_every_list_kind():
    assert {ListKind.for_team_role(role) for role in TeamRole.values} == set(ListKind.values) - {ListKind.COMMITTEE}


def test_a_return_over_someone_elses_move_answers_409_and_keeps_the_reason(
    client, tree, office_staff, secretary, superuser
):
    listed = committee_list(tree["own"], superuser)
    listed = services.list_transition(
        responsibility_list=listed, version=listed.version, target="submitted", by=office_staff
    )
    opened_at = listed.version  # the secretary opens the page and starts typing a reason
    services.list_transition(
        responsibility_list=listed, version=listed.version, target="draft", reason="先退回", by=secretary
    )
    listed = ResponsibilityList.objects.get(pk=listed.pk)
    services.list_transition(responsibility_list=listed, version=listed.version, target="submitted", by=office_staff)
    client.force_login(secretary)
    response = client.post(
        reverse("responsibilities:list_transition", args=[listed.pk]),
        {"target": "draft", "version": opened_at, "reason": "任务不够具体，请细化"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="edit-conflict"' in page and "已提交" in page
    assert 'value="任务不够具体，请细化"' in page
    assert ResponsibilityList.objects.get(pk=listed.pk).status == ListStatus.SUBMITTED


def test_an_upload_without_a_file_is_refused_at_the_field_and_the_picker_says_what_it_takes(
    client, tree, office_staff, superuser
):
    task = add_task(committee_list(tree["own"], superuser), superuser)
    client.force_login(office_staff)
    page = client.get(task.get_absolute_url()).content.decode()
    assert 'accept="image/*,.pdf,.jpg,.jpeg,.png,.doc,.xls,.docx,.xlsx"' in page
    assert 'capture="environment"' in page  # the phone's camera picker beside each evidence field
    assert "单个文件不超过 10.0\xa0MB" in page  # filesizeformat joins with a no-break space
    response = client.post(
        reverse("responsibilities:evidence_upload", args=[task.pk]), {"description": "照片"}, follow=True
    )
    assert "请选择要上传的文件，或直接拍照。" in response.content.decode()
    assert not task.evidence.exists()


def test_a_photo_from_the_camera_picker_is_kept_like_any_file(client, tree, office_staff, superuser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = add_task(committee_list(tree["own"], superuser), superuser)
    client.force_login(office_staff)
    photo = SimpleUploadedFile("IMG_0001.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 32, content_type="image/jpeg")
    client.post(reverse("responsibilities:evidence_upload", args=[task.pk]), {"file": photo})
    assert list(task.evidence.values_list("original_name", "content_type")) == [("IMG_0001.jpg", "image/jpeg")]
