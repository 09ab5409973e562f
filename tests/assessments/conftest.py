"""A scheme of the own city over its county and a second child, with each department's indicators."""

from datetime import date
from decimal import Decimal as D

import pytest

from assessments import services
from responsibilities.models import Department, Role, TemplateItem
from tests.conftest import make_user
from tests.responsibilities.factories import make_organisation
from tests.responsibilities.list_factories import THIS_YEAR


@pytest.fixture
def inspectors(tree, superuser):
    return {
        dept: make_user(f"insp-{dept}", tree["own"], Role.INSPECTOR, superuser, department=dept)
        for dept in Department.values
    }


@pytest.fixture
def organ(tree):
    return make_organisation(parent=tree["own"], name="市直机关工委", code="P-C-J")


def scheme_fields(**change):
    """A valid annual scheme's fields (weights summing to 100), with ``change`` applied."""
    return {
        "name": "年度考核",
        "year": THIS_YEAR,
        "kind": "annual",
        "party_building_weight": D(20),
        "weight_routine": D(30),
        "weight_annual": D(50),
        "weight_mass": D(20),
        "team_top_quota": D(50),
        "leader_top_quota": D(50),
        "secretary_org_weight": D(70),
    } | change


@pytest.fixture
def scheme(tree, superuser, organ):
    return services.scheme_create(assessor=tree["own"], targets=[tree["child"], organ], by=superuser, **scheme_fields())


def add_indicator(scheme, department, by, title="指标", max_score=10, quantity=2, deduction=2, bonus_cap=2, items=()):
    return services.indicator_save(
        scheme=scheme,
        department=department,
        by=by,
        title=title,
        max_score=D(max_score),
        quantity=D(quantity) if quantity is not None else None,
        unit="次",
        deadline=date(scheme.year, 12, 31) if quantity is not None else None,
        standard="有记录" if quantity is not None else "",
        requirement="",
        deduction_per_shortfall=D(deduction),
        bonus_cap=D(bonus_cap),
        list_items=TemplateItem.objects.filter(template__effective_from_year=2016, kind="committee", number__in=items),
    )


@pytest.fixture
def indicators(scheme, inspectors):
    return {
        "organisation": [
            add_indicator(scheme, "organisation", inspectors["organisation"], "组织生活会", 20, items=[5]),
            add_indicator(scheme, "organisation", inspectors["organisation"], "支部达标", 10),
        ],
        "discipline": [add_indicator(scheme, "discipline", inspectors["discipline"], "警示教育", 20)],
    }


def inspect_all(scheme, organisation, inspectors, confirm_by):
    """Every department that has indicators assesses the organisation at year end, without deductions."""
    departments = set(scheme.indicators.values_list("department", flat=True))
    for department in sorted(departments):
        inspect(scheme, organisation, department, inspectors[department], confirm_by=confirm_by)


def inspect(
    scheme,
    organisation,
    department,
    inspector,
    kind="annual",
    deductions_by_indicator=None,
    confirm_by=None,
    bonuses=None,
):
    """An inspection scored (deductions and bonuses per indicator title), submitted, and confirmed if asked."""
    inspection = services.inspection_start(
        scheme=scheme, organisation=organisation, kind=kind, department=department, by=inspector
    )
    for indicator in scheme.indicators.filter(department=department):
        points = (deductions_by_indicator or {}).get(indicator.title, [])
        inspection = services.score_record(
            inspection=inspection,
            version=inspection.version,
            indicator=indicator,
            deductions=[(D(p), "差距") for p in points],
            bonus=D((bonuses or {}).get(indicator.title, 0)),
            by=inspector,
        ).inspection
    inspection = services.inspection_submit(inspection=inspection, version=inspection.version, by=inspector)
    if confirm_by is not None:
        inspection = services.inspection_confirm(inspection=inspection, version=inspection.version, by=confirm_by)
    return inspection
