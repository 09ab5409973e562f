"""The 述责述廉评议 rules as pure functions: a committee 评议's value and refusals, the masses' 评议
with its minimum sample, the weighted result, the secretary's parts."""

from decimal import Decimal as D

import pytest

from assessments import rules


def sample(closed=True, turnout=10, issued=10, quorum=D(80), min_ballots=5, tallies=None):
    return rules.MassSample(closed, turnout, issued, quorum, min_ballots, tallies or {"good": 10})


def test_a_rating_counts_as_the_masses_ratings_and_a_score_as_given():
    assert [rules.evaluation_value(r, None) for r in ("good", "fairly_good", "average", "poor")] == [
        D(100),
        D(80),
        D(60),
        D(0),
    ]
    assert rules.evaluation_value("", D("87.5")) == D("87.5")
    with pytest.raises(ValueError):
        rules.evaluation_value("", D(101))


def test_a_self_evaluation_is_refused_before_anything_else():
    assert rules.evaluation_problems("good", None, 7, 7) == {
        "rating": "不能评议本人的述责述廉报告，请评议其他班子成员。"
    }
    assert rules.evaluation_problems("good", None, 7, 8) == {}


def test_a_committee_evaluation_is_a_rating_or_a_score_never_both_nor_neither():
    assert rules.evaluation_problems("", None, 1, 2) == {"rating": "请选择评议等次或填写评议得分。"}
    assert rules.evaluation_problems("good", D(90), 1, 2) == {"score": "评议等次和评议得分只填一项。"}
    assert rules.evaluation_problems("", D(120), 1, 2) == {"score": "评议得分应在 0 到 100 之间。"}
    assert rules.evaluation_problems("excellent", None, 1, 2) == {"rating": "评议等次无效。"}
    assert rules.evaluation_problems("", D(0), 1, 2) == {}


def test_the_committee_percent_is_the_mean_and_nothing_without_evaluations():
    assert rules.committee_percent([]) is None
    assert rules.committee_percent([D(100), D(80), D(90)]) == D(90)


def test_the_masses_evaluation_shows_only_from_the_minimum_number_of_valid_ballots():
    # 4 ballots under a minimum of 5: withheld, whatever they say.
    few = sample(turnout=4, issued=5, tallies={"good": 4})
    assert rules.mass_evaluation(few) is None
    assert rules.mass_withheld(few) == "有效票 4 张，少于 5 张，不显示结果"
    # Exactly the minimum: shown.
    enough = sample(turnout=5, issued=5, tallies={"good": 3, "average": 2})
    assert rules.mass_withheld(enough) == ""
    assert rules.mass_evaluation(enough) == D(84)


def test_the_masses_evaluation_waits_for_the_round_and_its_quorum():
    assert rules.mass_withheld(None) == "未组织群众评议"
    assert rules.mass_withheld(sample(closed=False)) == "群众评议进行中"
    low = sample(turnout=6, issued=10, tallies={"good": 6})
    assert rules.mass_evaluation(low) is None
    assert rules.mass_withheld(low) == "参与率未达 80%，不计入结果"


def test_the_result_weights_committee_and_masses_and_falls_back_to_the_one_that_counts():
    assert rules.hearing_result(D(90), D(70), D(50)) == D(80)
    assert rules.hearing_result(D(90), D(60), D(60)) == D(78)
    assert rules.hearing_result(D(90), None, D(50)) == D(90)
    assert rules.hearing_result(None, D(70), D(50)) == D(70)
    assert rules.hearing_result(None, None, D(50)) is None
    # All weight on the committee: the masses do not move it.
    assert rules.hearing_result(D(90), D(10), D(100)) == D(90)


def test_a_secretarys_parts_leave_room_for_the_democratic_evaluation():
    assert rules.leader_parts_valid(D(70), D(30))
    assert rules.leader_parts_valid(D(70), D(0))
    assert not rules.leader_parts_valid(D(70), D("30.01"))
    assert not rules.leader_parts_valid(D(70), D(-1))


def test_a_secretarys_score_combines_organisation_hearing_and_mass_by_weight():
    parts = [
        rules.Part("organisation", D(60), D(90)),
        rules.Part("hearing", D(20), D(80)),
        rules.Part("mass", D(20), D(70)),
    ]
    assert rules.composite(parts) == D(84)
    # No 评议 that counts: its weight is shared out as a missing part's is.
    parts[1] = rules.Part("hearing", D(20), None)
    assert rules.composite(parts) == D(85)
