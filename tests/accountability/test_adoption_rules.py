"""Which rule set judges a decision, as pure functions over adoptions on a tree; what a change of rules
changes; the article's consequences for a decision dated today."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accountability import rules
from accountability.rules import (
    ABSENT,
    NO_AWARD,
    NO_HIGHER_POST,
    NO_POST,
    NO_PROMOTION,
    Adoption,
    MeasureRule,
    NoRuleSet,
    Period,
    adoption_for,
    combined,
    coverage,
    measure_differences,
    overlaps,
    period_for,
)
from tests.accountability.article import ARTICLE

# A tree of materialised paths: province P ("0001"), its cities C ("00010001") and S ("00010002"),
# C's county K ("000100010001").
P, C, S, K = "0001", "00010001", "00010002", "000100010001"
ARTICLE_SET, REGULATIONS, CITY_RULES = "article", "2019", "city"
PROVINCE = Adoption("province", P, ARTICLE_SET, date(2016, 9, 26))
CITY = Adoption("city", C, CITY_RULES, date(2027, 1, 1))
SIBLING = Adoption("sibling", S, REGULATIONS, date(2020, 1, 1), date(2024, 12, 31))
TREE = [PROVINCE, CITY, SIBLING]


@pytest.mark.parametrize(
    ("path", "day", "expected"),
    [
        (P, date(2016, 9, 26), "province"),  # the adoption's first day
        (K, date(2026, 12, 31), "province"),  # the day before the city's own adoption: the province's
        (K, date(2027, 1, 1), "city"),  # from the city's first day: the nearest ancestor's wins
        (C, date(2027, 1, 1), "city"),  # the adopting organisation itself
        (P, date(2027, 1, 1), "province"),  # the city's adoption never reaches up
        (S, date(2027, 1, 1), "province"),  # …nor sideways
        (S, date(2019, 12, 31), "province"),
        (S, date(2020, 1, 1), "sibling"),
        (S, date(2024, 12, 31), "sibling"),  # the last day is inclusive
        (S, date(2025, 1, 1), "province"),  # the day after: back to the province's
        ("00010002" + "0003", date(2022, 5, 5), "sibling"),  # below the sibling
    ],
)
def test_the_nearest_adoption_in_force_judges(path, day, expected):
    assert adoption_for(TREE, path, day).key == expected


@pytest.mark.parametrize(
    ("adoptions", "path", "day"),
    [
        ([], K, date(2026, 1, 1)),  # no adoption at all
        (TREE, K, date(2016, 9, 25)),  # the day before the first adoption
        ([CITY], P, date(2027, 6, 1)),  # only a descendant adopted
        ([SIBLING], K, date(2022, 1, 1)),  # only a sibling adopted
        ([SIBLING], S, date(2025, 1, 1)),  # after the only adoption ended
    ],
)
def test_without_an_adoption_in_force_the_resolution_refuses(adoptions, path, day):
    with pytest.raises(NoRuleSet):
        adoption_for(adoptions, path, day)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ((date(2020, 1, 1), None), (date(2027, 1, 1), None), True),  # two open ranges always meet
        ((date(2020, 1, 1), date(2026, 12, 31)), (date(2027, 1, 1), None), False),  # end day, next day
        ((date(2020, 1, 1), date(2027, 1, 1)), (date(2027, 1, 1), None), True),  # sharing one day
        ((date(2027, 1, 1), None), (date(2020, 1, 1), date(2021, 1, 1)), False),
        ((date(2020, 1, 1), date(2022, 1, 1)), (date(2021, 1, 1), date(2021, 2, 1)), True),  # inside
    ],
)
def test_overlapping_adoptions(first, second, expected):
    assert overlaps(*first, *second) is expected
    assert overlaps(*second, *first) is expected


def test_where_each_rule_set_is_in_force_today_names_the_parts_taken_by_a_nearer_adoption():
    today = date(2027, 3, 1)
    county_same_as_city = Adoption("county", K, CITY_RULES, date(2027, 2, 1))
    rows = {a.key: [e.key for e in exceptions] for a, exceptions in coverage([*TREE, county_same_as_city], today)}
    # The sibling's adoption ended in 2024; the county adopted the same rules as its city (no exception).
    assert rows == {"province": ["city"], "city": [], "county": []}


def test_the_what_if_compares_each_measure_in_months_and_kinds():
    before = [
        MeasureRule("talk", "约谈诫勉", "accountability", {}),
        MeasureRule("demoted", "降职", "accountability", {NO_AWARD: None, NO_PROMOTION: 24}),
        MeasureRule("removed", "免职", "accountability", {NO_AWARD: None, NO_POST: 12, NO_HIGHER_POST: 24}),
        MeasureRule("suspended", "停职检查", "accountability", {NO_AWARD: None}),
    ]
    after = [
        MeasureRule("talk", "约谈诫勉", "accountability", {}),
        MeasureRule("demoted", "降职", "accountability", {NO_AWARD: None, NO_PROMOTION: 36}),
        MeasureRule("removed", "免职", "accountability", {NO_AWARD: 12, NO_POST: 12}),
        MeasureRule("m10", "诫勉谈话", "accountability", {NO_AWARD: None}),
    ]
    rows = {row.code: row for row in measure_differences(before, after)}
    assert [row.code for row in measure_differences(before, after)] == [
        "talk",
        "demoted",
        "removed",
        "m10",
        "suspended",
    ]
    assert (rows["talk"].status, rows["talk"].changes) == ("same", [])
    [demotion] = rows["demoted"].changes
    assert (demotion.kind, demotion.before, demotion.after, demotion.delta_months) == (NO_PROMOTION, 24, 36, 12)
    removal = {c.kind: (c.before, c.after, c.delta_months) for c in rows["removed"].changes}
    assert removal == {NO_AWARD: (None, 12, None), NO_HIGHER_POST: (24, ABSENT, None)}
    assert rows["m10"].status == "added" and rows["m10"].changes[0].before == ABSENT
    assert rows["suspended"].status == "removed" and rows["suspended"].changes[0].after == ABSENT


def test_several_measures_combine_to_the_longest_period_of_each_kind():
    decided = date(2025, 6, 20)
    periods = [
        Period(NO_AWARD, decided, date(2026, 1, 1)),  # 降职
        Period(NO_PROMOTION, decided, date(2027, 6, 20)),  # 降职: two years
        Period(NO_PROMOTION, decided, date(2026, 6, 20)),  # 警告（党纪）: one year
    ]
    assert combined(periods) == [
        Period(NO_AWARD, decided, date(2026, 1, 1)),
        Period(NO_PROMOTION, decided, date(2027, 6, 20)),
    ]


# ---- The article's measures for a decision dated today ------------------------------------------


def expected_end(day: date, months: int | None) -> date:
    """Written apart from ``rules.add_months``: the same calendar day, stepping back to the month's
    last day that exists; "that year" ends with the year."""
    if months is None:
        return date(day.year + 1, 1, 1)
    years, month = divmod(day.month - 1 + months, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return date(day.year + years, month + 1, candidate)
        except ValueError:
            continue
    return date(day.year + years, month + 1, day.day)


TODAY = timezone.localdate()
ONE_DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("measure", "kind", "months"),
    [(measure, kind, months) for measure, consequences in ARTICLE.items() for kind, months in consequences],
)
def test_the_articles_consequences_for_a_decision_dated_today_at_their_boundaries(measure, kind, months):
    end = expected_end(TODAY, months)
    period = period_for(kind, TODAY, months)
    assert period.ends_on == end
    assert period.holds_on(TODAY - ONE_DAY) is False
    assert period.holds_on(TODAY) is True
    assert period.holds_on(end - ONE_DAY) is True
    assert period.holds_on(end) is False
    assert period.holds_on(end + ONE_DAY) is False


def test_the_independent_end_agrees_with_the_domain_examples():
    assert expected_end(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert expected_end(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
