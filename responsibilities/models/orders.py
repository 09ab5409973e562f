"""督办 (supervision orders): an upper organisation's notice that recipients must answer by a deadline."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import scope, uploads
from core.models import VersionedModel, refuse_deletes, track_history, track_links
from responsibilities import tallies
from responsibilities.models.lists import STAFF_ROLES, OrganisationCountQuerySet, Task
from responsibilities.models.organisations import Organisation, Person, TeamMembership


class OrderSubject(models.TextChoices):
    TASKS = "tasks", _("任务落实")
    PROBLEM = "problem", _("问题整改")
    OTHER = "other", _("其他事项")


class ReplyStatus(models.TextChoices):
    WAITING = "waiting", _("待反馈")
    ANSWERED = "answered", _("已反馈")
    RETURNED = "returned", _("已退回")
    CLOSED = "closed", _("已办结")


class SupervisionOrderQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """A 督办 is seen where any of its replies is (the issuer's side or a recipient's side)."""
        return Q(pk__in=SupervisionReply.objects.for_user(user, action).values("order"))


class SupervisionReplyQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """The issuer's side (staff and leaders of the issuing organisation or above, its secretary) and
        the recipient's side (staff and leaders of the recipient or above, its secretary, the named
        person). Changing is for office staff of either side; the services say which side does what."""
        roles = STAFF_ROLES | {"leader"} if action == scope.VIEW else None
        paths = scope.scope_paths(user, action, roles=roles)
        secretary_of = TeamMembership.objects.secretary_of(user, timezone.localdate())
        return (
            scope.within(paths, field="order__issuer__path")
            | scope.within(paths, field="organisation__path")
            | Q(order__issuer__in=secretary_of)
            | Q(organisation__in=secretary_of)
            # The named person's replies by a subquery, not a join: a join to every person held up
            # the 督办 list (it hashed the whole person table before sorting the replies).
            | Q(person__in=Person.objects.filter(user=user).values("pk"))
        )


class ReplyFileQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        return Q(reply__in=SupervisionReply.objects.for_user(user, action))


@track_history()
class SupervisionOrder(models.Model):
    """A 督办 notice (督办通知): what the upper organisation asks, about which tasks, answer by when."""

    issuer = models.ForeignKey(Organisation, verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("督办事项"), max_length=200)
    subject = models.CharField(_("督办类别"), max_length=16, choices=OrderSubject.choices)
    text = models.TextField(_("督办内容"))
    tasks = models.ManyToManyField(
        Task, verbose_name=_("相关任务"), blank=True, related_name="supervision_orders", through="OrderTask"
    )
    reply_by = models.DateField(_("反馈期限"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)

    objects = SupervisionOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-issued_at", "-pk"]
        triggers = [refuse_deletes()]
        indexes = [
            # 预警提醒's overdue answers, the oldest deadline first: their orders read in that order.
            models.Index(fields=["reply_by", "id"], name="order_by_reply_by"),
            # 督办's default order, the newest first: its first page read from the newest orders only (at
            # N = 50,000 every answer of the province was joined and sorted for thirty: 160 → 1 ms).
            models.Index(fields=["-issued_at", "-id"], name="order_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__in=OrderSubject.values),
                name="order_subject_valid",
                violation_error_message=_("督办类别无效。"),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("responsibilities:order_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"督〔{timezone.localtime(self.issued_at):%Y}〕{self.pk}号"


@track_links()
class OrderTask(models.Model):
    """One overdue task a 督办 notice is about. Named when the notice is issued and never changed: the
    database refuses removing one."""

    supervisionorder = models.ForeignKey(
        SupervisionOrder, verbose_name=_("督办"), on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(Task, verbose_name=_("相关任务"), on_delete=models.PROTECT, related_name="+")

    objects = scope.links_to("supervisionorder")

    class Meta:
        # The table Django created for the set before it had a model: same name, same unique pair.
        db_table = "responsibilities_supervisionorder_tasks"
        unique_together = [("supervisionorder", "task")]
        verbose_name = _("相关任务")
        verbose_name_plural = _("相关任务")
        triggers = [refuse_deletes()]

    def __str__(self):
        return str(self.task_id)


@track_history()
class SupervisionReply(VersionedModel):
    """One recipient of a 督办 and its answer (反馈): waiting, answered, returned with a reason, or closed
    (办结) by the issuer. Both sides write it, so it is versioned."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name=_("督办"), on_delete=models.PROTECT, related_name="replies"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=ReplyStatus.choices, default=ReplyStatus.WAITING)
    answer = models.TextField(_("反馈内容"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True, default="")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = SupervisionReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办反馈")
        verbose_name_plural = _("督办反馈")
        ordering = ["order", "organisation__path"]
        triggers = [
            refuse_deletes(),
            *(
                pgtrigger.Trigger(
                    name=f"order_tally_{operation.lower()}",
                    level=pgtrigger.Statement,
                    when=pgtrigger.After,
                    operation=getattr(pgtrigger, operation.title()),
                    referencing=pgtrigger.Referencing(new="new_rows", **({"old": "old_rows"} if old else {})),
                    func=tallies.order_trigger_body(operation),
                )
                for operation, old in (("INSERT", False), ("UPDATE", True))
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "organisation"],
                name="reply_one_per_recipient",
                violation_error_message=_("同一单位不能重复督办。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReplyStatus.values),
                name="reply_status_valid",
                violation_error_message=_("状态无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.order} · {self.organisation}"

    def get_absolute_url(self):
        return reverse("responsibilities:order_detail", args=[self.order_id])

    def is_overdue(self, today) -> bool:
        """Unanswered past the reply deadline (a returned answer must be given again in time too)."""
        return self.status in (ReplyStatus.WAITING, ReplyStatus.RETURNED) and self.order.reply_by < today


class OrderTally(models.Model):
    """督办 replies received by an organisation's whole subtree, per status and reply deadline (see
    ``tallies``). Kept by triggers on the reply table and read by the roll-up; never edited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=ReplyStatus.choices)
    reply_by = models.DateField()
    reply_count = models.IntegerField(default=0)

    objects = OrganisationCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办统计")
        verbose_name_plural = _("督办统计")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "status", "reply_by"], name="order_tally_key"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.status} {self.reply_by}: {self.reply_count}"


def reply_file_path(instance, filename):
    return uploads.stored_name("supervision", filename)


@track_history()
class ReplyFile(models.Model):
    """A file attached to a 督办 answer, checked as task evidence is (core.uploads)."""

    reply = models.ForeignKey(
        SupervisionReply, verbose_name=_("督办反馈"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("文件"), upload_to=reply_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    objects = ReplyFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办反馈材料")
        verbose_name_plural = _("督办反馈材料")
        ordering = ["reply", "uploaded_at"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("responsibilities:order_file", args=[self.pk])
