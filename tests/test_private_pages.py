"""Confidential pages may be kept by no cache, shared or the browser's (issue 12, break 6a)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessments
from tests.accountability.factories import decide, file_case
from tests.assessments.conftest import scheme_fields
from tests.responsibilities.factories import PersonFactory, make_organisation
from tests.responsibilities.list_factories import THIS_YEAR


@pytest.fixture
def records(tree, superuser):
    person = PersonFactory(home_organisation=tree["child"])
    case = file_case(tree["child"], superuser, person=person, facts_date=date(THIS_YEAR, 1, 1))
    decide(case, superuser, timezone.localdate(), "通报批评")
    organ = make_organisation(parent=tree["own"], name="市直机关工委", code="P-C-J")
    scheme = assessments.scheme_create(
        assessor=tree["own"], targets=[tree["child"], organ], by=superuser, **scheme_fields()
    )
    results, _leaders = assessments.results_compute(scheme=scheme, by=superuser)
    return {"person": person, "case": case, "scheme": scheme, "result": results[0]}


def test_confidential_pages_are_private_and_not_stored(client, tree, superuser, records):
    case, scheme = records["case"], records["scheme"]
    urls = [
        reverse("accountability:case_list"),
        reverse("accountability:case_attribution"),
        reverse("accountability:case_detail", args=[case.pk]),
        reverse("accountability:decision_print", args=[case.pk]),
        reverse("accountability:person_record", args=[records["person"].pk]),
        reverse("accountability:screening"),
        reverse("accountability:screening") + f"?root={tree['own'].pk}&day={timezone.localdate()}",
        reverse("accountability:screening") + f"?root={tree['own'].pk}&day={timezone.localdate()}&format=xlsx",
        reverse("accountability:early_warning"),
        reverse("search") + f"?q={case.number}",
        reverse("assessments:results", args=[scheme.pk]),
        reverse("assessments:result_detail", args=[records["result"].pk]),
        reverse("assessments:results_export", args=[scheme.pk]),
        reverse("assessments:results_print", args=[scheme.pk]),
        reverse("responsibilities:dashboard", args=[tree["own"].pk]),
        reverse("responsibilities:dashboard_home"),
    ]
    client.force_login(superuser)
    answers = {url: client.get(url) for url in urls}
    assert {url: r.status_code for url, r in answers.items()} == dict.fromkeys(urls, 200)
    assert {url: r.get("Cache-Control") for url, r in answers.items()} == dict.fromkeys(urls, "private, no-store")
