"""立为问题: a deduction of a submitted inspection becomes a problem of the inspected organisation, found
by the assessing organisation, with the text prefilled; once per deduction; not from a draft."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Deduction
from responsibilities.models import Problem, ProblemStatus
from tests.assessments.conftest import inspect
from tests.responsibilities.list_factories import committee_list

pytestmark = pytest.mark.django_db


def test_a_deduction_becomes_a_problem_with_its_text_prefilled_once(
    client, tree, scheme, indicators, inspectors, office_staff
):
    committee_list(tree["child"], office_staff, year=scheme.year)
    inspection = inspect(
        scheme, tree["child"], "organisation", inspectors["organisation"], deductions_by_indicator={"组织生活会": [2]}
    )
    deduction = Deduction.objects.get(indicator_score__inspection=inspection)
    client.force_login(inspectors["organisation"])
    page = client.get(inspection.get_absolute_url()).content.decode()
    url = reverse("assessments:deduction_problem", args=[deduction.pk])
    assert 'data-testid="raise-problem"' in page and url in page

    form = client.get(url).context["form"]
    assert form["title"].value() == "组织生活会：差距"
    assert "扣 2 分" in form["source_detail"].value() and "差距" in form["description"].value()
    # The indicator measures item 5 of the committee list: that item is preselected.
    [item] = form.fields["items"].queryset.filter(pk__in=form["items"].value())
    assert item.number == 5 and item.responsibility_list.organisation == tree["child"]

    deadline = timezone.localdate() + timezone.timedelta(days=30)
    response = client.post(
        url,
        {
            "title": "组织生活会：差距",
            "description": "组织生活会次数不足",
            "deadline": str(deadline),
            "items": [item.pk],
            "source": "other",  # a disabled field: the deduction is the source whatever is posted
            "found_by": tree["child"].pk,
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == problem.get_absolute_url()
    assert (problem.source, problem.found_by, problem.organisation) == ("inspection", tree["own"], tree["child"])
    assert problem.status == ProblemStatus.OPEN and problem.source_key == f"deduction:{deduction.pk}"

    again = client.get(url)
    assert again.status_code == 302 and again.url == problem.get_absolute_url()
    assert 'data-testid="raised-problem"' in client.get(inspection.get_absolute_url()).content.decode()
    assert Problem.objects.count() == 1


def test_who_may_not_record_for_the_assessing_organisation_is_refused(
    client, tree, scheme, indicators, inspectors, superuser
):
    from responsibilities.models import Role
    from tests.conftest import make_user

    inspection = inspect(
        scheme, tree["child"], "organisation", inspectors["organisation"], deductions_by_indicator={"组织生活会": [2]}
    )
    deduction = Deduction.objects.get(indicator_score__inspection=inspection)
    county_staff = make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser)
    client.force_login(county_staff)  # sees its own inspection and deduction, but did not find them
    assert client.get(reverse("assessments:deduction_problem", args=[deduction.pk])).status_code == 403
    assert not Problem.objects.exists()
