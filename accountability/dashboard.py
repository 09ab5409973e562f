"""The 驾驶舱's section on accountability: decisions of the year in the subtree by measure.

Cases are confidential: the section is shown only to those who handle cases there
(``Case.objects.handled_by``: 纪检 and 组织 inspectors and administrators), and counts only the
cases they handle. Registered with ``core.panels`` in the app's ``ready``.
"""

from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _

from accountability.models import Case, DecisionMeasure
from accountability.permissions import handles_any_cases
from core.panels import DashboardSection

COLOUR = "#6a1b9a"


def measure_counts(user, organisation, year: int) -> list[tuple[str, int]]:
    """(measure, decisions imposing it) among the cases the user handles in the subtree that were
    decided in ``year``, most frequent first: one query."""
    cases = Case.objects.handled_by(user).filter(organisation__path__startswith=organisation.path)
    rows = (
        DecisionMeasure.objects.filter(decision__case__in=cases.values("pk"), decision__decided_on__year=year)
        .values("measure__name", "measure__severity")
        .annotate(n=Count("decision", distinct=True))
        .order_by("-measure__severity", "measure__name")
    )
    counts: dict[str, int] = {}
    for row in rows:  # the same measure may stand in several rule sets: one row per name
        counts[row["measure__name"]] = counts.get(row["measure__name"], 0) + row["n"]
    return list(counts.items())


def dashboard_sections(user, organisation, year: int, today: date) -> list[DashboardSection]:
    if not handles_any_cases(user):
        return []
    counts = measure_counts(user, organisation, year)
    return [
        DashboardSection(
            key="cases",
            title=_("问责方式分布"),
            order=80,
            chart={
                "type": "bar",
                "horizontal": True,
                "labels": [name for name, _n in counts],
                "datasets": [{"label": _("决定件数"), "data": [n for _name, n in counts], "color": COLOUR}],
            },
            columns=[_("问责方式和处分"), _("决定件数")],
            rows=[[name, n] for name, n in counts] + [[_("合计（一件决定可有多种方式）"), sum(n for _m, n in counts)]],
            note=_("%(y)s 年作出决定的问责案件，按决定日期统计；仅本人经办范围内的案件。") % {"y": year},
        )
    ]
