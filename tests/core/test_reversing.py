"""reverse_pk gives the address reverse gives, under any script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.reversing import reverse_pk

NAMES = [
    "responsibilities:task_detail",
    "responsibilities:list_detail",
    "responsibilities:organisation_detail",
    "responsibilities:person_detail",
    "accountability:case_detail",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 12345, 2**31 - 1])
def test_reverse_pk_is_the_address_reverse_gives(name, pk):
    assert reverse_pk(name, pk) == reverse(name, args=[pk])


def test_reverse_pk_follows_the_script_prefix():
    assert reverse_pk("responsibilities:task_detail", 5) == "/tasks/5/"
    set_script_prefix("/dangjian/")
    try:
        assert reverse_pk("responsibilities:task_detail", 5) == "/dangjian/tasks/5/"
    finally:
        set_script_prefix("/")
    assert reverse_pk("responsibilities:task_detail", 5) == "/tasks/5/"


def test_a_key_the_pattern_refuses_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        reverse_pk("responsibilities:task_detail", -1)
    with pytest.raises(NoReverseMatch):
        reverse_pk("home", 3)
