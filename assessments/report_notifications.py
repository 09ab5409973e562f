"""Who is told of an annual 主体责任 report: submitted → the organisation's secretary (to confirm);
confirmed (报送) → the office staff of the organisation it is addressed to; returned (by the secretary
or by the upper level) and received → the organisation's office staff, and its secretary when the upper
level acted. Through ``core.notifications.notify``, which checks each recipient's door."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import rules
from core.notifications import notify, register_event
from responsibilities.notifications import office_staff_users, secretary_users

REPORT_SUBMITTED = register_event("annual_report_submitted", gettext_lazy("年度主体责任报告待确认"))
REPORT_CONFIRMED = register_event("annual_report_confirmed", gettext_lazy("年度主体责任报告已报送"))
REPORT_RETURNED = register_event("annual_report_returned", gettext_lazy("年度主体责任报告被退回"))
REPORT_RECEIVED = register_event("annual_report_received", gettext_lazy("年度主体责任报告已接收"))


def report_moved(report, previous: str, by) -> None:
    org = report.organisation_id
    today = timezone.localdate()
    names = {"org": report.organisation.name, "year": report.year, "recipient": report.recipient.name}
    if report.status == rules.R_SUBMITTED:
        event, text = REPORT_SUBMITTED, _("%(org)s %(year)s年度主体责任报告已提交，请审阅确认。") % names
        recipients = secretary_users([org], today)[org]
    elif report.status == rules.R_CONFIRMED:
        event, text = REPORT_CONFIRMED, _("%(org)s报送了%(year)s年度主体责任报告，请接收。") % names
        recipients = office_staff_users([report.recipient_id])[report.recipient_id]
    elif report.status == rules.R_RETURNED:
        names["reason"] = report.return_reason
        upper = previous == rules.R_CONFIRMED
        text = (
            _("%(recipient)s退回了%(year)s年度主体责任报告：%(reason)s")
            if upper
            else _("书记退回了%(year)s年度主体责任报告：%(reason)s")
        ) % names
        event = REPORT_RETURNED
        recipients = office_staff_users([org])[org] + (secretary_users([org], today)[org] if upper else [])
    elif report.status == rules.R_RECEIVED:
        event, text = REPORT_RECEIVED, _("%(recipient)s已接收%(year)s年度主体责任报告。") % names
        recipients = office_staff_users([org])[org] + secretary_users([org], today)[org]
    else:
        return
    notify(event=event, recipients=recipients, text=text, target=report, by=by)
