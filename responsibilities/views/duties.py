"""履责纪实 pages (the records the user sees, recording one for oneself or on a leader's behalf, one
record, changing it, its files, the counts per person and item of a subtree) and 责任书签收 (a member
signs his or her own list)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import scope
from core.forms import attach_errors
from core.models import EditConflict
from core.permissions import can
from responsibilities.duty_forms import DutyFilterForm, DutyRecordForm
from responsibilities.list_forms import YearForm
from responsibilities.models import DutyFile, ListItem, Person, ResponsibilityList
from responsibilities.selectors import duties as selectors
from responsibilities.selectors import lists as lists_selectors
from responsibilities.selectors import organisations as org_selectors
from responsibilities.services import duties as services
from responsibilities.views import lists as list_views


def _years(today):
    """A record is dated this year or, until last year's lists are closed, last year."""
    return [today.year, today.year - 1]


@require_GET
def duty_list(request):
    form = DutyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    records = selectors.filtered_duty_records(request.user, filters)
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    person = Person.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    return render(
        request,
        "responsibilities/duty_list.html",
        {"form": form, "page": page, "records": page.object_list, "query": query.urlencode(), "person": person},
    )


def _person_for(request) -> Person:
    """Whose record is made: the user's own person, or (office staff on his or her behalf) the one
    named by ?person= among the people the user may see; 404 otherwise."""
    pk = request.GET.get("person") or request.POST.get("person")
    if pk:
        return get_object_or_404(Person.objects.for_user(request.user).select_related("home_organisation"), pk=pk)
    person = Person.objects.filter(user=request.user).select_related("home_organisation").first()
    if person is None:
        raise Http404
    return person


@require_http_methods(["GET", "POST"])
def duty_create(request):
    person = _person_for(request)
    today = timezone.localdate()
    items = services.items_for(person, request.user, _years(today))
    form = DutyRecordForm(request.POST or None, request.FILES or None, items=items, initial={"date": today})
    if not services.may_record_for(request.user, person):
        # Who sees the person but may not record for him or her (inspectors, other leaders): the rule's words.
        context = {
            "form": form,
            "person": person,
            "on_behalf": True,
            "has_items": False,
            "refusal": services.RECORD_REFUSED,
        }
        return render(request, "responsibilities/duty_form.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.duty_record_create(
                person=person,
                kind=data["kind"],
                day=data["date"],
                place=data["place"],
                participants=data["participants"],
                content=data["content"],
                items=data["items"],
                files=data["files"],
                by=request.user,
            )
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal) or services.RECORD_REFUSED)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已记录履责纪实。"))
            return redirect(record.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "responsibilities/duty_form.html",
        {"form": form, "person": person, "on_behalf": person.user_id != request.user.pk, "has_items": items.exists()},
        status=status,
    )


@require_GET
def duty_detail(request, pk):
    return _detail_page(request, selectors.duty_record_for(request.user, pk))


def _detail_page(request, record, status=200):
    locked = selectors.record_is_locked(record)
    return render(
        request,
        "responsibilities/duty_detail.html",
        {
            "record": record,
            "items": selectors.items_of(record),
            "files": list(record.files.all()),
            "locked": locked,
            "can_change": not locked and can(request.user, "responsibilities.change_duty", record),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def duty_edit(request, pk):
    record = selectors.duty_record_for(request.user, pk)
    if not can(request.user, "responsibilities.change_duty", record):
        messages.error(request, services.RECORD_REFUSED)
        return _detail_page(request, record, status=403)
    today = timezone.localdate()
    # The items it may name now, and those it names already (so that they stay ticked).
    items = ListItem.objects.filter(
        Q(pk__in=services.items_for(record.person, request.user, _years(today)).values("pk"))
        | Q(pk__in=record.items.values("pk"))
    ).select_related("responsibility_list__organisation")
    initial = {
        "version": record.version,
        "date": record.date,
        "kind": record.kind,
        "place": record.place,
        "participants": record.participants,
        "content": record.content,
        "items": list(record.items.all()),
    }
    form = DutyRecordForm(request.POST or None, request.FILES or None, items=items, initial=initial)
    form.fields["version"].required = True
    locked = selectors.record_is_locked(record)
    if locked and request.method == "POST":
        form.add_error(None, services.YEAR_CLOSED)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.duty_record_update(
                record=record,
                version=data["version"],
                kind=data["kind"],
                day=data["date"],
                place=data["place"],
                participants=data["participants"],
                content=data["content"],
                items=data["items"],
                files=data["files"],
                by=request.user,
            )
        except EditConflict:
            messages.error(request, _("该纪实已被他人修改，请查看最新内容后重试。"))
            return redirect(record.get_absolute_url())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect(record.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "responsibilities/duty_form.html",
        {
            "form": form,
            "person": record.person,
            "record": record,
            "locked": locked,
            "on_behalf": record.person.user_id != request.user.pk,
            "has_items": True,
        },
        status=status,
    )


@require_GET
def duty_file(request, pk):
    attached = get_object_or_404(DutyFile.objects.for_user(request.user), pk=pk)
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attached.original_name, content_type=attached.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def duty_rollup(request, pk):
    """履责纪实与签收汇总: counts per person and item, and who has not signed, in the subtree (50 lists a
    page; the page's query count does not grow with its rows)."""
    organisation = org_selectors.organisation_for(request.user, pk)
    year = YearForm(request.GET or None).year_or(timezone.localdate().year)
    page = Paginator(selectors.subtree_lists(request.user, organisation, year), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "responsibilities/duty_rollup.html",
        {
            "organisation": organisation,
            "year": year,
            "page": page,
            "query": f"year={year}",
            "people": selectors.person_duties(page.object_list),
            "signing": selectors.subtree_signing(request.user, organisation, year),
            "can_record": scope.may(request.user, scope.CHANGE, organisation.path),
        },
    )


# ---- 责任书签收 ----------------------------------------------------------------------------------


@require_POST
def list_sign(request, pk):
    responsibility_list = get_object_or_404(ResponsibilityList.objects.for_user(request.user), pk=pk)
    try:
        services.list_sign(responsibility_list=responsibility_list, by=request.user)
    except PermissionDenied as refusal:
        # Someone who reads the list but is not its person: the list again with the rule's words (403).
        messages.error(request, str(refusal))
        context = list_views.list_context(request, lists_selectors.list_for(request.user, pk, timezone.localdate()))
        return render(request, "responsibilities/list_detail.html", context, status=403)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已签收：本人已知悉并承诺履行。"))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(responsibility_list.get_absolute_url())
