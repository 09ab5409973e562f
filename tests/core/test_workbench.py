"""工作台: each role's 待办 (with links where the user acts), 已阅/反馈, 已办, the navigation count, queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability import services as accountability_services
from accountability.models import Intervention
from core import scope, worklist
from responsibilities import services
from responsibilities.models import ListStatus, Person, ResponsibilityList, SupervisionNote, TeamRole
from tests.conftest import make_user
from tests.helpers import on_day, queries_for
from tests.responsibilities.list_factories import THIS_YEAR, add_task, committee_list

pytestmark = pytest.mark.django_db


def seat(user, organisation, by):
    person = Person.objects.get(user=user)
    services.membership_add(
        organisation=organisation, person=person, role=TeamRole.MEMBER, start_date=date(2020, 1, 1), by=by
    )
    return person


def move(responsibility_list, target, by, reason=""):
    responsibility_list.refresh_from_db()
    return services.list_transition(
        responsibility_list=responsibility_list,
        version=responsibility_list.version,
        target=target,
        by=by,
        reason=reason,
    )


def groups_of(user):
    return {group.key: group for group in worklist.todos(user)}


def test_the_secretary_is_asked_to_confirm_and_the_office_to_rework_a_returned_list(
    client, tree, superuser, office_staff, secretary
):
    listed = committee_list(tree["own"], superuser)
    move(listed, ListStatus.SUBMITTED, office_staff)
    client.force_login(secretary)
    page = client.get(reverse("home")).content.decode()
    assert "待确认的责任清单" in page and listed.get_absolute_url() in page
    assert "lists_returned" not in groups_of(office_staff)  # a fresh draft is not "returned"

    move(listed, ListStatus.DRAFT, secretary, reason="请补充任务")
    assert "lists_to_confirm" not in groups_of(secretary)
    assert [row.url for row in groups_of(office_staff)["lists_returned"].rows] == [listed.get_absolute_url()]
    client.force_login(office_staff)
    page = client.get(reverse("home")).content.decode()
    assert "被退回修改的责任清单" in page
    # 已办: the office's own move of the list, from its history row with the user in the context.
    assert "已提交" in page and 'data-testid="done"' in page


@on_day(date(THIS_YEAR, 6, 10))
def test_tasks_due_soon_or_overdue_are_the_responsible_persons_and_the_office_staffs(
    tree, superuser, office_staff, leader, inspector
):
    person = seat(leader, tree["own"], superuser)
    listed = committee_list(tree["own"], superuser)
    today = timezone.localdate()
    soon = add_task(
        listed, superuser, title="五天内到期", deadline=today + timedelta(days=3), responsible_person=person
    )
    add_task(listed, superuser, title="下个月到期", deadline=today + timedelta(days=40), responsible_person=person)
    add_task(listed, superuser, title="上月逾期", deadline=today - timedelta(days=30), responsible_person=person)
    child = committee_list(tree["child"], superuser)
    add_task(child, superuser, title="下级的任务", deadline=today + timedelta(days=1))
    assert [row.text for row in groups_of(leader)["tasks_due"].rows] == ["上月逾期", "五天内到期"]
    # Office staff: the tasks of the organisation they are assigned to, not the whole subtree below.
    assert soon.get_absolute_url() in [row.url for row in groups_of(office_staff)["tasks_due"].rows]
    assert "下级的任务" not in [row.text for row in groups_of(office_staff)["tasks_due"].rows]
    assert "tasks_due" not in groups_of(inspector)


def test_the_member_acknowledges_a_note_with_feedback_from_the_workbench_once(
    client, tree, superuser, secretary, leader, office_staff
):
    member = seat(leader, tree["own"], superuser)
    committee_list(tree["own"], superuser)
    member_list = ResponsibilityList.objects.get(organisation=tree["own"], year=THIS_YEAR, person=member)
    note = services.supervision_note_add(responsibility_list=member_list, text="请抓紧推进专题学习", by=secretary)
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert "待阅的书记督促" in page and "请抓紧推进专题学习" in page
    url = reverse("responsibilities:supervision_note_acknowledge", args=[note.pk])
    response = client.post(url, {"feedback": "本周内完成", "next": reverse("home")})
    assert response.status_code == 302 and response.url == reverse("home")
    note.refresh_from_db()
    assert note.acknowledged_at is not None and note.feedback == "本周内完成"
    assert "notes" not in groups_of(leader)
    # The list page shows the trace to the secretary.
    client.force_login(secretary)
    assert "已阅于" in client.get(member_list.get_absolute_url()).content.decode()
    # A second 已阅 changes nothing and says why; someone else's is refused.
    client.force_login(leader)
    response = client.post(url, {"feedback": "改了"}, follow=True)
    assert "已于" in response.content.decode()
    note.refresh_from_db()
    assert note.feedback == "本周内完成"
    client.force_login(secretary)
    assert client.post(url, {"feedback": "x"}).status_code == 403
    client.force_login(make_user("sibling_office", tree["sibling"], "office_staff", superuser))
    assert client.post(url, {"feedback": "x"}).status_code == 404
    assert SupervisionNote.objects.get(pk=note.pk).feedback == "本周内完成"


def test_the_person_acknowledges_an_intervention_and_others_may_not(client, tree, superuser, office_staff, leader):
    person = seat(leader, tree["own"], superuser)
    intervention = accountability_services.intervention_record(
        organisation=tree["own"], person=person, kind="remind", reason="专题学习逾期", by=office_staff
    )
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert "待阅的提醒、批评和约谈" in page and intervention.get_absolute_url() in page
    detail = client.get(intervention.get_absolute_url())
    assert detail.status_code == 200 and "专题学习逾期" in detail.content.decode()
    too_long = client.post(intervention.get_absolute_url(), {"feedback": "长" * 2001})
    assert too_long.status_code == 400 and 'data-field-error="feedback"' in too_long.content.decode()
    assert Intervention.objects.get(pk=intervention.pk).acknowledged_at is None
    response = client.post(intervention.get_absolute_url(), {"feedback": "已整改"})
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.acknowledged_by == leader and intervention.feedback == "已整改"
    assert "interventions" not in groups_of(leader)
    second = client.post(intervention.get_absolute_url(), {"feedback": "再次"})
    assert second.status_code == 400 and "已于" in second.content.decode()
    # The office staff who recorded it may read the answer but not give it.
    client.force_login(office_staff)
    assert "已整改" in client.get(intervention.get_absolute_url()).content.decode()
    assert client.post(intervention.get_absolute_url(), {"feedback": "代答"}).status_code == 403
    client.force_login(make_user("sibling_office", tree["sibling"], "office_staff", superuser))
    assert client.get(intervention.get_absolute_url()).status_code == 404


def test_an_organisations_intervention_is_for_its_office_staff_and_secretary(tree, superuser, office_staff, secretary):
    accountability_services.intervention_record(organisation=tree["own"], kind="talk", reason="进度滞后", by=superuser)
    assert groups_of(office_staff)["interventions"].count == 1
    assert groups_of(secretary)["interventions"].count == 1
    upper = make_user("upper_office", tree["parent"], "office_staff", superuser)
    assert "interventions" not in groups_of(upper)  # sees it, but is not its recipient


def test_the_navigation_shows_the_count_of_the_last_workbench_visit(client, tree, superuser, office_staff, secretary):
    listed = committee_list(tree["own"], superuser)
    move(listed, ListStatus.SUBMITTED, office_staff)
    client.force_login(secretary)
    client.get(reverse("home"))
    page = client.get(reverse("core:notification_list")).content.decode()
    assert '<span class="badge text-bg-warning">1<span class="visually-hidden">项待办' in page


def test_an_empty_workbench_says_so_and_renders_in_english(client, tree, inspector):
    client.force_login(inspector)
    assert "目前没有待办事项" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Workbench" in page and "To do" in page


def test_the_workbench_query_count_is_the_same_for_one_and_fifty_rows(
    client, tree, superuser, office_staff, secretary, leader
):
    member = seat(leader, tree["own"], superuser)
    listed = committee_list(tree["own"], superuser)
    member_list = ResponsibilityList.objects.get(organisation=tree["own"], year=THIS_YEAR, person=member)
    today = timezone.localdate()

    def add_rows(n):
        for index in range(n):
            add_task(
                listed, superuser, title=f"任务{index}", deadline=today + timedelta(days=2), responsible_person=member
            )
            services.supervision_note_add(responsibility_list=member_list, text=f"督促{index}", by=secretary)
            accountability_services.intervention_record(
                organisation=tree["own"], person=member, kind="remind", reason=f"提醒{index}", by=office_staff
            )

    users = (leader, office_staff, secretary)

    def counts():
        result = {}
        for user in users:
            client.force_login(user)
            result[user.username] = queries_for(client, reverse("home"))
        return result

    add_rows(1)
    one = counts()
    # Every group counted in one query and every 已办 source asked in one: 55, 60 and 52 before; a
    # group or source with rows adds the query reading them (the leader's tasks, notes and interventions),
    # and a user who did anything (the office's interventions, the secretary's notes) one query finding
    # the newest of those sources through their doors.
    assert one == {"leader": 20, "office": 22, "secretary": 19}
    add_rows(49)
    assert counts() == one
    assert len(groups_of(leader)["tasks_due"].rows) == worklist.TODO_LIMIT
    assert groups_of(leader)["tasks_due"].count == 50
    # The first rows in the group's order (deadline, then creation): the first batch's 任务0, then 任务0–任务18.
    assert [row.text for row in groups_of(leader)["tasks_due"].rows] == ["任务0"] + [f"任务{i}" for i in range(19)]


def test_finished_jobs_wait_for_their_requester_and_own_acts_are_listed_as_done(
    client, tree, superuser, office_staff, secretary, leader
):
    from core.models import Job, JobStatus

    Job.objects.create(
        kind="results",
        title="重新计算考核结果",
        key="results:x",
        status=JobStatus.DONE,
        started_by=office_staff,
        finished_at=timezone.now(),
    )
    Job.objects.create(
        kind="results",
        title="别人的任务",
        key="results:y",
        status=JobStatus.DONE,
        started_by=superuser,
        finished_at=timezone.now(),
    )
    assert [row.text for row in groups_of(office_staff)["jobs"].rows] == ["重新计算考核结果"]
    member = seat(leader, tree["own"], superuser)
    committee_list(tree["own"], superuser)
    member_list = ResponsibilityList.objects.get(organisation=tree["own"], year=THIS_YEAR, person=member)
    services.supervision_note_add(responsibility_list=member_list, text="请抓紧推进", by=secretary)
    done = worklist.done(secretary)
    assert [row.url for row in done] == [member_list.get_absolute_url()] and "督促" in done[0].text
    assert worklist.done(leader) == []


def test_every_group_is_counted_in_one_query_as_each_would_count_alone(
    django_assert_num_queries, tree, superuser, leader
):
    member = seat(leader, tree["own"], superuser)
    listed = committee_list(tree["own"], superuser)
    today = timezone.localdate()
    for index in range(3):
        add_task(listed, superuser, title=f"任务{index}", deadline=today + timedelta(days=2), responsible_person=member)

    def groups():
        return [todo for _order, provider in worklist.TODO_PROVIDERS for todo in provider(leader, today)]

    together = groups()
    with django_assert_num_queries(1):
        worklist.load_counts(together)
    alone = {todo.key: todo.queryset.count() for todo in groups() if todo.queryset is not None}
    assert {todo.key: todo.count for todo in together if todo.queryset is not None} == alone
    assert alone["tasks_due"] == 3 and sum(alone.values()) == 3


def test_the_newest_ten_of_a_source_are_done_and_an_empty_done_costs_one_query(django_assert_num_queries, office_staff):
    from core.models import Job, JobStatus

    since = timezone.now() - timedelta(days=worklist.DONE_DAYS)
    sources = [source for provider in worklist.DONE_PROVIDERS for source in provider(office_staff, since)]
    with django_assert_num_queries(1):  # which sources hold anything of the user's: none
        assert worklist.done_rows(office_staff, sources) == []
    now = timezone.now()
    for minutes in range(12):
        Job.objects.create(
            kind="results",
            title=f"任务{minutes}",
            key=f"results:{minutes}",
            status=JobStatus.DONE,
            started_by=office_staff,
            created_at=now - timedelta(minutes=minutes),
        )
    sources = [source for provider in worklist.DONE_PROVIDERS for source in provider(office_staff, since)]
    scope.assignments_of(office_staff)  # read once per request, by the page before the 已办
    with django_assert_num_queries(3):  # which sources hold any, their newest keys through the door, the jobs
        rows = worklist.done_rows(office_staff, sources)
    assert [row.text for row in rows] == [f"发起后台任务：任务{minutes}" for minutes in range(10)]


def test_a_source_of_done_is_read_through_its_door_not_as_the_user_s_own_records_say(office_staff, leader):
    from core.models import Job, JobStatus

    job = Job.objects.create(
        kind="results", title="重算结果", key="results:door", status=JobStatus.DONE, started_by=leader
    )
    source = worklist.DoneSource(
        Job.objects.filter(pk=job.pk),
        ("-created_at",),
        lambda job: worklist.Done(job.created_at, job.title, job.get_absolute_url()),
    )
    assert [row.text for row in worklist.done_rows(leader, [source])] == ["重算结果"]
    # The records exist, but the office staff's door does not open a job he neither asked for nor
    # works on (no organisation): the source shows nothing.
    assert worklist.done_rows(office_staff, [source]) == []
    hidden = worklist.DoneSource(source.mine, source.order, source.make, door=lambda jobs: jobs.filter(pk__in=[]))
    assert worklist.done_rows(leader, [hidden]) == []
