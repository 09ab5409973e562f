"""Helpers to file and decide cases through the services."""

from datetime import date

from accountability import services
from accountability.models import Measure, Responsibility, Severity, Situation, Subject


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


def decide(case, by, decided_on, *measure_names):
    rule_set = services.rule_set_on(decided_on)
    measures = list(Measure.objects.filter(rule_set=rule_set, name__in=measure_names))
    assert len(measures) == len(measure_names), measure_names
    case = to_review(case, by) if case.status != "reviewing" else case
    return services.decision_record(
        case=case, version=case.version, decided_on=decided_on, deciding_body="市纪委", measures=measures, by=by
    )
