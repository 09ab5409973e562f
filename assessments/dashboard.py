"""The 驾驶舱's section on assessments: the grade distribution of the year's results in the subtree.

The results counted are those of the year's schemes run by the organisation or a level below it
(the assessor lies in the subtree), among the results the user may see (``Result.objects.for_user``).
Registered with ``core.panels`` in the app's ``ready``.
"""

from datetime import date

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from assessments.models import Result
from core.panels import DashboardSection

COLOURS = ["#2e7d32", "#1565c0", "#f9a825", "#c62828", "#6d4c41", "#9e9e9e"]


def grade_counts(user, organisation, year: int) -> list[tuple[str, int]]:
    """(grade, results) of the year in the subtree, the best grades first: one query."""
    rows = (
        Result.objects.for_user(user)
        .filter(scheme__year=year, scheme__assessor__path__startswith=organisation.path)
        .values("grade_label")
        .annotate(n=Count("pk"), best=Max("composite"))
        .order_by("-best", "grade_label")
    )
    return [(row["grade_label"] or _("未评定"), row["n"]) for row in rows]


def dashboard_sections(user, organisation, year: int, today: date) -> list[DashboardSection]:
    counts = grade_counts(user, organisation, year)
    total = sum(n for _grade, n in counts)
    return [
        DashboardSection(
            key="grades",
            title=_("考核等次分布"),
            order=70,
            chart={
                "type": "doughnut",
                "labels": [grade for grade, _n in counts],
                "datasets": [
                    {
                        "label": _("考核结果"),
                        "data": [n for _grade, n in counts],
                        "colors": COLOURS[: len(counts)] + ["#9e9e9e"] * max(len(counts) - len(COLOURS), 0),
                    }
                ],
            },
            columns=[_("等次"), _("个数"), _("占比")],
            rows=[[grade, n, f"{n * 100 / total:.1f}%"] for grade, n in counts]
            + [[_("合计"), total, "100.0%" if total else "—"]],
            note=_("%(y)s 年本级及下级考核方案的考核结果（组织）。") % {"y": year},
        )
    ]
