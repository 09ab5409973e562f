"""消息中心: one stored notification per event and recipient.

Apps call ``notify`` from their services (inside the transaction of the change, so a refused change
tells nobody). Nobody is told of a record he or she may not open: when the notification points at a
record, each recipient is checked through that record's door (``Model.objects.for_user``) and those
for whom its page would answer 404 are left out. Events are registered by the apps that raise them
(``register_event``), so the kernel names no domain app.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Model

from core import channels, scope
from core.events import EVENTS, register_event
from core.models import Notification

__all__ = ["EVENTS", "may_open", "notify", "notify_many", "register_event"]


def may_open(users: Iterable, target: Model) -> list:
    """The users for whom ``target``'s page opens (its door lets them see it): each one's own door,
    all of them in one query (``scope.doors_open``)."""
    users = list(users)
    opened = scope.doors_open(type(target)._default_manager, ((user, [target.pk]) for user in users))
    return [user for user in users if (user.pk, target.pk) in opened]


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


def notify_many(*, event: str, messages: Iterable[tuple], url: str = "", by=None) -> list[Notification]:
    """``notify`` for the many keyed messages of one event of a daily run, at once: ``messages`` are
    (recipients, text, target, key) and each is told as ``notify`` would tell it (duplicates, inactive
    accounts and the actor left out; a recipient who may not open the target is not told; once per
    recipient and key; ``url`` as for ``notify``). The recipients' assignments are read together and
    each one's door is asked for all of his or her targets, many recipients per query
    (``scope.doors_open``); the rows are inserted and dispatched together. Returns the rows (without
    ids: they are inserted ignoring conflicts)."""
    if event not in EVENTS:
        raise ValueError(f"unregistered notification event {event!r}")
    prepared, everyone = [], {}
    wanted = defaultdict(lambda: defaultdict(set))  # model -> recipient pk -> target pks
    for recipients, text, target, key in messages:
        if not key:
            raise ValueError("notify_many is for keyed messages")
        users = {user.pk: user for user in recipients if user is not None and user.is_active}
        if by is not None:
            users.pop(by.pk, None)
        prepared.append((users, text, target, key))
        everyone.update(users)
        if target is not None:
            for pk in users:
                wanted[type(target)][pk].add(target.pk)
    scope.prime_assignments(everyone.values())
    opened = {
        model: scope.doors_open(model._default_manager, ((everyone[pk], ids) for pk, ids in targets.items()))
        for model, targets in wanted.items()
    }
    rows = []
    for users, text, target, key in prepared:
        link = (url or target.get_absolute_url()) if target is not None else url
        for user in users.values():
            if target is None or (user.pk, target.pk) in opened[type(target)]:
                rows.append(Notification(recipient=user, event=event, text=text[:300], url=link, key=key))
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    channels.dispatch_keyed(rows)
    return rows
