"""消息中心: one stored notification per event and recipient.

Apps call ``notify`` from their services (inside the transaction of the change, so a refused change
tells nobody). Nobody is told of a record he or she may not open: when the notification points at a
record, each recipient is checked through that record's door (``Model.objects.for_user``) and those
for whom its page would answer 404 are left out. Events are registered by the apps that raise them
(``register_event``), so the kernel names no domain app.
"""

from collections.abc import Iterable

from django.db.models import Model

from core import channels
from core.events import EVENTS, register_event
from core.models import Notification

__all__ = ["EVENTS", "may_open", "notify", "register_event"]


def may_open(users: Iterable, target: Model) -> list:
    """The users for whom ``target``'s page opens (its door lets them see it)."""
    manager = type(target)._default_manager
    return [user for user in users if manager.for_user(user).filter(pk=target.pk).exists()]


def notify(
    *, event: str, recipients: Iterable, text: str, target: Model | None = None, url: str = "", by=None, key: str = ""
) -> list[Notification]:
    """Tell each recipient (users; duplicates, inactive accounts and the actor left out) of an event.

    ``target`` is the record the link opens (its ``get_absolute_url`` unless ``url`` is given); a
    recipient who may not open it is not told. Without a target, ``url`` must be a page every
    recipient may open (his or her own checklist, the 消息中心).
    """
    if event not in EVENTS:
        raise ValueError(f"unregistered notification event {event!r}")
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if by is not None:
        users.pop(by.pk, None)
    chosen = list(users.values())
    if target is not None:
        chosen = may_open(chosen, target)
        url = url or target.get_absolute_url()
    rows = [Notification(recipient=user, event=event, text=text[:300], url=url, key=key) for user in chosen]
    rows = Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    # E-mail and SMS where the recipients asked for them (core.channels), sent once the change commits.
    (channels.dispatch_keyed if key else channels.dispatch)(rows)
    return rows
