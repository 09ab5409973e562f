"""Who is told of a 履责纪实: a record made on a leader's behalf (代为记录) → the leader, so that what is
written in his or her name never goes unseen. Through ``core.notifications.notify`` (the door decides
whether the recipient may open it)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.notifications import notify, register_event

DUTY_RECORDED_ON_BEHALF = register_event("duty_on_behalf", gettext_lazy("履责纪实代为记录"))


def recorded_on_behalf(record, by) -> None:
    if not record.on_behalf or not record.person.user_id:
        return
    text = _("%(who)s 代您记录了一条履责纪实：%(day)s %(kind)s。") % {
        "who": by.get_full_name() or by.username,
        "day": record.date,
        "kind": record.kind.name,
    }
    notify(event=DUTY_RECORDED_ON_BEHALF, recipients=[record.person.user], text=text, target=record, by=by)
