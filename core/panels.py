"""Panels other apps add to a person's page, without this app importing them.

Accountability registers the eligibility panel here when it starts (its ``AppConfig.ready``); the
person page asks every registered provider for a panel. A provider returns None to show nothing
(for instance when the reader may not see it).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Panel:
    template: str
    context: dict


PERSON_PANEL_PROVIDERS: list[Callable] = []


def register_person_panel(provider: Callable) -> Callable:
    PERSON_PANEL_PROVIDERS.append(provider)
    return provider


def person_panels(request, person) -> list[Panel]:
    panels = (provider(request, person) for provider in PERSON_PANEL_PROVIDERS)
    return [panel for panel in panels if panel is not None]


# ---- The 驾驶舱 (dashboard) -------------------------------------------------------------------
#
# The dashboard of an organisation shows figures of every app: responsibilities draws the page (it
# owns organisations) and asks each registered provider for its sections, so that neither it nor the
# kernel imports accountability or assessments. A provider is called as
# ``provider(user, organisation, year, today)`` and returns a list of ``DashboardSection`` (empty
# when the reader may not see its records). Each section is a chart and the table of the same
# numbers beside it.


@dataclass
class DashboardSection:
    key: str  # the section's id on the page (data-testid="dashboard-<key>")
    title: str
    chart: dict  # for static/js/charts.js: type, labels, datasets [{label, data, color(s)}], percent, horizontal
    columns: list[str]
    rows: list[list]  # the table's cells, already formatted
    note: str = ""
    order: int = 50
    marked: frozenset[int] = frozenset()  # indexes of the rows shown as lagging (落后)

    @property
    def tall(self) -> bool:
        """A horizontal chart of many bars needs more height than the others."""
        return bool(self.chart.get("horizontal")) and len(self.chart.get("labels", [])) > 8

    @property
    def table(self) -> list[tuple[list, bool]]:
        return [(cells, index in self.marked) for index, cells in enumerate(self.rows)]


DASHBOARD_PROVIDERS: list[Callable] = []


def register_dashboard_sections(provider: Callable) -> Callable:
    if provider not in DASHBOARD_PROVIDERS:
        DASHBOARD_PROVIDERS.append(provider)
    return provider


def dashboard_sections(user, organisation, year: int, today) -> list[DashboardSection]:
    sections = [section for provider in DASHBOARD_PROVIDERS for section in provider(user, organisation, year, today)]
    return sorted(sections, key=lambda section: section.order)
