"""A case's 追责情形 and its decision's 问责方式 are in the case's history with who recorded them, and
the database refuses removing them: they are fixed once filed and decided (issue 12, break 4)."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.urls import reverse

from accountability.models import CaseSituation, DecisionMeasure, Situation, SituationFailedItem
from responsibilities.models import TemplateItem
from tests.accountability.factories import decide, file_case
from tests.helpers import REFUSED_BY_TRIGGER

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(tree, superuser, county_secretary, discipline_inspector):
    case = file_case(tree["child"], discipline_inspector, person=county_secretary)
    decide(case, superuser, date(2025, 6, 20), "降职")
    case.refresh_from_db()
    return case


def test_the_cases_situations_and_the_decisions_measures_are_in_the_case_history(
    client, decided, superuser, discipline_inspector
):
    client.force_login(superuser)
    response = client.get(reverse("responsibilities:history", args=["case", decided.pk]))
    entries = response.context["entries"]
    situation = Situation.objects.get(code="FQ-06")
    filed = entries[0]
    assert (filed.kind, filed.user) == ("创建", discipline_inspector)
    assert [(c.label, c.after) for c in filed.changes if c.label == "追责情形"] == [("追责情形", f"添加：{situation}")]
    measures = [(e.user, c.after) for e in entries for c in e.changes if c.label == "问责方式和处分"]
    assert measures == [(superuser, "添加：降职")]
    assert "添加：降职" in response.content.decode()


@pytest.mark.parametrize(
    "table", ["accountability_case_situations", "accountability_decision_measures"], ids=["situations", "measures"]
)
def test_the_database_refuses_removing_a_decided_cases_links(decided, table):
    with pytest.raises(REFUSED_BY_TRIGGER, match="Cannot delete"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert CaseSituation.objects.filter(case=decided).count() == 1
    assert DecisionMeasure.objects.filter(decision__case=decided).count() == 1


def test_a_situations_items_changed_in_the_admin_are_in_its_history(client, superuser):
    situation = Situation.objects.get(code="FQ-06")
    item = TemplateItem.objects.exclude(pk__in=situation.failed_items.values("pk")).order_by("pk").first()
    client.force_login(superuser)
    SituationFailedItem.objects.filter(situation=situation).delete()  # the editable links may be removed
    url = reverse("admin:accountability_situation_change", args=[situation.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["is_active"] = "on"
    formset_prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data |= {
        f"{formset_prefix}-TOTAL_FORMS": "1",
        f"{formset_prefix}-INITIAL_FORMS": "0",
        f"{formset_prefix}-0-templateitem": str(item.pk),
        f"{formset_prefix}-0-situation": str(situation.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    entries = client.get(reverse("responsibilities:history", args=["situation", situation.pk])).context["entries"]
    added = [(e.user, c.after) for e in entries for c in e.changes if c.label == "对应责任事项" and "添加" in c.after]
    assert added[-1] == (superuser, f"添加：{item}")
