"""述责述廉 services against PostgreSQL: one report a year by the member himself, tied to his list;
the committee's 评议 never by himself; the masses' 评议 through the anonymous ballots with its
minimum sample; the 评议 in the secretary's personal result."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import selectors, services
from assessments.models import HearingEvaluation, HearingFile, HearingReport, LeaderResult, slip_codes
from tests.assessments.conftest import inspect_all, scheme_fields
from tests.assessments.hearing_factories import county_team, lists_with_tasks, open_hearing
from tests.responsibilities.list_factories import THIS_YEAR, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats(tree, superuser, list_template):
    return county_team(tree, superuser)


@pytest.fixture
def hearing(scheme, tree, office_staff):
    return open_hearing(scheme, tree, office_staff)


def submit(hearing, seats, name, text="一年来认真履行“一岗双责”。", files=()):
    return services.report_submit(hearing=hearing, text=text, files=files, by=seats[name][0])


def test_a_member_submits_his_report_tied_to_his_list_with_its_completion(hearing, seats, tree, superuser):
    personal = lists_with_tasks(tree, superuser, seats)
    report = submit(hearing, seats, "赵委员", files=[pdf("述责述廉报告.pdf")])
    assert (report.person, report.year, report.responsibility_list) == (seats["赵委员"][1], THIS_YEAR, personal)
    assert list(HearingFile.objects.filter(report=report).values_list("original_name", "content_type")) == [
        ("述责述廉报告.pdf", "application/pdf")
    ]
    [summary] = selectors.hearing_summaries([report], timezone.localdate())
    assert (summary.list_total, summary.list_done, summary.list_rate) == (2, 1, D("50.0"))
    assert (summary.committee, summary.mass, summary.result) == (None, None, None)
    assert summary.mass_note == "未组织群众评议"


def test_a_second_report_for_the_same_year_is_refused_at_the_field(hearing, seats):
    submit(hearing, seats, "赵委员")
    with pytest.raises(ValidationError) as error:
        submit(hearing, seats, "赵委员", text="第二份")
    assert error.value.message_dict == {"text": [f"您 {THIS_YEAR} 年的述责述廉报告已经提交，每年只提交一份。"]}
    assert list(HearingReport.objects.values_list("text", flat=True)) == ["一年来认真履行“一岗双责”。"]


def test_the_database_refuses_a_second_report_of_the_year_too(hearing, seats, superuser):
    first = submit(hearing, seats, "赵委员")
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingReport.objects.create(
            hearing=hearing, person=first.person, year=THIS_YEAR, text="绕过服务", submitted_by=superuser
        )


def test_only_a_member_in_office_reports_and_only_for_himself(hearing, seats, office_staff):
    with pytest.raises(PermissionDenied):
        services.report_submit(hearing=hearing, text="代为提交", by=office_staff)
    assert not HearingReport.objects.exists()


def test_a_report_outside_the_hearings_dates_or_with_a_bad_file_is_refused(scheme, tree, office_staff, seats):
    today = timezone.localdate()
    later = open_hearing(
        scheme, tree, office_staff, opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=9)
    )
    with pytest.raises(ValidationError) as error:
        submit(later, seats, "赵委员")
    assert "述责述廉报告应在" in error.value.message_dict["text"][0]
    from assessments.models import Hearing

    Hearing.objects.filter(pk=later.pk).update(opens_on=today)
    later.refresh_from_db()
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        submit(later, seats, "赵委员", files=[fake])
    assert list(error.value.message_dict) == ["files"]
    assert not HearingReport.objects.exists() and not HearingFile.objects.exists()


def test_the_other_members_evaluate_a_report_never_its_author(hearing, seats):
    report = submit(hearing, seats, "赵委员")
    with pytest.raises(ValidationError) as error:
        services.report_evaluate(report=report, rating="good", by=seats["赵委员"][0])
    assert error.value.message_dict == {"rating": ["不能评议本人的述责述廉报告，请评议其他班子成员。"]}
    services.report_evaluate(report=report, rating="good", by=seats["王书记"][0])
    services.report_evaluate(report=report, score=D(70), comment="谈心谈话偏少", by=seats["钱委员"][0])
    with pytest.raises(ValidationError) as error:
        services.report_evaluate(report=report, rating="poor", by=seats["钱委员"][0])
    assert error.value.message_dict == {"rating": ["您已评议过这份报告。"]}
    assert sorted(HearingEvaluation.objects.values_list("evaluator__name", "rating", "score")) == [
        ("王书记", "good", None),
        ("钱委员", "", D("70.00")),
    ]
    [summary] = selectors.hearing_summaries([report], timezone.localdate())
    assert (summary.committee, summary.committee_count, summary.result) == (D("85.00"), 2, D("85.00"))


def test_the_database_refuses_a_self_evaluation(hearing, seats, superuser):
    report = submit(hearing, seats, "赵委员")
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingEvaluation.objects.create(
            report=report, subject=report.person, evaluator=report.person, rating="good", evaluated_by=superuser
        )


def test_someone_outside_the_team_cannot_evaluate(hearing, seats, office_staff):
    report = submit(hearing, seats, "赵委员")
    with pytest.raises(PermissionDenied):
        services.report_evaluate(report=report, rating="good", by=office_staff)
    assert not HearingEvaluation.objects.exists()


def _mass_round(report, office_staff, issued, ballots):
    today = timezone.localdate()
    evaluation = services.hearing_round_create(
        report=report,
        questions=["履行全面从严治党责任情况", "廉洁自律情况"],
        issued=issued,
        quorum_percent=D(50),
        opens_on=today,
        closes_on=today + timedelta(days=5),
        by=office_staff,
    )
    codes = slip_codes(evaluation.slip_key, issued)
    services.round_slips_destroy(evaluation=evaluation, by=office_staff)
    for code, answers in zip(codes, ballots, strict=False):
        services.ballot_cast(code_text=code, answers=dict(enumerate(answers)))
    return services.round_close(evaluation=evaluation, by=office_staff)


def test_the_masses_evaluation_shows_only_from_the_rounds_minimum_of_valid_ballots(
    hearing, seats, office_staff, settings
):
    report = submit(hearing, seats, "赵委员")
    services.report_evaluate(report=report, rating="good", by=seats["王书记"][0])
    # Four ballots under the minimum of five: the committee's 评议 alone counts.
    evaluation = _mass_round(report, office_staff, 6, [["good", "good"]] * 4)
    assert (evaluation.subject, evaluation.person, evaluation.min_ballots) == ("hearing", report.person, 5)
    [summary] = selectors.hearing_summaries([report], timezone.localdate())
    assert (summary.mass, summary.mass_note, summary.result) == (
        None,
        "有效票 4 张，少于 5 张，不显示结果",
        D("100.00"),
    )
    # A later round with five ballots: 好 on half the answers, 一般 on the other half → 80.
    _mass_round(report, office_staff, 6, [["good", "average"]] * 5)
    [summary] = selectors.hearing_summaries([report], timezone.localdate())
    assert (summary.mass, summary.mass_note) == (D("80.00"), "")
    assert summary.result == D("90.00")  # committee 100 and masses 80, 50% each


def test_a_mass_round_is_only_for_a_member_in_office(scheme, tree, office_staff, seats):
    from assessments.models import EvaluationRound

    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.round_create(
            scheme=scheme,
            organisation=tree["child"],
            subject="hearing",
            questions=["总体评价"],
            issued=5,
            quorum_percent=D(80),
            opens_on=today,
            closes_on=today,
            by=office_staff,
        )
    assert error.value.message_dict == {"subject": ["述责述廉的群众评议须针对测评开始日在任的班子成员。"]}
    assert not EvaluationRound.objects.exists()


def test_the_hearing_weight_and_the_organisations_weight_leave_room_for_the_rest(tree, superuser):
    with pytest.raises(ValidationError) as error:
        services.scheme_create(
            assessor=tree["own"],
            targets=[tree["child"]],
            by=superuser,
            **scheme_fields(secretary_org_weight=D(70), hearing_weight=D(40)),
        )
    assert error.value.message_dict["hearing_weight"] == [
        "述责述廉评议权重与组织党建结果权重之和不能超过 100（现为 110）。"
    ]


def test_the_evaluation_is_a_weighted_part_of_the_secretarys_personal_result(
    scheme, tree, organ, inspectors, indicators, office_staff, seats
):
    from assessments.models import Scheme

    Scheme.objects.filter(pk=scheme.pk).update(hearing_weight=D(20))
    scheme.refresh_from_db()
    hearing = open_hearing(scheme, tree, office_staff)
    report = submit(hearing, seats, "王书记")
    services.report_evaluate(report=report, rating="good", by=seats["赵委员"][0])
    services.report_evaluate(report=report, rating="average", by=seats["钱委员"][0])
    inspect_all(scheme, tree["child"], inspectors, confirm_by=office_staff)
    services.results_compute(scheme=scheme, by=office_staff)
    result = LeaderResult.objects.get(scheme=scheme, person=seats["王书记"][1])
    # organisation 100 × 70 + 评议 80 × 20, over 90 (no 民主测评 of the secretary: its 10 is shared out)
    assert (result.organisation_part, result.hearing, result.mass, result.score) == (
        D("100.00"),
        D("80.00"),
        None,
        D("95.56"),
    )
