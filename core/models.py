"""Building blocks every business model shares: history, archiving, optimistic versions.

The other apps import these; this module imports nothing from them.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from core import scope


def track_history(*exclude: str):
    """Record every insert and update of the model with the acting user (pghistory).

    ``exclude`` names bookkeeping fields whose change alone is not worth a history row.
    """
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), exclude=list(exclude) or None)


def refuse_deletes():
    """A trigger that makes PostgreSQL refuse DELETE on a business table: records are archived."""
    return pgtrigger.Protect(name="protect_delete", operation=pgtrigger.Delete)


def track_links():
    """Record every link added to or removed from a many-to-many set (its through table) with the
    acting user: the events copy both ends, so a removed link stays readable in the parent's history."""
    return pghistory.track(pghistory.InsertEvent("add"), pghistory.DeleteEvent("remove"), obj_field=None)


def refuse_link_deletes_when(*, name: str, parent_table: str, parent_column: str, condition: str, message: str):
    """A trigger that refuses removing a link while its parent row matches ``condition`` (SQL on the
    parent's columns), e.g. the target list of an archived indicator: the set is fixed from then on."""
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Delete,
        func=(
            f"IF EXISTS (SELECT 1 FROM {parent_table} WHERE id = OLD.{parent_column} AND ({condition})) THEN "
            f"RAISE EXCEPTION 'Cannot delete: {message}'; END IF; RETURN OLD;"
        ),
    )


class VersionedModel(models.Model):
    """A record two people may edit at once: every save raises the version by one."""

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """``get_<field>_display()`` as Django's, with each field's value → label map built once, not on
        every call (a page of a hundred tasks called it for every row's status and list kind). The
        labels stay lazy, so each call still answers in the active language."""
        labels = field.__dict__.get("_display_labels")
        if labels is None:
            labels = field._display_labels = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class ArchivableModel(models.Model):
    """A record that is archived with a reason instead of deleted."""

    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归档人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    archive_reason = models.TextField(_("归档原因"), blank=True, default="", editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def mark_archived(self, *, reason: str, by) -> None:
        if self.is_archived:
            raise ValidationError(_("该记录已归档。"), code="already_archived")
        if not reason.strip():
            raise ValidationError({"reason": _("请填写归档原因。")}, code="reason_required")
        self.archived_at = timezone.now()
        self.archived_by = by
        self.archive_reason = reason.strip()


class EditConflict(Exception):
    """Someone else saved the record after the user opened the form; the save was refused."""

    def __init__(self, current):
        super().__init__(f"{current!r} changed since it was read")
        self.current = current


def lock_versioned(queryset, pk, expected_version):
    """Lock the row for this transaction and check that nobody saved it since it was read.

    Returns the locked instance with its version raised by one, ready to be changed and saved.
    """
    instance = queryset.select_for_update(of=("self",)).get(pk=pk)
    if expected_version is not None and instance.version != expected_version:
        raise EditConflict(instance)
    instance.version += 1
    return instance


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobQuerySet(scope.ScopedQuerySet):
    def requested_by(self, user):
        """The jobs the user asked for, first or by joining (我的任务)."""
        return self.filter(models.Q(started_by=user) | models.Q(followers__contains=[user.pk]))

    def visibility(self, user, action, **options):
        """A job is seen by whoever asked for it (the first request or one that joined it) and by
        those who may change the organisation it works on (office staff of it and above)."""
        paths = scope.scope_paths(user, scope.CHANGE)
        if paths is None:
            return scope.everything()
        asked = models.Q(started_by=user) | models.Q(followers__contains=[user.pk])
        return asked | (~models.Q(scope_path="") & scope.within(paths, field="scope_path"))


class Job(models.Model):
    """A piece of background work (我的任务): what it is, who asked, how far it is, and how it ended.

    The work itself runs on the task queue (``core.jobs``); this row is what people read. ``key``
    names the work: while one job of a key is queued or running, asking again joins it.
    """

    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    key = models.CharField(_("工作标识"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    scope_path = models.CharField(_("组织范围"), max_length=255, blank=True, default="", db_collation="C")
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("已运行次数"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    summary = models.TextField(_("结果"), blank=True, default="")
    error = models.TextField(_("错误"), blank=True, default="")
    url = models.CharField(_("链接"), max_length=300, blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    followers = ArrayField(models.BigIntegerField(), verbose_name=_("关注人"), default=list, blank=True)
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        triggers = [refuse_deletes()]
        constraints = [
            # One job per piece of work at a time: a second request joins the running one.
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="job_one_active_per_key",
                violation_error_message=_("同一项工作已在进行中。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values),
                name="job_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url or reverse("core:job_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES

    @property
    def percent(self) -> int:
        if not self.total:  # not counted yet (queued), or nothing to do
            return 100 if self.status == JobStatus.DONE else 0
        return round(100 * self.done / self.total)


class NotificationQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action, **options):
        """A notification is for its recipient alone (not even an administrator reads another's)."""
        return models.Q(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


@track_history()
class Notification(models.Model):
    """One message of the 消息中心: an event told to one recipient, with a link to where he or she acts.

    The text is short and never carries confidential content (case facts, measures, names of the
    disciplined): only what happened and where to look. ``key`` makes a repeated event (a daily
    reminder run again) land once per recipient.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="notifications"
    )
    event = models.CharField(_("事件"), max_length=40)
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True, default="")
    key = models.CharField(_("事件标识"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        triggers = [refuse_deletes()]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The 消息中心's order: a busy recipient's page is read from here, not sorted from all his messages.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="notification_once_per_key"
            )
        ]

    def __str__(self):
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class PreferenceQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action: str, **options):
        """Each user reads and changes only his or her own preferences."""
        return models.Q(user=user)


@track_history()
class Preference(models.Model):
    """How one user wants the pages shown (the 放大文字 option of officials' own sites)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="preference"
    )
    large_text = models.BooleanField(_("放大文字"), default=False)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("显示偏好")
        verbose_name_plural = _("显示偏好")
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.user}"


class Channel(models.TextChoices):
    """Where a notification may also go besides the 消息中心 (which always has it)."""

    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class NotificationPreferenceQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action, **options):
        """A user's channel preferences are his or her own."""
        return models.Q(user=user)


@track_history()
class NotificationPreference(VersionedModel):
    """How a user wants to be told, besides the 消息中心: by which channel for which event, where
    (address, phone), and whether as one daily digest instead of single messages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="notification_preference",
    )
    email = models.EmailField(_("电子邮箱"), blank=True, default="")
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, default="")
    digest = models.BooleanField(_("每日汇总"), default=False, help_text=_("每天早上汇总发送一次，不再逐条发送。"))
    # {event code: [channel, …]}; an event not named goes to the 消息中心 only.
    channels = models.JSONField(_("接收渠道"), default=dict, blank=True)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息接收设置")
        verbose_name_plural = _("消息接收设置")
        triggers = [refuse_deletes()]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phone="") | models.Q(phone__regex=r"^1[3-9][0-9]{9}$"),
                name="preference_phone_format",
                violation_error_message=_("手机号码应为 11 位数字，以 1 开头。"),
            )
        ]

    def __str__(self):
        return str(self.user)

    def channels_for(self, event: str) -> list[str]:
        """The channels this event goes to: only those with an address or phone set."""
        reachable = {Channel.EMAIL: bool(self.email), Channel.SMS: bool(self.phone)}
        return [c for c in self.channels.get(event, []) if reachable.get(c)]


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class DeliveryQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action, **options):
        """A delivery is seen by the user it was sent to."""
        return models.Q(recipient=user)


@track_history("attempts")
class Delivery(models.Model):
    """One e-mail or SMS sent to a user: of one notification, or of a day's digest of several."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254)
    notifications = models.ManyToManyField(Notification, verbose_name=_("消息"), related_name="deliveries")
    digest = models.BooleanField(_("每日汇总"), default=False)
    status = models.CharField(_("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息发送记录")
        verbose_name_plural = _("消息发送记录")
        ordering = ["-created_at", "-pk"]
        triggers = [refuse_deletes()]
        constraints = [
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values), name="delivery_channel_valid"),
            models.CheckConstraint(condition=models.Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"
