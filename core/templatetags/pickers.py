"""The one year picker of every page with ``?year=`` (issue 16: it was a number box on some pages and a
dropdown on others): ``{% year_picker year %}`` or ``{% year_picker year years %}``.

A dropdown of the given years (by default the five years before this one to next year), always holding
the selected year, newest first; the page's other query parameters (sort, show, filters) are kept as
hidden fields so that changing the year changes nothing else. It submits itself on change (app.js
``data-autosubmit``), with a 查看 button where scripts are off."""

from django import template
from django.utils import timezone

register = template.Library()

YEARS_BACK = 5


def picker_years(year: int, years=None, today=None) -> list[int]:
    this_year = (today or timezone.localdate()).year
    offered = set(years) if years else set(range(this_year - YEARS_BACK, this_year + 2))
    offered.add(year)
    return sorted(offered, reverse=True)


@register.inclusion_tag("includes/_year_picker.html", takes_context=True)
def year_picker(context, year, years=None, name="year"):
    request = context.get("request")
    kept = []
    if request is not None:
        kept = [(key, value) for key, value in request.GET.items() if key not in {name, "page"}]
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = timezone.localdate().year
    return {"year": year, "years": picker_years(year, years), "kept": kept, "name": name}
