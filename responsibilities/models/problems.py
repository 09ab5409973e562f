"""问题清单 and 整改: a problem found at an organisation, its rectification measures (整改措施) with
progress and evidence, and its 复核 and 销号 by the organisation that found it or one above."""

import pgtrigger
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import scope, uploads
from core.models import VersionedModel, refuse_deletes, track_history, track_links
from responsibilities import tallies
from responsibilities.models.lists import STAFF_ROLES, ListItem, OrganisationCountQuerySet, list_visibility
from responsibilities.models.orders import SupervisionOrder
from responsibilities.models.organisations import Organisation, Person


class ProblemSource(models.TextChoices):
    INSPECTION = "inspection", _("考核检查扣分")
    TOUR = "tour", _("巡视巡察")
    LIFE_MEETING = "life_meeting", _("民主生活会")
    SUPERVISION = "supervision", _("督办")
    MASS_EVALUATION = "mass_evaluation", _("群众评议意见")
    OTHER = "other", _("其他")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    REVIEW = "review", _("待复核")
    CLOSED = "closed", _("已销号")


class ProblemQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """As the organisation's lists are (office staff, inspectors and administrators of its subtree;
        leaders of the subtree the problems naming nobody, and those naming themselves; the secretary
        his or her organisation's), and the organisation that found it (its staff and above), and
        whoever is responsible for one of its measures. Changes: office staff of either side."""
        if action != scope.VIEW:
            paths = scope.scope_paths(user, action)
            return scope.within(paths, field="organisation__path") | scope.within(paths, field="found_by__path")
        allowed = list_visibility(user, action)
        allowed |= scope.within(scope.scope_paths(user, scope.VIEW, roles=STAFF_ROLES), field="found_by__path")
        allowed |= Q(pk__in=RectificationMeasure.objects.filter(responsible_person__user=user).values("problem"))
        return allowed

    def overdue_on(self, day):
        return self.exclude(status=ProblemStatus.CLOSED).filter(deadline__lt=day)


class OfProblemQuerySet(scope.ScopedQuerySet):
    """Measures are seen with their problem."""

    problem_path = "problem"

    def visibility(self, user, action=scope.VIEW):
        return Q(**{f"{self.problem_path}__in": Problem.objects.for_user(user, action)})


class OfMeasureQuerySet(OfProblemQuerySet):
    problem_path = "measure__problem"


def _problem_tally_trigger(operation: str, old: bool):
    return pgtrigger.Trigger(
        name=f"problem_tally_{operation.lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=getattr(pgtrigger, operation.title()),
        referencing=pgtrigger.Referencing(new="new_rows", **({"old": "old_rows"} if old else {})),
        func=tallies.problem_trigger_body(operation),
    )


@track_links()
class ProblemItem(models.Model):
    """One 责任事项 a problem concerns. Chosen when the problem is recorded and never changed: the
    database refuses removing one."""

    problem = models.ForeignKey("Problem", verbose_name=_("问题"), on_delete=models.CASCADE, related_name="+")
    listitem = models.ForeignKey(ListItem, verbose_name=_("涉及的责任事项"), on_delete=models.PROTECT, related_name="+")

    objects = scope.links_to("problem")

    class Meta:
        db_table = "responsibilities_problem_items"
        unique_together = [("problem", "listitem")]
        verbose_name = _("涉及的责任事项")
        verbose_name_plural = _("涉及的责任事项")
        triggers = [refuse_deletes()]

    def __str__(self):
        return str(self.listitem_id)


@track_history()
class Problem(VersionedModel):
    """A problem found (问题) at an organisation, and where one is responsible, a person: where it came
    from, what it is, which list items it concerns, by when it is rectified, and its 复核 and 销号."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="problems"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.PROTECT, null=True, blank=True, related_name="problems"
    )
    found_by = models.ForeignKey(Organisation, verbose_name=_("发现单位"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("问题来源"), max_length=20, choices=ProblemSource.choices)
    source_detail = models.CharField(_("来源说明"), max_length=300, blank=True, default="")
    # Where the problem was raised from a record ("deduction:12"): the same record raises it once.
    source_key = models.CharField(_("来源记录"), max_length=64, blank=True, default="", editable=False)
    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name=_("来源督办"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题描述"))
    items = models.ManyToManyField(
        ListItem, verbose_name=_("涉及的责任事项"), blank=True, related_name="problems", through="ProblemItem"
    )
    found_on = models.DateField(_("发现日期"), default=timezone.localdate)
    deadline = models.DateField(_("整改时限"))
    long_term = models.BooleanField(_("长期整改"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    report = models.TextField(_("整改情况说明"), blank=True, default="")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提请复核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提请复核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True, default="")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")
        ordering = ["-found_on", "-pk"]
        triggers = [refuse_deletes(), _problem_tally_trigger("INSERT", False), _problem_tally_trigger("UPDATE", True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=ProblemSource.values),
                name="problem_source_valid",
                violation_error_message=_("问题来源无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProblemStatus.values),
                name="problem_status_valid",
                violation_error_message=_("状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("found_on")),
                name="problem_deadline_after_found",
                violation_error_message=_("整改时限不能早于发现日期。"),
            ),
            # 销号 records who and when; nothing else carries them.
            models.CheckConstraint(
                condition=Q(status=ProblemStatus.CLOSED, closed_by__isnull=False, closed_at__isnull=False)
                | (~Q(status=ProblemStatus.CLOSED) & Q(closed_by__isnull=True, closed_at__isnull=True)),
                name="problem_closed_iff_who_and_when",
                violation_error_message=_("已销号的问题必须记录销号人和时间。"),
            ),
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="problem_one_per_source_record",
                violation_error_message=_("该记录已立为问题。"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="problem_status_deadline_idx"),
            # 问题清单's default order: its first page is read from here, not sorted from every visible row.
            models.Index(fields=["-found_on", "-id"], name="problem_found_newest_idx"),
            # 预警提醒's first open problems past their deadline, in their order (not sorted from all of them).
            models.Index(
                fields=["deadline", "id"], condition=~Q(status=ProblemStatus.CLOSED), name="problem_open_by_deadline"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("responsibilities:problem_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"问〔{self.found_on:%Y}〕{self.pk}号"


@track_history()
class RectificationMeasure(VersionedModel):
    """One rectification measure (整改措施) of a problem: what is done, by whom, by when, to which
    数量/标准; on a 长期整改 problem it may be an interim milestone (阶段性目标)."""

    problem = models.ForeignKey(Problem, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="measures")
    text = models.TextField(_("整改措施"))
    responsible_person = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="rectification_measures"
    )
    deadline = models.DateField(_("完成时限"))
    quantity = models.DecimalField(
        _("数量"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("单位"), max_length=20, blank=True, default="")
    standard = models.TextField(_("标准"), blank=True, default="")
    milestone = models.BooleanField(_("阶段性目标"), default=False)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认完成人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制定时间"), default=timezone.now, editable=False)

    objects = OfProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")
        ordering = ["problem", "deadline", "pk"]
        triggers = [refuse_deletes()]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="measure_quantity_not_negative",
                violation_error_message=_("数量不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=False) | ~Q(standard=""),
                name="measure_quantity_or_standard",
                violation_error_message=_("未填写数量的整改措施必须写明标准。"),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True, completed_by__isnull=True)
                | Q(completed_on__isnull=False, completed_by__isnull=False),
                name="measure_completed_who_and_when",
                violation_error_message=_("完成的整改措施必须记录完成日期和确认人。"),
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return f"{self.problem.get_absolute_url()}#measure-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None


@track_history()
class MeasureProgress(models.Model):
    """A progress note (整改进展) on a measure; the last one may complete it."""

    measure = models.ForeignKey(
        RectificationMeasure, verbose_name=_("整改措施"), on_delete=models.PROTECT, related_name="progress"
    )
    note = models.TextField(_("进展情况"))
    completes = models.BooleanField(_("标记完成"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("填报时间"), default=timezone.now, editable=False)

    objects = OfMeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["measure", "recorded_at", "pk"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.note[:60]


def measure_file_path(instance, filename):
    return uploads.stored_name("rectification", filename)


@track_history()
class MeasureEvidence(models.Model):
    """A file proving a measure's progress (整改佐证材料), checked as task evidence is (core.uploads)."""

    measure = models.ForeignKey(
        RectificationMeasure, verbose_name=_("整改措施"), on_delete=models.PROTECT, related_name="evidence"
    )
    progress = models.ForeignKey(
        MeasureProgress, verbose_name=_("对应进展"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=measure_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    objects = OfMeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")
        ordering = ["measure", "uploaded_at", "pk"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("responsibilities:measure_file", args=[self.pk])


class ProblemTally(models.Model):
    """Problems of an organisation's whole subtree, per year found, status and deadline (see
    ``tallies``): kept by triggers on the problem table and read by the roll-up; never edited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=ProblemStatus.choices)
    deadline = models.DateField()
    problem_count = models.IntegerField(default=0)

    objects = OrganisationCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题统计")
        verbose_name_plural = _("问题统计")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "status", "deadline"], name="problem_tally_key"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.year} {self.status} {self.deadline}: {self.problem_count}"
