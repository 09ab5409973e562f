"""What accountability puts on the 工作台: interventions to acknowledge, cases to move on, and the
user's own interventions and filed cases (已办). Registered in AppConfig.ready; read through the doors."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.models import Case, CaseStatus, Intervention
from accountability.permissions import case_handler_paths
from core import scope
from core.forms import AcknowledgeForm
from core.worklist import Done, DoneSource, Todo, TodoRow, group, on_day
from responsibilities.models import Person, TeamMembership

NEXT_STEP = {
    CaseStatus.FILED: gettext_lazy("开始调查"),
    CaseStatus.INVESTIGATING: gettext_lazy("移送审理或不予问责"),
    CaseStatus.REVIEWING: gettext_lazy("作出问责决定"),
    CaseStatus.DECIDED: gettext_lazy("执行决定"),
    CaseStatus.EXECUTED: gettext_lazy("结案"),
}


def interventions_to_acknowledge(user, today):
    """Interventions whose recipient the user is (the person; for an organisation, its office staff
    and its secretary), not yet acknowledged: the recipient's door, then the recipient rule."""
    office = [path for role, _dept, path in scope.assignments_of(user) if role == "office_staff"]
    own = Q(person__in=Person.objects.filter(user=user).values("pk"))
    for_organisation = Q(person__isnull=True) & (
        Q(organisation__path__in=office) | Q(organisation__in=TeamMembership.objects.secretary_of(user, today))
    )
    return (
        Intervention.objects.for_user(user, recipient=True)
        .filter(own | for_organisation, acknowledged_at__isnull=True)
        .select_related("organisation", "person", "done_by")
        .order_by("date", "pk")
    )


def todo(user, today) -> list[Todo]:
    def intervention_row(intervention):
        return TodoRow(
            text=_("%(kind)s · %(org)s")
            % {"kind": intervention.get_kind_display(), "org": intervention.organisation.name},
            url=intervention.get_absolute_url(),
            detail=f"{intervention.date:%Y-%m-%d} · {intervention.reason[:60]}",
            form=AcknowledgeForm(prefix=f"intervention{intervention.pk}"),
            form_url=intervention.get_absolute_url(),
        )

    groups = [
        group(
            "interventions",
            _("待阅的提醒、批评和约谈"),
            _("已阅并反馈"),
            interventions_to_acknowledge(user, today),
            intervention_row,
        )
    ]
    paths = case_handler_paths(user)
    if paths is None or paths:
        cases = (
            Case.objects.for_user(user)
            .filter(scope.within(paths, field="organisation__path"))
            .exclude(status=CaseStatus.CLOSED)
            .select_related("organisation", "person")
            .order_by("filed_on", "pk")
        )
        groups.append(
            group(
                "cases",
                _("办理中的问责案件"),
                _("办理"),
                cases,
                lambda case: TodoRow(
                    text=case.number,
                    url=case.get_absolute_url(),
                    detail=_("%(org)s · 当前：%(status)s · 下一步：%(next)s")
                    % {
                        "org": case.organisation.name,
                        "status": case.get_status_display(),
                        "next": NEXT_STEP[case.status],
                    },
                ),
            )
        )
    return groups


def done(user, since) -> list[DoneSource]:
    return [
        DoneSource(
            Intervention.objects.filter(done_by=user, date__gte=since.date()).select_related("organisation"),
            ("-date", "-pk"),
            lambda i: Done(
                on_day(i.date),
                _("%(kind)s：%(org)s") % {"kind": i.get_kind_display(), "org": i.organisation.name},
                reverse("accountability:early_warning"),
            ),
        ),
        DoneSource(
            Intervention.objects.filter(acknowledged_by=user, acknowledged_at__gte=since).select_related(
                "organisation"
            ),
            ("-acknowledged_at",),
            lambda i: Done(
                i.acknowledged_at,
                _("已阅%(kind)s（%(org)s）") % {"kind": i.get_kind_display(), "org": i.organisation.name},
                i.get_absolute_url(),
            ),
            door=lambda interventions: interventions.for_user(user, recipient=True),
        ),
        DoneSource(
            Case.objects.filter(filed_by=user, filed_on__gte=since.date()),
            ("-filed_on",),
            lambda c: Done(on_day(c.filed_on), _("立案：%(number)s") % {"number": c.number}, c.get_absolute_url()),
        ),
    ]
