"""One search box in the header: organisations, people, tasks, cases … gathered from the apps.

Each app registers a provider for each kind of record it owns when it starts (its
``AppConfig.ready``), as with ``core.worklist``, so that the kernel imports no domain app and a new
kind (problems, say) is one more ``register_search`` call. A provider is
``provider(user, text, limit) -> list[Hit]``: it reads through the kind's own door
(``Model.objects.for_user(user, "view")``, the one the record's page opens with), so that a hit
always opens, and runs a fixed number of queries whatever the number of matches (at most ``limit``
rows, their joins done). Matching is a case-insensitive substring (``containing``), which the
PostgreSQL trigram indexes (``pg_trgm``, ``gin_trgm_ops``) on the searched columns answer from three
characters, Chinese included, and bigram indexes (``bigram_index``) for two: a whole two-character name.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db.models import Func, Q, TextField
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

# Longest search text: a name, a task's words or a case number, never a paragraph.
MAX_LENGTH = 50
# The fewest characters a search of long text (task titles, case facts) needs: a trigram index answers
# three characters or more; one or two would read the whole table (a second at N = 5,000). Names,
# codes and numbers are matched from one character on (their tables are small).
MIN_LONG_TEXT = 3
# Rows per kind: in the header's results page, and when one kind is asked for alone.
LIMIT = 8
KIND_LIMIT = 50

# Control characters and the LIKE wildcards are not search text (Django escapes % and _ anyway; they
# are dropped so that "%" alone is not a search for everything).
_DROPPED = re.compile(r"[\x00-\x1f\x7f%_\\]")


def trigram_index(*columns: str, name: str) -> GinIndex:
    """A pg_trgm index for the providers' ``column__icontains`` filters: over UPPER(column), the
    expression Django's ``icontains`` compares, so that a match of three characters or more uses it
    (one or two characters hold no trigram: those read the table)."""
    return GinIndex(*(OpClass(Upper(column), name="gin_trgm_ops") for column in columns), name=name)


class Bigrams(Func):
    """The distinct two-character pieces of a text: PostgreSQL's ``search_bigrams`` (core migration
    0009), an immutable function, so that a GIN index can hold it (``bigram_index``)."""

    function = "search_bigrams"
    output_field = ArrayField(TextField())


def bigram_index(*columns: str, name: str) -> GinIndex:
    """A GIN index of each column's two-character pieces (over UPPER(column), as ``icontains`` compares):
    it answers a two-character search, which holds no trigram. A Chinese name is two or three
    characters, so a search for a whole two-character name read the whole table (the people of
    N = 50,000, 350,000 rows: about 190 ms) where it now reads the few that hold the pair."""
    return GinIndex(*(Bigrams(Upper(column)) for column in columns), name=name)


def containing(queryset, fields: tuple[str, ...], text: str):
    """``queryset``'s rows where one of ``fields`` contains ``text``, case-insensitive: the search's and
    the pickers' match. Two characters are looked up in the bigram index (``bigram_index``: the text is
    one of the column's pieces), longer text in the trigram index (``icontains``); one character reads
    the table (every piece holding it would be as many rows)."""
    if len(text) == 2:
        aliases = {f"{column}_bigrams": Bigrams(Upper(column)) for column in fields}
        condition = Q()
        for alias in aliases:
            condition |= Q(**{f"{alias}__contains": [text.upper()]})
        return queryset.alias(**aliases).filter(condition)
    condition = Q()
    for column in fields:
        condition |= Q(**{f"{column}__icontains": text})
    return queryset.filter(condition)


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class Group:
    key: str
    title: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # there are matches beyond those shown


@dataclass(frozen=True)
class Provider:
    key: str
    title: str
    find: Callable
    order: int


PROVIDERS: list[Provider] = []


def register_search(key: str, title, provider: Callable, order: int = 50) -> Callable:
    """Add a kind of record to the search; ``order`` places its group on the results page."""
    if all(existing.key != key for existing in PROVIDERS):
        PROVIDERS.append(Provider(key=key, title=title, find=provider, order=order))
        PROVIDERS.sort(key=lambda entry: entry.order)
    return provider


def searches_long_text(text: str) -> bool:
    """Whether ``text`` is long enough to be looked for in long text (task titles, case facts)."""
    return len(text) >= MIN_LONG_TEXT


def kinds() -> list[tuple[str, str]]:
    return [(provider.key, provider.title) for provider in PROVIDERS]


def clean_text(raw) -> str:
    """The search text, trimmed and with runs of white space made one space; ValidationError (a
    Chinese message) when it is empty or longer than ``MAX_LENGTH``."""
    text = " ".join(_DROPPED.sub(" ", str(raw or "")).split())
    if not text:
        raise ValidationError(_("请输入要搜索的名称、姓名、任务或案件编号。"), code="empty")
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("搜索内容不能超过 %(limit)s 个字。") % {"limit": MAX_LENGTH},
            code="too_long",
            params={"limit": MAX_LENGTH},
        )
    return text


def search(user, text: str, kind: str | None = None) -> list[Group]:
    """The groups of matches the user may see, in the registered order; only ``kind`` if given.

    ``text`` is already cleaned (``clean_text``). Each provider is asked for one row more than it
    shows, to tell whether there are more.
    """
    limit = KIND_LIMIT if kind else LIMIT
    groups = []
    for provider in PROVIDERS:
        if kind and provider.key != kind:
            continue
        hits = list(provider.find(user, text, limit + 1))
        groups.append(Group(key=provider.key, title=provider.title, hits=hits[:limit], more=len(hits) > limit))
    return groups
