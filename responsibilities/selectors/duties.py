"""Reads of 履责纪实 and 责任书签收: the records the user sees, one record with its items and files, the
per-item counts of a checklist, the counts per person and item of a subtree, and each list's
signature state (未签收 / 已签收 / 签收后已修改). Every read goes through the families' doors."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Func, Max, OuterRef, Q, QuerySet, Subquery, TextField
from django.shortcuts import get_object_or_404

from core import scope
from responsibilities import rules, tallies
from responsibilities.models import (
    DutyRecord,
    DutyRecordItem,
    ListItem,
    ListKind,
    ListSignature,
    ListStatus,
    Organisation,
    ResponsibilityList,
    SignedList,
    SigningTally,
)

SIGNABLE_STATUSES = (ListStatus.SUBMITTED, ListStatus.CONFIRMED)


class ListFingerprint(Func):
    """A digest of what a list commits its person to: its items and its active tasks' 数量、时限、
    标准、要求 and responsible person (not their progress). Compared with the digest kept on a
    signature to tell 签收后已修改; one expression, used when signing and when showing the state."""

    output_field = TextField()
    # The SQL is the signing tallies' too (``tallies.FINGERPRINT``): one expression for both.
    template = tallies.FINGERPRINT.format(list="%(expressions)s")


def signature_annotations(list_ref: str = "pk") -> dict:
    """has_signature, signed_as_is (a signature made on the list as it stands) and last_signed_at,
    for a queryset of lists (``list_ref`` names the list's id in it)."""
    signatures = ListSignature.objects.filter(responsibility_list=OuterRef(list_ref))
    return {
        "has_signature": Exists(signatures),
        "signed_as_is": Exists(signatures.filter(fingerprint=ListFingerprint(F("responsibility_list_id")))),
        "last_signed_at": Subquery(signatures.order_by("-signed_at", "-pk").values("signed_at")[:1]),
    }


def with_signature_state(lists) -> list[ResponsibilityList]:
    """Each list (annotated by ``signature_annotations``) gets ``signature_state``."""
    lists = list(lists)
    for responsibility_list in lists:
        responsibility_list.signature_state = rules.signature_state(
            responsibility_list.has_signature, responsibility_list.signed_as_is
        )
    return lists


def fingerprint_of(responsibility_list: ResponsibilityList) -> str:
    return (
        ResponsibilityList.objects.filter(pk=responsibility_list.pk)
        .annotate(fingerprint=ListFingerprint(F("pk")))
        .values_list("fingerprint", flat=True)
        .get()
    )


def signature_state_of(responsibility_list: ResponsibilityList) -> str:
    [annotated] = with_signature_state(
        ResponsibilityList.objects.filter(pk=responsibility_list.pk).annotate(**signature_annotations())
    )
    return annotated.signature_state


def personal_lists(organisation: Organisation, year: int, *, subtree: bool = False, user=None):
    """The personal lists of an organisation (or of its subtree) for a year, with their signature
    state, seen through the lists' door when ``user`` is given."""
    lists = ResponsibilityList.objects.all() if user is None else ResponsibilityList.objects.for_user(user)
    where = Q(organisation__path__startswith=organisation.path) if subtree else Q(organisation=organisation)
    return with_signature_state(
        lists.filter(where, year=year)
        .exclude(kind=ListKind.COMMITTEE)
        .select_related("organisation", "person")
        .annotate(**signature_annotations())
        .order_by("organisation__path", "kind", "person__name", "pk")
    )


@dataclass
class SigningCounts:
    lists: int = 0
    unsigned: int = 0
    changed: int = 0

    @property
    def signed(self) -> int:
        return self.lists - self.unsigned - self.changed


def signing_counts(organisation: Organisation, children: list[Organisation], year: int) -> dict:
    """Personal lists, unsigned and changed since signing, of the organisation's whole subtree and of
    each child's subtree, for a year: read from the signing tallies (``tallies``), one query for the
    organisation and its children (keys: organisation ids; the organisation's own lists are its
    subtree less its children's)."""
    rows = {
        row["organisation_id"]: SigningCounts(row["lists"], row["lists"] - row["signed"], row["signed"] - row["as_is"])
        for row in SigningTally.objects.filter(organisation__in=[organisation, *children], year=year).values(
            "organisation_id", "lists", "signed", "as_is"
        )
    }
    total = rows.get(organisation.pk, SigningCounts())
    counts = {child.pk: rows.get(child.pk, SigningCounts()) for child in children}
    own = SigningCounts(
        total.lists - sum(c.lists for c in counts.values()),
        total.unsigned - sum(c.unsigned for c in counts.values()),
        total.changed - sum(c.changed for c in counts.values()),
    )
    return {"subtree": total, "own": own, "children": counts}


def duty_records_visible_to(user) -> QuerySet[DutyRecord]:
    return DutyRecord.objects.for_user(user).select_related("organisation", "person", "kind", "recorded_by")


def filtered_duty_records(user, filters: dict) -> QuerySet[DutyRecord]:
    records = duty_records_visible_to(user).annotate(item_count=Count("items", distinct=True))
    if filters.get("year"):
        records = records.filter(date__year=filters["year"])
    if filters.get("kind"):
        records = records.filter(kind=filters["kind"])
    if filters.get("q"):
        records = records.filter(
            Q(person__name__icontains=filters["q"])
            | Q(content__icontains=filters["q"])
            | Q(organisation__name__icontains=filters["q"])
        )
    if filters.get("mine"):
        records = records.filter(person__user=user)
    return records.order_by("-date", "-pk")


def duty_record_for(user, pk, action=scope.VIEW) -> DutyRecord:
    return get_object_or_404(
        DutyRecord.objects.for_user(user, action).select_related("organisation", "person", "kind", "recorded_by"),
        pk=pk,
    )


def items_of(record: DutyRecord) -> list[ListItem]:
    return list(record.items.select_related("responsibility_list").order_by("responsibility_list__kind", "number"))


def year_statuses(organisation_id: int, person_id: int, year: int, list_ids=()) -> list[str]:
    """Statuses of the lists a record of that organisation, person and year touches: the committee
    list of the organisation, the person's lists there, and any list named in ``list_ids``."""
    return list(
        ResponsibilityList.objects.filter(
            Q(organisation_id=organisation_id, year=year, kind=ListKind.COMMITTEE)
            | Q(organisation_id=organisation_id, year=year, person_id=person_id)
            | Q(pk__in=list(list_ids))
        ).values_list("status", flat=True)
    )


def record_is_locked(record: DutyRecord) -> bool:
    lists = DutyRecordItem.objects.filter(record=record).values_list("listitem__responsibility_list", flat=True)
    return rules.duty_year_closed(year_statuses(record.organisation_id, record.person_id, record.date.year, lists))


# ---- Counts on the checklist and in the subtree -------------------------------------------------


def item_duty_counts(list_ids) -> dict[int, ListItem]:
    """Items of the given lists, each with ``duty_count`` (its records: one list is one year) and the
    last record's id, date and kind, in one query."""
    last = DutyRecordItem.objects.filter(listitem=OuterRef("pk")).order_by("-record__date", "-record__pk")
    items = (
        ListItem.objects.filter(responsibility_list__in=list(list_ids))
        .select_related("responsibility_list__organisation")
        .annotate(
            duty_count=Count("duty_records", distinct=True),
            last_record_id=Subquery(last.values("record")[:1]),
            last_record_date=Subquery(last.values("record__date")[:1]),
            last_record_kind=Subquery(last.values("record__kind__name")[:1]),
        )
        .order_by("responsibility_list__organisation__path", "responsibility_list__kind", "number")
    )
    return list(items)


@dataclass
class PersonDuty:
    """One personal list of the subtree: its person, signature state, and records per item."""

    responsibility_list: ResponsibilityList
    items: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.responsibility_list.duty_total


def subtree_lists(user, organisation: Organisation, year: int) -> QuerySet[ResponsibilityList]:
    """The personal lists of the organisation's subtree the user sees, for a year, each with its
    signature annotations, its number of records (``duty_total``) and the last one's date."""
    per_list = (
        DutyRecordItem.objects.filter(listitem__responsibility_list=OuterRef("pk"))
        .order_by()
        .values("listitem__responsibility_list")
    )
    return (
        ResponsibilityList.objects.for_user(user)
        .filter(organisation__path__startswith=organisation.path, year=year)
        .exclude(kind=ListKind.COMMITTEE)
        .select_related("organisation", "person")
        .annotate(
            **signature_annotations(),
            duty_total=Subquery(
                per_list.values("listitem__responsibility_list")
                .annotate(n=Count("record", distinct=True))
                .values("n")[:1]
            ),
            duty_last=Subquery(per_list.annotate(last=Max("record__date")).values("last")[:1]),
        )
        .order_by("organisation__path", "kind", "person__name", "pk")
    )


def person_duties(lists) -> list[PersonDuty]:
    """The lists (of ``subtree_lists``, e.g. one page of them) with their state and their items'
    counts: one query for the items whatever the number of lists."""
    lists = with_signature_state(lists)
    by_list = {rl.pk: PersonDuty(rl) for rl in lists}
    for rl in lists:
        rl.duty_total = rl.duty_total or 0
    items = (
        ListItem.objects.filter(responsibility_list__in=list(by_list))
        .annotate(duty_count=Count("duty_records", distinct=True))
        .order_by("responsibility_list", "number")
    )
    for item in items:
        by_list[item.responsibility_list_id].items.append(item)
    return list(by_list.values())


def subtree_duty_counts(user, organisation: Organisation, year: int) -> list[PersonDuty]:
    """Counts per person and item of the organisation's subtree for a year (every list)."""
    return person_duties(subtree_lists(user, organisation, year))


def subtree_signing(user, organisation: Organisation, year: int) -> SigningCounts:
    """The lists the user sees in the subtree: how many, unsigned, changed since signing (one query)."""
    lists = (
        ResponsibilityList.objects.for_user(user)
        .filter(organisation__path__startswith=organisation.path, year=year)
        .exclude(kind=ListKind.COMMITTEE)
    )
    # Each list's state as the signing tallies keep it (``SignedList``), not a fingerprint per list.
    signed = SignedList.objects.filter(responsibility_list=OuterRef("pk"))
    totals = lists.aggregate(
        lists=Count("pk"),
        unsigned=Count("pk", filter=~Exists(signed)),
        changed=Count("pk", filter=Exists(signed.filter(as_is=False))),
    )
    return SigningCounts(totals["lists"], totals["unsigned"], totals["changed"])


def team_duty_totals(list_ids) -> dict[int, int]:
    """Records per list (the secretary's team table): one query."""
    rows = (
        DutyRecordItem.objects.filter(listitem__responsibility_list__in=list(list_ids))
        .values("listitem__responsibility_list")
        .annotate(n=Count("record", distinct=True))
        .order_by()
    )
    return {row["listitem__responsibility_list"]: row["n"] for row in rows}


def unsigned_own_lists(user, year: int) -> QuerySet[ResponsibilityList]:
    """The user's own lists of a year waiting for his or her signature (the 工作台 todo): submitted or
    confirmed, with no signature made on them as they stand."""
    return (
        ResponsibilityList.objects.filter(person__user=user, year=year, status__in=SIGNABLE_STATUSES)
        .exclude(kind=ListKind.COMMITTEE)
        .select_related("organisation")
        .annotate(**signature_annotations())
        .filter(signed_as_is=False)
        .order_by("organisation__path", "kind")
    )


@dataclass
class Signing:
    """A personal list's 责任书签收 panel: its state, its signatures (newest first), and why the user
    may not sign it now (None: the user may)."""

    state: str
    signatures: list
    refusal: str | None

    @property
    def last_signed_at(self):
        return self.signatures[0].signed_at if self.signatures else None


def signing_of(user, responsibility_list: ResponsibilityList) -> Signing:
    state = signature_state_of(responsibility_list)
    refusal = rules.signing_refusal(
        list_person_user_id=responsibility_list.person.user_id,
        by_user_id=user.pk,
        status=responsibility_list.status,
        state=state,
    )
    signatures = list(responsibility_list.signatures.select_related("person").order_by("-signed_at", "-pk"))
    return Signing(state=state, signatures=signatures, refusal=refusal)


def mark_signing(user, own_lists, team_lists) -> None:
    """On the user's own and team lists (the checklist page): the signature's state, when it was last
    signed, the number of duty records, and whether the user may sign it now (his or her own list)."""
    states = signature_states([rl.pk for rl in [*own_lists, *team_lists]])
    duty_totals = team_duty_totals([rl.pk for rl in team_lists])
    for rl in [*own_lists, *team_lists]:
        rl.signature_state = states[rl.pk].signature_state
        rl.last_signed_at = states[rl.pk].last_signed_at
        rl.duty_total = duty_totals.get(rl.pk, 0)
        rl.can_sign = rl.person.user_id == user.pk and not rules.signing_refusal(
            list_person_user_id=rl.person.user_id,
            by_user_id=user.pk,
            status=rl.status,
            state=rl.signature_state,
        )


def signature_states(list_ids) -> dict[int, ResponsibilityList]:
    """The lists by id with ``signature_state`` and ``last_signed_at``: one query for any number."""
    lists = ResponsibilityList.objects.filter(pk__in=list(list_ids)).annotate(**signature_annotations())
    return {rl.pk: rl for rl in with_signature_state(lists)}
