"""履责纪实 pages (the records the user sees, recording one for oneself or on a leader's behalf, one
record, changing it, its files, the counts per person and item of a subtree) and 责任书签收 (a member
signs his or her own list)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core import scope
from core.forms import picked
from core.permissions import can
from core.views import ServiceFormView, stored_file_response
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


class _DutyForm(ServiceFormView):
    """履责纪实's form, written once for recording a record (DutyCreate) and changing one (DutyEdit)."""

    template_name = "responsibilities/duty_form.html"
    form_class = DutyRecordForm

    def context(self, form, person, **more) -> dict:
        return {"form": form, "person": person, "on_behalf": person.user_id != self.request.user.pk, **more}

    def fields(self, form) -> dict:
        """The service's keyword arguments from the valid form."""
        data = form.cleaned_data
        fields = picked(data, "kind", "place", "participants", "content", "items", "files")
        return {"day": data["date"], **fields, "by": self.request.user}


class DutyCreate(_DutyForm):
    success_message = gettext_lazy("已记录履责纪实。")

    def get_object(self):
        self.person = _person_for(self.request)
        self.items = services.items_for(self.person, self.request.user, _years(timezone.localdate()))

    def get_form_kwargs(self) -> dict:
        return {"items": self.items, "initial": {"date": timezone.localdate()}}

    def refuse(self):
        if services.may_record_for(self.request.user, self.person):
            return None
        # Who sees the person but may not record for him or her (inspectors, other leaders): the rule's words.
        context = self.context(self.get_form(), self.person, on_behalf=True, has_items=False)
        return render(self.request, self.template_name, context | {"refusal": services.RECORD_REFUSED}, status=403)

    def get_context(self, form) -> dict:
        return self.context(form, self.person, has_items=self.items.exists())

    def perform(self, form):
        try:
            return services.duty_record_create(person=self.person, **self.fields(form))
        except PermissionDenied as refusal:
            raise ValidationError(str(refusal) or services.RECORD_REFUSED) from refusal


duty_create = DutyCreate.as_view()


class DutyEdit(_DutyForm):
    success_message = gettext_lazy("已保存修改。")

    def get_object(self):
        return selectors.duty_record_for(self.request.user, self.kwargs["pk"])

    def refuse(self):
        if can(self.request.user, "responsibilities.change_duty", self.object):
            return None
        messages.error(self.request, services.RECORD_REFUSED)
        return _detail_page(self.request, self.object, status=403)

    def get_form_kwargs(self) -> dict:
        record = self.object
        # The items it may name now, and those it names already (so that they stay ticked).
        items = ListItem.objects.filter(
            Q(pk__in=services.items_for(record.person, self.request.user, _years(timezone.localdate())).values("pk"))
            | Q(pk__in=record.items.values("pk"))
        ).select_related("responsibility_list__organisation")
        names = ("version", "date", "kind", "place", "participants", "content")
        initial = {name: getattr(record, name) for name in names} | {"items": list(record.items.all())}
        return {"items": items, "initial": initial}

    def get_form(self):
        form = super().get_form()
        form.fields["version"].required = True
        self.locked = selectors.record_is_locked(self.object)
        if self.locked and form.is_bound:
            form.add_error(None, services.YEAR_CLOSED)
        return form

    def get_context(self, form) -> dict:
        record = self.object
        return self.context(form, record.person, record=record, locked=self.locked, has_items=True)

    def perform(self, form):
        return services.duty_record_update(
            record=self.object, version=form.cleaned_data["version"], **self.fields(form)
        )

    def conflicted(self, conflict):
        # The record's page shows what the other person saved; the form is not kept.
        messages.error(self.request, _("该纪实已被他人修改，请查看最新内容后重试。"))
        return redirect(self.object.get_absolute_url())


duty_edit = DutyEdit.as_view()


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


@require_GET
def duty_file(request, pk):
    attached = get_object_or_404(DutyFile.objects.for_user(request.user), pk=pk)
    return stored_file_response(attached)


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
