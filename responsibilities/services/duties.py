"""履责纪实 and 责任书签收: recording a duty event (by the leader, or by office staff on the leader's
behalf, marked as such), changing it while its year is open, its attachments, and a team member's
signature on his or her own list. Each write re-checks its rule inside the transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import scope
from core.models import lock_versioned
from core.permissions import can
from core.services import service
from core.uploads import check_evidence, stored_fields
from responsibilities import duty_notifications as notifications
from responsibilities import rules
from responsibilities.models import (
    DutyFile,
    DutyKind,
    DutyRecord,
    ListItem,
    ListKind,
    ListSignature,
    ListStatus,
    Person,
    ResponsibilityList,
)
from responsibilities.selectors import duties as selectors

RECORD_REFUSED = gettext_lazy("只有本人或本单位党建工作人员（代为记录）可以记录、修改履责纪实。")
YEAR_CLOSED = gettext_lazy("该年度已关闭，履责纪实不能再记录或修改。")


def items_for(person: Person, by, years) -> QuerySet[ListItem]:
    """The items a duty record of ``person`` may name, as ``by`` may record it: the person's own
    personal lists of those years not yet closed (for office staff: of the organisations in their
    scope only)."""
    items = (
        ListItem.objects.filter(responsibility_list__person=person, responsibility_list__year__in=list(years))
        .exclude(responsibility_list__kind=ListKind.COMMITTEE)
        .exclude(responsibility_list__status=ListStatus.CLOSED)
        .select_related("responsibility_list__organisation")
        .order_by(
            "-responsibility_list__year",
            "responsibility_list__organisation__path",
            "responsibility_list__kind",
            "number",
        )
    )
    if person.user_id != by.pk:
        items = items.filter(pk__in=ListItem.objects.for_user(by, "change").values("pk"))
    return items


def may_record_for(user, person: Person) -> bool:
    """Whether the user may record duty events of ``person`` at all: the person with his or her own
    login, or office staff and administrators whose scope holds the person's home organisation (the
    record's own organisation is checked again by ``change_duty`` when it is saved)."""
    return person.user_id == user.pk or scope.may(user, scope.CHANGE, person.home_organisation.path)


def _check(record: DutyRecord, items: list[ListItem], day: date | None, content: str, by) -> None:
    errors = rules.duty_record_problems(
        day=day,
        today=timezone.localdate(),
        content=content,
        item_owners=[(item.responsibility_list.person_id, item.responsibility_list_id) for item in items],
        person_id=record.person_id,
        item_years=[item.responsibility_list.year for item in items],
        item_organisations=[item.responsibility_list.organisation_id for item in items],
    )
    if errors:
        raise ValidationError(errors)
    if not can(by, "responsibilities.change_duty", record):
        raise PermissionDenied(RECORD_REFUSED)
    statuses = selectors.year_statuses(
        record.organisation_id, record.person_id, day.year, {item.responsibility_list_id for item in items}
    )
    if rules.duty_year_closed(statuses):
        raise ValidationError({"date": YEAR_CLOSED}, code="closed")


def _items(items) -> list[ListItem]:
    return list(
        ListItem.objects.filter(pk__in=[item.pk for item in items]).select_related("responsibility_list__organisation")
    )


def _attach(record: DutyRecord, files, by) -> None:
    for uploaded in files:
        content_type = check_evidence(uploaded)
        attachment = DutyFile(record=record, **stored_fields(uploaded, content_type, by))
        attachment.full_clean(exclude=["file"])
        attachment.save()


@service
def duty_record_create(
    *,
    person: Person,
    kind: DutyKind,
    day: date | None,
    content: str,
    items=(),
    place: str = "",
    participants: str = "",
    files=(),
    by,
) -> DutyRecord:
    """Record a duty event of ``person`` (一事一记); its organisation is that of the items' lists."""
    items = _items(items)
    if not kind.is_active:
        raise ValidationError({"kind": _("该纪实类别已停用，请选择其他类别。")})
    organisation = items[0].responsibility_list.organisation if items else person.home_organisation
    record = DutyRecord(
        organisation=organisation,
        person=person,
        kind=kind,
        date=day,
        place=place.strip(),
        participants=participants.strip(),
        content=content.strip(),
        on_behalf=rules.is_on_behalf(person.user_id, by.pk),
        recorded_by=by,
    )
    _check(record, items, day, content, by)
    record.full_clean()
    record.save()
    record.items.set(items)
    _attach(record, files, by)
    notifications.recorded_on_behalf(record, by)
    return record


@service
def duty_record_update(
    *,
    record: DutyRecord,
    version: int,
    kind: DutyKind,
    day: date | None,
    content: str,
    items=(),
    place: str = "",
    participants: str = "",
    files=(),
    by,
) -> DutyRecord:
    """Change a record while its year is open (its old year and its new one)."""
    locked = lock_versioned(DutyRecord.objects.select_related("person", "organisation"), record.pk, version)
    if not can(by, "responsibilities.change_duty", locked):
        raise PermissionDenied(RECORD_REFUSED)
    if selectors.record_is_locked(locked):
        raise ValidationError(YEAR_CLOSED, code="closed")
    items = _items(items)
    if items and items[0].responsibility_list.organisation_id != locked.organisation_id:
        raise ValidationError({"items": _("一条纪实只能对应同一单位的责任清单事项。")})
    _check(locked, items, day, content, by)
    locked.kind, locked.date = kind, day
    locked.place, locked.participants, locked.content = place.strip(), participants.strip(), content.strip()
    locked.full_clean()
    locked.save()
    locked.items.set(items)
    _attach(locked, files, by)
    return locked


# ---- 责任书签收 ----------------------------------------------------------------------------------


@service
def list_sign(*, responsibility_list: ResponsibilityList, by) -> ListSignature:
    """The list's own person signs it for the year ("本人已知悉并承诺履行"), with the time and the
    list's digest as it stands (a later change shows as 签收后已修改 and may be signed again)."""
    locked = (
        ResponsibilityList.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=responsibility_list.pk)
    )
    state = selectors.signature_state_of(locked)
    refusal = rules.signing_refusal(
        list_person_user_id=locked.person.user_id if locked.person_id else None,
        by_user_id=by.pk,
        status=locked.status,
        state=state,
    )
    if refusal is None and not can(by, "responsibilities.sign_list", locked):
        refusal = _("只能由本人登录签收自己的责任清单，不能代他人签收。")
    if refusal is not None:
        code = "not_own" if locked.person_id is None or locked.person.user_id != by.pk else "refused"
        if code == "not_own":
            raise PermissionDenied(refusal)
        raise ValidationError(refusal, code=code)
    signature = ListSignature(
        responsibility_list=locked,
        person=locked.person,
        user=by,
        fingerprint=selectors.fingerprint_of(locked),
        signed_at=timezone.now(),
    )
    signature.full_clean()
    signature.save()
    return signature
