"""Task tallies and overdue counts always equal a direct count of the tasks, whatever happens to tasks,
organisations and the day."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responsibilities import rules, services, tallies
from responsibilities.models import ListItem, ListStatus, Organisation, ResponsibilityList, Task, TaskStatus, TaskTally
from responsibilities.selectors import lists as selectors
from tests.helpers import REFUSED_BY_TRIGGER
from tests.responsibilities.factories import make_organisation
from tests.responsibilities.list_factories import THIS_YEAR, add_task, committee_list

pytestmark = pytest.mark.django_db

YEARS = (THIS_YEAR, THIS_YEAR + 1)
TODAY = date(THIS_YEAR, 6, 15)


@pytest.fixture
def forest(tree, superuser):
    """Five organisations three levels deep, each with a committee list in two years."""
    organ = make_organisation(parent=tree["child"], name="测试县直机关", code="P-C-K-1")
    organisations = [tree["parent"], tree["own"], tree["child"], tree["sibling"], organ]
    for organisation in organisations:
        for year in YEARS:
            committee_list(organisation, superuser, year=year)
    return organisations


def direct_counts(organisation: Organisation, year: int, *, own_only=False) -> rules.Counts:
    tasks = Task.objects.filter(archived_at__isnull=True, item__responsibility_list__year=year)
    if own_only:
        tasks = tasks.filter(item__responsibility_list__organisation=organisation)
    else:
        tasks = tasks.filter(item__responsibility_list__organisation__path__startswith=organisation.path)
    done = Q(status=TaskStatus.DONE)
    counted = tasks.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=done),
        in_progress=Count("pk", filter=Q(status=TaskStatus.IN_PROGRESS)),
        not_started=Count("pk", filter=Q(status=TaskStatus.NOT_STARTED)),
        overdue=Count("pk", filter=~done & Q(deadline__lt=TODAY)),
    )
    return rules.Counts(**counted)


def assert_rollups_match_direct_counts():
    for organisation in Organisation.objects.all():
        for year in YEARS:
            rollup = selectors.rollup(organisation, year, TODAY)
            assert rollup.subtree == direct_counts(organisation, year)
            assert rollup.own == direct_counts(organisation, year, own_only=True)
            for row in rollup.rows:
                assert row.counts == direct_counts(row.organisation, year)


def a_day(year: int, offset: int) -> date:
    return date(year, 1, 1) + timedelta(days=offset)


steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("create"),
            st.integers(0, 4),
            st.integers(0, 1),
            st.sampled_from(TaskStatus.values),
            st.integers(0, 364),
        ),
        st.tuples(st.just("update"), st.integers(0, 50), st.sampled_from(TaskStatus.values), st.integers(0, 364)),
        st.tuples(st.just("archive"), st.integers(0, 50)),
        st.tuples(st.just("bulk"), st.integers(0, 4), st.integers(1, 6), st.integers(0, 364)),
        st.tuples(st.just("mark_all"), st.integers(0, 4), st.sampled_from(TaskStatus.values)),
        st.tuples(st.just("move"), st.integers(1, 4), st.integers(0, 4)),
        st.tuples(st.just("clock"), st.integers(0, 1), st.integers(0, 364)),
        st.tuples(st.just("close"), st.integers(0, 4), st.integers(0, 1), st.booleans()),
    ),
    max_size=10,
)


def apply(step, organisations, superuser):
    kind, *args = step
    tasks = list(Task.objects.exclude(item__responsibility_list__status=ListStatus.CLOSED).order_by("pk"))
    if kind == "create":
        organisation, year, status, offset = args
        listed = ResponsibilityList.objects.get(
            organisation=organisations[organisation], year=YEARS[year], kind="committee"
        )
        if listed.status != ListStatus.CLOSED:
            add_task(listed, superuser, status=status, deadline=a_day(listed.year, offset))
    elif kind == "update" and tasks:
        index, status, offset = args
        task = tasks[index % len(tasks)]
        if task.archived_at is None:
            year = task.item.responsibility_list.year
            services.task_update(
                task=task, version=task.version, by=superuser, status=status, deadline=a_day(year, offset)
            )
    elif kind == "archive" and tasks:
        task = tasks[args[0] % len(tasks)]
        if task.archived_at is None:
            services.task_archive(task=task, version=task.version, reason="重复", by=superuser)
    elif kind == "bulk":
        organisation, count, offset = args
        item = ListItem.objects.get(
            responsibility_list__organisation=organisations[organisation], responsibility_list__year=THIS_YEAR, number=2
        )
        Task.objects.bulk_create(
            Task(item=item, title=f"批量任务{n}", quantity=1, unit="次", deadline=a_day(THIS_YEAR, offset + n))
            for n in range(count)
        )
    elif kind == "mark_all":
        organisation, status = args
        done = status == TaskStatus.DONE
        Task.objects.filter(
            item__responsibility_list__organisation__path__startswith=organisations[organisation].path
        ).update(status=status, completed_on=TODAY if done else None)
    elif kind == "close":  # closing a year (and, by hand, opening it again)
        organisation, year, closed = args
        ResponsibilityList.objects.filter(organisation=organisations[organisation], year=YEARS[year]).update(
            status=ListStatus.CLOSED if closed else ListStatus.DRAFT
        )
    elif kind == "clock":
        year, offset = args
        tallies.advance_clock(a_day(YEARS[year], offset))
    elif kind == "move":
        moved, parent = (Organisation.objects.get(pk=organisations[i].pk) for i in args)
        if not parent.path.startswith(moved.path) and parent.path != moved.parent_path:
            services.organisation_update(organisation=moved, version=moved.version, parent=parent, by=superuser)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_tallies_equal_a_direct_count_after_any_sequence_of_changes(forest, superuser, steps):
    with transaction.atomic():
        for step in steps:
            apply(step, forest, superuser)
            assert tallies.discrepancies() == [], step
        assert_rollups_match_direct_counts()
        transaction.set_rollback(True)


def test_a_move_carries_the_subtree_counts_to_the_new_ancestors(forest, tree, superuser):
    county, sibling = tree["child"], tree["sibling"]
    add_task(ResponsibilityList.objects.get(organisation=forest[4], year=THIS_YEAR), superuser)
    add_task(
        ResponsibilityList.objects.get(organisation=county, year=THIS_YEAR), superuser, deadline=date(THIS_YEAR, 1, 2)
    )
    assert selectors.rollup(tree["own"], THIS_YEAR, TODAY).subtree.total == 2

    county.refresh_from_db()
    services.organisation_update(organisation=county, version=county.version, parent=sibling, by=superuser)

    assert selectors.rollup(tree["own"], THIS_YEAR, TODAY).subtree.total == 0
    moved = selectors.rollup(Organisation.objects.get(pk=sibling.pk), THIS_YEAR, TODAY)
    assert (moved.subtree.total, moved.subtree.overdue) == (2, 1)
    assert selectors.rollup(tree["parent"], THIS_YEAR, TODAY).subtree.total == 2
    assert tallies.discrepancies() == []


def test_rebuild_recounts_a_damaged_table(forest, superuser):
    for organisation in forest:
        add_task(ResponsibilityList.objects.get(organisation=organisation, year=THIS_YEAR), superuser)
    TaskTally.objects.filter(organisation=forest[0]).update(task_count=99)
    TaskTally.objects.filter(organisation=forest[4]).delete()
    assert len(tallies.discrepancies()) == 2

    tallies.rebuild()

    assert tallies.discrepancies() == []
    assert TaskTally.objects.get(organisation=forest[0]).task_count == 5


def test_a_list_cannot_change_its_organisation_or_year(forest):
    listed = ResponsibilityList.objects.get(organisation=forest[1], year=THIS_YEAR)
    for change in ({"year": THIS_YEAR + 5}, {"organisation": forest[3]}):
        with pytest.raises(REFUSED_BY_TRIGGER), transaction.atomic():
            ResponsibilityList.objects.filter(pk=listed.pk).update(**change)
    with pytest.raises(REFUSED_BY_TRIGGER), transaction.atomic():
        ListItem.objects.filter(responsibility_list=listed).update(
            responsibility_list=ResponsibilityList.objects.get(organisation=forest[3], year=THIS_YEAR)
        )


def test_the_tally_path_step_is_the_tree_step():
    assert tallies.STEPLEN == Organisation.steplen


def test_reading_the_rollup_takes_four_queries_whatever_the_subtree(forest, superuser, django_assert_num_queries):
    for organisation in forest:
        add_task(ResponsibilityList.objects.get(organisation=organisation, year=THIS_YEAR), superuser)
    thresholds = selectors.warning_thresholds()
    # The children, their tallies (with the 蓝黄红 counts by days), the overdue tasks that an
    # intervention turned red, and the 督办 counts.
    with django_assert_num_queries(4):
        selectors.rollup(forest[0], THIS_YEAR, TODAY, thresholds)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM responsibilities_tasktally")
        assert cursor.fetchone()[0] > 0


def test_the_command_reports_a_mismatch_and_repairs_it(forest, superuser):
    add_task(ResponsibilityList.objects.get(organisation=forest[4], year=THIS_YEAR), superuser)
    TaskTally.objects.filter(organisation=forest[0]).update(task_count=7)
    with pytest.raises(CommandError, match="不一致"):
        call_command("task_tallies", stdout=io.StringIO(), stderr=io.StringIO())

    out = io.StringIO()
    call_command("task_tallies", "--rebuild", stdout=out)

    assert "一致" in out.getvalue()
    assert tallies.discrepancies() == []


def test_item_counts_follow_each_task_to_its_item_and_every_ancestor(tree, superuser):
    from responsibilities.models import ItemTally

    county = committee_list(tree["child"], superuser)
    add_task(county, superuser, number=3)
    add_task(county, superuser, number=3, status=TaskStatus.DONE, completed_on=date(THIS_YEAR, 1, 2))
    moved = add_task(county, superuser, number=5)

    def counted(organisation, number):
        rows = ItemTally.objects.filter(organisation=organisation, year=THIS_YEAR, kind=county.kind, number=number)
        return dict(rows.values_list("status", "task_count").exclude(task_count=0))

    for organisation in (tree["child"], tree["own"], tree["parent"]):  # the county and its ancestors
        assert counted(organisation, 3) == {"not_started": 1, "done": 1}
        assert counted(organisation, 5) == {"not_started": 1}
    assert counted(tree["sibling"], 3) == {}
    moved.item = county.items.get(number=3)
    moved.save()  # a task moved to another item leaves the first item's count
    assert counted(tree["parent"], 3) == {"not_started": 2, "done": 1}
    assert counted(tree["parent"], 5) == {}
    assert tallies.discrepancies() == []
