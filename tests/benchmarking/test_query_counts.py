"""The benchmark's key pages answer with few queries, and with the same number at two sizes.

Two provinces are generated, one after the other in empty tables: the slowest test of the suite.
"""

import pytest
from django.db import transaction

from benchmarking import measures, runner
from benchmarking.data import generate

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def queries_per_page(orgs: int) -> dict[str, int]:
    generate(orgs, seed=7, progress=lambda line: None)
    measured = measures.measure(runs=1)
    assert all(m.status == 200 for m in measured), [(m.page.key, m.status) for m in measured]
    return {m.page.key: m.queries for m in measured}


def test_every_key_page_answers_with_few_queries_and_the_same_count_at_two_sizes():
    with transaction.atomic():
        small = queries_per_page(40)
        transaction.set_rollback(True)
    large = queries_per_page(120)

    assert small == large
    assert set(large) == {
        "rollup",
        "tree",
        "lists",
        "checklist",
        "warning",
        "ranking",
        "screening",
        "search",
        "export",
        "notifications",
        "orders",
        "problems",
        "problem_rollup",
        "picker",
        *runner.WORKBENCH_KEYS,
    }
    # The 工作台's target is a count constant in N (above), not the other pages' ceiling.
    assert max(n for key, n in large.items() if key not in runner.WORKBENCH_KEYS) < runner.MAX_QUERIES, " ".join(
        f"{k}={n}" for k, n in sorted(large.items())
    )
