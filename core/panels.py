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
