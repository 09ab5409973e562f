"""Excel exports of assessments: built here from selectors, downloaded by a view."""

from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook

from accountability import selectors as accountability
from accountability.models import RestrictionKind
from assessments import rules, selectors
from assessments.models import Scheme
from core import excel
from core.permissions import can


def results_workbook(user, scheme: Scheme, day: date) -> Workbook:
    """The scheme's team results, and its secretaries' results with their eligibility on ``day`` for
    award selection and appointment: one sheet each."""
    leaders = list(selectors.leader_results_of(user, scheme))
    people = [leader.person_id for leader in leaders]
    bars = accountability.award_bars(people, scheme.year)
    # Today's eligibility of every secretary; the reasons (cases) are not exported: the office staff
    # reading this may not see cases.
    eligible = accountability.eligibilities(people, day)

    # The date a bar lifts tells of a case: only those who may see the person's restrictions read it.
    def refused(person, day):
        if can(user, "accountability.see_restrictions", person):
            return _("否，%(day)s 起可以") % {"day": day}
        return _("否，请向组织部门了解")

    def answer(person, kind):
        bar = eligible[person.pk].bar(kind)
        return refused(person, bar.lifts_on) if bar else _("是")

    weight = scheme.party_building_weight
    team_rows = [
        [
            r.rank,
            r.organisation.name,
            r.routine_base,
            r.annual_base,
            r.mass,
            r.bonus,
            r.composite,
            rules.contribution(r.composite, weight),
            r.grade_label,
            r.note,
        ]
        for r in selectors.results_of(user, scheme)
    ]
    leader_rows = [
        [
            leader.rank,
            leader.person.name,
            leader.organisation.name,
            leader.organisation_part,
            leader.mass,
            leader.score,
            leader.grade_label,
            refused(leader.person, bars[leader.person_id].ends_on) if leader.person_id in bars else _("是"),
            answer(leader.person, RestrictionKind.NO_PROMOTION),
            answer(leader.person, RestrictionKind.NO_POST),
            answer(leader.person, RestrictionKind.NO_HIGHER_POST),
            leader.note,
            *([leader.hearing] if scheme.hearing_weight else []),
        ]
        for leader in leaders
    ]
    workbook = excel.table_workbook(
        _("%(name)s · 班子考核结果") % {"name": scheme.name},
        _("班子结果"),
        [
            (_("排名"), 6),
            (_("组织"), 28),
            (_("平时检查"), 10),
            (_("年终考核"), 10),
            (_("群众评价"), 10),
            (_("加分"), 8),
            (_("综合得分（含加分）"), 14),
            (_("计入综合考核（权重 %(w)s%%）") % {"w": rules.plain(weight)}, 16),
            (_("等次"), 8),
            (_("说明"), 40),
        ],
        team_rows,
    )
    excel.add_table_sheet(
        workbook,
        _("%(name)s · 书记考核结果与资格") % {"name": scheme.name},
        _("书记结果与资格"),
        [
            (_("排名"), 6),
            (_("姓名"), 10),
            (_("组织"), 24),
            (_("组织党建结果（含加分）"), 16),
            (_("民主测评"), 10),
            (_("个人得分"), 10),
            (_("等次"), 8),
            (_("本年度可否评先评优"), 18),
            (_("今天可否提拔"), 16),
            (_("今天可否安排职务"), 16),
            (_("今天可否担任高于原职务层次的职务"), 22),
            (_("说明"), 40),
            # The secretary's 述责述廉评议 (a part of the score) where the scheme weighs it; last, so
            # that the columns before it stay where they are.
            *([(_("述责述廉评议"), 12)] if scheme.hearing_weight else []),
        ],
        leader_rows,
    )
    return workbook
