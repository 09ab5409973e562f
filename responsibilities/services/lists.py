"""Every write to responsibility lists: generation, workflow, tasks, progress, evidence, cascade."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import lock_versioned
from core.services import check_acknowledgement, require_scope, service
from core.uploads import check_evidence, stored_fields
from responsibilities import notifications, rules
from responsibilities.models import (
    Evidence,
    IssuedTask,
    ListItem,
    ListKind,
    ListStatus,
    ListTemplateVersion,
    Organisation,
    ProgressEntry,
    ResponsibilityList,
    SupervisionNote,
    Task,
    TaskStatus,
    TeamMembership,
    TeamRole,
    TemplateItem,
)
from responsibilities.permissions import is_secretary, may_act_as, may_report_progress

# ---- Templates --------------------------------------------------------------------------------


def template_for(year: int) -> ListTemplateVersion:
    versions = list(ListTemplateVersion.objects.values_list("pk", "effective_from_year"))
    pk = rules.template_in_force(versions, year)
    if pk is None:
        raise ValidationError({"year": _("%(year)s 年没有可用的责任清单模板。") % {"year": year}}, code="no_template")
    return ListTemplateVersion.objects.get(pk=pk)


def _require_superuser(user) -> None:
    if not user.is_superuser:
        raise PermissionDenied(_("只有超级管理员可以修改责任清单模板。"))


@service
def template_version_create(*, name: str, source: str, effective_from_year: int, by) -> ListTemplateVersion:
    """A new template version effective from a year, starting as a copy of the version in force then."""
    _require_superuser(by)
    base = template_for(effective_from_year) if ListTemplateVersion.objects.exists() else None
    version = ListTemplateVersion(name=name, source=source, effective_from_year=effective_from_year)
    version.full_clean()
    version.save()
    if base is not None:
        TemplateItem.objects.bulk_create(
            TemplateItem(template=version, kind=item.kind, number=item.number, title=item.title)
            for item in base.items.all()
        )
    return version


@service
def template_item_update(*, item: TemplateItem, version: int, title: str, by) -> TemplateItem:
    """Reword an item. Lists already made keep the words they were made with (they hold a copy)."""
    _require_superuser(by)
    locked = lock_versioned(TemplateItem.objects.all(), item.pk, version)
    locked.title = title
    locked.full_clean()
    locked.save()
    return locked


# ---- Generation -------------------------------------------------------------------------------


# Organisations per transaction of the roll-over: one commit per organisation cost more than the work.
ROLLOVER_BATCH = 100


@dataclass
class GenerationResult:
    created: list[ResponsibilityList] = field(default_factory=list)
    skipped: int = 0


def _new_list(organisation, year, kind, template, person=None, membership=None) -> ResponsibilityList:
    responsibility_list = ResponsibilityList.objects.create(
        organisation=organisation, year=year, kind=kind, person=person, membership=membership, template=template
    )
    ListItem.objects.bulk_create(
        ListItem(responsibility_list=responsibility_list, template_item=item, number=item.number, title=item.title)
        for item in template.items.filter(kind=kind).order_by("number")
    )
    return responsibility_list


def _generate(organisations: list[Organisation], year: int, on: date | None) -> GenerationResult:
    """Create what is missing of the organisations' lists for a year; never changes an existing list.

    A fixed number of statements for any number of organisations: the lists and then their items
    are inserted in bulk, copied from the template in force for the year.
    """
    result = GenerationResult()
    template = template_for(year)
    template_items = defaultdict(list)
    for item in template.items.order_by("number"):
        template_items[item.kind].append(item)
    ids = [organisation.pk for organisation in organisations]
    existing = ResponsibilityList.objects.filter(organisation__in=ids, year=year).values_list(
        "organisation_id", "kind", "person_id"
    )
    have_committee, have_personal = set(), set()
    for organisation_id, kind, person_id in existing:
        if kind == ListKind.COMMITTEE:
            have_committee.add(organisation_id)
        else:
            have_personal.add((organisation_id, person_id, kind))
    # The team on the first day of the year, and on the day the lists are made if that is later.
    days = {date(year, 1, 1)}
    if on is not None and on.year == year:
        days.add(on)
    teams = defaultdict(dict)
    for day in sorted(days):
        for membership in (
            TeamMembership.objects.on(day).filter(organisation__in=ids).select_related("person").order_by("pk")
        ):
            kind = ListKind.for_team_role(membership.role)
            teams[membership.organisation_id].setdefault((membership.person_id, kind), membership)
    new_lists = []
    for organisation in organisations:
        if organisation.pk in have_committee:
            result.skipped += 1
        else:
            new_lists.append(
                ResponsibilityList(organisation=organisation, year=year, kind=ListKind.COMMITTEE, template=template)
            )
        for (person_id, kind), membership in teams[organisation.pk].items():
            if (organisation.pk, person_id, kind) in have_personal:
                result.skipped += 1
                continue
            new_lists.append(
                ResponsibilityList(
                    organisation=organisation,
                    year=year,
                    kind=kind,
                    person=membership.person,
                    membership=membership,
                    template=template,
                )
            )
    created = ResponsibilityList.objects.bulk_create(new_lists)
    ListItem.objects.bulk_create(
        ListItem(responsibility_list=made, template_item=item, number=item.number, title=item.title)
        for made in created
        for item in template_items[made.kind]
    )
    result.created.extend(created)
    return result


@service
def lists_generate(*, organisation: Organisation, year: int, by, on: date | None = None) -> GenerationResult:
    """An organisation's committee list and its team's personal lists for a year. Idempotent."""
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    require_scope(by, organisation)
    if organisation.is_archived:
        raise ValidationError(_("已归档的组织不能生成责任清单。"), code="archived")
    return _generate([organisation], year, on or timezone.localdate())


def lists_generate_subtree(*, root: Organisation, year: int, by, progress=None) -> GenerationResult:
    """The annual roll-over for a whole subtree, a batch of organisations per transaction.

    ``progress(done, total, result)`` is called after each batch. Safe to re-run after an
    interruption: organisations already done are skipped list by list.
    """
    require_scope(by, root)
    template_for(year)  # fail early when no template covers the year
    ids = list(Organisation.objects.subtree(root).active().values_list("pk", flat=True))
    total = len(ids)
    overall = GenerationResult()
    today = timezone.localdate()
    for start in range(0, total, ROLLOVER_BATCH):
        batch = ids[start : start + ROLLOVER_BATCH]
        with transaction.atomic(), pghistory.context(user=by.pk, rollover_year=year):
            locked = list(
                Organisation.objects.select_for_update(of=("self",)).filter(pk__in=batch).active().order_by("pk")
            )
            result = _generate(locked, year, today)
        overall.created.extend(result.created)
        overall.skipped += result.skipped
        if progress is not None:
            progress(start + len(batch), total, overall)
    return overall


def personal_lists_for_new_member(membership: TeamMembership) -> list[ResponsibilityList]:
    """A person who joins a team mid-year, or takes another role in it, gets that role's list for each
    year the organisation already has lists (a list already held for that role is kept)."""
    created = []
    years = ResponsibilityList.objects.filter(organisation=membership.organisation, kind=ListKind.COMMITTEE).exclude(
        status=ListStatus.CLOSED
    )
    for committee in years:
        year_end = date(committee.year, 12, 31)
        starts_in_time = membership.start_date <= year_end
        ends_in_time = membership.end_date is None or membership.end_date >= date(committee.year, 1, 1)
        taken = ResponsibilityList.objects.filter(
            organisation=membership.organisation,
            year=committee.year,
            person=membership.person,
            kind=ListKind.for_team_role(membership.role),
        ).exists()
        if starts_in_time and ends_in_time and not taken:
            created.append(
                _new_list(
                    membership.organisation,
                    committee.year,
                    ListKind.for_team_role(membership.role),
                    committee.template,
                    membership.person,
                    membership,
                )
            )
    return created


# ---- Workflow ---------------------------------------------------------------------------------


@service
def list_transition(*, responsibility_list: ResponsibilityList, version: int, target: str, by, reason: str = ""):
    locked = lock_versioned(ResponsibilityList.objects.select_related("organisation"), responsibility_list.pk, version)
    actor = rules.transition_actor(locked.status, target)
    if actor is None:
        raise ValidationError(
            _("清单当前为“%(current)s”，不能改为“%(target)s”。")
            % {"current": locked.get_status_display(), "target": ListStatus(target).label},
            code="illegal_transition",
        )
    if not may_act_as(by, actor, locked.organisation):
        if actor == "secretary":
            raise PermissionDenied(_("只有本组织书记可以确认或退回责任清单。"))
        raise PermissionDenied(_("您无权提交或关闭该责任清单。"))
    if (
        target == ListStatus.SUBMITTED
        and not TeamMembership.objects.on(timezone.localdate())
        .filter(organisation=locked.organisation, role=TeamRole.SECRETARY)
        .exists()
    ):
        raise ValidationError(_("本组织目前没有书记，提交后无人可以确认。请先在班子中添加书记。"), code="no_secretary")
    if (locked.status, target) in rules.TRANSITIONS_NEEDING_REASON and not reason.strip():
        raise ValidationError({"reason": _("退回时请写明原因。")}, code="reason_required")
    now = timezone.now()
    if target == ListStatus.SUBMITTED:
        locked.submitted_at = now
    elif target == ListStatus.CONFIRMED:
        locked.confirmed_at, locked.confirmed_by = now, by
    elif target == ListStatus.CLOSED:
        locked.closed_at = now
    locked.status = target
    with pghistory.context(reason=reason.strip()):
        locked.save()
    notifications.list_moved(locked, target, by, timezone.localdate())
    return locked


def _check_list_editable(responsibility_list: ResponsibilityList, reason: str) -> None:
    if rules.list_is_locked(responsibility_list.status):
        raise ValidationError(_("该清单所在年度已关闭，不能再修改。"), code="closed")
    if rules.edit_needs_reason(responsibility_list.status) and not reason.strip():
        raise ValidationError({"reason": _("清单已提交或已确认，修改时请写明原因。")}, code="reason_required")


# ---- Tasks ------------------------------------------------------------------------------------

TASK_FIELDS = (
    "title",
    "quantity",
    "unit",
    "deadline",
    "standard",
    "requirement",
    "responsible_person",
    "status",
    "completed_on",
)


def earliest_work_day(year: int) -> date:
    """The earliest date progress or completion of a year's task may carry: 1 January of the year
    before (next year's lists are made in December and work on them can start then); anything
    earlier is a typing error such as 1999."""
    return date(year - 1, 1, 1)


def _check_task(task: Task, responsibility_list: ResponsibilityList) -> None:
    errors = rules.task_problems(
        quantity=task.quantity,
        unit=task.unit,
        standard=task.standard,
        deadline=task.deadline,
        year=responsibility_list.year,
    )
    person = task.responsible_person
    if person is not None and not person.home_organisation.path.startswith(responsibility_list.organisation.path):
        errors["responsible_person"] = _("责任人必须是本组织或下级单位的干部。")
    if task.completed_on is not None and task.status == TaskStatus.DONE:
        if task.completed_on > timezone.localdate():
            errors["completed_on"] = _("完成日期不能晚于今天。")
        elif task.completed_on < (earliest := earliest_work_day(responsibility_list.year)):
            errors["completed_on"] = _("完成日期不能早于 %(day)s。") % {"day": earliest}
    if task.status == TaskStatus.DONE and task.completed_on is None:
        task.completed_on = timezone.localdate()
    if task.status != TaskStatus.DONE:
        task.completed_on = None
    if errors:
        raise ValidationError(errors)


@service
def task_create(*, item: ListItem, by, reason: str = "", source: IssuedTask | None = None, **fields) -> Task:
    responsibility_list = (
        ResponsibilityList.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=item.responsibility_list_id)
    )
    require_scope(by, responsibility_list.organisation)
    _check_list_editable(responsibility_list, reason)
    task = Task(item=item, source=source, **{name: value for name, value in fields.items() if name in TASK_FIELDS})
    _check_task(task, responsibility_list)
    task.full_clean()
    with pghistory.context(reason=reason.strip()):
        task.save()
    return task


@service
def task_update(*, task: Task, version: int, by, reason: str = "", **fields) -> Task:
    locked = lock_versioned(Task.objects.select_related("item__responsibility_list__organisation"), task.pk, version)
    responsibility_list = locked.item.responsibility_list
    require_scope(by, responsibility_list.organisation)
    if locked.is_archived:
        raise ValidationError(_("已归档的任务不能修改。"), code="archived")
    _check_list_editable(responsibility_list, reason)
    for name, value in fields.items():
        if name in TASK_FIELDS:
            setattr(locked, name, value)
    _check_task(locked, responsibility_list)
    locked.full_clean()
    with pghistory.context(reason=reason.strip()):
        locked.save()
    return locked


@service
def task_archive(*, task: Task, version: int, reason: str, by) -> Task:
    locked = lock_versioned(Task.objects.select_related("item__responsibility_list__organisation"), task.pk, version)
    responsibility_list = locked.item.responsibility_list
    require_scope(by, responsibility_list.organisation)
    if rules.list_is_locked(responsibility_list.status):
        raise ValidationError(_("该清单所在年度已关闭，不能再修改。"), code="closed")
    locked.mark_archived(reason=reason, by=by)
    with pghistory.context(reason=reason.strip()):
        locked.save()
    return locked


@service
def progress_record(*, task: Task, text: str, percent: int, by, day: date | None = None, files=()) -> ProgressEntry:
    """A dated progress entry; it moves the task's status forward and may carry evidence files."""
    locked = lock_versioned(
        Task.objects.select_related(
            "item__responsibility_list__organisation", "item__responsibility_list__person", "responsible_person"
        ),
        task.pk,
        None,
    )
    if not may_report_progress(by, locked):
        raise PermissionDenied(_("您无权填报该任务的进展。"))
    if rules.list_is_locked(locked.item.responsibility_list.status):
        raise ValidationError(_("该清单所在年度已关闭，不能再填报进展。"), code="closed")
    if locked.is_archived:
        raise ValidationError(_("已归档的任务不能填报进展。"), code="archived")
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"day": _("进展日期不能晚于今天。")}, code="future")
    if day < (earliest := earliest_work_day(locked.item.responsibility_list.year)):
        raise ValidationError({"day": _("进展日期不能早于 %(day)s。") % {"day": earliest}}, code="too_early")
    entry = ProgressEntry(task=locked, date=day, text=text.strip(), percent=percent, recorded_by=by)
    entry.full_clean()
    entry.save()
    new_status = rules.status_after_progress(locked.status, percent)
    if new_status != locked.status:
        locked.status = new_status
        locked.completed_on = day if new_status == TaskStatus.DONE else None
        locked.save()
    for uploaded in files:
        _store_evidence(locked, uploaded, "", by, entry)
    return entry


def _store_evidence(task, uploaded, description, by, progress_entry=None) -> Evidence:
    content_type = check_evidence(uploaded)
    evidence = Evidence(
        task=task,
        progress_entry=progress_entry,
        description=description,
        **stored_fields(uploaded, content_type, by),
    )
    evidence.full_clean(exclude=["file"])
    evidence.save()
    return evidence


@service
def evidence_upload(*, task: Task, uploaded, description: str = "", by) -> Evidence:
    task = Task.objects.select_related(
        "item__responsibility_list__organisation", "item__responsibility_list__person", "responsible_person"
    ).get(pk=task.pk)
    if not may_report_progress(by, task):
        raise PermissionDenied(_("您无权为该任务上传佐证材料。"))
    if rules.list_is_locked(task.item.responsibility_list.status):
        raise ValidationError(_("该清单所在年度已关闭，不能再上传材料。"), code="closed")
    if task.is_archived:
        raise ValidationError(_("已归档的任务不能再上传材料。"), code="archived")
    return _store_evidence(task, uploaded, description, by)


# ---- Supervision ------------------------------------------------------------------------------


@service
def supervision_note_add(*, responsibility_list: ResponsibilityList, text: str, by, day: date | None = None):
    """The secretary urges a team member (督促班子成员认真履行分管责任和“一岗双责”)."""
    responsibility_list = ResponsibilityList.objects.select_related("organisation", "person").get(
        pk=responsibility_list.pk
    )
    if not rules.takes_supervision_notes(responsibility_list.kind):
        raise ValidationError(_("督促记录只能记在班子成员的个人清单上。"), code="not_a_member_list")
    if not is_secretary(by, responsibility_list.organisation, timezone.localdate()):
        raise PermissionDenied(_("只有本组织书记可以记录督促情况。"))
    if rules.list_is_locked(responsibility_list.status):
        raise ValidationError(_("该清单所在年度已关闭，不能再记录督促情况。"), code="closed")
    if not text.strip():
        raise ValidationError({"text": _("请填写督促内容。")}, code="required")
    note = SupervisionNote(
        responsibility_list=responsibility_list, text=text.strip(), date=day or timezone.localdate(), written_by=by
    )
    note.full_clean()
    note.save()
    notifications.note_added(note, by)
    return note


@service
def supervision_note_acknowledge(*, note: SupervisionNote, feedback: str = "", by) -> SupervisionNote:
    """The member whose list was urged marks the note read (已阅) and may answer it (反馈), once."""
    locked = (
        SupervisionNote.objects.select_for_update(of=("self",))
        .select_related("responsibility_list__person")
        .get(pk=note.pk)
    )
    owner = locked.responsibility_list.person
    if owner is None or owner.user_id != by.pk:
        raise PermissionDenied(_("只有被督促的班子成员本人可以确认已阅。"))
    check_acknowledgement(locked.acknowledged_at, feedback, _("该督促记录已于 %(at)s 确认已阅。"))
    locked.acknowledged_at, locked.feedback = timezone.now(), feedback.strip()
    locked.save(update_fields=["acknowledged_at", "feedback"])
    return locked


# ---- Cascade ----------------------------------------------------------------------------------


@service
def task_issue(*, issuer: Organisation, year: int, item_number: int, recipients, by, **fields) -> IssuedTask:
    """Issue a task to subordinate organisations (下发任务): it lands in each one's committee list."""
    require_scope(by, issuer)
    recipients = list(recipients)
    if not recipients:
        raise ValidationError({"recipients": _("请至少选择一个下级组织。")}, code="no_recipients")
    for recipient in recipients:
        if recipient.pk == issuer.pk or not recipient.path.startswith(issuer.path):
            raise ValidationError({"recipients": _("只能向本组织的下级组织下发任务。")}, code="not_below")
    template = template_for(year)
    if not template.items.filter(kind=ListKind.COMMITTEE, number=item_number).exists():
        raise ValidationError({"item_number": _("党委（党组）清单中没有第 %(n)s 项。") % {"n": item_number}})
    issued = IssuedTask(
        issuer=issuer,
        year=year,
        item_number=item_number,
        issued_by=by,
        **{name: value for name, value in fields.items() if name in TASK_FIELDS and name != "responsible_person"},
    )
    issued.full_clean()
    probe = Task(
        title=issued.title,
        quantity=issued.quantity,
        unit=issued.unit,
        deadline=issued.deadline,
        standard=issued.standard,
    )
    _check_task(probe, ResponsibilityList(year=year, organisation=issuer))
    issued.save()
    today = timezone.localdate()
    committees = []
    for recipient in recipients:
        locked = Organisation.objects.select_for_update(of=("self",)).get(pk=recipient.pk)
        if locked.is_archived:
            raise ValidationError(
                {"recipients": _("%(name)s 已归档，不能下发任务。") % {"name": locked.name}}, code="archived"
            )
        _generate([locked], year, today)
        committee = ResponsibilityList.objects.get(organisation=locked, year=year, kind=ListKind.COMMITTEE)
        if rules.list_is_locked(committee.status):
            raise ValidationError(
                {"recipients": _("%(name)s 的 %(year)s 年清单已关闭。") % {"name": locked.name, "year": year}},
                code="closed",
            )
        item = committee.items.get(number=item_number)
        task = Task(
            item=item,
            source=issued,
            title=issued.title,
            quantity=issued.quantity,
            unit=issued.unit,
            deadline=issued.deadline,
            standard=issued.standard,
            requirement=issued.requirement,
        )
        task.full_clean()
        # The reason a change to a confirmed list needs: the issuer's instruction, kept in the history.
        with pghistory.context(reason=_("%(issuer)s 下发的任务") % {"issuer": issuer.name}):
            task.save()
        committees.append(committee)
    notifications.task_issued(issued, committees, by)
    return issued
