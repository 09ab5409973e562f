"""Who is told of an early-sign measure (提醒、批评教育、约谈): 该提醒的提醒 must reach the person."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.notifications import notify, register_event
from responsibilities.notifications import office_staff_users, secretary_users

INTERVENTION = register_event("intervention", gettext_lazy("提醒、批评教育、约谈"))


def intervention_recorded(intervention, by) -> None:
    """The person it concerns (his or her list is the link, else the 消息中心); for an organisation,
    its office staff and its secretary, who may read the intervention (on 预警提醒, its page)."""
    text = _("%(org)s：%(kind)s（%(day)s），请查阅并反馈。") % {
        "org": intervention.organisation.name,
        "kind": intervention.get_kind_display(),
        "day": intervention.date,
    }
    if intervention.person_id:
        user = intervention.person.user
        if intervention.responsibility_list_id:
            notify(event=INTERVENTION, recipients=[user], text=text, target=intervention.responsibility_list, by=by)
        else:
            notify(event=INTERVENTION, recipients=[user], text=text, url=reverse("core:notification_list"), by=by)
        return
    organisation = intervention.organisation_id
    recipients = office_staff_users([organisation])[organisation]
    recipients += secretary_users([organisation], timezone.localdate())[organisation]
    notify(
        event=INTERVENTION,
        recipients=recipients,
        text=text,
        target=intervention,
        url=reverse("accountability:early_warning"),
        by=by,
    )
