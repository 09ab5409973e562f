"""Defects found walking the product (issue 16, item 11), each pinned by a test."""

import pytest
from django.core.exceptions import ValidationError

from responsibilities import services
from responsibilities.models import ListStatus
from tests.responsibilities.list_factories import add_task, committee_list

pytestmark = pytest.mark.django_db


def test_a_task_with_a_quantity_but_no_unit_is_refused_by_the_service(tree, superuser):
    responsibility_list = committee_list(tree["own"], superuser)
    with pytest.raises(ValidationError) as refused:
        add_task(responsibility_list, superuser, quantity=4, unit="")
    assert refused.value.message_dict == {"unit": ["填写了数量的任务必须写明单位（例如 次、篇、人次）。"]}


def test_changing_a_submitted_list_needs_a_reason(tree, superuser, office_staff, secretary):
    responsibility_list = committee_list(tree["own"], superuser)
    task = add_task(responsibility_list, superuser)
    responsibility_list.refresh_from_db()
    services.list_transition(
        responsibility_list=responsibility_list,
        version=responsibility_list.version,
        target=ListStatus.SUBMITTED,
        by=office_staff,
    )
    task.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.task_update(task=task, version=task.version, by=office_staff, title="改过的任务")
    assert refused.value.message_dict == {"reason": ["清单已提交或已确认，修改时请写明原因。"]}
    changed = services.task_update(
        task=task, version=task.version, by=office_staff, title="改过的任务", reason="书记要求补充"
    )
    assert changed.title == "改过的任务"


def test_archiving_an_organisation_with_active_children_says_so_before_a_reason_is_typed(client, tree, office_staff):
    from django.urls import reverse

    client.force_login(office_staff)
    blocked = client.get(reverse("responsibilities:organisation_archive", args=[tree["own"].pk]))
    page = blocked.content.decode()
    assert blocked.status_code == 200 and 'data-testid="archive-blocked"' in page
    assert "该组织还有未归档的下级组织" in page and 'name="reason"' not in page
    leaf = client.get(reverse("responsibilities:organisation_archive", args=[tree["child"].pk])).content.decode()
    assert 'data-testid="archive-blocked"' not in leaf and 'name="reason"' in leaf


def test_a_vacant_secretary_post_is_warned_on_the_organisations_page_and_in_its_parents_table(
    client, tree, office_staff, secretary
):
    from django.urls import reverse

    client.force_login(office_staff)
    own = client.get(reverse("responsibilities:organisation_detail", args=[tree["own"].pk])).content.decode()
    assert 'data-testid="secretary-vacant"' not in own  # 王书记 sits
    assert 'data-testid="child-secretary-vacant"' in own  # the county below has no secretary
    child = client.get(reverse("responsibilities:organisation_detail", args=[tree["child"].pk])).content.decode()
    assert 'data-testid="secretary-vacant"' in child
    assert "书记职位空缺：本组织目前没有在任书记，提交的责任清单无人确认。请在班子中添加书记。" in child


def test_a_refused_upload_goes_back_to_the_task_page_with_the_message_at_the_field(
    client, tree, office_staff, superuser
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    task = add_task(committee_list(tree["own"], superuser), superuser)
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:evidence_upload", args=[task.pk]),
        {"file": SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"), "description": "会议纪要"},
    )
    assert (response.status_code, response.url) == (302, f"{task.get_absolute_url()}#evidence-form")
    page = client.get(task.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and 'data-field-error="file"' in html and "文件内容与扩展名" in html
    assert 'value="会议纪要"' in html  # the typed description is kept
    again = client.get(task.get_absolute_url()).content.decode()
    assert 'data-field-error="file"' not in again  # shown once
    assert not task.evidence.exists()


def test_a_refused_progress_entry_goes_back_to_the_task_page_with_the_products_own_message(
    client, tree, office_staff, superuser
):
    from django.urls import reverse

    task = add_task(committee_list(tree["own"], superuser), superuser)
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:progress_record", args=[task.pk]),
        {"day": "", "percent": "150", "text": "已召开"},
    )
    assert (response.status_code, response.url) == (302, f"{task.get_absolute_url()}#progress-form")
    html = client.get(task.get_absolute_url()).content.decode()
    assert "请填写 0 到 100 之间的整数作为完成百分比。" in html and 'data-field-error="percent"' in html
    assert 'data-testid="progress-form" novalidate' in html and 'data-testid="evidence-form" novalidate' in html
    assert not task.progress_entries.exists()


def test_a_return_without_a_reason_is_shown_at_the_reason_field_of_the_list_page(
    client, tree, superuser, office_staff, secretary
):
    from django.urls import reverse

    responsibility_list = committee_list(tree["own"], superuser)
    services.list_transition(
        responsibility_list=responsibility_list,
        version=responsibility_list.version,
        target=ListStatus.SUBMITTED,
        by=office_staff,
    )
    responsibility_list.refresh_from_db()
    client.force_login(secretary)
    response = client.post(
        reverse("responsibilities:list_transition", args=[responsibility_list.pk]),
        {"target": "draft", "version": responsibility_list.version, "reason": ""},
    )
    assert (response.status_code, response.url) == (302, responsibility_list.get_absolute_url())
    html = client.get(responsibility_list.get_absolute_url()).content.decode()
    assert 'data-field-error="reason"' in html and "退回时请写明原因。" in html
    responsibility_list.refresh_from_db()
    assert responsibility_list.status == ListStatus.SUBMITTED


def test_an_empty_supervision_note_is_refused_at_its_field_on_my_checklist(client, tree, superuser, secretary):
    from django.urls import reverse

    from responsibilities.models import ResponsibilityList, SupervisionNote
    from tests.responsibilities.list_factories import THIS_YEAR, add_member

    member = add_member(tree["own"], superuser, name="张委员")
    services.lists_generate(organisation=tree["own"], year=THIS_YEAR, by=superuser)
    member_list = ResponsibilityList.objects.get(person=member, year=THIS_YEAR)
    client.force_login(secretary)
    checklist = reverse("responsibilities:my_checklist")
    response = client.post(
        reverse("responsibilities:supervision_note_add", args=[member_list.pk]), {"text": " ", "next": checklist}
    )
    assert (response.status_code, response.url) == (302, checklist)
    html = client.get(checklist).content.decode()
    assert f'id="note-error-{member_list.pk}"' in html and "请填写督促内容。" in html
    assert f'id="note-{member_list.pk}" novalidate' in html
    assert not SupervisionNote.objects.exists()


def test_every_year_picker_is_the_same_dropdown(client, tree, office_staff, secretary, superuser):
    from django.urls import reverse

    committee_list(tree["own"], superuser)
    client.force_login(office_staff)
    org = tree["own"].pk
    for url in (
        reverse("responsibilities:organisation_detail", args=[org]),
        reverse("responsibilities:organisation_lists", args=[org]),
        reverse("responsibilities:problem_rollup", args=[org]),
        reverse("responsibilities:problem_list"),
    ):
        html = client.get(url + "?year=2023&sort=rate").content.decode()
        assert 'type="number" name="year"' not in html, url
        assert '<option value="2023" selected>2023 年</option>' in html, url
    client.force_login(secretary)
    html = client.get(reverse("responsibilities:my_checklist") + "?year=2024&show=overdue").content.decode()
    assert '<option value="2024" selected>2024 年</option>' in html
    assert '<input type="hidden" name="show" value="overdue">' in html


def test_the_rollover_page_has_a_breadcrumb_past_runs_and_no_zero_of_zero_while_queued(
    client, tree, office_staff, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from responsibilities.jobs import start_rollover
    from tests.responsibilities.list_factories import THIS_YEAR

    client.force_login(office_staff)
    queued = start_rollover(root=tree["own"], year=THIS_YEAR + 1, by=office_staff)  # not run: no commit
    page = client.get(queued.get_absolute_url()).content.decode()
    assert "已处理 0 / 0" not in page and "等待后台进程开始处理" in page
    assert 'aria-label="breadcrumb"' in page and f'href="{tree["own"].get_absolute_url()}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("responsibilities:rollover_start", args=[tree["own"].pk]), {"year": THIS_YEAR + 2}
        )
    done = client.get(response.url)
    html = done.content.decode()
    assert [run.year for run in done.context["runs"]] == [THIS_YEAR + 2, THIS_YEAR + 1]
    assert 'data-testid="rollover-runs"' in html and f"{THIS_YEAR + 1} 年" in html and "已处理 2 / 2 个组织" in html
    start = client.get(reverse("responsibilities:rollover_start", args=[tree["own"].pk])).content.decode()
    assert 'data-testid="rollover-runs"' in start and 'aria-label="breadcrumb"' in start
