"""``reverse_pk(url_name, pk)``: the address of a record's page, as ``reverse(url_name, args=[pk])`` gives it.

Pages draw a link for every row (``get_absolute_url``), and Django's ``reverse`` costs tens of
microseconds each (it matches the candidate against the pattern's regular expression every time).
The pattern is reversed once per process with a marker for the key, and each address is the
marker replaced by the key. Keyed by what a reverse depends on: the script prefix and the URLconf.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

MARKER = 9_876_543_210_123  # an integer no key reaches, so that it is found once in the address


@lru_cache(maxsize=1024)
def _halves(url_name: str, script_prefix: str, urlconf: str) -> tuple[str, str] | None:
    try:
        address = reverse(url_name, args=[MARKER], urlconf=urlconf)
    except NoReverseMatch:  # a pattern that takes no such key: every call reverses (and raises) as before
        return None
    if address.count(str(MARKER)) != 1:
        return None
    before, after = address.split(str(MARKER))
    return before, after


def reverse_pk(url_name: str, pk: int) -> str:
    halves = _halves(url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if halves is None or not isinstance(pk, int) or pk < 0:
        return reverse(url_name, args=[pk])
    return f"{halves[0]}{pk}{halves[1]}"
