"""The negative list keeps its order (code) although its query counts cases (GROUP BY)."""

import pytest

from accountability import selectors
from accountability.models import Situation

pytestmark = pytest.mark.django_db


def test_the_negative_list_is_in_code_order_after_an_edit():
    codes = sorted(Situation.objects.filter(is_active=True).values_list("code", flat=True))
    assert len(codes) == 10
    first = Situation.objects.get(code=codes[0])
    first.save()  # the updated row moves to the end of the table: an unordered query shows it last
    assert [s.code for s in selectors.negative_list()] == codes
