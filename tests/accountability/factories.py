"""Helpers to file and decide cases through the services."""

from datetime import date

from accountability import services
from accountability.models import Measure, Responsibility, RuleSet, Severity, Situation, Subject


def file_case(
    organisation, by, person=None, subject=None, situation="FQ-06", facts_date=date(2025, 1, 10), filed_on=None
):
    if subject is None:
        subject = Subject.SECRETARY if person is not None else Subject.COMMITTEE
    return services.case_file(
        organisation=organisation,
        subject=subject,
        person=person,
        responsibility=Responsibility.INDIVIDUAL if person is not None else Responsibility.COLLECTIVE,
        situations=Situation.objects.filter(code=situation),
        facts="对违规问题不报告、不处理。",
        facts_date=facts_date,
        filed_on=filed_on or facts_date,
        severity=Severity.SERIOUS,
        by=by,
    )


def to_review(case, by):
    for target in ("investigating", "reviewing"):
        case = services.case_transition(case=case, version=case.version, target=target, by=by)
    return case


def decide(case, by, decided_on, *measure_names, deciding_organisation=None):
    """Decide a case with the named measures of the rule set that judges it on ``decided_on``."""
    judging = deciding_organisation or case.organisation
    rule_set = services.adoption_on(judging, decided_on).rule_set
    measures = list(Measure.objects.filter(rule_set=rule_set, name__in=measure_names, is_active=True))
    assert len(measures) == len(measure_names), measure_names
    case = to_review(case, by) if case.status != "reviewing" else case
    return services.decision_record(
        case=case,
        version=case.version,
        decided_on=decided_on,
        deciding_body="市纪委",
        deciding_organisation=deciding_organisation,
        measures=measures,
        by=by,
    )


def adopt(rule_set, organisation, effective_from, by, effective_until=None):
    """Adopt a published rule set for an organisation's subtree through the service."""
    return services.rule_set_adopt(
        rule_set=rule_set,
        organisation=organisation,
        effective_from=effective_from,
        effective_until=effective_until,
        decided_by_body="市委常委会",
        decided_on=date(2020, 1, 1),
        by=by,
    )


def article_rules():
    return RuleSet.objects.get(effective_from=date(2016, 9, 26), based_on__isnull=True, owner__isnull=True)


def rules_2019():
    return RuleSet.objects.get(effective_from=date(2019, 9, 1), based_on__isnull=True, owner__isnull=True)
