"""Responsibility lists (责任清单): templates, annual lists, tasks, progress, evidence, cascade."""

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import scope, uploads
from core.models import ArchivableModel, Job, VersionedModel, refuse_deletes, track_history
from core.reversing import reverse_pk
from core.search import trigram_index
from responsibilities import tallies
from responsibilities.models.organisations import Organisation, Person, TeamMembership, TeamRole


def signing_triggers(table: str, operations=("INSERT", "UPDATE")) -> list:
    """The statement triggers keeping the 责任书签收 tallies on ``table`` (see ``tallies``)."""
    return [
        pgtrigger.Trigger(
            name=f"signing_{operation.lower()}",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=getattr(pgtrigger, operation.title()),
            referencing=pgtrigger.Referencing(new="new_rows", **({"old": "old_rows"} if operation == "UPDATE" else {})),
            func=tallies.signing_trigger_body(table, operation),
        )
        for operation in operations
    ]


class ListKind(models.TextChoices):
    """The four role-based lists of the 2016 article."""

    COMMITTEE = "committee", _("党委（党组）")
    SECRETARY = "secretary", _("党委（党组）书记")
    LEADER_IN_CHARGE = "leader_in_charge", _("党委（党组）分管领导")
    MEMBER = "member", _("班子其他成员")

    @classmethod
    def for_team_role(cls, role: str) -> "ListKind":
        return {
            TeamRole.SECRETARY: cls.SECRETARY,
            TeamRole.LEADER_IN_CHARGE: cls.LEADER_IN_CHARGE,
            TeamRole.MEMBER: cls.MEMBER,
        }[role]


@track_history()
class ListTemplateVersion(models.Model):
    """A version of the list template (the items of the four lists), in force from a year on."""

    name = models.CharField(_("版本名称"), max_length=200)
    source = models.CharField(_("依据"), max_length=300, blank=True, default="")
    effective_from_year = models.PositiveSmallIntegerField(
        _("起始年度"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        error_messages={"unique": _("该年度已有模板版本。")},
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = scope.PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任清单模板版本")
        verbose_name_plural = _("责任清单模板版本")
        ordering = ["-effective_from_year"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.name}（{self.effective_from_year} 年起）"

    def get_absolute_url(self):
        return reverse("responsibilities:template_detail", args=[self.pk])


@track_history()
class TemplateItem(VersionedModel):
    """One item (责任事项) of one of the four lists in a template version."""

    template = models.ForeignKey(
        ListTemplateVersion, verbose_name=_("模板版本"), on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("清单类别"), max_length=32, choices=ListKind.choices)
    number = models.PositiveSmallIntegerField(_("序号"), validators=[MinValueValidator(1)])
    title = models.CharField(_("责任事项"), max_length=200)

    objects = scope.PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("模板责任事项")
        verbose_name_plural = _("模板责任事项")
        ordering = ["template", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "kind", "number"],
                name="template_item_number_unique",
                violation_error_message=_("同一清单中序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ListKind.values),
                name="template_item_kind_valid",
                violation_error_message=_("清单类别无效。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    CONFIRMED = "confirmed", _("已确认")
    CLOSED = "closed", _("年度已关闭")


STAFF_ROLES = {"office_staff", "inspector", "admin"}


def list_visibility(user, action: str, day=None, *, organisation: str = "organisation", person: str = "person") -> Q:
    """Who may see which responsibility list: the one rule, over any table that names a list's
    organisation and person (the person is empty exactly for the committee list).

    Office staff, inspectors and administrators: every list in their subtrees. A leader: the
    committee lists in his or her subtree and his or her own lists; a secretary also the personal
    lists of his or her own team on ``day`` (督促班子成员). A member never sees another member's list.
    Changing a list is for office staff and administrators of its subtree.
    """
    org_path = f"{organisation}__path"
    if action != scope.VIEW:
        return scope.within(scope.scope_paths(user, action), field=org_path)
    if user.is_superuser:
        return scope.everything()
    day = day or timezone.localdate()
    allowed = scope.within(scope.scope_paths(user, scope.VIEW, roles=STAFF_ROLES), field=org_path)
    # Subqueries rather than joins, so that the planner keeps the path index for the subtree part.
    allowed |= Q(**{f"{person}__in": Person.objects.filter(user=user).values("pk")})
    leader_paths = scope.scope_paths(user, scope.VIEW, roles={"leader"})
    if leader_paths:
        allowed |= scope.within(leader_paths, field=org_path) & Q(**{f"{person}__isnull": True})
    allowed |= Q(**{f"{organisation}__in": TeamMembership.objects.secretary_of(user, day)})
    return allowed


class ResponsibilityListQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action, day=None):
        return list_visibility(user, action, day)


class ThroughListQuerySet(scope.ScopedQuerySet):
    """A family reached through its list: it is visible exactly where its list is."""

    list_path = ""  # the relation from this table to the list, e.g. "item__responsibility_list"

    def visibility(self, user, action, day=None):
        prefix = self.list_path
        return list_visibility(user, action, day, organisation=f"{prefix}__organisation", person=f"{prefix}__person")


class ListItemQuerySet(ThroughListQuerySet):
    list_path = "responsibility_list"


class ProgressEntryQuerySet(ThroughListQuerySet):
    list_path = "task__item__responsibility_list"


class EvidenceQuerySet(ThroughListQuerySet):
    list_path = "task__item__responsibility_list"


class SupervisionNoteQuerySet(ThroughListQuerySet):
    list_path = "responsibility_list"


class OverdueTallyQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action, day=None):
        """A person's overdue count is read where his or her list is; the committee's where its list is."""
        return list_visibility(user, action, day)


class OrganisationCountQuerySet(scope.ScopedQuerySet):
    """Counts kept per organisation (the roll-up): visible with the organisation."""

    def visibility(self, user, action):
        return scope.within(scope.scope_paths(user, action), field="organisation__path")


class IssuedTaskQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action):
        """The issuing organisation's page of an issued task is for those who see the issuer's lists
        (staff and leaders of the issuer or above); changes for its office staff."""
        roles = STAFF_ROLES | {"leader"} if action == scope.VIEW else None
        return scope.within(scope.scope_paths(user, action, roles=roles), field="issuer__path")


class RolloverJobQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action):
        """A roll-over is followed by those who may generate the lists of its root (office staff)."""
        return scope.within(scope.scope_paths(user, scope.CHANGE), field="root__path")


@track_history()
class ResponsibilityList(VersionedModel):
    """An organisation's committee list, or one leader's personal list, for one year."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="responsibility_lists"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("清单类别"), max_length=32, choices=ListKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibility_lists",
    )
    membership = models.ForeignKey(
        TeamMembership,
        verbose_name=_("班子任职"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibility_lists",
    )
    template = models.ForeignKey(
        ListTemplateVersion, verbose_name=_("模板版本"), on_delete=models.PROTECT, related_name="lists"
    )
    status = models.CharField(_("状态"), max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now, editable=False)

    objects = ResponsibilityListQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任清单")
        verbose_name_plural = _("责任清单")
        ordering = ["organisation", "year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ListKind.values),
                name="list_kind_valid",
                violation_error_message=_("清单类别无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ListStatus.values),
                name="list_status_valid",
                violation_error_message=_("清单状态无效。"),
            ),
            # The committee list belongs to no person; every personal list belongs to one.
            models.CheckConstraint(
                condition=(Q(kind=ListKind.COMMITTEE) & Q(person__isnull=True))
                | (~Q(kind=ListKind.COMMITTEE) & Q(person__isnull=False)),
                name="list_person_iff_personal",
                violation_error_message=_("党委（党组）清单不属于个人，个人清单必须有责任人。"),
            ),
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=Q(kind=ListKind.COMMITTEE),
                name="list_one_committee_list_per_year",
                violation_error_message=_("该组织本年度已有党委（党组）责任清单。"),
            ),
            # One personal list per role held in the year: a member who becomes secretary mid-year
            # keeps the member's list (and its tasks) and gets the secretary's.
            models.UniqueConstraint(
                fields=["organisation", "year", "person", "kind"],
                condition=Q(person__isnull=False),
                name="list_one_personal_list_per_role_and_year",
                violation_error_message=_("此人本年度在该组织已有该角色的个人责任清单。"),
            ),
        ]
        indexes = [models.Index(fields=["year", "organisation"], name="list_year_org_idx")]
        triggers = [
            refuse_deletes(),
            # Task tallies count a list's tasks for its organisation and year, signing tallies a personal
            # list (its kind) for them: none ever changes.
            pgtrigger.Protect(
                name="protect_owner",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("organisation", "year", "kind"),
            ),
            *signing_triggers(tallies.LIST, operations=("INSERT",)),
            pgtrigger.Trigger(
                name="overdue_on_closing",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(tallies.LIST_CLOSING_CONDITION),
                func=tallies.list_closing_body(),
                declare=tallies.TRIGGER_DECLARE,
            ),
        ]

    def __str__(self):
        owner = self.person.name if self.person_id else self.organisation.display_name
        return f"{self.year} 年 · {owner} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse_pk("responsibilities:list_detail", self.pk)

    @property
    def is_personal(self) -> bool:
        return self.kind != ListKind.COMMITTEE

    @property
    def is_closed(self) -> bool:
        return self.status == ListStatus.CLOSED


@track_history()
class ListItem(models.Model):
    """One item (责任事项) of an annual list, copied from the template in force when it was made."""

    responsibility_list = models.ForeignKey(
        ResponsibilityList, verbose_name=_("责任清单"), on_delete=models.PROTECT, related_name="items"
    )
    template_item = models.ForeignKey(
        TemplateItem, verbose_name=_("模板事项"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("责任事项"), max_length=200)

    objects = ListItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("清单责任事项")
        verbose_name_plural = _("清单责任事项")
        ordering = ["responsibility_list", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["responsibility_list", "number"],
                name="list_item_number_unique",
                violation_error_message=_("同一清单中序号不能重复。"),
            ),
        ]
        triggers = [
            refuse_deletes(),
            pgtrigger.Protect(
                name="protect_list", operation=pgtrigger.Update, condition=pgtrigger.AnyChange("responsibility_list")
            ),
            *signing_triggers(tallies.ITEM),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")


def overdue_condition(day, prefix: str = "") -> Q:
    """Tasks (reached through ``prefix``, e.g. "items__tasks__") overdue on ``day``: not done and past
    the deadline; the deadline day itself is in time. The query form of ``rules.is_overdue``, also
    over the roll-up's counts (which have a status and a deadline)."""
    return ~Q(**{f"{prefix}status": TaskStatus.DONE}) & Q(**{f"{prefix}deadline__lt": day})


class TaskQuerySet(ThroughListQuerySet):
    list_path = "item__responsibility_list"

    def overdue_on(self, day):
        return self.filter(overdue_condition(day))

    def active(self):
        return self.filter(archived_at__isnull=True)


@track_history()
class Task(VersionedModel, ArchivableModel):
    """A concrete task (具体任务/举措) under a list item, quantified by 数量、时间、标准、要求."""

    item = models.ForeignKey(ListItem, verbose_name=_("责任事项"), on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("具体任务"), max_length=300)
    quantity = models.DecimalField(
        _("数量"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("定性任务可不填数量，但必须写明标准。"),
    )
    unit = models.CharField(_("单位"), max_length=20, blank=True, default="", help_text=_("例如：次、篇、人次。"))
    deadline = models.DateField(_("完成时限"))
    standard = models.TextField(_("标准"), blank=True, default="")
    requirement = models.TextField(_("要求"), blank=True, default="")
    responsible_person = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    source = models.ForeignKey(
        "IssuedTask",
        verbose_name=_("上级下发任务"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recipient_tasks",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("具体任务")
        verbose_name_plural = _("具体任务")
        ordering = ["item", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values),
                name="task_status_valid",
                violation_error_message=_("任务状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="task_quantity_not_negative",
                violation_error_message=_("数量不能为负数。"),
            ),
            # A qualitative task without a number must say what standard it is held to.
            models.CheckConstraint(
                condition=Q(quantity__isnull=False) | ~Q(standard=""),
                name="task_quantity_or_standard",
                violation_error_message=_("未填写数量的任务必须写明标准。"),
            ),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.DONE, completed_on__isnull=False)
                | (~Q(status=TaskStatus.DONE) & Q(completed_on__isnull=True)),
                name="task_completed_on_iff_done",
                violation_error_message=_("已完成的任务必须有完成日期，未完成的任务不能有完成日期。"),
            ),
        ]
        indexes = [
            models.Index(fields=["deadline", "status"], name="task_deadline_status_idx"),
            # 预警提醒's overdue tasks in their default order (deadline, then as entered), open ones only.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(archived_at__isnull=True) & ~Q(status=TaskStatus.DONE),
                name="task_open_by_deadline",
            ),
            models.Index(fields=["source"], name="task_source_idx"),
            trigram_index("title", name="task_search_trgm"),
        ]
        triggers = [
            refuse_deletes(),
            *(
                pgtrigger.Trigger(
                    name=f"tally_{operation.lower()}",
                    level=pgtrigger.Statement,
                    when=pgtrigger.After,
                    operation=getattr(pgtrigger, operation.title()),
                    referencing=pgtrigger.Referencing(new="new_rows", **({"old": "old_rows"} if old else {})),
                    func=tallies.trigger_body(operation),
                    declare=tallies.TRIGGER_DECLARE,
                )
                for operation, old in (("INSERT", False), ("UPDATE", True))
            ),
            *signing_triggers(tallies.TASK),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_pk("responsibilities:task_detail", self.pk)


class TaskTally(models.Model):
    """Active tasks of an organisation's whole subtree, per year, status and deadline (see ``tallies``).

    Kept by triggers on the task table and read by the roll-up; never edited, so no history.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=TaskStatus.choices)
    deadline = models.DateField()
    task_count = models.IntegerField(default=0)

    objects = OrganisationCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务统计")
        verbose_name_plural = _("任务统计")
        constraints = [
            # No check that counts stay positive: PostgreSQL checks the row an upsert proposes (a
            # negative change) before it finds the existing row; the tests compare with direct counts.
            models.UniqueConstraint(fields=["organisation", "year", "status", "deadline"], name="task_tally_key"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.year} {self.status} {self.deadline}: {self.task_count}"


class ItemTally(models.Model):
    """Active tasks of an organisation's whole subtree, per year, list kind, item number and status
    (the 驾驶舱's completion per responsibility item; see ``tallies``). Kept by the same triggers as
    ``TaskTally``; never edited, so no history."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=ListKind.choices)
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=TaskStatus.choices)
    task_count = models.IntegerField(default=0)

    objects = OrganisationCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任事项任务统计")
        verbose_name_plural = _("责任事项任务统计")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "kind", "number", "status"], name="item_tally_key"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.year} {self.kind} {self.number} {self.status}: {self.task_count}"


class OverdueTally(models.Model):
    """Overdue tasks of an organisation's or a person's open lists on the overdue clock's day (see ``tallies``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, on_delete=models.CASCADE, related_name="+")
    overdue_count = models.IntegerField(default=0)

    objects = OverdueTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("逾期统计")
        verbose_name_plural = _("逾期统计")
        constraints = [
            # One row for the committee list too (no person): NULL counts as a value here.
            models.UniqueConstraint(fields=["organisation", "person"], name="overdue_tally_key", nulls_distinct=False),
        ]
        indexes = [
            # 预警提醒's groups, worst first (accountability.selectors.warning_groups): the first page from here.
            models.Index(
                models.F("overdue_count").desc(),
                models.F("organisation"),
                models.F("person").asc(nulls_first=True),
                name="overdue_tally_worst_first",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.person_id}: {self.overdue_count}"


class OverdueClock(models.Model):
    """The one day ``OverdueTally`` counts for: moved to today by the worker at 00:05."""

    as_of = models.DateField()

    objects = scope.PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("逾期统计日期")
        verbose_name_plural = _("逾期统计日期")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="overdue_clock_single_row")]

    def __str__(self):
        return str(self.as_of)


@track_history()
class ProgressEntry(models.Model):
    """A dated progress report (进展) on a task."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="progress_entries")
    date = models.DateField(_("日期"), default=timezone.localdate)
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(
        _("完成百分比"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("填报时间"), default=timezone.now, editable=False)

    objects = ProgressEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")
        ordering = ["task", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100),
                name="progress_percent_range",
                violation_error_message=_("完成百分比应在 0 到 100 之间。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.date} {self.percent}%"


def evidence_path(instance, filename):
    """A generated name: the uploaded file name is kept only as metadata, never as a path."""
    return uploads.stored_name("evidence", filename)


@track_history()
class Evidence(ArchivableModel):
    """A file kept as proof (留痕) of a task: a document, a photo, minutes."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="evidence")
    progress_entry = models.ForeignKey(
        ProgressEntry,
        verbose_name=_("对应进展"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    description = models.CharField(_("说明"), max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["task", "-uploaded_at"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("responsibilities:evidence_download", args=[self.pk])


@track_history()
class SupervisionNote(models.Model):
    """A secretary's record of urging a team member (督促记录) on his or her list."""

    responsibility_list = models.ForeignKey(
        ResponsibilityList, verbose_name=_("责任清单"), on_delete=models.PROTECT, related_name="supervision_notes"
    )
    date = models.DateField(_("日期"), default=timezone.localdate)
    text = models.TextField(_("督促内容"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)
    # The member's trace of having heard it (该提醒的提醒): when he or she read it, and an answer.
    acknowledged_at = models.DateTimeField(_("已阅时间"), null=True, blank=True, editable=False)
    feedback = models.TextField(_("反馈"), blank=True, default="", editable=False)

    objects = SupervisionNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("督促记录")
        verbose_name_plural = _("督促记录")
        ordering = ["responsibility_list", "-date", "-pk"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.date} {self.text[:20]}"

    def get_absolute_url(self):
        return reverse("responsibilities:list_detail", args=[self.responsibility_list_id])

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


@track_history()
class IssuedTask(models.Model):
    """A task an upper organisation issues to subordinate organisations (下发任务)."""

    issuer = models.ForeignKey(Organisation, verbose_name=_("下发组织"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    item_number = models.PositiveSmallIntegerField(_("对应责任事项序号"))
    title = models.CharField(_("具体任务"), max_length=300)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True, default="")
    deadline = models.DateField(_("完成时限"))
    standard = models.TextField(_("标准"), blank=True, default="")
    requirement = models.TextField(_("要求"), blank=True, default="")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下发人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("下发时间"), default=timezone.now, editable=False)

    objects = IssuedTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("下发任务")
        verbose_name_plural = _("下发任务")
        ordering = ["-issued_at"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("responsibilities:issued_task_detail", args=[self.pk])


class RolloverJob(Job):
    """An annual roll-over of lists for a subtree, run on the task queue, with what it made."""

    KIND = "rollover"

    root = models.ForeignKey(Organisation, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    lists_created = models.PositiveIntegerField(_("新建清单"), default=0)
    lists_skipped = models.PositiveIntegerField(_("已存在跳过"), default=0)

    objects = RolloverJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度清单生成任务")
        verbose_name_plural = _("年度清单生成任务")
        ordering = ["-created_at"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.year} · {self.root}"

    def save(self, *args, **kwargs):
        self.kind = self.KIND
        self.key = self.key or self.work_key(self.root_id, self.year)
        self.title = self.title or _("%(year)s 年清单生成 · %(name)s") % {"year": self.year, "name": self.root.name}
        self.scope_path = self.scope_path or self.root.path
        super().save(*args, **kwargs)
        if not self.url:
            self.url = self.get_absolute_url()
            Job.objects.filter(pk=self.pk).update(url=self.url)

    @staticmethod
    def work_key(root_id: int, year: int) -> str:
        return f"rollover:{root_id}:{year}"

    def get_absolute_url(self):
        return reverse("responsibilities:rollover_detail", args=[self.pk])


class WarningColour(models.TextChoices):
    """The three warning levels (蓝黄红). Each is shown with its word too: never by colour alone."""

    BLUE = "blue", _("蓝色预警")
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色预警")


@track_history()
class WarningThreshold(VersionedModel):
    """When a task's warning turns a colour (预警阈值), one row per colour, edited by an administrator.

    蓝: an open task due within ``days`` days; 黄: overdue by more than ``days`` days (0: from the day
    after its deadline); 红: overdue by more than ``days`` days, or (``after_intervention``) still
    overdue after an intervention (提醒/批评/约谈) about it.
    """

    colour = models.CharField(_("预警级别"), max_length=8, choices=WarningColour.choices, unique=True, editable=False)
    days = models.PositiveSmallIntegerField(
        _("天数"), validators=[MaxValueValidator(365)], help_text=_("蓝色：到期前天数；黄色、红色：逾期超过的天数。")
    )
    after_intervention = models.BooleanField(
        _("提醒后仍逾期即为此级别"), default=False, help_text=_("只对红色预警有意义。")
    )

    objects = scope.PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警阈值")
        verbose_name_plural = _("预警阈值")
        ordering = ["colour"]
        triggers = [refuse_deletes()]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__in=WarningColour.values),
                name="warning_threshold_colour_valid",
                violation_error_message=_("预警级别无效。"),
            ),
            models.CheckConstraint(
                condition=Q(days__lte=365),
                name="warning_threshold_days_range",
                violation_error_message=_("天数不能超过 365。"),
            ),
        ]

    def __str__(self):
        return self.get_colour_display()


class ReminderSettingQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action):
        """Read and changed with the organisation (its administrators change it in the admin)."""
        return scope.within(scope.scope_paths(user, action), field="organisation__path")


@track_history()
class ReminderSetting(VersionedModel):
    """How many days before a task's deadline its people are reminded (到期提醒天数), set for an
    organisation and inherited by its subtree: the nearest ancestor with a setting wins, and where none
    has one, ``REMINDER_DAYS_BEFORE`` (5)."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="reminder_setting"
    )
    days_before = models.PositiveSmallIntegerField(
        _("到期前提醒天数"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("本组织及其下级（下级另有设置的除外）的任务在完成时限前多少天提醒。"),
    )

    objects = ReminderSettingQuerySet.as_manager()

    class Meta:
        verbose_name = _("到期提醒设置")
        verbose_name_plural = _("到期提醒设置")
        ordering = ["organisation__path"]
        triggers = [refuse_deletes()]
        constraints = [
            models.CheckConstraint(
                condition=Q(days_before__gte=1, days_before__lte=60),
                name="reminder_days_range",
                violation_error_message=_("提醒天数应在 1 到 60 天之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.days_before}"
