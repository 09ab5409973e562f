"""督办 pages: the list (filters, Excel), issuing, one 督办 with its answers, answering, 办结/退回, the
printable A4 督办通知单, and the answer files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core import excel
from core.forms import as_id, attach_errors, picked
from core.models import EditConflict
from core.tables import EXPORT_LIMIT, Column, WorkingList
from core.views import ServiceFormView, stored_file_response
from responsibilities.excel import order_workbook
from responsibilities.filters import OrderFilterSet
from responsibilities.models import Organisation, ReplyFile, ReplyStatus
from responsibilities.order_forms import AnswerForm, CloseForm, OrderForm
from responsibilities.permissions import may_answer, may_close, may_issue, secretary_of
from responsibilities.selectors import orders as selectors
from responsibilities.services import orders as services


def _decorate(reply, user, today, secretaries):
    reply.overdue = reply.is_overdue(today)
    reply.warning_word = _("红色预警·逾期未反馈") if reply.overdue else ""
    reply.can_answer = reply.status in (ReplyStatus.WAITING, ReplyStatus.RETURNED) and may_answer(
        user, reply, secretaries
    )
    reply.can_close = reply.status == ReplyStatus.ANSWERED and may_close(user, reply, secretaries)
    return reply


class OrderList(WorkingList):
    """督办: one row per recipient, filtered, sorted and paginated (core.tables); the export is the
    督办台账 of the same rows."""

    template_name = "responsibilities/order_list.html"
    filterset_class = OrderFilterSet
    default_sort = ("-order__issued_at", "organisation__path")
    page_size = 30
    rows_name = "replies"
    columns = [
        Column("number", gettext_lazy("编号"), sort="order__pk", css="text-nowrap"),
        Column("title", gettext_lazy("督办事项"), sort="order__title", css="col-text"),
        Column("issuer", gettext_lazy("督办单位"), sort="order__issuer__path", css="col-text"),
        Column("organisation", gettext_lazy("承办单位"), sort="organisation__path", css="col-text"),
        Column("reply_by", gettext_lazy("反馈期限"), sort="order__reply_by", css="text-nowrap"),
        Column("status", gettext_lazy("状态"), sort="status", css="text-nowrap"),
    ]

    def get_queryset(self):
        return selectors.replies_visible_to(self.request.user)

    def decorate(self, rows):
        today = timezone.localdate()
        secretaries = secretary_of(self.request.user, today)
        return [_decorate(reply, self.request.user, today, secretaries) for reply in rows]

    def export(self, rows, columns):
        return excel.download(order_workbook(rows[:EXPORT_LIMIT], timezone.localdate()), _("督办台账.xlsx"))


order_list = require_GET(OrderList.as_view())


def _issuer_for(request):
    pk = as_id(request.GET.get("issuer", ""))
    if pk is None:
        raise Http404
    issuer = get_object_or_404(Organisation.objects.for_user(request.user), pk=pk)
    if not may_issue(request.user, issuer):
        raise PermissionDenied(_("只有本组织的党建工作人员或书记可以签发督办。"))
    return issuer


class OrderCreate(ServiceFormView):
    template_name = "responsibilities/order_form.html"
    form_class = OrderForm
    success_message = gettext_lazy("已签发督办。")

    def get_object(self):
        self.issuer = _issuer_for(self.request)

    def get_form_kwargs(self) -> dict:
        candidates, people, tasks = selectors.order_choices(self.request.user, self.issuer, timezone.localdate())
        initial = {"tasks": [pk for pk in [as_id(self.request.GET.get("task", ""))] if pk]}
        return {"initial": initial, "issuer": self.issuer, "candidates": candidates, "people": people, "tasks": tasks}

    def get_context(self, form) -> dict:
        return {"form": form, "issuer": self.issuer}

    def perform(self, form):
        fields = picked(form.cleaned_data, "recipients", "person", "title", "subject", "text", "reply_by", "tasks")
        return services.order_issue(issuer=self.issuer, **fields, by=self.request.user)


order_create = OrderCreate.as_view()


def _order_page(request, order, *, forms=None, status=200):
    today = timezone.localdate()
    secretaries = secretary_of(request.user, timezone.localdate())
    replies = [
        _decorate(reply, request.user, today, secretaries)
        for reply in selectors.replies_visible_to(request.user).filter(order=order).prefetch_related("files")
    ]
    forms = forms or {}
    for reply in replies:
        reply.answer_form = forms.get(("answer", reply.pk)) or AnswerForm(initial={"version": reply.version})
        reply.close_form = forms.get(("close", reply.pk)) or CloseForm(initial={"version": reply.version})
    context = {
        "order": order,
        "replies": replies,
        "tasks": services.tasks_of(order),
        "can_issue": may_issue(request.user, order.issuer, secretaries),
    }
    return render(request, "responsibilities/order_detail.html", context, status=status)


def _order_for(user, pk):
    replies = selectors.replies_visible_to(user).filter(order_id=pk)
    reply = replies.first()
    if reply is None:
        raise Http404
    return reply.order


@require_GET
def order_detail(request, pk):
    return _order_page(request, _order_for(request.user, pk))


@require_GET
def order_print(request, pk):
    order = _order_for(request.user, pk)
    replies = list(selectors.replies_visible_to(request.user).filter(order=order))
    return render(
        request,
        "responsibilities/order_print.html",
        {"order": order, "replies": replies, "tasks": services.tasks_of(order)},
    )


def _reply_action(request, pk, key, form, *, allowed, refusal, call, success):
    """An answer or a close on a 督办's reply, written once: refused at the form's field (403) without the
    rule, else the service; a message and the reply's page on success or when someone handled it first,
    the page again with the errors at the fields (400)."""
    reply = get_object_or_404(selectors.replies_visible_to(request.user), pk=pk)
    forms = {(key, reply.pk): form}
    if not allowed(request.user, reply):
        form.is_valid()
        form.add_error(*refusal)
        return _order_page(request, reply.order, forms=forms, status=403)
    if form.is_valid():
        try:
            call(reply, form.cleaned_data)
        except EditConflict:
            messages.error(request, _("该督办已被他人处理，请查看最新情况。"))
            return redirect(reply.get_absolute_url())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, success(form.cleaned_data))
            return redirect(reply.get_absolute_url())
    return _order_page(request, reply.order, forms=forms, status=400)


@require_POST
def reply_answer(request, pk):
    return _reply_action(
        request,
        pk,
        "answer",
        AnswerForm(request.POST, request.FILES),
        allowed=may_answer,
        refusal=("answer", _("只有承办单位的党建工作人员、书记或指定的责任人可以反馈。")),
        call=lambda reply, data: services.order_answer(
            reply=reply, version=data["version"], answer=data["answer"], files=data["files"], by=request.user
        ),
        success=lambda data: _("已反馈。"),
    )


@require_POST
def reply_close(request, pk):
    return _reply_action(
        request,
        pk,
        "close",
        CloseForm(request.POST),
        allowed=may_close,
        refusal=("reason", _("只有督办单位的党建工作人员或书记可以办结或退回。")),
        call=lambda reply, data: services.order_close(
            reply=reply,
            version=data["version"],
            accept=data["action"] == "accept",
            reason=data["reason"],
            by=request.user,
        ),
        success=lambda data: _("已办结。") if data["action"] == "accept" else _("已退回。"),
    )


@require_GET
def order_file(request, pk):
    attached = get_object_or_404(ReplyFile.objects.for_user(request.user), pk=pk)
    return stored_file_response(attached)
