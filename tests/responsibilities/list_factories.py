"""Helpers that build lists and tasks through the services, as users would."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from responsibilities import services
from responsibilities.models import ListKind, ResponsibilityList, TaskStatus, TeamRole
from tests.responsibilities.factories import PersonFactory

THIS_YEAR = timezone.localdate().year


def committee_list(organisation, by, year=THIS_YEAR) -> ResponsibilityList:
    services.lists_generate(organisation=organisation, year=year, by=by)
    return ResponsibilityList.objects.get(organisation=organisation, year=year, kind=ListKind.COMMITTEE)


def add_member(organisation, by, role=TeamRole.MEMBER, name=None, user=None, start=date(2020, 1, 1)):
    person = PersonFactory(home_organisation=organisation, user=user, **({"name": name} if name else {}))
    services.membership_add(organisation=organisation, person=person, role=role, start_date=start, by=by)
    return person


def member_list_of(organisation, user, by) -> ResponsibilityList:
    """This year's lists of an organisation whose team is a secretary and a member (``user``'s person,
    who may sign): the member's own list, for signing."""
    person = add_member(organisation, by, name="钱委员", user=user)
    add_member(organisation, by, role=TeamRole.SECRETARY, name="孙书记")
    committee_list(organisation, by)
    return ResponsibilityList.objects.get(organisation=organisation, year=THIS_YEAR, person=person)


def add_task(
    responsibility_list,
    by,
    number=1,
    deadline=None,
    title="召开专题会议",
    quantity=4,
    standard="有纪要",
    status=TaskStatus.NOT_STARTED,
    **extra,
):
    item = responsibility_list.items.get(number=number)
    fields = {"responsible_person": None, "completed_on": None, "unit": "次", "requirement": "", **extra}
    return services.task_create(
        item=item,
        by=by,
        title=title,
        quantity=quantity,
        deadline=deadline or date(responsibility_list.year, 12, 31),
        standard=standard,
        status=status,
        **fields,
    )


def pdf(name="会议纪要.pdf", size=None) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")
