"""Building blocks every business model shares: history, archiving, optimistic versions.

The other apps import these; this module imports nothing from them.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
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


class VersionedModel(models.Model):
    """A record two people may edit at once: every save raises the version by one."""

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


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
