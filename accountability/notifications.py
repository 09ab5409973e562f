"""Who is told of an early-sign measure (提醒、批评教育、约谈: 该提醒的提醒 must reach the person) and of a
decision on record (the case handlers)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.permissions import CASE_DEPARTMENTS
from core.notifications import notify, register_event
from responsibilities.models import Assignment, Role
from responsibilities.notifications import office_staff_users, secretary_users

INTERVENTION = register_event("intervention", gettext_lazy("提醒、批评教育、约谈"))
DECISION = register_event("decision_recorded", gettext_lazy("问责决定已作出"))


def case_handler_users(organisation) -> list:
    """The users who handle the organisation's cases: administrators and 纪检、组织 inspectors assigned
    to it or to an organisation above it (one query)."""
    handlers = Q(role=Role.ADMIN) | Q(role=Role.INSPECTOR, department__in=CASE_DEPARTMENTS)
    rows = (
        Assignment.objects.active()
        .filter(handlers, organisation__path__in=[*organisation.ancestor_paths(), organisation.path])
        .filter(user__is_active=True)
        .select_related("user")
    )
    return [row.user for row in rows]


def decision_recorded(decision, by) -> None:
    """The case handlers over the case's organisation are told that its decision is on record (the
    text names only the case number; the decision itself is read on the case's page)."""
    case = decision.case
    notify(
        event=DECISION,
        recipients=case_handler_users(case.organisation),
        text=_("案件 %(number)s 已作出问责决定。") % {"number": case.number},
        target=case,
        by=by,
    )


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
