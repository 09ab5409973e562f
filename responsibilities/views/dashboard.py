"""The 驾驶舱: one page per organisation over its whole subtree, each chart with its table beside it.

The sections come from every app through ``core.panels`` (responsibilities' own, accountability's
cases, assessments' grades), each deciding what the reader may see.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.panels import dashboard_sections
from core.views import private_no_store
from responsibilities.list_forms import YearForm
from responsibilities.selectors import organisations as org_selectors


@require_GET
@private_no_store  # it counts cases and results, confidential as their pages are
def dashboard_home(request):
    """The menu's 驾驶舱: the dashboard of the user's topmost organisation (the first, for several)."""
    root = org_selectors.tree_roots(request.user, today=timezone.localdate()).order_by("path").first()
    if root is None:
        raise Http404
    return _dashboard(request, root)


@require_GET
@private_no_store
def dashboard(request, pk):
    return _dashboard(request, org_selectors.organisation_for(request.user, pk))


def _dashboard(request, organisation):
    today = timezone.localdate()
    year = YearForm(request.GET or None).year_or(today.year)
    sections = dashboard_sections(request.user, organisation, year, today)
    context = {
        "organisation": organisation,
        "ancestors": org_selectors.ancestors_of(organisation, request.user),
        "year": year,
        "years": list(range(today.year + 1, today.year - 5, -1)),
        "today": today,
        "sections": sections,
        "charts": {section.key: section.chart for section in sections},
    }
    return render(request, "responsibilities/dashboard.html", context)
