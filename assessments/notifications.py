"""Who is told of an assessment's results: the assessed organisation learns when an inspection of it
is confirmed (its office staff and its secretary on the day)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.notifications import notify, register_event
from responsibilities.notifications import office_staff_users, secretary_users

INSPECTION_CONFIRMED = register_event("inspection_confirmed", gettext_lazy("检查考核结果已确认"))


def inspection_confirmed(inspection, by) -> None:
    organisation = inspection.organisation_id
    recipients = office_staff_users([organisation])[organisation]
    recipients += secretary_users([organisation], timezone.localdate())[organisation]
    notify(
        event=INSPECTION_CONFIRMED,
        recipients=recipients,
        text=_("%(scheme)s：%(department)s的%(kind)s已确认，请查看评分和扣分。")
        % {
            "scheme": inspection.scheme.name,
            "department": inspection.get_department_display(),
            "kind": inspection.get_kind_display(),
        },
        target=inspection,
        by=by,
    )
