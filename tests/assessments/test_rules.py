"""Scoring and merging as pure, table-driven functions, with the stated rounding."""

from datetime import date
from decimal import Decimal as D

import pytest

from assessments import rules
from assessments.rules import Band, Graded, Part

TEAM = [
    Band("good", "好", D(90)),
    Band("fairly_good", "较好", D(80)),
    Band("average", "一般", D(60)),
    Band("poor", "差", D(0)),
]


@pytest.mark.parametrize(
    ("quantity", "deadline", "standard", "vague"),
    [
        (None, None, "", True),  # "was a leading group set up?"
        (None, None, "   ", True),
        (D(2), None, "", False),
        (None, date(2026, 12, 31), "", False),
        (None, None, "经会议审议通过", False),
    ],
)
def test_an_indicator_without_quantity_time_or_standard_is_vague(quantity, deadline, standard, vague):
    assert rules.is_vague(quantity, deadline, standard) is vague


@pytest.mark.parametrize(
    ("deductions", "bonus", "cap", "expected"),
    [
        ([], D(0), D(0), D(10)),
        ([D(2), D(2)], D(0), D(0), D(6)),
        ([D(8), D(4)], D(0), D(0), D(0)),  # floored at zero
        ([D(8), D(4)], D(1), D(2), D(1)),  # the bonus is added after the floor
        ([], D(2), D(2), D(12)),
    ],
)
def test_indicator_score_deducts_floors_and_adds_a_capped_bonus(deductions, bonus, cap, expected):
    assert rules.indicator_score(D(10), deductions, bonus, cap) == expected


@pytest.mark.parametrize(("deductions", "bonus"), [([D(-1)], D(0)), ([], D(3)), ([], D(-1))])
def test_indicator_score_refuses_impossible_inputs(deductions, bonus):
    with pytest.raises(ValueError):
        rules.indicator_score(D(10), deductions, bonus, D(2))


@pytest.mark.parametrize(
    ("points", "per_shortfall", "whole"),
    [
        (D(2), D(2), True),
        (D(6), D(2), True),
        (D(3), D(2), False),
        (D("1.5"), D("0.5"), True),
        (D("1.25"), D("0.5"), False),
        (D("0.01"), D(0), True),  # no rate set: any positive amount
    ],
)
def test_a_deduction_is_a_whole_number_of_shortfalls(points, per_shortfall, whole):
    assert rules.whole_shortfalls(points, per_shortfall) is whole


def test_routine_percent_counts_only_departments_that_inspected():
    maxima = {"organisation": D(30), "discipline": D(20), "propaganda": D(25)}
    assert rules.routine_percent({"organisation": D(24), "discipline": D(16)}, maxima) == D(80)
    assert rules.routine_percent({}, maxima) is None


@pytest.mark.parametrize(
    ("tallies", "expected"),
    [
        ({"good": 3}, D(100)),
        ({"good": 1, "poor": 1}, D(50)),
        ({"good": 1, "fairly_good": 1, "average": 1, "poor": 1}, D(60)),
        ({}, None),
    ],
)
def test_mass_percent_maps_the_four_ratings(tallies, expected):
    assert rules.mass_percent(tallies) == expected


@pytest.mark.parametrize(
    ("turnout", "issued", "quorum", "met"),
    [
        (8, 10, D(80), True),
        (7, 10, D(80), False),
        (0, 0, D(0), False),
        (2, 3, D("66.67"), False),
        (2, 3, D("66.66"), True),
    ],
)
def test_quorum(turnout, issued, quorum, met):
    assert rules.quorum_met(turnout, issued, quorum) is met


def test_composite_weights_the_parts_and_shares_out_a_missing_part():
    parts = [Part("routine", D(30), D(80)), Part("annual", D(50), D(90)), Part("mass", D(20), D(70))]
    assert rules.composite(parts) == D(83)
    without_mass = [Part("routine", D(30), D(80)), Part("annual", D(50), D(90)), Part("mass", D(20), None)]
    assert rules.composite(without_mass) == (D(30) * 80 + D(50) * 90) / 80  # 86.25
    assert rules.composite([Part("x", D(100), None)]) is None


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(D("86.245"), D("86.25")), (D("86.244"), D("86.24")), (D("86.235"), D("86.24")), (D("-0.005"), D("-0.01"))],
)
def test_rounding_is_half_up_to_two_places(value, rounded):
    assert rules.round2(value) == rounded


@pytest.mark.parametrize(
    ("composite", "weight", "added"),
    [
        (D("100.00"), D(20), D("20.00")),
        (D("87.35"), D(20), D("17.47")),
        (D("87.325"), D(20), D("17.47")),  # 17.465, rounded half up (not to even: 17.46)
        (D("91.17"), D("12.5"), D("11.40")),  # 11.39625
        (D("0.00"), D(30), D("0.00")),
        (D("104.50"), D(20), D("20.90")),  # a bonus lifted the composite above 100
        (None, D(20), None),  # no composite yet: nothing added
    ],
)
def test_the_party_building_contribution_is_composite_times_weight_rounded_half_up(composite, weight, added):
    assert rules.contribution(composite, weight) == added


@pytest.mark.parametrize(
    ("weights", "valid"), [((30, 50, 20), True), ((30, 50, 21), False), ((0, 100, 0), True), ((-10, 90, 20), False)]
)
def test_weights_must_sum_to_100(weights, valid):
    assert rules.weights_valid(*(D(w) for w in weights)) is valid


@pytest.mark.parametrize(
    ("score", "grade"),
    [(D(95), "good"), (D(90), "good"), (D("89.99"), "fairly_good"), (D(60), "average"), (D(0), "poor"), (None, None)],
)
def test_grade_bands(score, grade):
    band = rules.grade_for(score, TEAM)
    assert (band.grade if band else None) == grade


def test_ranks_share_places_on_equal_rounded_scores():
    assert rules.ranks([D("90.004"), D(95), D("90.001"), None, D(80)]) == [2, 1, 2, None, 4]


@pytest.mark.parametrize(("peers", "quota", "count"), [(6, D(30), 1), (6, D(35), 2), (10, D(20), 2), (3, D(30), 0)])
def test_quota_rounds_down(peers, quota, count):
    assert rules.quota_count(peers, quota) == count


def graded(*scores):
    return [Graded(index, D(score), rules.grade_for(D(score), TEAM)) for index, score in enumerate(scores)]


def test_the_quota_gives_the_top_grade_to_the_best_and_explains_the_rest():
    items = graded(95, 93, 91, 85)
    rules.apply_quota(items, TEAM, D(50))  # 2 of 4
    assert [i.band.grade for i in items] == ["good", "good", "fairly_good", "fairly_good"]
    assert "超出“好”等次比例" in items[2].note and items[3].note == ""


def test_a_tie_at_the_quota_edge_gives_the_top_grade_to_neither():
    items = graded(95, 92, 92, 70)
    rules.apply_quota(items, TEAM, D(50))
    assert [i.band.grade for i in items] == ["good", "fairly_good", "fairly_good", "average"]
    assert "同分" in items[1].note


def test_a_barred_person_gets_the_next_grade_with_the_reason():
    items = graded(95, 92)
    rules.apply_quota(items, TEAM, D(100), barred={0: "受问责影响不得评为优秀"})
    assert [(i.band.grade, i.note) for i in items] == [("fairly_good", "受问责影响不得评为优秀"), ("good", "")]


def test_a_quota_that_allows_nobody_is_not_feasible():
    assert not rules.quota_feasible(3, D(30)) and rules.quota_feasible(4, D(30))
