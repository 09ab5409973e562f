"""The one way a score reads: whole points without ".00", "x / max", "—" for none."""

from decimal import Decimal as D

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("35.00"), "35"),
        (D("87.50"), "87.5"),
        (D("87.25"), "87.25"),
        (D("2.005"), "2.01"),  # half up, like every stored score
        (D("0.00"), "0"),
        (D("-0.001"), "0"),
        (100, "100"),
        (None, "—"),
    ],
)
def test_score_drops_trailing_zeros(value, shown):
    assert Template("{% load scores %}{{ v|score }}").render(Context({"v": value})) == shown


def test_score_of_reads_x_over_max():
    rendered = Template("{% load scores %}{{ v|score_of:m }}").render(Context({"v": D("28.00"), "m": D("30.00")}))
    assert rendered == "28 / 30"
