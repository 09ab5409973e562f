"""督办: issuing a supervision order, the recipients' answers (反馈) with files, the issuer's 办结 or return."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import lock_versioned
from core.services import service
from core.uploads import checked_uploads, stored_fields
from responsibilities import order_notifications as notifications
from responsibilities.models import (
    Organisation,
    Person,
    ReplyFile,
    ReplyStatus,
    SupervisionOrder,
    SupervisionReply,
    Task,
)
from responsibilities.permissions import may_answer, may_close, may_issue


@service
def order_issue(
    *,
    issuer: Organisation,
    recipients,
    title: str,
    subject: str,
    text: str,
    reply_by: date,
    person: Person | None = None,
    tasks=(),
    by,
) -> SupervisionOrder:
    if not may_issue(by, issuer):
        raise PermissionDenied(_("只有本组织的党建工作人员或书记可以签发督办。"))
    recipients, tasks = list(recipients), list(tasks)
    errors = {}
    if not recipients:
        errors["recipients"] = _("请至少选择一个下级组织。")
    elif any(r.pk == issuer.pk or not r.path.startswith(issuer.path) for r in recipients):
        errors["recipients"] = _("只能向本组织的下级组织督办。")
    if reply_by is None or reply_by < timezone.localdate():
        errors["reply_by"] = _("反馈期限不能早于今天。")
    if not title.strip():
        errors["title"] = _("请填写督办事项。")
    if not text.strip():
        errors["text"] = _("请填写督办内容。")
    if person is not None and (
        len(recipients) != 1 or not person.home_organisation.path.startswith(recipients[0].path)
    ):
        errors["person"] = _("指定责任人时只能选择一个承办单位，且责任人须为该单位（含下级）的干部。")
    paths = [r.path for r in recipients]
    for task in tasks:
        if not any(task.item.responsibility_list.organisation.path.startswith(p) for p in paths):
            errors["tasks"] = _("相关任务须是承办单位（含下级）责任清单中的任务。")
    if errors:
        raise ValidationError(errors)
    order = SupervisionOrder(
        issuer=issuer, title=title.strip(), subject=subject, text=text.strip(), reply_by=reply_by, issued_by=by
    )
    order.full_clean()
    order.save()
    order.tasks.set(tasks)
    replies = SupervisionReply.objects.bulk_create(
        SupervisionReply(order=order, organisation=recipient, person=person) for recipient in recipients
    )
    notifications.order_issued(order, replies, by)
    return order


def _lock(reply: SupervisionReply, version: int) -> SupervisionReply:
    return lock_versioned(
        SupervisionReply.objects.select_related("order__issuer", "organisation", "person"), reply.pk, version
    )


@service
def order_answer(*, reply: SupervisionReply, version: int, answer: str, files=(), by) -> SupervisionReply:
    """The recipient answers (反馈) with text and evidence files; a returned answer is given again."""
    locked = _lock(reply, version)
    if not may_answer(by, locked):
        raise PermissionDenied(_("只有承办单位的党建工作人员、书记或指定的责任人可以反馈。"))
    if locked.status not in (ReplyStatus.WAITING, ReplyStatus.RETURNED):
        raise ValidationError({"answer": _("该督办已反馈，等待督办单位审核。")}, code="answered")
    if not answer.strip():
        raise ValidationError({"answer": _("请填写反馈内容。")}, code="required")
    for uploaded, content_type in checked_uploads(files):
        ReplyFile.objects.create(reply=locked, **stored_fields(uploaded, content_type, by))
    locked.status, locked.answer = ReplyStatus.ANSWERED, answer.strip()
    locked.answered_by, locked.answered_at = by, timezone.now()
    locked.save()
    notifications.order_answered(locked, by)
    return locked


@service
def order_close(*, reply: SupervisionReply, version: int, accept: bool, reason: str = "", by) -> SupervisionReply:
    """The issuer accepts an answer (办结) or returns it with a reason."""
    locked = _lock(reply, version)
    if not may_close(by, locked):
        raise PermissionDenied(_("只有督办单位的党建工作人员或书记可以办结或退回。"))
    if locked.status == ReplyStatus.CLOSED:
        raise ValidationError({"reason": _("该督办已办结，不能重复办结。")}, code="closed")
    if locked.status != ReplyStatus.ANSWERED:
        raise ValidationError({"reason": _("承办单位尚未反馈，不能办结或退回。")}, code="not_answered")
    if accept:
        locked.status, locked.closed_by, locked.closed_at = ReplyStatus.CLOSED, by, timezone.now()
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("退回时请写明原因。")}, code="reason_required")
        locked.status, locked.return_reason = ReplyStatus.RETURNED, reason.strip()
    locked.save()
    notifications.order_closed(locked, accept, by)
    return locked


def tasks_of(reply_or_order) -> list[Task]:
    order = getattr(reply_or_order, "order", reply_or_order)
    return list(order.tasks.select_related("item__responsibility_list__organisation"))
