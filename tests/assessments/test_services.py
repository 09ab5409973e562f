"""Assessment services: schemes, indicators, scoring, the ballot, merged results, quotas, the accountability
guardrail and award nominations."""

import threading
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from assessments import services
from assessments.models import (
    AwardNomination,
    BallotBox,
    BallotCode,
    Deduction,
    EvaluationRound,
    IndicatorScore,
    Inspection,
    LeaderResult,
    Result,
    Scheme,
    Tally,
    code_digest,
    slip_codes,
)
from responsibilities.models import TeamRole
from tests.accountability.factories import decide, file_case
from tests.assessments.conftest import add_indicator, inspect, inspect_all, scheme_fields
from tests.helpers import on_day
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import THIS_YEAR

pytestmark = pytest.mark.django_db


def test_weights_not_summing_to_100_are_refused(tree, superuser):
    with pytest.raises(ValidationError) as error:
        services.scheme_create(
            assessor=tree["own"], targets=[tree["child"]], by=superuser, **scheme_fields(weight_mass=D(25))
        )
    assert "三项权重之和必须为 100" in error.value.message_dict["weight_routine"][0]
    assert not Scheme.objects.exists()


def test_a_quota_that_cannot_be_met_is_refused(tree, superuser):
    with pytest.raises(ValidationError) as error:
        services.scheme_create(
            assessor=tree["own"], targets=[tree["child"]], by=superuser, **scheme_fields(team_top_quota=D(30))
        )
    assert "没有一个能评为“好”" in error.value.message_dict["team_top_quota"][0]


def test_targets_must_lie_below_the_assessor(tree, superuser):
    with pytest.raises(ValidationError) as error:
        services.scheme_create(assessor=tree["own"], targets=[tree["sibling"]], by=superuser, **scheme_fields())
    assert "targets" in error.value.message_dict


def test_office_staff_of_another_organisation_cannot_create_a_scheme(tree, office_staff):
    with pytest.raises(PermissionDenied):
        services.scheme_create(assessor=tree["sibling"], targets=[], by=office_staff, **scheme_fields())


def test_a_vague_indicator_is_flagged_when_saved(scheme, inspectors):
    vague = add_indicator(scheme, "propaganda", inspectors["propaganda"], "成立意识形态领导小组", quantity=None)
    precise = add_indicator(scheme, "propaganda", inspectors["propaganda"], "中心组学习", quantity=12)
    assert vague.is_vague and not precise.is_vague


def test_an_inspector_defines_indicators_of_his_department_only(scheme, inspectors):
    with pytest.raises(PermissionDenied):
        add_indicator(scheme, "discipline", inspectors["propaganda"])


def test_deductions_follow_the_per_shortfall_rule_and_stop_at_zero(scheme, tree, inspectors, indicators):
    inspection = services.inspection_start(
        scheme=scheme,
        organisation=tree["child"],
        kind="annual",
        department="organisation",
        by=inspectors["organisation"],
    )
    indicator = indicators["organisation"][1]  # 10 points, 2 per shortfall
    assert (indicator.max_score, indicator.deduction_per_shortfall) == (D(10), D(2))
    # 3 points is not a whole number of shortfalls at 2 points each: refused, nothing stored.
    with pytest.raises(ValidationError) as error:
        services.score_record(
            inspection=inspection,
            version=inspection.version,
            indicator=indicator,
            deductions=[(D(3), "少一次半")],
            by=inspectors["organisation"],
        )
    assert "每处差距扣 2 分" in error.value.message_dict["deductions"][0]
    assert not IndicatorScore.objects.exists()
    # Six shortfalls (12 points) on a 10-point indicator: the score stops at zero (扣完为止).
    scored = services.score_record(
        inspection=inspection,
        version=inspection.version,
        indicator=indicator,
        deductions=[(D(6), "三次未开展"), (D(6), "三次无记录")],
        by=inspectors["organisation"],
    )
    assert scored.score == D(0)


@pytest.mark.parametrize(
    ("deductions", "bonus", "field"),
    [
        ([(D(-1), "负数")], D(0), "deductions"),
        ([(D(1), " ")], D(0), "deductions"),
        ([], D(3), "bonus"),
        ([], D(-1), "bonus"),
    ],
)
def test_bad_scores_are_refused_at_their_field(scheme, tree, inspectors, indicators, deductions, bonus, field):
    inspection = services.inspection_start(
        scheme=scheme,
        organisation=tree["child"],
        kind="annual",
        department="organisation",
        by=inspectors["organisation"],
    )
    with pytest.raises(ValidationError) as error:
        services.score_record(
            inspection=inspection,
            version=inspection.version,
            indicator=indicators["organisation"][0],
            deductions=deductions,
            bonus=bonus,
            by=inspectors["organisation"],
        )
    assert field in error.value.message_dict
    assert not IndicatorScore.objects.exists()


def test_an_inspector_cannot_score_another_departments_indicator(scheme, tree, inspectors, indicators):
    inspection = services.inspection_start(
        scheme=scheme,
        organisation=tree["child"],
        kind="annual",
        department="organisation",
        by=inspectors["organisation"],
    )
    with pytest.raises(ValidationError) as error:
        services.score_record(
            inspection=inspection,
            version=inspection.version,
            indicator=indicators["discipline"][0],
            deductions=[],
            by=inspectors["organisation"],
        )
    assert "indicator" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.score_record(
            inspection=inspection,
            version=inspection.version,
            indicator=indicators["organisation"][0],
            deductions=[],
            by=inspectors["discipline"],
        )


def test_an_inspector_cannot_score_an_organisation_outside_his_assignment(scheme, tree, superuser, indicators):
    from responsibilities.models import Role
    from tests.conftest import make_user

    elsewhere = make_user("insp-sibling", tree["sibling"], Role.INSPECTOR, superuser, department="organisation")
    with pytest.raises(PermissionDenied):
        services.inspection_start(
            scheme=scheme, organisation=tree["child"], kind="annual", department="organisation", by=elsewhere
        )


def test_rescoring_keeps_the_old_deductions_as_withdrawn(scheme, tree, inspectors, indicators):
    inspector = inspectors["organisation"]
    inspection = services.inspection_start(
        scheme=scheme, organisation=tree["child"], kind="annual", department="organisation", by=inspector
    )
    indicator = indicators["organisation"][0]
    first = services.score_record(
        inspection=inspection,
        version=inspection.version,
        indicator=indicator,
        deductions=[(D(2), "旧理由")],
        by=inspector,
    )
    second = services.score_record(
        inspection=first.inspection,
        version=first.inspection.version,
        indicator=indicator,
        deductions=[(D(4), "新理由")],
        by=inspector,
    )
    assert second.score == D(16)
    assert list(Deduction.objects.order_by("pk").values_list("reason", "withdrawn")) == [
        ("旧理由", True),
        ("新理由", False),
    ]


def test_submission_needs_every_indicator_scored_and_a_confirmed_record_is_locked(
    scheme, tree, inspectors, indicators, office_staff
):
    inspector = inspectors["organisation"]
    inspection = services.inspection_start(
        scheme=scheme, organisation=tree["child"], kind="annual", department="organisation", by=inspector
    )
    with pytest.raises(ValidationError) as error:
        services.inspection_submit(inspection=inspection, version=inspection.version, by=inspector)
    assert "还有指标未评分" in error.value.messages[0]
    confirmed = (
        inspect(
            scheme,
            tree["own"].get_children().first() or tree["child"],
            "discipline",
            inspectors["discipline"],
            confirm_by=office_staff,
        )
        if False
        else None
    )
    assert confirmed is None
    done = inspect(scheme, tree["child"], "discipline", inspectors["discipline"], confirm_by=office_staff)
    with pytest.raises(ValidationError) as error:
        services.score_record(
            inspection=done,
            version=done.version,
            indicator=indicators["discipline"][0],
            deductions=[],
            by=inspectors["discipline"],
        )
    assert "已确认" in error.value.messages[0]


def test_only_the_assessing_office_confirms(scheme, tree, inspectors, indicators):
    inspection = inspect(scheme, tree["child"], "discipline", inspectors["discipline"])
    with pytest.raises(PermissionDenied):
        services.inspection_confirm(inspection=inspection, version=inspection.version, by=inspectors["discipline"])


def test_one_annual_inspection_per_department_and_organisation(scheme, tree, inspectors, indicators):
    services.inspection_start(
        scheme=scheme, organisation=tree["child"], kind="annual", department="discipline", by=inspectors["discipline"]
    )
    with pytest.raises(ValidationError):
        services.inspection_start(
            scheme=scheme,
            organisation=tree["child"],
            kind="annual",
            department="discipline",
            by=inspectors["discipline"],
        )
    services.inspection_start(
        scheme=scheme, organisation=tree["child"], kind="routine", department="discipline", by=inspectors["discipline"]
    )
    services.inspection_start(
        scheme=scheme, organisation=tree["child"], kind="routine", department="discipline", by=inspectors["discipline"]
    )
    assert Inspection.objects.filter(kind="routine").count() == 2


# ---- Ballots ----------------------------------------------------------------------------------


def make_round(scheme, organisation, by, issued=3, opens=None, closes=None, subject="organisation", min_ballots=1):
    """A round whose slips are printed and codes destroyed (voting open); its codes as ``.printed``."""
    today = timezone.localdate()
    evaluation = services.round_create(
        scheme=scheme,
        organisation=organisation,
        subject=subject,
        questions=["问题一", "问题二"],
        issued=issued,
        quorum_percent=D(60),
        opens_on=opens or today,
        closes_on=closes or today + timedelta(days=7),
        by=by,
    )
    EvaluationRound.objects.filter(pk=evaluation.pk).update(min_ballots=min_ballots)
    printed = slip_codes(evaluation.slip_key, issued)
    evaluation = services.round_slips_destroy(evaluation=evaluation, by=by)
    evaluation.printed = printed
    return evaluation


def counts(evaluation):
    return {(t.question, t.rating): t.count for t in Tally.objects.filter(round=evaluation)}


def test_a_code_votes_once_and_counts_only_at_closing(scheme, tree, superuser):
    evaluation = make_round(scheme, tree["child"], superuser)
    code = evaluation.printed[0]
    services.ballot_cast(code_text=code.lower(), answers={0: "good", 1: "poor"})
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(code_text=code, answers={0: "good", 1: "good"})
    assert error.value.message_dict["code"] == ["该票码已经使用过，每张票只能投一次。"]
    assert sum(counts(evaluation).values()) == 0  # nothing is counted while the round runs
    services.round_close(evaluation=evaluation, by=superuser)
    after = counts(evaluation)
    assert after[(0, "good")] == 1 and after[(1, "poor")] == 1 and sum(after.values()) == 2
    with pytest.raises(ValidationError) as error:  # a closed round takes no more ballots
        services.ballot_cast(code_text=evaluation.printed[1], answers={0: "good", 1: "good"})
    assert "已过期" in error.value.message_dict["code"][0]


def test_codes_are_stored_only_as_keyed_hashes_and_the_slips_key_is_destroyed(scheme, tree, superuser):
    today = timezone.localdate()
    evaluation = services.round_create(
        scheme=scheme,
        organisation=tree["child"],
        subject="organisation",
        questions=["问题一"],
        issued=4,
        quorum_percent=D(60),
        opens_on=today,
        closes_on=today + timedelta(days=1),
        by=superuser,
    )
    printed = slip_codes(evaluation.slip_key, 4)
    assert len(set(printed)) == 4
    with pytest.raises(ValidationError) as error:  # no vote before the codes are destroyed
        services.ballot_cast(code_text=printed[0], answers={0: "good"})
    assert "尚未开始" in error.value.message_dict["code"][0]
    services.round_slips_destroy(evaluation=evaluation, by=superuser)
    evaluation.refresh_from_db()
    assert evaluation.slip_key == ""
    stored = set(BallotCode.objects.filter(round=evaluation).values_list("digest", flat=True))
    assert stored == {code_digest(code) for code in printed}
    with connection.cursor() as cursor:  # no code in clear anywhere in the round's rows
        cursor.execute(
            "SELECT row_to_json(c)::text FROM assessments_ballotcode c WHERE round_id = %s "
            "UNION ALL SELECT row_to_json(b)::text FROM assessments_ballotbox b WHERE round_id = %s "
            "UNION ALL SELECT row_to_json(e)::text FROM assessments_evaluationroundevent e WHERE pgh_obj_id = %s",
            [evaluation.pk] * 3,
        )
        dumped = " ".join(row[0] for row in cursor.fetchall())
    assert not any(code in dumped for code in printed)
    assert "slip_key" not in dumped  # the key never reached the history


def test_the_code_and_ballot_tables_have_no_link_time_or_history(scheme, tree, superuser):
    assert {f.name for f in BallotCode._meta.concrete_fields} == {"id", "round", "digest"}
    assert {f.name for f in BallotBox._meta.concrete_fields} == {"id", "round", "cast", "spent", "ballots"}
    assert {f.name for f in Tally._meta.concrete_fields} == {"id", "round", "question", "rating", "count"}
    event_models = {m.__name__ for m in apps.get_models()}
    assert not {"BallotCodeEvent", "BallotBoxEvent", "TallyEvent"} & event_models


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(1, 5, "尚未开始"), (-10, -1, "已过期")],
)
def test_a_code_outside_the_rounds_dates_is_refused(scheme, tree, superuser, opens, closes, message):
    today = timezone.localdate()
    evaluation = make_round(
        scheme, tree["child"], superuser, opens=today + timedelta(days=opens), closes=today + timedelta(days=closes)
    )
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(code_text=evaluation.printed[0], answers={0: "good", 1: "good"})
    assert message in error.value.message_dict["code"][0]
    assert BallotBox.objects.get(round=evaluation).cast == 0


def test_an_unknown_code_or_an_incomplete_ballot_is_refused(scheme, tree, superuser):
    evaluation = make_round(scheme, tree["child"], superuser)
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(code_text="NOTACODE00", answers={0: "good", 1: "good"})
    assert "票码无效" in error.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        services.ballot_cast(code_text=evaluation.printed[0], answers={0: "good"})
    assert BallotBox.objects.get(round=evaluation).spent == []


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_no_stored_row_or_system_column_links_a_code_to_its_ballot_or_orders_the_voters(scheme, tree, superuser):
    """The attacker holds the printed codes and a copy of the database, system columns included."""
    evaluation = make_round(scheme, tree["child"], superuser, issued=6)
    codes = evaluation.printed
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM assessments_ballotcode WHERE round_id = %s", [evaluation.pk])
        created = {row[0] for row in cursor.fetchall()}
    voters = [
        (codes[4], {0: "poor", 1: "poor"}),
        (codes[0], {0: "good", 1: "good"}),
        (codes[2], {0: "good", 1: "average"}),
    ]
    for code, answers in voters:  # separate transactions, as separate voters
        services.ballot_cast(code_text=code, answers=answers)
    ids = list(BallotCode.objects.filter(round=evaluation).values_list("pk", flat=True))
    code_rows = _rows(
        "SELECT id, digest, xmin::text FROM assessments_ballotcode WHERE id = ANY(%s) ORDER BY ctid", [ids]
    )
    # A code's row is written once, at the round's creation, in hash order: neither its row version,
    # its place on disk nor its id changes when it is used.
    assert {xmin for _id, _digest, xmin in code_rows} == created
    assert [digest for _id, digest, _xmin in code_rows] == sorted(code_digest(c) for c in codes)
    assert [pk for pk, _digest, _xmin in code_rows] == sorted(ids)
    # The box is one row: its content is sorted, so it lists neither the codes nor the ballots in the
    # order they came, and its row version is the last ballot's, which every spent code shares.
    (box_xmin, spent, ballots), *more = _rows(
        "SELECT xmin::text, spent::text, ballots::text FROM assessments_ballotbox WHERE round_id = %s",
        [evaluation.pk],
    )
    assert not more
    box = BallotBox.objects.get(round=evaluation)
    assert box.spent == sorted(code_digest(code) for code, _answers in voters)
    assert box.ballots == sorted([answers[0], answers[1]] for _code, answers in voters)
    assert box_xmin not in created
    # Closing writes every tally, and empties the box, in one transaction.
    services.round_close(evaluation=evaluation, by=superuser)
    tallies = _rows("SELECT DISTINCT xmin::text FROM assessments_tally WHERE round_id = %s", [evaluation.pk])
    (closed_box,) = _rows("SELECT xmin::text FROM assessments_ballotbox WHERE round_id = %s", [evaluation.pk])
    assert len(tallies) == 1 and tallies[0] == closed_box
    assert {
        xmin
        for _id, _digest, xmin in _rows(
            "SELECT id, digest, xmin::text FROM assessments_ballotcode WHERE id = ANY(%s)", [ids]
        )
    } == created
    assert BallotBox.objects.get(round=evaluation).ballots == []
    # No column of these tables holds a time or a sequence number written at voting.
    for table in ("assessments_ballotcode", "assessments_ballotbox", "assessments_tally"):
        types = {t for (t,) in _rows("SELECT data_type FROM information_schema.columns WHERE table_name = %s", [table])}
        assert not {t for t in types if "time" in t or "date" in t}, table


def test_codes_cannot_be_rewritten_in_the_database(scheme, tree, superuser):
    evaluation = make_round(scheme, tree["child"], superuser)
    with pytest.raises(Exception, match="Cannot update"), transaction.atomic():
        BallotCode.objects.filter(round=evaluation).update(digest="x")


@pytest.mark.django_db(transaction=True)
def test_two_submissions_racing_with_one_code_count_once(scheme, tree, superuser):
    evaluation = make_round(scheme, tree["child"], superuser)
    code = evaluation.printed[0]
    barrier, outcomes = threading.Barrier(2), []

    def vote():
        barrier.wait()
        try:
            services.ballot_cast(code_text=code, answers={0: "good", 1: "good"})
            outcomes.append("counted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["counted", "refused"]
    box = BallotBox.objects.get(round=evaluation)
    assert box.cast == 1 and len(box.spent) == 1 and len(box.ballots) == 1


def test_a_round_below_its_minimum_of_valid_ballots_does_not_count(
    scheme, tree, inspectors, indicators, office_staff, superuser
):
    inspect_all(scheme, tree["child"], inspectors, confirm_by=office_staff)  # 100%
    evaluation = make_round(scheme, tree["child"], superuser, issued=4, min_ballots=5)
    for code in evaluation.printed:  # full turnout, but 4 < 5 ballots
        services.ballot_cast(code_text=code, answers={0: "poor", 1: "poor"})
    services.round_close(evaluation=evaluation, by=superuser)
    results, _ = services.results_compute(scheme=scheme, by=office_staff)
    county = next(r for r in results if r.organisation == tree["child"])
    assert county.mass is None and county.composite == D("100.00")


def test_new_rounds_take_the_minimum_from_the_setting(scheme, tree, superuser, settings):
    settings.BALLOT_MIN_RESULTS = 7
    today = timezone.localdate()
    evaluation = services.round_create(
        scheme=scheme,
        organisation=tree["child"],
        subject="organisation",
        questions=["问题一"],
        issued=10,
        quorum_percent=D(60),
        opens_on=today,
        closes_on=today,
        by=superuser,
    )
    assert evaluation.min_ballots == 7


# ---- Results ----------------------------------------------------------------------------------


def test_results_merge_departments_routine_annual_and_mass_by_the_weights(
    scheme, tree, organ, inspectors, indicators, office_staff, superuser
):
    # Maxima: organisation 30 (20 + 10), discipline 20.
    inspect(
        scheme,
        tree["child"],
        "organisation",
        inspectors["organisation"],
        deductions_by_indicator={"组织生活会": [4]},
        confirm_by=office_staff,
    )  # 16 + 10 = 26
    inspect(
        scheme,
        tree["child"],
        "discipline",
        inspectors["discipline"],
        deductions_by_indicator={"警示教育": [2, 2]},
        confirm_by=office_staff,
    )  # 16
    inspect(
        scheme,
        tree["child"],
        "organisation",
        inspectors["organisation"],
        kind="routine",
        deductions_by_indicator={"支部达标": [10]},
        confirm_by=office_staff,
    )  # 20 of 30
    inspect(
        scheme, tree["child"], "organisation", inspectors["organisation"], kind="routine", confirm_by=office_staff
    )  # 30 of 30 → routine average 25 of 30
    inspect(scheme, tree["child"], "discipline", inspectors["discipline"], kind="routine")  # submitted only
    evaluation = make_round(scheme, tree["child"], superuser, issued=2)
    for code in evaluation.printed:
        services.ballot_cast(code_text=code, answers={0: "good", 1: "fairly_good"})  # 90
    services.round_close(evaluation=evaluation, by=superuser)
    results, _leaders = services.results_compute(scheme=scheme, by=office_staff)
    county = next(r for r in results if r.organisation == tree["child"])
    annual = D(42) * 100 / D(50)  # 84
    routine = D(25) * 100 / D(30)  # 83.33…
    assert (county.annual, county.routine, county.mass) == (D("84.00"), D("83.33"), D("90.00"))
    assert county.composite == (D(30) * routine + D(50) * annual + D(20) * D(90)).__truediv__(100).quantize(D("0.01"))
    other = next(r for r in results if r.organisation == organ)
    assert other.composite is None and other.rank is None


def test_a_round_below_its_quorum_does_not_count(scheme, tree, inspectors, indicators, office_staff, superuser):
    inspect_all(scheme, tree["child"], inspectors, confirm_by=office_staff)  # 100%
    evaluation = make_round(scheme, tree["child"], superuser, issued=3)
    services.ballot_cast(code_text=evaluation.printed[0], answers={0: "poor", 1: "poor"})  # 1 of 3 < 60%
    services.round_close(evaluation=evaluation, by=superuser)
    results, _ = services.results_compute(scheme=scheme, by=office_staff)
    county = next(r for r in results if r.organisation == tree["child"])
    assert county.mass is None and county.composite == D("100.00")


@on_day(date(THIS_YEAR, 6, 15))
def test_a_barred_secretary_is_refused_the_top_grade_with_the_reason(
    scheme, tree, organ, inspectors, indicators, office_staff, superuser
):
    from responsibilities import services as team

    secretaries = []
    for organisation in (tree["child"], organ):
        person = PersonFactory(home_organisation=organisation)
        team.membership_add(
            organisation=organisation, person=person, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
        )
        secretaries.append(person)
        inspect_all(scheme, organisation, inspectors, confirm_by=office_staff)
    decide(
        file_case(tree["child"], superuser, person=secretaries[0], facts_date=date(THIS_YEAR, 1, 2)),
        superuser,
        date(THIS_YEAR, 1, 10),
        "通报批评",  # the article's rules, adopted by the test province: no award that year
    )
    services.results_compute(scheme=scheme, by=office_staff)
    barred = LeaderResult.objects.get(person=secretaries[0])
    free = LeaderResult.objects.get(person=secretaries[1])
    assert barred.score == free.score == D("100.00")
    assert (barred.grade_label, free.grade_label) == ("称职", "优秀")
    # Results are read by office staff: the note gives neither the reason nor the date.
    assert barred.note == "不得评为优秀，请向组织部门了解"
    with pytest.raises(ValidationError) as error:
        services.award_nominate(scheme=scheme, person=secretaries[0], title="优秀党务工作者", by=office_staff)
    assert error.value.message_dict["person"] == ["该同志目前不能推荐，请向组织部门了解。"]
    services.award_nominate(scheme=scheme, person=secretaries[1], title="优秀党务工作者", by=office_staff)
    assert list(AwardNomination.objects.values_list("person", flat=True)) == [secretaries[1].pk]


def test_recomputing_updates_results_in_place(scheme, tree, organ, inspectors, indicators, office_staff):
    inspect_all(scheme, tree["child"], inspectors, confirm_by=office_staff)
    services.results_compute(scheme=scheme, by=office_staff)
    rows = dict(Result.objects.filter(scheme=scheme).values_list("organisation_id", "pk"))
    assert rows.keys() == {tree["child"].pk, organ.pk}
    county = Result.objects.get(pk=rows[tree["child"].pk])
    assert (county.routine, county.annual, county.composite) == (None, D("100.00"), D("100.00"))

    # A routine inspection confirmed since: 4 of the 20 points deducted, 80 %.
    inspect(
        scheme,
        tree["child"],
        "discipline",
        inspectors["discipline"],
        kind="routine",
        deductions_by_indicator={"警示教育": [4]},
        confirm_by=office_staff,
    )
    services.results_compute(scheme=scheme, by=office_staff)

    assert dict(Result.objects.filter(scheme=scheme).values_list("organisation_id", "pk")) == rows
    county.refresh_from_db()
    # (30 × 80 + 50 × 100) ÷ 80, the mass evaluation's weight shared out: 92.50.
    assert (county.routine, county.annual, county.composite) == (D("80.00"), D("100.00"), D("92.50"))


def test_a_grade_does_not_outlive_the_facts_it_rested_on(scheme, tree, inspectors, indicators, office_staff, superuser):
    from responsibilities import services as team

    person = PersonFactory(home_organisation=tree["child"])
    team.membership_add(
        organisation=tree["child"], person=person, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    inspect_all(scheme, tree["child"], inspectors, confirm_by=office_staff)
    services.results_compute(scheme=scheme, by=office_staff)
    assert LeaderResult.objects.get(person=person).grade_label != ""
    # A department adds an indicator: the county's result waits for it, and so does its secretary's.
    add_indicator(scheme, "propaganda", inspectors["propaganda"])
    services.results_compute(scheme=scheme, by=office_staff)
    county = Result.objects.get(scheme=scheme, organisation=tree["child"])
    leader = LeaderResult.objects.get(person=person)
    assert (county.grade_label, county.rank) == ("", None)
    assert (leader.grade_label, leader.rank, leader.score) == ("", None, None)
    assert "本次未评定" in leader.note
    # An organisation taken out of the targets keeps its row, ungraded, with the reason.
    scheme.targets.remove(tree["child"])
    services.results_compute(scheme=scheme, by=office_staff)
    county.refresh_from_db()
    assert (county.grade_label, county.rank, county.composite) == ("", None, None)
    assert "已不在" in county.note


def test_a_result_waits_for_every_departments_year_end_assessment(scheme, tree, inspectors, indicators, office_staff):
    inspect(scheme, tree["child"], "discipline", inspectors["discipline"], confirm_by=office_staff)
    results, leaders = services.results_compute(scheme=scheme, by=office_staff)
    county = next(r for r in results if r.organisation == tree["child"])
    assert county.composite == D("100.00")  # shown, but on the discipline indicators alone
    assert (county.grade, county.rank) == ("", None)
    assert county.note == "待组织部门完成年终考核后评定等次和排名"
    inspect(scheme, tree["child"], "organisation", inspectors["organisation"], confirm_by=office_staff)
    results, _ = services.results_compute(scheme=scheme, by=office_staff)
    county = next(r for r in results if r.organisation == tree["child"])
    assert (county.grade_label, county.rank, county.note) == ("好", 1, "")
