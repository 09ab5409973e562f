"""The pure rules of 履责纪实 and 责任书签收, table-driven, without the database."""

from datetime import date

import pytest

from responsibilities import rules

TODAY = date(2026, 6, 15)


def problems(**changes):
    fields = {
        "day": date(2026, 6, 1),
        "today": TODAY,
        "content": "与分管部门负责人谈心谈话",
        "item_owners": [(7, 1)],
        "person_id": 7,
        "item_years": [2026],
        "item_organisations": [3],
    } | changes
    return rules.duty_record_problems(**fields)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {}),
        ({"day": TODAY}, {}),
        ({"day": date(2026, 6, 16)}, {"date": "履责纪实的日期不能晚于今天。"}),
        ({"day": None}, {"date": "请填写日期。"}),
        ({"content": "  "}, {"content": "请填写主要内容。"}),
        ({"item_owners": []}, {"items": "请选择本次履责对应的本人责任清单事项。"}),
        (
            {"item_owners": [(7, 1), (8, 2)]},
            {"items": "只能选择履责人本人责任清单中的事项，不能记在他人的清单上。"},
        ),
        (
            {"item_owners": [(7, 1), (7, 2)], "item_organisations": [3, 4]},
            {"items": "一条纪实只能对应同一单位的责任清单事项。"},
        ),
        ({"day": date(2025, 12, 30)}, {"date": "日期须在所选责任清单的年度（2026 年）内。"}),
    ],
)
def test_duty_record_problems(changes, expected):
    assert problems(**changes) == expected


@pytest.mark.parametrize(
    ("statuses", "closed"),
    [([], False), (["draft", "confirmed"], False), (["confirmed", "closed"], True), (["closed"], True)],
)
def test_a_record_is_fixed_once_a_list_of_its_year_is_closed(statuses, closed):
    assert rules.duty_year_closed(statuses) is closed


def test_on_behalf_is_whoever_is_not_the_leader():
    assert rules.is_on_behalf(5, 5) is False
    assert rules.is_on_behalf(5, 6) is True
    assert rules.is_on_behalf(None, 6) is True


@pytest.mark.parametrize(
    ("has_signature", "matches", "state"),
    [(False, False, "unsigned"), (True, True, "signed"), (True, False, "changed")],
)
def test_signature_state(has_signature, matches, state):
    assert rules.signature_state(has_signature, matches) == state


@pytest.mark.parametrize(
    ("owner", "by", "status", "state", "expected"),
    [
        (5, 5, "confirmed", "unsigned", None),
        (5, 5, "submitted", "unsigned", None),
        (5, 5, "confirmed", "changed", None),
        (5, 6, "confirmed", "unsigned", "只能由本人登录签收自己的责任清单，不能代他人签收。"),
        (None, 6, "confirmed", "unsigned", "只能由本人登录签收自己的责任清单，不能代他人签收。"),
        (5, 5, "draft", "unsigned", "清单尚在起草，提交后才能签收。"),
        (5, 5, "closed", "unsigned", "该清单所在年度已关闭，不能再签收。"),
        (5, 5, "confirmed", "signed", "您已签收该清单，清单签收后未再修改。"),
    ],
)
def test_signing_refusal(owner, by, status, state, expected):
    assert rules.signing_refusal(list_person_user_id=owner, by_user_id=by, status=status, state=state) == expected
