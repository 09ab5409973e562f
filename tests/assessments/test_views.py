"""Assessment pages: scope, the scheme form's bad input, scoring, the public ballot, results, exports,
nominations, and query counts that stay flat."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import AwardNomination, EvaluationRound, IndicatorScore, Result, Scheme, Tally, slip_codes
from tests.assessments.conftest import add_indicator, inspect, inspect_all, scheme_fields
from tests.helpers import queries_for
from tests.responsibilities.factories import PersonFactory, make_organisation
from tests.responsibilities.list_factories import THIS_YEAR

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login_except_for_the_ballot(client, scheme):
    for url in [
        reverse("assessments:scheme_list"),
        scheme.get_absolute_url(),
        reverse("assessments:results", args=[scheme.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert client.get(reverse("ballot")).status_code == 200


def test_a_sibling_cannot_see_the_scheme(client, tree, superuser, scheme):
    from responsibilities.models import Role
    from tests.conftest import make_user

    stranger = make_user("sibling-office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    client.force_login(stranger)
    for url in [
        scheme.get_absolute_url(),
        reverse("assessments:results", args=[scheme.pk]),
        reverse("assessments:scheme_edit", args=[scheme.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_an_assessed_county_sees_its_own_result_but_not_its_peers(
    client, tree, superuser, scheme, organ, inspectors, indicators, office_staff
):
    from responsibilities.models import Role
    from tests.conftest import make_user

    inspect(
        scheme,
        tree["child"],
        "discipline",
        inspectors["discipline"],
        deductions_by_indicator={"警示教育": [2]},
        confirm_by=office_staff,
    )
    inspect(scheme, organ, "discipline", inspectors["discipline"], confirm_by=office_staff)
    services.results_compute(scheme=scheme, by=office_staff)
    county_staff = make_user("county-office", tree["child"], Role.OFFICE_STAFF, superuser)
    client.force_login(county_staff)
    rows = client.get(reverse("assessments:results", args=[scheme.pk])).context["rows"]
    assert [r.organisation for r in rows] == [tree["child"]]
    peer = Result.objects.get(organisation=organ)
    assert client.get(reverse("assessments:result_detail", args=[peer.pk])).status_code == 404
    # Its own result states the Party-building weight and what the composite adds to the
    # comprehensive assessment: the year-end part alone, 18 of 20 points = 90.00; 90.00 × 20 % = 18.00.
    own = Result.objects.get(organisation=tree["child"])
    assert own.composite == D("90.00")
    page = client.get(reverse("assessments:result_detail", args=[own.pk])).content.decode()
    assert "党建考核在综合考核中的权重为 20%" in page
    assert "计入综合考核 18 分" in page


def scheme_post(tree, **change):
    return {
        "name": "考核",
        "year": THIS_YEAR,
        "kind": "annual",
        "party_building_weight": "20",
        "weight_routine": "30",
        "weight_annual": "50",
        "weight_mass": "20",
        "team_top_quota": "50",
        "leader_top_quota": "50",
        "secretary_org_weight": "70",
        "targets": [tree["child"].pk, make_organisation(parent=tree["own"]).pk],
    } | change


def test_creating_a_scheme_from_the_form(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(f"{reverse('assessments:scheme_create')}?assessor={tree['own'].pk}", scheme_post(tree))
    scheme = Scheme.objects.get()
    assert response.status_code == 302 and response.url == scheme.get_absolute_url()
    assert scheme.bands.count() == 8


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weight_mass": "25"}, "weight_routine"),
        ({"team_top_quota": "10"}, "team_top_quota"),
        ({"party_building_weight": "120"}, "party_building_weight"),
        ({"targets": []}, "targets"),
    ],
)
def test_bad_scheme_input_is_shown_at_its_field(client, tree, office_staff, change, field):
    client.force_login(office_staff)
    response = client.post(
        f"{reverse('assessments:scheme_create')}?assessor={tree['own'].pk}", scheme_post(tree, **change)
    )
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Scheme.objects.exists()


def test_saving_a_vague_indicator_warns_with_the_articles_reason(client, scheme, inspectors):
    client.force_login(inspectors["propaganda"])
    response = client.post(
        f"{reverse('assessments:indicator_create', args=[scheme.pk])}?department=propaganda",
        {
            "title": "成立意识形态工作领导小组",
            "max_score": "10",
            "deduction_per_shortfall": "2",
            "bonus_cap": "0",
        },
        follow=True,
    )
    assert "偏“虚”" in response.content.decode()
    assert scheme.indicators.get().is_vague
    assert 'data-testid="vague-count"' in client.get(scheme.get_absolute_url()).content.decode()


def test_an_inspector_cannot_add_another_departments_indicator(client, scheme, inspectors):
    client.force_login(inspectors["propaganda"])
    url = f"{reverse('assessments:indicator_create', args=[scheme.pk])}?department=discipline"
    assert client.get(url).status_code == 404


def test_scoring_from_the_page_with_evidence_beside_the_indicator(
    client, tree, superuser, scheme, inspectors, indicators
):
    from responsibilities import services as lists
    from tests.responsibilities.list_factories import add_task, committee_list, pdf

    task = add_task(committee_list(tree["child"], superuser), superuser, number=5, title="召开民主生活会")
    lists.evidence_upload(task=task, uploaded=pdf("民主生活会纪要.pdf"), by=superuser)
    inspection = services.inspection_start(
        scheme=scheme,
        organisation=tree["child"],
        kind="annual",
        department="organisation",
        by=inspectors["organisation"],
    )
    client.force_login(inspectors["organisation"])
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "召开民主生活会" in page and "民主生活会纪要.pdf" in page
    indicator = indicators["organisation"][0]
    url = reverse("assessments:score_record", args=[inspection.pk, indicator.pk])
    prefix = f"i{indicator.pk}-"
    bad = client.post(url, {prefix + "version": inspection.version, prefix + "bonus": "5"})
    assert bad.status_code == 400 and not IndicatorScore.objects.exists()
    assert "加分不能超过上限" in bad.content.decode()
    odd = client.post(
        url, {prefix + "version": inspection.version, prefix + "points_0": "3", prefix + "reason_0": "一次半"}
    )
    assert odd.status_code == 400 and "每处差距扣 2 分" in odd.content.decode()
    ok = client.post(
        url,
        {prefix + "version": inspection.version, prefix + "points_0": "4", prefix + "reason_0": "会前谈心谈话未全覆盖"},
    )
    assert ok.status_code == 302
    assert IndicatorScore.objects.get().score == D(16)


def open_round(scheme, organisation, by, issued=2, subject="organisation", min_ballots=None):
    """A round running today with its slips printed and codes destroyed; its codes as ``.printed``."""
    today = timezone.localdate()
    evaluation = services.round_create(
        scheme=scheme,
        organisation=organisation,
        subject=subject,
        questions=["问题一"],
        issued=issued,
        quorum_percent=D(50),
        opens_on=today,
        closes_on=today + timedelta(days=1),
        by=by,
    )
    if min_ballots is not None:
        EvaluationRound.objects.filter(pk=evaluation.pk).update(min_ballots=min_ballots)
    printed = slip_codes(evaluation.slip_key, issued)
    evaluation = services.round_slips_destroy(evaluation=evaluation, by=by)
    evaluation.printed = printed
    return evaluation


def test_the_public_ballot_takes_a_code_once(client, scheme, tree, superuser):
    evaluation = open_round(scheme, tree["child"], superuser, min_ballots=1)
    code = evaluation.printed[0]
    step = client.post(reverse("ballot"), {"code": code})
    assert step.status_code == 200 and "问题一" in step.content.decode()
    done = client.post(reverse("ballot"), {"code": code, "q0": "good"})
    assert 'data-testid="ballot-done"' in done.content.decode()
    again = client.post(reverse("ballot"), {"code": code, "q0": "poor"})
    assert again.status_code == 400 and "已经使用过" in again.content.decode()
    unknown = client.post(reverse("ballot"), {"code": "ZZZZZZZZZZ"})
    assert unknown.status_code == 400 and "票码无效" in unknown.content.decode()
    services.round_close(evaluation=evaluation, by=superuser)
    assert Tally.objects.get(round=evaluation, question=0, rating="good").count == 1
    assert Tally.objects.get(round=evaluation, question=0, rating="poor").count == 0


def _main(response):
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html[html.index("<main") :])


def test_the_organiser_sees_how_many_voted_but_not_which_code_nor_the_counts_while_the_round_runs(
    client, scheme, tree, superuser
):
    evaluation = open_round(scheme, tree["child"], superuser, issued=3)
    client.force_login(superuser)
    round_url = reverse("assessments:round_detail", args=[evaluation.pk])
    slips_url = reverse("assessments:round_slips", args=[evaluation.pk])
    before = _main(client.get(round_url)), _main(client.get(slips_url))
    services.ballot_cast(code_text=evaluation.printed[1], answers={0: "poor"})
    after = _main(client.get(round_url)), _main(client.get(slips_url))
    # The slips page is the same (the codes are gone); the round page differs only in the turnout.
    assert after[1] == before[1] and "票码已销毁" in after[1]
    assert after[0] == before[0].replace("0 / 3", "1 / 3") and "0 / 3" in before[0]
    assert 'data-testid="counts-hidden"' in after[0] and 'data-testid="distribution"' not in after[0]
    assert not any(code in after[0] + after[1] for code in evaluation.printed)


def test_counts_are_shown_after_closing_only_from_the_minimum_of_valid_ballots(client, scheme, tree, superuser):
    few = open_round(scheme, tree["child"], superuser, issued=4)  # the default minimum: 5
    enough = open_round(scheme, tree["child"], superuser, issued=5)
    for evaluation in (few, enough):
        for code in evaluation.printed:
            services.ballot_cast(code_text=code, answers={0: "good"})
        services.round_close(evaluation=evaluation, by=superuser)
    client.force_login(superuser)
    hidden = client.get(reverse("assessments:round_detail", args=[few.pk])).content.decode()
    assert few.min_ballots == 5 and "有效票数不足，不显示结果" in hidden and 'data-testid="distribution"' not in hidden
    shown = client.get(reverse("assessments:round_detail", args=[enough.pk])).content.decode()
    assert 'data-testid="distribution"' in shown and "有效票数不足" not in shown


def test_closing_a_round_is_for_its_organisers_and_happens_once(client, scheme, tree, superuser, office_staff, leader):
    evaluation = open_round(scheme, tree["child"], superuser)
    url = reverse("assessments:round_close", args=[evaluation.pk])
    client.force_login(leader)
    assert client.post(url).status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.closed_at is None
    client.force_login(office_staff)
    assert client.post(url).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.closed_by == office_staff
    again = client.post(url, follow=True)
    assert "该民主测评已经结束。" in again.content.decode()


def test_the_people_evaluated_never_see_their_own_round(client, scheme, tree, superuser):
    from responsibilities.models import Role, TeamRole
    from responsibilities.services import membership_add
    from tests.conftest import make_user
    from tests.responsibilities.factories import PersonFactory

    user = make_user("county-secretary", tree["child"], Role.LEADER, superuser)
    person = PersonFactory(home_organisation=tree["child"], user=user, name="赵书记")
    membership_add(
        organisation=tree["child"], person=person, role=TeamRole.SECRETARY, start_date=date(2024, 1, 1), by=superuser
    )
    colleague = make_user("county-leader", tree["child"], Role.LEADER, superuser)  # not on the team
    of_secretary = open_round(scheme, tree["child"], superuser, subject="secretary")
    of_team = open_round(scheme, tree["child"], superuser)
    assert of_secretary.person == person
    client.force_login(user)
    for evaluation in (of_secretary, of_team):
        assert client.get(reverse("assessments:round_detail", args=[evaluation.pk])).status_code == 404
    assert not EvaluationRound.objects.for_user(user).exists()
    assert not Tally.objects.for_user(user).exists()
    client.force_login(colleague)
    for evaluation in (of_secretary, of_team):
        assert client.get(reverse("assessments:round_detail", args=[evaluation.pk])).status_code == 200


def test_results_export_joins_eligibility(client, tree, superuser, scheme, inspectors, indicators, office_staff):
    from datetime import date

    from responsibilities import services as team
    from responsibilities.models import TeamRole

    person = PersonFactory(home_organisation=tree["child"], name="县委书记乙")
    team.membership_add(
        organisation=tree["child"], person=person, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    deductions = {"组织生活会": [4]}  # 16 of 20
    inspect(scheme, tree["child"], "organisation", inspectors["organisation"], "annual", deductions, office_staff)
    inspect(scheme, tree["child"], "discipline", inspectors["discipline"], confirm_by=office_staff)
    services.results_compute(scheme=scheme, by=office_staff)
    client.force_login(office_staff)
    response = client.get(reverse("assessments:results_export", args=[scheme.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["班子结果", "书记结果与资格"]
    teams = list(workbook["班子结果"].iter_rows(values_only=True))
    assert teams[1][5:8] == ("加分", "综合得分（含加分）", "计入综合考核（权重 20%）")
    county = next(row for row in teams[2:] if row[1] == tree["child"].name)
    # Year-end only: (16 + 10 + 20) of (20 + 10 + 20) points = 92.00; 92.00 × 20 % = 18.40; no bonus.
    assert county[3:8] == (92, None, 0, 92, 18.4)
    leaders = [row for row in workbook["书记结果与资格"].iter_rows(values_only=True)]
    assert leaders[2][1] == "县委书记乙" and leaders[2][7] == "是"


def test_results_export_answers_each_eligibility_question_without_naming_cases(
    client, tree, superuser, scheme, organ, inspectors, indicators, office_staff, administrator
):
    from datetime import date

    from accountability.models import Case
    from responsibilities import services as team
    from responsibilities.models import TeamRole
    from tests.accountability.factories import decide, file_case

    today = timezone.localdate()
    demoted = PersonFactory(home_organisation=tree["child"], name="县委书记丙")
    free = PersonFactory(home_organisation=organ, name="局党组书记丁")
    for organisation, person in ((tree["child"], demoted), (organ, free)):
        team.membership_add(
            organisation=organisation, person=person, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
        )
        inspect_all(scheme, organisation, inspectors, confirm_by=office_staff)
    decide(
        file_case(tree["child"], superuser, person=demoted, facts_date=date(THIS_YEAR, 1, 1)), superuser, today, "降职"
    )
    services.results_compute(scheme=scheme, by=office_staff)
    client.force_login(office_staff)
    url = reverse("assessments:results_export", args=[scheme.pk])
    response = client.get(url)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = {row[1]: row for row in workbook["书记结果与资格"].iter_rows(min_row=3, values_only=True)}
    assert rows["局党组书记丁"][7:11] == ("是", "是", "是", "是")
    # Office staff may not see cases: no date a bar lifts, only where to ask.
    assert rows["县委书记丙"][7:11] == ("否，请向组织部门了解", "否，请向组织部门了解", "是", "是")
    # An administrator handles the cases: he reads the dates the bars lift.
    client.force_login(administrator)
    response = client.get(url)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = {row[1]: row for row in workbook["书记结果与资格"].iter_rows(min_row=3, values_only=True)}
    assert rows["县委书记丙"][7] == f"否，{THIS_YEAR + 1}-01-01 起可以"
    client.force_login(office_staff)
    number = Case.objects.get().number
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert not any(number in c or "降职" in c for c in cells)
    # One query for everyone's eligibility, however many secretaries.
    few = queries_for(client, url)
    for _ in range(3):
        organisation = make_organisation(parent=tree["own"])
        person = PersonFactory(home_organisation=organisation)
        team.membership_add(
            organisation=organisation, person=person, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
        )
        scheme.targets.add(organisation)
        inspect_all(scheme, organisation, inspectors, confirm_by=office_staff)
    services.results_compute(scheme=scheme, by=office_staff)
    assert queries_for(client, url) == few


@pytest.mark.parametrize(
    "role, expected",
    [
        # Office staff may not see cases: told only to ask the organisation department.
        ("office_staff", "该同志目前不能推荐，请向组织部门了解。"),
        # Administrators handle cases: told the reason and the date the bar lifts.
        ("administrator", "受罚人 受问责影响，{year} 年不得参加评先评优（{next_year}-01-01 起解除）。"),
        ("superuser", "受罚人 受问责影响，{year} 年不得参加评先评优（{next_year}-01-01 起解除）。"),
    ],
)
def test_nominating_a_barred_person_explains_the_bar_only_to_case_handlers(
    request, client, tree, superuser, scheme, role, expected
):
    from datetime import date

    from tests.accountability.factories import decide, file_case

    user = request.getfixturevalue(role)
    person = PersonFactory(home_organisation=tree["child"], name="受罚人")
    today = timezone.localdate()
    decide(
        file_case(
            tree["child"],
            superuser,
            person=person,
            subject="department",
            situation="FQ-04",
            facts_date=date(THIS_YEAR, 1, 1),
        ),
        superuser,
        today,
        "通报批评",  # the article's rules, adopted by the test province: no award that year
    )
    client.force_login(user)
    response = client.post(
        reverse("assessments:awards", args=[scheme.pk]), {"person": person.pk, "title": "优秀党务工作者"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [expected.format(year=THIS_YEAR, next_year=THIS_YEAR + 1)]
    assert not AwardNomination.objects.exists()


# ---- Query counts -----------------------------------------------------------------------------


def test_scheme_page_query_count_does_not_grow(client, scheme, inspectors, office_staff):
    client.force_login(office_staff)
    add_indicator(scheme, "discipline", inspectors["discipline"])
    few = queries_for(client, scheme.get_absolute_url())
    for index in range(20):
        add_indicator(scheme, "organisation", inspectors["organisation"], title=f"指标{index}", items=[1, 2])
    assert queries_for(client, scheme.get_absolute_url()) == few


def test_scoring_page_query_count_does_not_grow(client, tree, scheme, inspectors):
    client.force_login(inspectors["organisation"])
    first = add_indicator(scheme, "organisation", inspectors["organisation"], items=[5])
    inspection = services.inspection_start(
        scheme=scheme,
        organisation=tree["child"],
        kind="annual",
        department="organisation",
        by=inspectors["organisation"],
    )
    inspection = services.score_record(
        inspection=inspection,
        version=inspection.version,
        indicator=first,
        deductions=[(D(2), "差")],
        by=inspectors["organisation"],
    ).inspection
    few = queries_for(client, inspection.get_absolute_url())
    for index in range(20):
        indicator = add_indicator(scheme, "organisation", inspectors["organisation"], title=f"指标{index}", items=[5])
        inspection = services.score_record(
            inspection=inspection,
            version=inspection.version,
            indicator=indicator,
            deductions=[(D(2), "差")],
            by=inspectors["organisation"],
        ).inspection
    assert queries_for(client, inspection.get_absolute_url()) == few


def test_results_page_query_count_does_not_grow(client, tree, superuser, inspectors, office_staff):
    targets = [make_organisation(parent=tree["own"]) for _ in range(2)]
    scheme = services.scheme_create(assessor=tree["own"], targets=targets, by=superuser, **scheme_fields())
    add_indicator(scheme, "discipline", inspectors["discipline"])
    client.force_login(office_staff)
    url = reverse("assessments:results", args=[scheme.pk])
    services.results_compute(scheme=scheme, by=office_staff)
    few = queries_for(client, url)
    targets += [make_organisation(parent=tree["own"]) for _ in range(20)]
    scheme.targets.set(targets)
    for target in targets:
        inspect(scheme, target, "discipline", inspectors["discipline"], confirm_by=office_staff)
    services.results_compute(scheme=scheme, by=office_staff)
    assert queries_for(client, url) == few


def test_year_on_year_change_is_against_the_latest_earlier_year(client, tree, superuser, office_staff):
    from assessments.models import Result

    target = make_organisation(parent=tree["own"])
    composites = {THIS_YEAR - 2: D("70.00"), THIS_YEAR - 1: D("80.00"), THIS_YEAR: D("85.50")}
    schemes = {}
    for year, composite in composites.items():
        schemes[year] = services.scheme_create(
            assessor=tree["own"],
            targets=[target],
            by=superuser,
            **scheme_fields(name=f"{year} 年度考核", year=year, team_top_quota=D(100), leader_top_quota=D(100)),
        )
        Result.objects.create(scheme=schemes[year], organisation=target, composite=composite)
    client.force_login(office_staff)
    response = client.get(reverse("assessments:results", args=[schemes[THIS_YEAR].pk]))
    [row] = response.context["rows"]
    assert row.history == [D("70.00"), D("80.00"), D("85.50")]
    assert row.change == D("5.50")


def test_grade_lines_are_saved_and_a_save_over_someone_elses_change_is_refused(client, scheme, office_staff):
    from assessments.models import GradeBand

    client.force_login(office_staff)
    page = client.get(scheme.get_absolute_url()).content.decode()
    assert 'name="team-shown_good"' in page and 'type="hidden"' in page
    url = reverse("assessments:bands_update", args=[scheme.pk, "team"])
    shown = {
        "team-shown_good": "90",
        "team-shown_fairly_good": "80",
        "team-shown_average": "60",
        "team-shown_poor": "0",
    }
    mine = {"team-good": "92", "team-fairly_good": "80", "team-average": "60", "team-poor": "0"}
    assert client.post(url, shown | mine).status_code == 302
    lines = dict(GradeBand.objects.filter(scheme=scheme, subject="team").values_list("grade", "min_score"))
    assert lines["good"] == D(92)
    # A second form opened before that save still shows 90: its save is refused with the lines now in force.
    response = client.post(url, shown | mine | {"team-good": "85"}, follow=True)
    assert "等次分数线已被他人修改，现为：好 ≥ 92" in response.content.decode()
    assert GradeBand.objects.get(scheme=scheme, subject="team", grade="good").min_score == D(92)


def test_scoring_over_a_colleagues_newer_score_answers_409_and_keeps_the_input(
    client, scheme, tree, inspectors, indicators
):
    inspection = services.inspection_start(
        scheme=scheme,
        organisation=tree["child"],
        kind="annual",
        department="organisation",
        by=inspectors["organisation"],
    )
    opened_at = inspection.version
    first, second = indicators["organisation"]
    services.score_record(
        inspection=inspection, version=opened_at, indicator=first, deductions=[], by=inspectors["organisation"]
    )
    client.force_login(inspectors["organisation"])
    prefix = f"i{second.pk}-"
    response = client.post(
        reverse("assessments:score_record", args=[inspection.pk, second.pk]),
        {prefix + "version": opened_at, prefix + "points_0": "4", prefix + "reason_0": "两次未达标"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="edit-conflict"' in page and 'value="两次未达标"' in page
    assert not IndicatorScore.objects.filter(indicator=second).exists()


def test_submitting_an_inspection_someone_changed_since_answers_409(client, scheme, tree, inspectors, indicators):
    inspection = services.inspection_start(
        scheme=scheme, organisation=tree["child"], kind="annual", department="discipline", by=inspectors["discipline"]
    )
    opened_at = inspection.version
    [indicator] = indicators["discipline"]
    services.score_record(
        inspection=inspection, version=opened_at, indicator=indicator, deductions=[], by=inspectors["discipline"]
    )
    client.force_login(inspectors["discipline"])
    response = client.post(
        reverse("assessments:inspection_transition", args=[inspection.pk, "submit"]), {"version": opened_at}
    )
    assert response.status_code == 409 and 'data-testid="edit-conflict"' in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == "draft"


def _score_form(response, indicator):
    return next(row.form for row in response.context["rows"] if row.indicator == indicator)


def test_every_scoring_error_is_shown_at_once_at_its_field(client, tree, scheme, inspectors, indicators):
    inspector = inspectors["organisation"]
    inspection = services.inspection_start(
        scheme=scheme, organisation=tree["child"], kind="annual", department="organisation", by=inspector
    )
    indicator = indicators["organisation"][0]  # 2 points per shortfall, bonus up to 2
    client.force_login(inspectors["organisation"])
    prefix = f"i{indicator.pk}-"
    response = client.post(
        reverse("assessments:score_record", args=[inspection.pk, indicator.pk]),
        {
            prefix + "version": inspection.version,
            prefix + "points_0": "3",
            prefix + "reason_0": "一次半",
            prefix + "points_1": "-2",
            prefix + "reason_1": "负数",
            prefix + "points_2": "4",
            prefix + "bonus": "5",
        },
    )
    assert response.status_code == 400
    errors = _score_form(response, indicator).errors
    assert errors["points_0"] == ["按评分规则每处差距扣 2 分：每项扣分应为 2 的整数倍（几处差距扣几倍）。"]
    assert errors["points_1"] == ["扣分必须大于 0。"]
    assert errors["reason_2"] == ["每项扣分都要写明理由。"]
    assert errors["bonus"] == ["加分不能超过上限 2 分。"]
    assert not IndicatorScore.objects.exists()


def test_scores_read_out_of_their_maximum_with_the_bonus_on_top(
    client, tree, scheme, inspectors, indicators, office_staff
):
    county = tree["child"]
    deductions, bonuses = {"组织生活会": [4]}, {"支部达标": 2}
    inspect(scheme, county, "organisation", inspectors["organisation"], "annual", deductions, office_staff, bonuses)
    inspect(scheme, county, "discipline", inspectors["discipline"], confirm_by=office_staff, bonuses={"警示教育": 2})
    services.results_compute(scheme=scheme, by=office_staff)
    result = Result.objects.get(organisation=tree["child"])
    # (16 + 10 + 20) of 50 = 92 out of 100, and 4 bonus points of 50 = 8 on top: 100 with them.
    assert (result.annual, result.annual_bonus, result.annual_base) == (D("100.00"), D("8.00"), D("92.00"))
    assert (result.composite, result.bonus, result.composite_base) == (D("100.00"), D("8.00"), D("92.00"))
    client.force_login(office_staff)
    detail = client.get(reverse("assessments:result_detail", args=[result.pk])).content.decode()
    annual_row = (
        '<td>年终考核</td><td class="text-end">92 / 100</td><td class="text-end">+8</td><td class="text-end">100</td>'
    )
    assert annual_row in detail
    assert "百分制 92 ＋ 加分 8" in detail
    assert "合计 <strong>26 / 30</strong> ＋ 加分 2，含加分合计 28" in detail
    listing = client.get(reverse("assessments:results", args=[scheme.pk])).content.decode()
    assert (
        '<td class="text-end" data-label="年终考核">92</td><td class="text-end" data-label="群众评价">—</td>' in listing
    )
    assert (
        '<td class="text-end" data-label="加分">+8</td>\n      '
        '<td class="text-end fw-semibold" data-label="综合得分（含加分）">100</td>'
    ) in listing
    inspection = result.organisation.inspections.get(department="organisation")
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert 'data-testid="inspection-total">26 / 30</strong>' in page
    assert "得分 <strong>10 / 10</strong> ＋ 加分 2" in page


def test_the_back_link_of_an_indicators_history_opens_for_its_readers(client, scheme, indicators, inspectors):
    indicator = indicators["organisation"][0]
    client.force_login(inspectors["discipline"])  # reads the scheme, may not edit this indicator
    response = client.get(reverse("responsibilities:history", args=["indicator", indicator.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    back = f"{reverse('assessments:scheme_detail', args=[scheme.pk])}#indicator-{indicator.pk}"
    assert f'href="{back}">返回</a>' in page
    assert client.get(back.split("#")[0]).status_code == 200
