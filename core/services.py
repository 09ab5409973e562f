"""What every service shares: one transaction, the actor on the history rows, scope re-checked."""

import functools

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import scope


def service(func):
    """Run a write atomically, with the acting user (``by=``) recorded on its history rows."""

    @functools.wraps(func)
    def wrapper(*args, by, **kwargs):
        with transaction.atomic(), pghistory.context(user=getattr(by, "pk", None)):
            try:
                return func(*args, by=by, **kwargs)
            except IntegrityError as error:  # a race that validation could not see beforehand
                raise ValidationError(
                    _("保存失败：数据与其他人刚保存的记录冲突，请刷新后重试。"), code="integrity"
                ) from error

    return wrapper


def require_scope(user, organisation, action=scope.CHANGE) -> None:
    if not scope.may(user, action, organisation.path):
        raise PermissionDenied(_("您无权修改该组织的数据。"))


def check_acknowledgement(acknowledged_at, feedback: str, already: str) -> None:
    """已阅 is given once, with an answer (反馈) of at most 2000 characters; ``already`` says when it
    was given (its ``%(at)s``)."""
    if acknowledged_at is not None:
        at = f"{timezone.localtime(acknowledged_at):%Y-%m-%d %H:%M}"
        raise ValidationError({"feedback": already % {"at": at}}, code="already_acknowledged")
    if len(feedback) > 2000:
        raise ValidationError({"feedback": _("反馈不能超过 2000 字。")}, code="too_long")


@service
def preference_set(*, user, large_text: bool, by):
    """Remember one user's text size; only the user sets his or her own."""
    from core.models import Preference

    if by.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的显示设置。"))
    preference, created = Preference.objects.select_for_update().get_or_create(
        user=user, defaults={"large_text": large_text}
    )
    if not created and preference.large_text != large_text:
        preference.large_text = large_text
        preference.full_clean()
        preference.save()


def preference_save(*, user, version: int | None, email: str, phone: str, digest: bool, channels: dict, by):
    """Save a user's 消息接收设置 (his or her own only); a save over a newer version is refused."""
    from core.models import Channel, NotificationPreference, lock_versioned

    if user.pk != by.pk:
        raise PermissionDenied(_("只能修改自己的消息接收设置。"))
    unknown = {c for chosen in channels.values() for c in chosen} - set(Channel.values)
    if unknown:
        raise ValidationError(_("未知的接收渠道：%(value)s。") % {"value": "、".join(sorted(unknown))}, code="channel")
    existing = NotificationPreference.objects.filter(user=user).first()
    # A second save from a form opened before the first one is refused (EditConflict).
    if existing is None:
        preference = NotificationPreference(user=user)
    else:
        preference = lock_versioned(NotificationPreference.objects.all(), existing.pk, version)
    preference.email, preference.phone, preference.digest = email.strip(), phone.strip(), digest
    preference.channels = {event: list(chosen) for event, chosen in channels.items()}
    preference.full_clean()
    preference.save()
    return preference
