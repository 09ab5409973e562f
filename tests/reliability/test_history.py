"""Nothing lost: every business table refuses DELETE and keeps a history shown on a 修改记录 tab."""

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from responsibilities import services
from responsibilities.models import Organisation
from tests.helpers import REFUSED_BY_TRIGGER, queries_for

pytestmark = pytest.mark.django_db

BUSINESS_APPS = ("responsibilities", "accountability", "assessments")
# Counts PostgreSQL keeps from the tasks, the 督办 replies and the problems (``responsibilities.tallies``):
# no record of anyone's, and ``manage.py task_tallies --rebuild`` makes them again, so they may be emptied.
DERIVED = (
    "TaskTally",
    "ItemTally",
    "OverdueTally",
    "OverdueClock",
    "OrderTally",
    "ProblemTally",
    "SignedList",
    "SigningTally",
)
# Links the product's forms add and remove (a scheme's targets, an indicator's items, a situation's
# items, a duty record's list items while its year is open): a removal is recorded in the link's
# history instead of refused (docs/开发说明.md, "Security: the audit trail").
EDITABLE_LINKS = ("SchemeTarget", "IndicatorListItem", "SituationFailedItem", "DutyRecordItem")


def business_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in BUSINESS_APPS
        and not model.__name__.endswith("Event")
        and not model._meta.auto_created
        and model.__name__ not in DERIVED + EDITABLE_LINKS
    ]


def link_models():
    return [
        field.remote_field.through
        for model in apps.get_models()
        if model._meta.app_label in BUSINESS_APPS
        for field in model._meta.local_many_to_many
    ]


def test_every_many_to_many_set_is_a_link_model_of_ours():
    assert {m.__name__ for m in link_models() if m._meta.auto_created} == set()
    assert set(EDITABLE_LINKS) <= {m.__name__ for m in link_models()}


@pytest.mark.parametrize("model", link_models(), ids=lambda m: m.__name__)
def test_every_link_table_records_additions_and_removals(model):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE 'pgtrigger_%%' ORDER BY 1",
            [model._meta.db_table],
        )
        names = {row[0].rsplit("_", 1)[0] for row in cursor.fetchall()}
    assert {"pgtrigger_add_insert", "pgtrigger_remove_delete"} <= names


@pytest.mark.parametrize("model", business_models(), ids=lambda m: m.__name__)
def test_every_business_table_has_the_trigger_that_refuses_delete(model):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE %s",
            [model._meta.db_table, "pgtrigger_protect_delete%"],
        )
        assert cursor.fetchone()[0] == 1, f"{model._meta.db_table} can be deleted from"


def test_a_delete_of_a_real_row_is_refused_and_the_row_stays(tree):
    organisation = tree["child"]
    with pytest.raises(REFUSED_BY_TRIGGER), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM responsibilities_person WHERE home_organisation_id = %s", [organisation.pk])
        cursor.execute("DELETE FROM responsibilities_organisation WHERE id = %s", [organisation.pk])
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_history_tab_shows_who_changed_which_field_from_what_to_what(client, tree, office_staff):
    county = tree["child"]
    services.organisation_update(
        organisation=county,
        version=1,
        parent=None,
        by=office_staff,
        name="测试县委（新）",
        short_name="",
        code=county.code,
        kind=county.kind,
    )
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:history", args=["organisation", county.pk]))
    entries = response.context["entries"]
    assert [e.kind for e in entries] == ["创建", "修改"]
    [change] = entries[1].changes
    assert (change.label, change.before, change.after) == ("名称", "测试县委", "测试县委（新）")
    assert entries[1].user == office_staff
    page = response.content.decode()
    assert "测试县委（新）" in page and "名称" in page


def test_history_of_a_record_out_of_scope_or_of_an_unknown_kind_is_404(client, tree, office_staff):
    client.force_login(office_staff)
    assert client.get(reverse("responsibilities:history", args=["organisation", tree["sibling"].pk])).status_code == 404
    assert client.get(reverse("responsibilities:history", args=["nothing", tree["own"].pk])).status_code == 404


def test_history_tab_query_count_does_not_grow_with_changes(client, tree, office_staff):
    county = tree["child"]
    client.force_login(office_staff)
    url = reverse("responsibilities:history", args=["organisation", county.pk])
    few = queries_for(client, url)
    for index in range(30):
        county = services.organisation_update(
            organisation=county,
            version=county.version,
            parent=None,
            by=office_staff,
            name=f"名称{index}",
            short_name="",
            code=county.code,
            kind=county.kind,
        )
    assert queries_for(client, url) == few


def test_accounts_are_deactivated_in_the_admin_never_deleted(client, superuser, office_staff):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    client.force_login(superuser)
    response = client.post(reverse("admin:auth_user_delete", args=[office_staff.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=office_staff.pk).exists()
