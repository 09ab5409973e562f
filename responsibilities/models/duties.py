"""履责纪实 ("一事一记": each act of duty a leader performed, with its date, participants and proof,
and the items of his or her own list it fulfils) and 责任书签收 (a team member's signature on his or
her own list for the year)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import scope, uploads
from core.models import VersionedModel, refuse_deletes, track_history, track_links
from core.scope import links_to
from responsibilities import tallies
from responsibilities.models.lists import (
    ListItem,
    OrganisationCountQuerySet,
    ResponsibilityList,
    list_visibility,
    signing_triggers,
)
from responsibilities.models.organisations import Organisation, Person


@track_history()
class DutyKind(models.Model):
    """A kind of duty event (讲党课, 谈心谈话 ...): reference data, seeded and edited in the admin."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    number = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = scope.PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("纪实类别")
        verbose_name_plural = _("纪实类别")
        ordering = ["number", "pk"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.name


class DutyRecordQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW, day=None):
        """Seen where the leader's personal lists are (``list_visibility``: office staff, inspectors
        and administrators of the subtree, the leader, the secretary of the leader's organisation).
        Changed by the leader, or by office staff of the subtree on the leader's behalf; inspectors
        (纪检) read only."""
        if action == scope.VIEW:
            return list_visibility(user, action, day)
        return scope.within(scope.scope_paths(user, scope.CHANGE), field="organisation__path") | Q(
            person__in=Person.objects.filter(user=user).values("pk")
        )


@track_links()
class DutyRecordItem(models.Model):
    """One item of the leader's own list a duty record fulfils."""

    record = models.ForeignKey("DutyRecord", verbose_name=_("履责纪实"), on_delete=models.CASCADE, related_name="+")
    listitem = models.ForeignKey(ListItem, verbose_name=_("对应责任事项"), on_delete=models.PROTECT, related_name="+")

    objects = scope.links_to("record")

    class Meta:
        db_table = "responsibilities_duty_record_items"
        unique_together = [("record", "listitem")]
        verbose_name = _("纪实对应的责任事项")
        verbose_name_plural = _("纪实对应的责任事项")

    def __str__(self):
        return str(self.listitem_id)


@track_history()
class DutyRecord(VersionedModel):
    """One act of duty (履责纪实, 一事一记) of a team member at his or her organisation: when, what
    kind, where, with whom, what was done, and which items of his or her own list it fulfils."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="duty_records"
    )
    person = models.ForeignKey(Person, verbose_name=_("履责人"), on_delete=models.PROTECT, related_name="duty_records")
    kind = models.ForeignKey(DutyKind, verbose_name=_("纪实类别"), on_delete=models.PROTECT, related_name="records")
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True, default="")
    participants = models.TextField(_("参加人员"), blank=True, default="")
    content = models.TextField(_("主要内容"))
    items = models.ManyToManyField(
        ListItem, verbose_name=_("对应责任事项"), related_name="duty_records", through="DutyRecordItem"
    )
    on_behalf = models.BooleanField(_("代为记录"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("履责纪实")
        verbose_name_plural = _("履责纪实")
        ordering = ["-date", "-pk"]
        triggers = [refuse_deletes()]
        indexes = [models.Index(fields=["person", "date"], name="duty_record_person_date_idx")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} · {self.person.name} · {self.kind.name}"

    def get_absolute_url(self):
        return reverse("responsibilities:duty_detail", args=[self.pk])


class OfDutyRecordQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        return Q(record__in=DutyRecord.objects.for_user(user, action).values("pk"))


def duty_file_path(instance, filename):
    return uploads.stored_name("duty", filename)


@track_history()
class DutyFile(models.Model):
    """An attachment of a duty record (照片、签到表、讲稿 ...), checked as task evidence is."""

    record = models.ForeignKey(DutyRecord, verbose_name=_("履责纪实"), on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("文件"), upload_to=duty_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    objects = OfDutyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("纪实佐证材料")
        verbose_name_plural = _("纪实佐证材料")
        ordering = ["record", "uploaded_at", "pk"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("responsibilities:duty_file", args=[self.pk])


class SignatureQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW, day=None):
        """Seen with the list signed; nobody changes a signature (a new one is made instead)."""
        if action != scope.VIEW:
            return scope.nobody()
        return list_visibility(
            user,
            action,
            day,
            organisation="responsibility_list__organisation",
            person="responsibility_list__person",
        )


SIGNING_STATEMENT = "本人已知悉并承诺履行"


@track_history()
class ListSignature(models.Model):
    """A team member's signature (责任书签收) on his or her own list for the year, made with his or
    her own login: the time, and a fingerprint of the list's items and tasks as signed, so that a
    later change shows as 签收后已修改. A list signed again gets a new row; none is ever changed."""

    responsibility_list = models.ForeignKey(
        ResponsibilityList, verbose_name=_("责任清单"), on_delete=models.PROTECT, related_name="signatures"
    )
    person = models.ForeignKey(Person, verbose_name=_("签收人"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签收账号"), on_delete=models.PROTECT, related_name="+"
    )
    statement = models.CharField(_("承诺"), max_length=100, default=SIGNING_STATEMENT)
    fingerprint = models.CharField(_("签收时清单摘要"), max_length=32)
    signed_at = models.DateTimeField(_("签收时间"), default=timezone.now)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任书签收")
        verbose_name_plural = _("责任书签收")
        ordering = ["responsibility_list", "-signed_at", "-pk"]
        triggers = [
            refuse_deletes(),
            pgtrigger.Protect(name="protect_update", operation=pgtrigger.Update),
            *signing_triggers(tallies.SIGNATURE, operations=("INSERT",)),
        ]
        indexes = [models.Index(fields=["responsibility_list", "-signed_at"], name="signature_list_time_idx")]

    def __str__(self):
        return f"{self.person.name} {self.signed_at:%Y-%m-%d %H:%M}"


class SignedList(models.Model):
    """A list with a signature, and whether one of its signatures was made on the list as it stands
    (``tallies``): kept by triggers on signatures, items and tasks; never edited, so no history."""

    responsibility_list = models.OneToOneField(
        ResponsibilityList, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    as_is = models.BooleanField()

    objects = links_to("responsibility_list")

    class Meta:
        verbose_name = _("已签收清单")
        verbose_name_plural = _("已签收清单")

    def __str__(self):
        return f"{self.responsibility_list_id}: {'as signed' if self.as_is else 'changed'}"


class SigningTally(models.Model):
    """Personal lists of an organisation's whole subtree per year: how many, signed, and signed as
    they stand (see ``tallies``). Kept by triggers and read by the roll-up; never edited, so no history."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    lists = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)
    as_is = models.IntegerField(default=0)

    objects = OrganisationCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任书签收统计")
        verbose_name_plural = _("责任书签收统计")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="signing_tally_key")]

    def __str__(self):
        return f"{self.organisation_id} {self.year}: {self.signed}/{self.lists} ({self.as_is})"
