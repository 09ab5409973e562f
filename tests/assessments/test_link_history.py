"""Changes to a scheme's 被考核组织 and an indicator's 责任事项 are in their history, with who and when
(the link tables are tracked), and an archived indicator's items cannot be removed in the database."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from assessments import services
from assessments.models import IndicatorListItem
from responsibilities.models import TemplateItem
from tests.assessments.test_views import scheme_post
from tests.helpers import REFUSED_BY_TRIGGER, queries_for
from tests.responsibilities.factories import make_organisation

pytestmark = pytest.mark.django_db


def history(client, key, pk):
    response = client.get(reverse("responsibilities:history", args=[key, pk]))
    assert response.status_code == 200
    return response.context["entries"]


def test_changing_a_schemes_targets_from_its_form_is_in_its_history_with_the_actor(client, tree, scheme, office_staff):
    added = make_organisation(parent=tree["own"], name="市委组织部", code="P-C-Z")
    client.force_login(office_staff)
    response = client.post(
        reverse("assessments:scheme_edit", args=[scheme.pk]),
        scheme_post(tree, name=scheme.name, version=scheme.version, targets=[tree["child"].pk, added.pk]),
    )
    assert response.status_code == 302
    entries = history(client, "scheme", scheme.pk)
    assert [e.kind for e in entries] == ["创建", "修改"]
    created = {c.label: c.after for c in entries[0].changes}
    assert created["被考核组织"] == "添加：测试县委、市直机关工委"
    change = entries[1]
    assert change.user == office_staff
    assert [(c.label, c.after) for c in change.changes if c.label == "被考核组织"] == [
        ("被考核组织", "添加：市委组织部；移除：市直机关工委")
    ]
    page = client.get(reverse("responsibilities:history", args=["scheme", scheme.pk])).content.decode()
    assert "添加：市委组织部；移除：市直机关工委" in page


def test_the_link_events_keep_the_request_that_made_them(client, tree, scheme, office_staff):
    added = make_organisation(parent=tree["own"], name="市委组织部", code="P-C-Z")
    client.force_login(office_staff)
    url = reverse("assessments:scheme_edit", args=[scheme.pk])
    client.post(url, scheme_post(tree, name=scheme.name, version=scheme.version, targets=[tree["child"].pk, added.pk]))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.pgh_label, c.metadata->>'user', c.metadata->>'url' FROM assessments_schemetargetevent e "
            "JOIN pghistory_context c ON c.id = e.pgh_context_id WHERE e.scheme_id = %s AND e.organisation_id = %s",
            [scheme.pk, added.pk],
        )
        assert cursor.fetchall() == [("add", str(office_staff.pk), url)]


def test_an_indicators_items_are_in_its_history_and_fixed_once_it_is_archived(client, scheme, inspectors):
    first, second = TemplateItem.objects.order_by("pk")[:2]
    inspector = inspectors["organisation"]
    indicator = services.indicator_save(
        scheme=scheme, department="organisation", list_items=[first], by=inspector, **indicator_fields()
    )
    indicator = services.indicator_save(
        scheme=scheme,
        department="organisation",
        list_items=[second],
        indicator=indicator,
        version=indicator.version,
        by=inspector,
        **indicator_fields(),
    )
    client.force_login(inspector)
    entries = history(client, "indicator", indicator.pk)
    changed = [c.after for e in entries for c in e.changes if c.label == "考核的责任事项"]
    assert changed == [f"添加：{first}", f"添加：{second}；移除：{first}"]
    assert entries[-1].user == inspector

    with connection.cursor() as cursor:
        cursor.execute("UPDATE assessments_indicator SET archived_at = now() WHERE id = %s", [indicator.pk])
    with pytest.raises(REFUSED_BY_TRIGGER, match="archived indicator"), transaction.atomic():
        IndicatorListItem.objects.filter(indicator=indicator).delete()
    assert IndicatorListItem.objects.filter(indicator=indicator).count() == 1


def indicator_fields():
    from datetime import date
    from decimal import Decimal as D

    from tests.responsibilities.list_factories import THIS_YEAR

    return {
        "title": "组织生活会",
        "max_score": D(10),
        "quantity": D(2),
        "unit": "次",
        "deadline": date(THIS_YEAR, 12, 31),
        "standard": "有记录",
        "requirement": "",
        "deduction_per_shortfall": D(2),
        "bonus_cap": D(0),
    }


def test_the_schemes_history_query_count_does_not_grow_with_target_changes(client, tree, scheme, office_staff):
    client.force_login(office_staff)
    url = reverse("responsibilities:history", args=["scheme", scheme.pk])
    few = queries_for(client, url)
    extra = [make_organisation(parent=tree["own"], name=f"新增单位{n}", code=f"P-C-N{n}") for n in range(10)]
    for organisation in extra:
        scheme = services.scheme_update(
            scheme=scheme,
            version=scheme.version,
            targets=[tree["child"], organisation],
            by=office_staff,
        )
    assert len(history(client, "scheme", scheme.pk)) == 11
    assert queries_for(client, url) == few
