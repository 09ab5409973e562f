"""The header menu: six groups, each a dropdown of the pages the user's roles open.

Each app registers its entries here when it starts (its ``AppConfig.ready``), as with
``core.worklist``, so that the kernel names no domain page. An entry shows when its flag (a key of
the navigation context: ``nav_has_checklist``, ``nav_handles_cases`` … or a flag an app registered
with ``core.permissions.nav_flag``) is true, or always when it has none; a group without an entry
for the user is left out. Building the menu runs no query.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import pgettext_lazy

# The groups, in the order they stand in the header.
# (In a context of their own: the English header needs shorter words than the pages' titles.)
GROUPS = [
    ("workbench", pgettext_lazy("menu", "工作台")),
    ("lists", pgettext_lazy("menu", "责任清单")),
    ("assessments", pgettext_lazy("menu", "考核评价")),
    ("accountability", pgettext_lazy("menu", "问责")),
    ("reference", pgettext_lazy("menu", "基础数据")),
    ("system", pgettext_lazy("menu", "系统管理")),
]


@dataclass(frozen=True)
class MenuEntry:
    group: str
    label: str
    url_name: str
    flag: str | None = None
    order: int = 50


@dataclass
class MenuLink:
    label: str
    url: str
    active: bool = False


@dataclass
class MenuGroup:
    key: str
    label: str
    links: list[MenuLink] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


MENU_ENTRIES: list[MenuEntry] = []


def register_menu_entry(group: str, label, url_name: str, *, flag: str | None = None, order: int = 50) -> None:
    """Add a page to a group of the header menu; ``order`` places it in its group (lower first)."""
    if group not in dict(GROUPS):
        raise ValueError(f"unknown menu group {group!r}")
    entry = MenuEntry(group=group, label=label, url_name=url_name, flag=flag, order=order)
    if entry not in MENU_ENTRIES:
        MENU_ENTRIES.append(entry)


def is_current(url: str, path: str) -> bool:
    """Whether the page at ``path`` belongs to the menu entry at ``url`` (the entry or a page below it)."""
    return path == url or (url != "/" and path.startswith(url))


@lru_cache(maxsize=512)
def _entry_url(url_name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(url_name, urlconf=urlconf)


def entry_url(url_name: str) -> str:
    """The entry's address, reversed once per process (every page draws the menu: two dozen reverses a
    request otherwise). Keyed by what a reverse depends on: the script prefix and the URLconf."""
    return _entry_url(url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def menu_for(flags: dict, path: str) -> list[MenuGroup]:
    """The groups the user sees, each with the entries his or her flags open, the current one marked."""
    groups = {key: MenuGroup(key=key, label=label) for key, label in GROUPS}
    links = []
    for entry in sorted(MENU_ENTRIES, key=lambda entry: entry.order):
        if entry.flag is not None and not flags.get(entry.flag):
            continue
        url = entry_url(entry.url_name)
        links.append((entry.group, MenuLink(label=entry.label, url=url)))
    # Only the longest matching entry is current (``/accountability/cases/`` over a shorter prefix).
    current = max(
        (link for _group, link in links if is_current(link.url, path)), key=lambda link: len(link.url), default=None
    )
    for group, link in links:
        link.active = link is current
        groups[group].links.append(link)
    return [group for group in groups.values() if group.links]
