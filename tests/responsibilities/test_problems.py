"""问题清单 and 整改 against PostgreSQL: the city records a problem at the county → the county sets a
measure, reports with evidence and asks for 复核 → the city closes it (销号) or returns it; who may do
each; bad input at the field with nothing changed; the door; the roll-up's maintained counts against a
direct count; the 整改台账 export and print; 工作台 to-dos, messages and 预警提醒; 立为问题 from an
inspection's deduction."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core import worklist
from core.models import Notification
from responsibilities import tallies
from responsibilities.models import MeasureEvidence, Problem, ProblemStatus, Role
from responsibilities.selectors.problems import problem_rollup
from responsibilities.services import organisations as org_services
from responsibilities.services import problems as services
from tests.conftest import make_user
from tests.helpers import queries_for
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import committee_list, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_staff(tree, superuser):
    return make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser)


@pytest.fixture
def county_person(tree):
    return PersonFactory(home_organisation=tree["child"], name="赵县委委员")


def record(tree, by, **changes):
    fields = {
        "organisation": tree["child"],
        "found_by": tree["own"],
        "source": "tour",
        "title": "“三会一课”记录不全",
        "description": "2026 年第二季度支部委员会会议记录缺失。",
        "deadline": timezone.localdate() + timedelta(days=30),
        "by": by,
    } | changes
    return services.problem_record(**fields)


def add_measure(problem, by, person, **changes):
    fields = {
        "problem": problem,
        "version": Problem.objects.get(pk=problem.pk).version,
        "text": "补齐会议记录并建立月度检查制度",
        "responsible_person": person,
        "deadline": timezone.localdate() + timedelta(days=20),
        "standard": "记录完整、签字齐全",
        "by": by,
    } | changes
    return services.measure_add(**fields)


def complete(measure, by):
    measure.refresh_from_db()
    return services.measure_report(
        measure=measure, version=measure.version, note="已补齐", files=[pdf()], complete=True, by=by
    )


def submit(problem, by):
    problem.refresh_from_db()
    return services.problem_submit(problem=problem, version=problem.version, report="已整改到位", by=by)


def test_the_city_records_the_county_rectifies_with_evidence_and_the_city_closes(
    client, tree, office_staff, county_staff, county_person
):
    committee_list(tree["child"], office_staff)
    client.force_login(office_staff)
    url = reverse("responsibilities:problem_create", args=[tree["child"].pk])
    page = client.get(url)
    assert page.status_code == 200 and "测试市委" in page.content.decode()
    item = page.context["form"].fields["items"].queryset.get(number=5)
    response = client.post(
        url,
        {
            "found_by": tree["own"].pk,
            "source": "tour",
            "title": "“三会一课”记录不全",
            "description": "支部委员会会议记录缺失。",
            "deadline": str(timezone.localdate() + timedelta(days=30)),
            "items": [item.pk],
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == problem.get_absolute_url()
    assert problem.status == ProblemStatus.OPEN and list(problem.items.all()) == [item]
    assert Notification.objects.filter(recipient=county_staff, event="problem_assigned").count() == 1

    client.force_login(county_staff)
    detail = reverse("responsibilities:problem_detail", args=[problem.pk])
    assert client.get(detail).context["measure_form"]
    response = client.post(
        reverse("responsibilities:measure_add", args=[problem.pk]),
        {
            "version": problem.version,
            "text": "补齐会议记录",
            "responsible_person": county_person.pk,
            "deadline": str(timezone.localdate() + timedelta(days=10)),
            "quantity": "4",
            "unit": "次",
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    measure = problem.measures.get()
    assert problem.status == ProblemStatus.RECTIFYING and measure.quantity == Decimal(4)

    response = client.post(
        reverse("responsibilities:measure_report", args=[measure.pk]),
        {
            f"m{measure.pk}-version": measure.version,
            f"m{measure.pk}-note": "已补齐四次会议记录",
            f"m{measure.pk}-files": [pdf()],
            f"m{measure.pk}-complete": "on",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.completed_on == timezone.localdate() and measure.completed_by == county_staff
    assert MeasureEvidence.objects.get().original_name == "会议纪要.pdf"

    problem.refresh_from_db()
    response = client.post(
        reverse("responsibilities:problem_submit", args=[problem.pk]), {"version": problem.version, "report": "已整改"}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.REVIEW and problem.submitted_by == county_staff
    assert Notification.objects.filter(recipient=office_staff, event="problem_submitted").count() == 1

    client.force_login(office_staff)
    assert client.get(detail).context["can_review"] is True
    response = client.post(
        reverse("responsibilities:problem_review", args=[problem.pk]), {"version": problem.version, "action": "close"}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.closed_by == office_staff
    assert problem.closed_at is not None
    assert Notification.objects.filter(recipient=county_staff, event="problem_closed").count() == 1
    page = client.get(detail).content.decode()
    assert "已销号" in page and 'data-testid="closed-by"' in page


def test_closing_by_an_organisation_below_the_finder_is_refused_at_the_field_and_changes_nothing(
    client, tree, office_staff, county_staff, county_person
):
    problem = record(tree, office_staff)
    complete(add_measure(problem, county_staff, county_person), county_staff)
    problem = submit(problem, county_staff)
    client.force_login(county_staff)  # the county sees it (its own problem) but did not find it
    response = client.post(
        reverse("responsibilities:problem_review", args=[problem.pk]), {"version": problem.version, "action": "close"}
    )
    assert response.status_code == 403
    assert "只有发现问题的单位或其上级可以复核、销号。" in response.content.decode()
    fresh = Problem.objects.get(pk=problem.pk)
    assert (fresh.status, fresh.version, fresh.closed_by) == (ProblemStatus.REVIEW, problem.version, None)
    with pytest.raises(PermissionDenied):
        services.problem_review(problem=problem, version=problem.version, accept=True, by=county_staff)


def test_the_province_above_the_finder_may_close(tree, office_staff, county_staff, county_person, superuser):
    province_staff = make_user("province_office", tree["parent"], Role.OFFICE_STAFF, superuser)
    problem = record(tree, office_staff)
    complete(add_measure(problem, county_staff, county_person), county_staff)
    problem = submit(problem, county_staff)
    closed = services.problem_review(problem=problem, version=problem.version, accept=True, by=province_staff)
    assert closed.status == ProblemStatus.CLOSED and closed.closed_by == province_staff


def test_closing_with_a_measure_still_open_is_refused_at_the_field_and_changes_nothing(
    client, tree, office_staff, county_staff, county_person
):
    problem = record(tree, office_staff)
    complete(add_measure(problem, county_staff, county_person), county_staff)
    add_measure(problem, county_staff, county_person, text="开展专题培训")
    problem = submit(problem, county_staff)
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:problem_review", args=[problem.pk]), {"version": problem.version, "action": "close"}
    )
    assert response.status_code == 400
    assert "还有 1 项整改措施未完成，不能销号。" in response.content.decode()
    fresh = Problem.objects.get(pk=problem.pk)
    assert (fresh.status, fresh.version, fresh.closed_at) == (ProblemStatus.REVIEW, problem.version, None)


def test_the_finder_returns_with_a_reason_and_the_county_rectifies_again(
    client, tree, office_staff, county_staff, county_person
):
    problem = record(tree, office_staff)
    add_measure(problem, county_staff, county_person)
    problem = submit(problem, county_staff)
    with pytest.raises(ValidationError) as refused:
        services.problem_review(problem=problem, version=problem.version, accept=False, reason=" ", by=office_staff)
    assert refused.value.message_dict == {"reason": ["退回时请写明原因。"]}
    returned = services.problem_review(
        problem=problem, version=problem.version, accept=False, reason="记录仍缺签字", by=office_staff
    )
    assert returned.status == ProblemStatus.RECTIFYING and returned.return_reason == "记录仍缺签字"
    assert Notification.objects.filter(recipient=county_staff, event="problem_returned").count() == 1
    client.force_login(county_staff)
    page = client.get(returned.get_absolute_url()).content.decode()
    assert "记录仍缺签字" in page and 'data-testid="submit-problem"' in page


def test_a_measure_is_completed_only_with_evidence_checked_as_task_evidence(
    tree, office_staff, county_staff, county_person
):
    measure = add_measure(record(tree, office_staff), county_staff, county_person)
    with pytest.raises(ValidationError) as refused:
        services.measure_report(
            measure=measure, version=measure.version, note="完成", files=[], complete=True, by=county_staff
        )
    assert refused.value.message_dict == {"files": ["标记完成前请上传至少一份整改佐证材料。"]}
    fake = pdf("照片.png")  # PDF bytes under a PNG name
    with pytest.raises(ValidationError) as refused:
        services.measure_report(
            measure=measure, version=measure.version, note="完成", files=[fake], complete=True, by=county_staff
        )
    assert refused.value.message_dict == {"files": ["文件内容与扩展名“.png”不符，请上传真实的 png 文件。"]}
    measure.refresh_from_db()
    assert measure.completed_on is None and not measure.progress.exists() and not MeasureEvidence.objects.exists()


def test_the_measure_s_responsible_person_reports_on_it_but_a_stranger_may_not(
    tree, office_staff, county_staff, superuser
):
    person_user = make_user("zhao", tree["child"], Role.LEADER, superuser)
    person = PersonFactory(home_organisation=tree["child"], name="赵委员", user=person_user)
    measure = add_measure(record(tree, office_staff), county_staff, person)
    progress = services.measure_report(
        measure=measure, version=measure.version, note="推进中", files=[], complete=False, by=person_user
    )
    assert progress.measure == measure and progress.recorded_by == person_user
    measure.refresh_from_db()
    with pytest.raises(PermissionDenied):  # the finder's staff check the rectification, they do not do it
        services.measure_report(
            measure=measure, version=measure.version, note="代填", files=[], complete=False, by=office_staff
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"organisation": "sibling"}, "organisation", "问题只能登记给发现单位本级或其下级组织。"),
        ({"title": " "}, "title", "请填写问题。"),
        ({"description": ""}, "description", "请填写问题描述。"),
        ({"deadline": -1}, "deadline", "整改时限不能早于发现日期。"),
        ({"deadline": 800}, "deadline", "整改时限超过一年的，请标记为长期整改并设置阶段性目标。"),
    ],
)
def test_bad_problems_are_refused_at_the_field_and_nothing_is_recorded(tree, office_staff, changes, field, message):
    if "organisation" in changes:
        changes = {"organisation": tree["sibling"]}
    if "deadline" in changes:
        changes = {"deadline": timezone.localdate() + timedelta(days=changes["deadline"])}
    with pytest.raises(ValidationError) as refused:
        record(tree, office_staff, **changes)
    assert refused.value.message_dict[field] == [message]
    assert not Problem.objects.exists() and not Notification.objects.exists()


def test_a_long_term_problem_has_interim_milestones(tree, office_staff, county_staff, county_person):
    long = record(tree, office_staff, long_term=True, deadline=timezone.localdate() + timedelta(days=700))
    milestone = add_measure(long, county_staff, county_person, milestone=True)
    assert milestone.milestone is True
    short = record(tree, office_staff, title="另一个问题")
    with pytest.raises(ValidationError) as refused:
        add_measure(short, county_staff, county_person, milestone=True)
    assert refused.value.message_dict == {"milestone": ["只有长期整改的问题才设阶段性目标。"]}


def test_only_the_finder_s_staff_and_inspectors_record_what_it_found(
    tree, office_staff, county_staff, inspector, leader
):
    with pytest.raises(PermissionDenied):
        record(tree, county_staff)  # the county records nothing as found by the city
    with pytest.raises(PermissionDenied):
        record(tree, leader)
    assert record(tree, inspector).recorded_by == inspector
    # An organisation may record what it found itself (a 民主生活会 finding) and then close it.
    own = record(tree, county_staff, found_by=tree["child"], source="life_meeting", title="自查问题")
    assert own.found_by == tree["child"]


def test_the_door_sibling_staff_see_nothing_leaders_see_the_problems_naming_nobody(
    client, tree, office_staff, superuser, leader, county_person
):
    sibling_staff = make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    problem = record(tree, office_staff)
    named = record(tree, office_staff, title="个人问题", person=county_person)
    assert set(Problem.objects.for_user(office_staff)) == {problem, named}
    assert list(Problem.objects.for_user(sibling_staff)) == []
    assert list(Problem.objects.for_user(leader)) == [problem]
    client.force_login(sibling_staff)
    assert client.get(problem.get_absolute_url()).status_code == 404
    assert client.get(reverse("responsibilities:problem_list")).context["problems"] == []


def test_the_roll_up_counts_are_maintained_and_agree_with_a_direct_count(
    tree, office_staff, county_staff, county_person, superuser
):
    organ = org_services.organisation_create(
        parent=tree["own"], name="市直机关", code="P-C-J", kind="committee", by=superuser
    )
    today = timezone.localdate()
    done = record(tree, office_staff, title="已整改")
    complete(add_measure(done, county_staff, county_person), county_staff)
    done = submit(done, county_staff)
    services.problem_review(problem=done, version=done.version, accept=True, by=office_staff)
    record(tree, office_staff, title="待整改")
    late = record(tree, office_staff, organisation=organ, title="逾期")
    Problem.objects.filter(pk=late.pk).update(found_on=today - timedelta(days=40), deadline=today - timedelta(days=5))
    record(tree, office_staff, organisation=tree["own"], title="市委本级")
    assert tallies.problem_discrepancies() == []

    rollup = problem_rollup(tree["own"], today.year, today)
    rows = {row.organisation.code: row.counts for row in rollup.rows}
    assert (rollup.subtree.found, rollup.subtree.rectified, rollup.subtree.overdue) == (4, 1, 1)
    assert rollup.subtree.rate == Decimal("25.0")
    assert (rows["P-C-K"].found, rows["P-C-K"].rectified, rows["P-C-K"].overdue) == (2, 1, 0)
    assert (rows["P-C-J"].found, rows["P-C-J"].overdue) == (1, 1)
    # The same figures counted directly from the problems of each subtree.
    for org in (tree["own"], tree["child"], organ):
        direct = Problem.objects.filter(organisation__path__startswith=org.path, found_on__year=today.year).aggregate(
            found=Count("pk"),
            rectified=Count("pk", filter=Q(status="closed")),
            overdue=Count("pk", filter=~Q(status="closed") & Q(deadline__lt=today)),
        )
        counts = rollup.subtree if org == tree["own"] else rows[org.code]
        assert (counts.found, counts.rectified, counts.overdue) == (
            direct["found"],
            direct["rectified"],
            direct["overdue"],
        )
    # Moving the organ under the county moves its counts with it.
    organ.refresh_from_db()
    org_services.organisation_update(
        organisation=organ, version=organ.version, parent=tree["child"], name=organ.name, code=organ.code, by=superuser
    )
    assert tallies.problem_discrepancies() == []
    moved = {row.organisation.code: row.counts for row in problem_rollup(tree["own"], today.year, today).rows}
    assert (moved["P-C-K"].found, moved["P-C-K"].overdue) == (3, 1) and "P-C-J" not in moved


def test_the_ledger_exports_and_prints_the_visible_problems(client, tree, office_staff, superuser):
    record(tree, office_staff, title="台账问题甲")
    sibling_staff = make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    record(tree, sibling_staff, organisation=tree["sibling"], found_by=tree["sibling"], title="兄弟问题")
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:problem_list") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "台账问题甲" in cells and "测试县委" in cells and "待整改" in cells
    assert "兄弟问题" not in cells
    printed = client.get(reverse("responsibilities:problem_print")).content.decode()
    assert "问题整改台账" in printed and "台账问题甲" in printed and "兄弟问题" not in printed


def test_the_list_and_the_roll_up_run_as_many_queries_for_one_problem_as_for_twenty(
    client, tree, office_staff, county_person
):
    record(tree, office_staff, person=county_person)
    client.force_login(office_staff)
    pages = [
        reverse("responsibilities:problem_list"),
        reverse("responsibilities:problem_rollup", args=[tree["own"].pk]),
        reverse("responsibilities:problem_print"),
    ]
    one = [queries_for(client, url) for url in pages]
    for n in range(19):
        record(tree, office_staff, title=f"问题{n}", person=county_person)
    assert [queries_for(client, url) for url in pages] == one


def test_the_detail_page_runs_as_many_queries_for_one_measure_as_for_ten(
    client, tree, office_staff, county_staff, county_person
):
    problem = record(tree, office_staff)
    complete(add_measure(problem, county_staff, county_person), county_staff)
    client.force_login(county_staff)
    one = queries_for(client, problem.get_absolute_url())
    for n in range(9):
        complete(add_measure(problem, county_staff, county_person, text=f"措施{n}"), county_staff)
    assert queries_for(client, problem.get_absolute_url()) == one


def test_the_workbench_shows_measures_due_and_problems_awaiting_review(tree, office_staff, county_staff, county_person):
    problem = record(tree, office_staff)
    measure = add_measure(problem, county_staff, county_person)
    today = timezone.localdate()
    county = {todo.key: todo for todo in worklist.todos(county_staff, today)}
    assert [row.text for row in county["measures_due"].rows] == [measure.text]
    assert "problems_to_review" not in {t.key for t in worklist.todos(county_staff, today) if t.count}
    city = {todo.key: todo for todo in worklist.todos(office_staff, today)}
    assert city.get("measures_due") is None or city["measures_due"].count == 0  # the finder does not rectify
    complete(measure, county_staff)
    submit(problem, county_staff)
    city = {todo.key: todo for todo in worklist.todos(office_staff, today)}
    assert [row.text for row in city["problems_to_review"].rows] == [problem.title]


def test_an_open_problem_past_its_deadline_shows_yellow_on_the_early_warning(client, tree, office_staff):
    problem = record(tree, office_staff, title="逾期未整改问题")
    today = timezone.localdate()
    Problem.objects.filter(pk=problem.pk).update(
        found_on=today - timedelta(days=20), deadline=today - timedelta(days=3)
    )
    client.force_login(office_staff)
    page = client.get(reverse("accountability:early_warning")).content.decode()
    assert 'data-testid="overdue-problems"' in page and "逾期未整改问题" in page and "黄色预警·已逾期" in page
    listed = client.get(reverse("responsibilities:problem_list") + "?status=overdue").context["problems"]
    assert [p.title for p in listed] == ["逾期未整改问题"]


def test_the_history_of_a_problem_records_who_changed_it(client, tree, office_staff, county_staff, county_person):
    county_staff.first_name = "赵干事"
    county_staff.save()
    problem = record(tree, office_staff)
    add_measure(problem, county_staff, county_person)
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:history", args=["problem", problem.pk]))
    page = response.content.decode()
    # Named by the person's name, never by the login (issue 16, item 8).
    assert response.status_code == 200 and "赵干事" in page and "county_office" not in page


def test_a_second_reviewer_working_from_a_stale_page_is_refused_with_409_and_the_first_decision_stands(
    client, tree, office_staff, county_staff, county_person, administrator
):
    problem = record(tree, office_staff)
    complete(add_measure(problem, county_staff, county_person), county_staff)
    problem = submit(problem, county_staff)
    stale = problem.version
    services.problem_review(problem=problem, version=stale, accept=False, reason="缺签字", by=office_staff)
    client.force_login(administrator)
    response = client.post(
        reverse("responsibilities:problem_review", args=[problem.pk]), {"version": stale, "action": "close"}
    )
    assert response.status_code == 409 and "该问题已被他人更新" in response.content.decode()
    fresh = Problem.objects.get(pk=problem.pk)
    assert (fresh.status, fresh.return_reason, fresh.closed_by) == (ProblemStatus.RECTIFYING, "缺签字", None)


# ---- Daily reminders ----------------------------------------------------------------------------


def test_the_day_after_a_deadline_the_open_problem_and_its_open_measure_are_reminded_once(
    tree, office_staff, county_staff, county_person, superuser
):
    from responsibilities.problem_notifications import remind_problems

    county_person.user = make_user("county_member", tree["child"], Role.LEADER, superuser)
    county_person.save()
    problem = record(tree, office_staff)
    measure = add_measure(problem, county_staff, county_person)
    other = record(tree, office_staff, title="另一问题")
    submit_ready = add_measure(other, county_staff, county_person)
    complete(submit_ready, county_staff)
    submit(other, county_staff)  # 待复核: the finder's turn, no reminder to rectify

    assert remind_problems(measure.deadline) == 0  # due today is not yet late
    assert remind_problems(measure.deadline + timedelta(days=1)) == 2  # the measure: member and county staff
    told = Notification.objects.filter(event="measure_overdue")
    assert sorted(n.recipient.username for n in told) == ["county_member", "county_office"]
    assert "补齐会议记录并建立月度检查制度" in told[0].text

    late = problem.deadline + timedelta(days=1)
    assert remind_problems(late) == 2  # the problem: the county's staff and the city that found it
    assert sorted(
        Notification.objects.filter(event="problem_overdue").values_list("recipient__username", flat=True)
    ) == ["county_office", "office"]
    assert remind_problems(late) == 0  # a second run of the day adds nothing


def test_the_list_counts_each_rows_measures_and_those_still_open(
    client, tree, office_staff, county_staff, county_person
):
    busy = record(tree, office_staff, title="台账不全")
    complete(add_measure(busy, county_staff, county_person), county_staff)
    add_measure(busy, county_staff, county_person, text="开展专题培训")
    add_measure(busy, county_staff, county_person, text="建立月度检查制度")
    record(tree, office_staff, title="制度未建立")
    client.force_login(office_staff)

    rows = {
        row.title: (row.measure_count, row.open_measures)
        for row in client.get(reverse("responsibilities:problem_list")).context["problems"]
    }
    assert rows == {"台账不全": (3, 2), "制度未建立": (0, 0)}
    by_count = client.get(reverse("responsibilities:problem_list"), {"sort": "-measures"}).context["problems"]
    assert [row.title for row in by_count] == ["台账不全", "制度未建立"]
