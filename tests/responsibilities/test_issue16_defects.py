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
