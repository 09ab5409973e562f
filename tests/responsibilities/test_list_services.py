"""Lists: template seed, generation, workflow, tasks, progress, evidence, supervision, cascade, roll-up."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q
from django.utils import timezone

from responsibilities import services
from responsibilities.jobs import run_job
from responsibilities.models import (
    JobStatus,
    ListItem,
    ListKind,
    ListStatus,
    ListTemplateVersion,
    ResponsibilityList,
    RolloverJob,
    SupervisionNote,
    Task,
    TaskStatus,
    TeamMembership,
    TeamRole,
)
from responsibilities.selectors import lists as selectors
from tests.responsibilities.factories import PersonFactory, make_organisation
from tests.responsibilities.list_factories import THIS_YEAR, add_member, add_task, committee_list, pdf

pytestmark = pytest.mark.django_db

ARTICLE = {
    ListKind.COMMITTEE: [
        "发挥党的领导核心作用",
        "严明党的纪律",
        "加强思想理论建设",
        "坚持民主集中制",
        "严肃党内政治生活",
        "选好用好干部",
        "从严教育管理监督干部",
        "加强基层党组织建设",
        "持之以恒加强作风建设",
        "加强党风廉政建设和反腐败工作",
        "保障全面依法治国",
        "提高党总揽全局协调各方的能力",
        "加强党的统一战线工作",
        "加强和改进对群团工作的组织领导",
        "完善抓党建相关制度",
    ],
    ListKind.SECRETARY: [
        "履行全面从严治党第一责任",
        "督促班子成员认真履行分管责任和“一岗双责”",
        "带头严格执行民主集中制",
        "充分发挥反腐倡廉表率作用",
    ],
    ListKind.LEADER_IN_CHARGE: ["履行全面从严治党分管责任", "抓好党建工作任务落实", "推动党建工作队伍自身建设"],
    ListKind.MEMBER: ["全面从严治党“一岗双责”", "加强对分管领域党建工作督促指导"],
}


def titles(queryset):
    return list(queryset.order_by("number").values_list("title", flat=True))


def test_seeded_template_is_the_article_verbatim_and_in_order(list_template):
    version = ListTemplateVersion.objects.get(effective_from_year=2016)
    for kind, expected in ARTICLE.items():
        assert titles(version.items.filter(kind=kind)) == expected, kind


# ---- Generation -------------------------------------------------------------------------------


def test_generation_makes_one_list_per_role_with_the_article_items(tree, superuser):
    org = tree["own"]
    people = {role: add_member(org, superuser, role) for role in TeamRole.values}
    result = services.lists_generate(organisation=org, year=2026, by=superuser, on=date(2026, 3, 1))
    assert len(result.created) == 4 and result.skipped == 0
    for role, person in people.items():
        personal = ResponsibilityList.objects.get(organisation=org, year=2026, person=person)
        assert titles(personal.items) == ARTICLE[ListKind.for_team_role(role)]
    committee = ResponsibilityList.objects.get(organisation=org, year=2026, kind=ListKind.COMMITTEE)
    assert titles(committee.items) == ARTICLE[ListKind.COMMITTEE]


def test_generation_twice_changes_nothing(tree, superuser):
    org = tree["own"]
    add_member(org, superuser, TeamRole.SECRETARY)
    services.lists_generate(organisation=org, year=2026, by=superuser)
    before = (ResponsibilityList.objects.count(), ListItem.objects.count())
    again = services.lists_generate(organisation=org, year=2026, by=superuser)
    assert again.created == [] and again.skipped == 2
    assert (ResponsibilityList.objects.count(), ListItem.objects.count()) == before


def test_generation_takes_the_team_on_the_first_of_the_year_and_on_the_day(tree, superuser):
    org = tree["own"]
    left_last_year = PersonFactory(home_organisation=org)
    membership = services.membership_add(
        organisation=org, person=left_last_year, role=TeamRole.MEMBER, start_date=date(2020, 1, 1), by=superuser
    )
    services.membership_end(membership=membership, version=1, end_date=date(2025, 12, 31), by=superuser)
    in_on_new_year = add_member(org, superuser, start=date(2026, 1, 1))
    joined_in_march = add_member(org, superuser, start=date(2026, 3, 1))
    joins_later = add_member(org, superuser, start=date(2026, 9, 1))
    services.lists_generate(organisation=org, year=2026, by=superuser, on=date(2026, 4, 1))
    owners = set(
        ResponsibilityList.objects.filter(organisation=org, person__isnull=False).values_list("person", flat=True)
    )
    assert owners == {in_on_new_year.pk, joined_in_march.pk}
    assert joins_later.pk not in owners and left_last_year.pk not in owners


def test_a_member_added_after_generation_gets_a_list(tree, superuser):
    org = tree["own"]
    committee_list(org, superuser)
    newcomer = add_member(org, superuser, TeamRole.LEADER_IN_CHARGE, start=date(THIS_YEAR, 1, 1))
    personal = ResponsibilityList.objects.get(organisation=org, year=THIS_YEAR, person=newcomer)
    assert personal.kind == ListKind.LEADER_IN_CHARGE and personal.items.count() == 3


def test_a_member_who_becomes_secretary_mid_year_gets_the_secretarys_list_too(tree, superuser):
    org = make_organisation(parent=tree["own"])  # no secretary yet
    member = add_member(org, superuser, TeamRole.MEMBER, start=date(THIS_YEAR - 1, 1, 1))
    services.lists_generate(organisation=org, year=THIS_YEAR, by=superuser)
    member_list = ResponsibilityList.objects.get(organisation=org, year=THIS_YEAR, person=member)
    add_task(member_list, superuser, title="分管领域专题调研")
    seat = TeamMembership.objects.get(organisation=org, person=member)
    services.membership_end(membership=seat, version=seat.version, end_date=date(THIS_YEAR, 6, 30), by=superuser)
    services.membership_add(
        organisation=org, person=member, role=TeamRole.SECRETARY, start_date=date(THIS_YEAR, 7, 1), by=superuser
    )
    lists = ResponsibilityList.objects.filter(organisation=org, year=THIS_YEAR, person=member)
    assert sorted(lists.values_list("kind", flat=True)) == sorted([ListKind.MEMBER, ListKind.SECRETARY])
    assert lists.get(kind=ListKind.SECRETARY).items.count() == 4
    assert lists.get(kind=ListKind.MEMBER).items.get(number=1).tasks.filter(title="分管领域专题调研").exists()
    # Generating again (the roll-over re-run, or on a later day) adds nothing.
    again = services.lists_generate(organisation=org, year=THIS_YEAR, by=superuser, on=date(THIS_YEAR, 12, 1))
    assert again.created == [] and lists.count() == 2


def test_no_template_for_the_year_is_a_field_error(tree, superuser):
    with pytest.raises(ValidationError) as error:
        services.lists_generate(organisation=tree["own"], year=2010, by=superuser)
    assert "year" in error.value.message_dict


def test_office_staff_cannot_generate_for_a_sibling(tree, office_staff):
    with pytest.raises(PermissionDenied):
        services.lists_generate(organisation=tree["sibling"], year=2026, by=office_staff)
    assert not ResponsibilityList.objects.exists()


# ---- Template versions ------------------------------------------------------------------------


def test_a_new_template_version_applies_from_its_year_and_leaves_past_lists_alone(tree, superuser):
    org = tree["own"]
    old = committee_list(org, superuser, year=2026)
    version = services.template_version_create(name="2027 版", source="新规定", effective_from_year=2027, by=superuser)
    item = version.items.get(kind=ListKind.COMMITTEE, number=1)
    services.template_item_update(item=item, version=item.version, title="把方向、管大局、保落实", by=superuser)
    new = committee_list(org, superuser, year=2027)
    assert old.items.get(number=1).title == "发挥党的领导核心作用"
    assert new.items.get(number=1).title == "把方向、管大局、保落实"
    assert (old.template.effective_from_year, new.template_id) == (2016, version.pk)


def test_editing_a_template_item_never_rewrites_lists_made_from_it(tree, superuser):
    listed = committee_list(tree["own"], superuser, year=2026)
    item = ListTemplateVersion.objects.get(effective_from_year=2016).items.get(kind=ListKind.COMMITTEE, number=2)
    services.template_item_update(item=item, version=item.version, title="新措辞", by=superuser)
    assert listed.items.get(number=2).title == "严明党的纪律"


def test_only_superusers_edit_templates(tree, office_staff):
    with pytest.raises(PermissionDenied):
        services.template_version_create(name="x", source="", effective_from_year=2030, by=office_staff)


# ---- Tasks ------------------------------------------------------------------------------------


def test_task_deadline_outside_the_list_year_is_refused(tree, office_staff, superuser):
    listed = committee_list(tree["own"], superuser, year=2026)
    with pytest.raises(ValidationError) as error:
        add_task(listed, office_staff, deadline=date(2027, 1, 1))
    assert error.value.message_dict == {"deadline": ["完成时限必须在清单年度（2026 年）之内。"]}
    assert not Task.objects.exists()


def test_negative_quantity_is_refused(tree, office_staff, superuser):
    listed = committee_list(tree["own"], superuser, year=2026)
    with pytest.raises(ValidationError) as error:
        add_task(listed, office_staff, quantity=Decimal(-1))
    assert error.value.message_dict["quantity"] == ["数量不能为负数。"]


def test_a_task_without_quantity_needs_a_standard(tree, office_staff, superuser):
    listed = committee_list(tree["own"], superuser, year=2026)
    with pytest.raises(ValidationError) as error:
        add_task(listed, office_staff, quantity=None, standard="")
    assert error.value.message_dict == {"standard": ["未填写数量的任务必须写明标准。"]}
    assert add_task(listed, office_staff, quantity=None, standard="经会议审议通过并印发").quantity is None


def test_responsible_person_from_another_organisation_is_refused(tree, office_staff, superuser):
    listed = committee_list(tree["own"], superuser, year=2026)
    stranger = PersonFactory(home_organisation=tree["sibling"])
    with pytest.raises(ValidationError) as error:
        add_task(listed, office_staff, responsible_person=stranger)
    assert list(error.value.message_dict) == ["responsible_person"]


def test_confirmed_list_changes_need_a_reason_which_history_keeps(tree, office_staff, superuser, secretary):
    listed = committee_list(tree["own"], superuser, year=2026)
    task = add_task(listed, office_staff)
    listed = services.list_transition(
        responsibility_list=listed, version=listed.version, target="submitted", by=office_staff
    )
    services.list_transition(responsibility_list=listed, version=listed.version, target="confirmed", by=superuser)
    with pytest.raises(ValidationError) as error:
        services.task_update(task=task, version=task.version, by=office_staff, title="改")
    assert "reason" in error.value.message_dict
    services.task_update(task=task, version=task.version, by=office_staff, title="改", reason="上级要求调整")
    event = task.events.order_by("-pgh_id").select_related("pgh_context").first()
    assert event.title == "改" and event.pgh_context.metadata["reason"] == "上级要求调整"


def test_a_closed_year_cannot_be_edited(tree, office_staff, superuser, secretary):
    listed = committee_list(tree["own"], superuser, year=2026)
    task = add_task(listed, office_staff)
    for target in ("submitted", "confirmed", "closed"):
        listed = services.list_transition(
            responsibility_list=listed, version=listed.version, target=target, by=superuser
        )
    with pytest.raises(ValidationError) as error:
        services.task_update(task=task, version=task.version, by=office_staff, title="改", reason="x")
    assert error.value.messages == ["该清单所在年度已关闭，不能再修改。"]
    with pytest.raises(ValidationError):
        add_task(listed, office_staff, reason="x")
    task.refresh_from_db()
    assert task.title == "召开专题会议"


# ---- Workflow ---------------------------------------------------------------------------------


def test_only_the_secretary_confirms_and_illegal_moves_are_refused(tree, office_staff, secretary, superuser):
    listed = committee_list(tree["own"], superuser)
    with pytest.raises(ValidationError):  # draft → confirmed skips a step
        services.list_transition(responsibility_list=listed, version=listed.version, target="confirmed", by=secretary)
    listed = services.list_transition(
        responsibility_list=listed, version=listed.version, target="submitted", by=office_staff
    )
    with pytest.raises(PermissionDenied):
        services.list_transition(
            responsibility_list=listed, version=listed.version, target="confirmed", by=office_staff
        )
    confirmed = services.list_transition(
        responsibility_list=listed, version=listed.version, target="confirmed", by=secretary
    )
    assert (confirmed.status, confirmed.confirmed_by) == (ListStatus.CONFIRMED, secretary)


def test_a_list_cannot_be_submitted_while_the_organisation_has_no_secretary(tree, office_staff, superuser):
    listed = committee_list(tree["own"], superuser)
    with pytest.raises(ValidationError) as error:
        services.list_transition(
            responsibility_list=listed, version=listed.version, target="submitted", by=office_staff
        )
    assert "没有书记" in error.value.messages[0]
    listed.refresh_from_db()
    assert listed.status == ListStatus.DRAFT


def test_returning_a_list_needs_a_reason(tree, office_staff, secretary, superuser):
    listed = committee_list(tree["own"], superuser)
    listed = services.list_transition(
        responsibility_list=listed, version=listed.version, target="submitted", by=office_staff
    )
    with pytest.raises(ValidationError) as error:
        services.list_transition(responsibility_list=listed, version=listed.version, target="draft", by=secretary)
    assert "reason" in error.value.message_dict
    back = services.list_transition(
        responsibility_list=listed, version=listed.version, target="draft", reason="任务不够具体", by=secretary
    )
    assert back.status == ListStatus.DRAFT


# ---- Progress and evidence --------------------------------------------------------------------


def test_progress_at_one_hundred_percent_completes_the_task(tree, office_staff, superuser):
    task = add_task(committee_list(tree["own"], superuser), office_staff)
    services.progress_record(task=task, text="开了一次", percent=25, day=date(THIS_YEAR, 1, 1), by=office_staff)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    services.progress_record(task=task, text="全部完成", percent=100, day=date(THIS_YEAR, 1, 2), by=office_staff)
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (TaskStatus.DONE, date(THIS_YEAR, 1, 2))


def test_a_leader_reports_progress_on_own_list_but_not_on_a_colleagues(tree, superuser, leader):
    org = tree["own"]
    services.membership_add(
        organisation=org, person=leader.person, role=TeamRole.MEMBER, start_date=date(2020, 1, 1), by=superuser
    )
    colleague = add_member(org, superuser)
    services.lists_generate(organisation=org, year=THIS_YEAR, by=superuser)
    own = ResponsibilityList.objects.get(person=leader.person, year=THIS_YEAR)
    theirs = ResponsibilityList.objects.get(person=colleague, year=THIS_YEAR)
    services.progress_record(task=add_task(own, superuser), text="进行中", percent=50, by=leader)
    with pytest.raises(PermissionDenied):
        services.progress_record(task=add_task(theirs, superuser), text="越权", percent=50, by=leader)


def test_evidence_of_the_right_kind_is_kept_under_a_generated_name(tree, office_staff, superuser):
    task = add_task(committee_list(tree["own"], superuser), office_staff)
    evidence = services.evidence_upload(task=task, uploaded=pdf("会议纪要.pdf"), by=office_staff)
    assert evidence.original_name == "会议纪要.pdf" and evidence.content_type == "application/pdf"
    assert "会议纪要" not in evidence.file.name and evidence.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "不支持的文件类型"),
        (SimpleUploadedFile("fake.pdf", b"just some text"), "文件内容与扩展名"),
        (SimpleUploadedFile("photo.png", b"%PDF-1.4 not a png"), "文件内容与扩展名"),
        (SimpleUploadedFile("empty.pdf", b""), "文件是空的"),
    ],
)
def test_wrong_evidence_is_refused_at_the_file_field(tree, office_staff, superuser, upload, message):
    task = add_task(committee_list(tree["own"], superuser), office_staff)
    with pytest.raises(ValidationError) as error:
        services.evidence_upload(task=task, uploaded=upload, by=office_staff)
    assert message in error.value.message_dict["file"][0]
    assert not task.evidence.exists()


def test_evidence_over_the_size_limit_is_refused(tree, office_staff, superuser, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    task = add_task(committee_list(tree["own"], superuser), office_staff)
    with pytest.raises(ValidationError) as error:
        services.evidence_upload(task=task, uploaded=pdf(size=1001), by=office_staff)
    assert "文件过大" in error.value.message_dict["file"][0]


def test_dates_of_progress_and_completion_must_be_plausible(tree, office_staff, superuser):
    task = add_task(committee_list(tree["own"], superuser), office_staff)
    with pytest.raises(ValidationError) as error:
        services.progress_record(task=task, text="补记", percent=10, day=date(THIS_YEAR - 2, 12, 31), by=office_staff)
    assert "day" in error.value.message_dict
    for completed_on in (date(1999, 12, 31), timezone.localdate() + timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.task_update(
                task=task, version=task.version, by=office_staff, status=TaskStatus.DONE, completed_on=completed_on
            )
        assert "completed_on" in error.value.message_dict
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED and not task.progress_entries.exists()


def test_no_evidence_on_an_archived_task(tree, office_staff, superuser):
    task = add_task(committee_list(tree["own"], superuser), office_staff)
    task = services.task_archive(task=task, version=task.version, reason="重复录入", by=office_staff)
    with pytest.raises(ValidationError) as error:
        services.evidence_upload(task=task, uploaded=pdf("纪要.pdf"), by=office_staff)
    assert error.value.messages == ["已归档的任务不能再上传材料。"]
    assert not task.evidence.exists()


# ---- Supervision ------------------------------------------------------------------------------


def test_the_secretary_records_supervision_on_a_members_list_only(tree, superuser, secretary, office_staff):
    org = tree["own"]
    member = add_member(org, superuser)
    services.lists_generate(organisation=org, year=THIS_YEAR, by=superuser)
    member_list = ResponsibilityList.objects.get(person=member, year=THIS_YEAR)
    own_list = ResponsibilityList.objects.get(person__user=secretary, year=THIS_YEAR)
    services.supervision_note_add(responsibility_list=member_list, text="请抓紧推进督导", by=secretary)
    with pytest.raises(ValidationError):
        services.supervision_note_add(responsibility_list=own_list, text="自己督促自己", by=secretary)
    with pytest.raises(PermissionDenied):
        services.supervision_note_add(responsibility_list=member_list, text="越权", by=office_staff)
    assert list(SupervisionNote.objects.values_list("text", flat=True)) == ["请抓紧推进督导"]


def test_no_supervision_note_on_a_closed_year(tree, superuser, secretary):
    org = tree["own"]
    member = add_member(org, superuser)
    services.lists_generate(organisation=org, year=THIS_YEAR, by=superuser)
    member_list = ResponsibilityList.objects.get(person=member, year=THIS_YEAR)
    ResponsibilityList.objects.filter(pk=member_list.pk).update(status=ListStatus.CLOSED)
    with pytest.raises(ValidationError) as error:
        services.supervision_note_add(responsibility_list=member_list, text="补记督促", by=secretary)
    assert error.value.messages == ["该清单所在年度已关闭，不能再记录督促情况。"]
    assert not SupervisionNote.objects.exists()


# ---- Cascade ----------------------------------------------------------------------------------


def test_an_issued_task_lands_in_each_recipients_committee_list(tree, office_staff, superuser):
    county = tree["child"]
    organ = make_organisation(parent=county, name="县财政局党组")
    issued = services.task_issue(
        issuer=tree["own"],
        year=THIS_YEAR,
        item_number=7,
        recipients=[county, organ],
        by=office_staff,
        title="开展廉政谈话",
        quantity=Decimal(1),
        unit="轮",
        deadline=date(THIS_YEAR, 12, 20),
        standard="全覆盖",
        requirement="",
    )
    landed = Task.objects.filter(source=issued).select_related("item__responsibility_list")
    assert {t.item.responsibility_list.organisation_id for t in landed} == {county.pk, organ.pk}
    assert {t.item.number for t in landed} == {7}
    assert all(t.item.responsibility_list.kind == ListKind.COMMITTEE for t in landed)
    # Landing in a list (confirmed or not) is a change with a reason: the issuer's instruction.
    for task in landed:
        event = task.events.select_related("pgh_context").get(pgh_label="insert")
        assert event.pgh_context.metadata["reason"] == f"{tree['own'].name} 下发的任务"


def test_tasks_cannot_be_issued_sideways_or_upwards(tree, office_staff):
    for recipient in (tree["sibling"], tree["parent"], tree["own"]):
        with pytest.raises((ValidationError, PermissionDenied)):
            services.task_issue(
                issuer=tree["own"],
                year=THIS_YEAR,
                item_number=1,
                recipients=[recipient],
                by=office_staff,
                title="x",
                quantity=1,
                unit="次",
                deadline=date(THIS_YEAR, 12, 1),
                standard="",
                requirement="",
            )
    assert not Task.objects.exists()


# ---- Roll-up ----------------------------------------------------------------------------------


def test_rollup_numbers_match_a_direct_count(tree, superuser):
    city, county = tree["own"], tree["child"]
    organ = make_organisation(parent=county)
    late = date(THIS_YEAR, 1, 1)
    for org, done, open_late, open_later in ((city, 2, 1, 1), (county, 1, 2, 0), (organ, 0, 1, 3)):
        listed = committee_list(org, superuser)
        for _ in range(done):
            add_task(listed, superuser, status=TaskStatus.DONE)
        for _ in range(open_late):
            add_task(listed, superuser, deadline=late)
        for _ in range(open_later):
            add_task(listed, superuser, status=TaskStatus.IN_PROGRESS)
    today = date(THIS_YEAR, 6, 1)
    result = selectors.rollup(city, THIS_YEAR, today)

    def direct(path_prefix=None, exact=None):
        tasks = Task.objects.filter(archived_at__isnull=True, item__responsibility_list__year=THIS_YEAR)
        if exact:
            tasks = tasks.filter(item__responsibility_list__organisation=exact)
        else:
            tasks = tasks.filter(item__responsibility_list__organisation__path__startswith=path_prefix)
        return tasks.aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status="done")),
            overdue=Count("pk", filter=~Q(status="done") & Q(deadline__lt=today)),
        )

    assert direct(exact=city) == {"total": result.own.total, "done": result.own.done, "overdue": result.own.overdue}
    [county_row] = result.rows
    assert direct(path_prefix=county.path) == {
        "total": county_row.counts.total,
        "done": county_row.counts.done,
        "overdue": county_row.counts.overdue,
    }
    assert direct(path_prefix=city.path)["total"] == result.subtree.total == 11


def test_a_child_far_below_the_subtree_is_flagged(tree, superuser):
    city, county = tree["own"], tree["child"]
    organ = make_organisation(parent=city)
    for _ in range(4):
        add_task(committee_list(city, superuser), superuser, status=TaskStatus.DONE)
    add_task(committee_list(organ, superuser), superuser, status=TaskStatus.DONE)
    add_task(committee_list(county, superuser), superuser)
    rows = {row.organisation.pk: row.lagging for row in selectors.rollup(city, THIS_YEAR, date(THIS_YEAR, 6, 1)).rows}
    assert rows == {county.pk: True, organ.pk: False}


# ---- Annual roll-over -------------------------------------------------------------------------


def test_rollover_job_generates_the_subtree_and_reports_progress(tree, office_staff, superuser):
    add_member(tree["child"], superuser, TeamRole.SECRETARY)
    job = RolloverJob.objects.create(root=tree["own"], year=2027, started_by=office_staff)
    assert job.percent == 0  # queued: nothing counted yet, nothing done
    finished = run_job(job.pk)
    assert (finished.status, finished.total, finished.done) == (JobStatus.DONE, 2, 2)
    assert finished.percent == 100
    assert finished.lists_created == 3 and finished.lists_skipped == 0
    again = run_job(RolloverJob.objects.create(root=tree["own"], year=2027, started_by=office_staff).pk)
    assert (again.lists_created, again.lists_skipped) == (0, 3)
    assert ResponsibilityList.objects.filter(year=2027, organisation=tree["sibling"]).count() == 0


def test_the_generation_command_generates_and_refuses_with_a_message(tree, office_staff, superuser):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("generate_annual_lists", year=THIS_YEAR, root=tree["own"].code, user="office", stdout=out)
    assert "完成" in out.getvalue()
    assert ResponsibilityList.objects.filter(year=THIS_YEAR, organisation=tree["own"], kind=ListKind.COMMITTEE).exists()
    with pytest.raises(CommandError, match="没有可用的责任清单模板"):
        call_command("generate_annual_lists", year=2015, root=tree["own"].code, user="office", stdout=out)
    with pytest.raises(CommandError, match="找不到"):
        call_command("generate_annual_lists", year=THIS_YEAR, root="NO-SUCH", user="office", stdout=out)
