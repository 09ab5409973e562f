"""Issue 16 on the accountability pages: 不予问责 asks for a reason and a confirmation at the field; a
decision prints measures by their names, not their rule-set qualifiers; the history names people."""

from datetime import date

import pytest
from django.urls import reverse

from accountability.models import Measure
from tests.accountability.factories import decide, file_case, to_review

pytestmark = pytest.mark.django_db


def test_closing_as_not_held_needs_a_reason_and_a_ticked_confirmation(client, tree, superuser, discipline_inspector):
    from accountability import services

    case = services.case_transition(
        case=file_case(tree["child"], superuser), version=1, target="investigating", by=superuser
    )
    client.force_login(discipline_inspector)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'name="confirmed"' in page and "确认以此结果结案" in page
    url = reverse("accountability:case_exempt", args=[case.pk])
    data = {"exemption": "not_held", "ground": "not_established", "note": "", "version": case.version}
    refused = client.post(url, data)
    errors = refused.context["exemption_form"].errors
    assert refused.status_code == 400
    assert errors["note"] == ["请写明不予或免予问责的理由和查明的事实。"]
    assert errors["confirmed"] == ["请勾选确认后再结案。"]
    assert 'data-field-error="confirmed"' in refused.content.decode()
    case.refresh_from_db()
    assert (case.status, case.exemption) == ("investigating", "")
    done = client.post(url, {**data, "note": "经核实不属于问责情形", "confirmed": "on"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.exemption == "not_held"


def test_a_decision_print_names_measures_without_their_qualifiers(
    regulations_2019, client, tree, superuser, discipline_inspector
):
    case = file_case(tree["child"], superuser)
    decide(case, superuser, date(2025, 6, 20), "通报（组织）")
    client.force_login(discipline_inspector)
    page = client.get(reverse("accountability:decision_print", args=[case.pk])).content.decode()
    assert "经研究决定：<strong>通报</strong>" in page and "通报（组织）" not in page


def test_printed_names_of_the_qualified_measures():
    names = {"通报（组织）": "通报", "警告（党纪）": "党内警告", "警告（政务）": "政务警告", "免职": "免职"}
    assert {name: Measure(name=name).printed_name for name in names} == names


def test_the_case_history_names_people_not_logins(regulations_2019, client, tree, superuser, discipline_inspector):
    case = to_review(file_case(tree["child"], superuser), superuser)
    client.force_login(discipline_inspector)
    page = client.get(reverse("responsibilities:history", args=["case", case.pk])).content.decode()
    assert "超级管理员" in page and ">root<" not in page
