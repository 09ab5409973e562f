"""What makes an overdue task 红 besides its days late: a record of a higher app about the task.

The 蓝黄红 rule (``rules.warning_colour``) turns an overdue task red when an intervention (提醒/批评/约谈)
was recorded about it after its deadline and it is still overdue. Interventions belong to
accountability, which this app never imports; accountability registers, when it starts, the query
that finds them. Without a registration (this app installed alone) no task is red for that reason.
"""

from collections.abc import Callable

from django.db.models import BooleanField, Exists, ExpressionWrapper, Q, Value

# Each source builds, for the task at ``OuterRef("pk")`` with its ``OuterRef("deadline")``, an
# ``Exists`` that is true when the task was intervened on after its deadline.
_sources: list[Callable[[], Exists]] = []


def register_intervention_source(source: Callable[[], Exists]) -> None:
    if source not in _sources:
        _sources.append(source)


def intervened_after_deadline():
    """Annotation: some registered record says the task was intervened on after its deadline."""
    if not _sources:
        return Value(False, output_field=BooleanField())
    if len(_sources) == 1:
        return _sources[0]()
    condition = Q()
    for source in _sources:
        condition |= Q(source())
    return ExpressionWrapper(condition, output_field=BooleanField())
