"""Pages for responsibility lists: annual lists, tasks, progress, evidence, checklists, cascade, templates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import scope
from core.forms import AcknowledgeForm, attach_errors, errors_as_text, keep_refused, take_refused
from core.models import EditConflict
from core.tables import Column, WorkingList
from core.views import (
    ArchiveView,
    ServiceFormView,
    TransitionView,
    act_on_form,
    act_with_message,
    stored_file_response,
)
from responsibilities import rules, services
from responsibilities.filters import IssuedTaskFilterSet
from responsibilities.jobs import is_stalled, start_rollover
from responsibilities.list_forms import (
    ArchiveTaskForm,
    EvidenceForm,
    IssueTaskForm,
    ProgressForm,
    RolloverForm,
    SupervisionNoteForm,
    TaskForm,
    TemplateItemForm,
    TemplateVersionForm,
    TransitionForm,
    YearForm,
)
from responsibilities.models import ListItem, ListKind, ListStatus, Organisation, RolloverJob, TemplateItem
from responsibilities.permissions import is_secretary, may_act_as, may_change, may_report_progress, may_see_issued
from responsibilities.selectors import duties as duty_selectors
from responsibilities.selectors import lists as selectors
from responsibilities.selectors import organisations as org_selectors


def _today():
    return timezone.localdate()


def _year(request) -> int:
    return YearForm(request.GET or None).year_or(_today().year)


# ---- An organisation's lists ------------------------------------------------------------------


@require_GET
def organisation_lists(request, pk):
    organisation = org_selectors.organisation_for(request.user, pk)
    year = _year(request)
    today = _today()
    can_edit = may_change(request.user, organisation) and not organisation.is_archived
    context = {
        "organisation": organisation,
        "ancestors": org_selectors.ancestors_of(organisation, request.user),
        "year": year,
        "years": sorted(set(selectors.list_years(organisation)) | {today.year, today.year + 1}, reverse=True),
        "lists": selectors.organisation_lists(request.user, organisation, year, today),
        "issued": selectors.issued_tasks_of(organisation, year) if can_edit else [],
        "can_edit": can_edit,
        "rollover_form": RolloverForm(initial={"year": year}),
    }
    return render(request, "responsibilities/organisation_lists.html", context)


@require_POST
def lists_generate(request, pk):
    organisation = org_selectors.organisation_for(request.user, pk, scope.CHANGE)
    form = RolloverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年度无效：请填写 2000 到 2100 之间的年份。"))
        return redirect("responsibilities:organisation_lists", pk=organisation.pk)
    year = form.cleaned_data["year"]
    act_with_message(
        request,
        lambda: services.lists_generate(organisation=organisation, year=year, by=request.user),
        lambda result: (
            _("已生成 %(year)s 年责任清单：新建 %(created)s 份，已存在跳过 %(skipped)s 份。")
            % {"year": year, "created": len(result.created), "skipped": result.skipped}
        ),
    )
    return redirect(f"{reverse('responsibilities:organisation_lists', args=[organisation.pk])}?year={year}")


@require_http_methods(["GET", "POST"])
def rollover_start(request, pk):
    """Annual roll-over of a whole subtree: runs in a background process, this page only starts it."""
    organisation = org_selectors.organisation_for(request.user, pk, scope.CHANGE)
    form = RolloverForm(request.POST or None, initial={"year": _today().year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.template_for(form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error("year", error.message_dict["year"][0])
        else:
            job = start_rollover(root=organisation, year=form.cleaned_data["year"], by=request.user)
            return redirect(job.get_absolute_url())
    count = Organisation.objects.subtree(organisation).active().count()
    context = {
        "organisation": organisation,
        "form": form,
        "count": count,
        "ancestors": _with_self(org_selectors.ancestors_of(organisation, request.user), organisation),
        "runs": selectors.rollover_runs(request.user, organisation),
    }
    return render(request, "responsibilities/rollover_form.html", context, status=400 if form.errors else 200)


def _with_self(ancestors, organisation):
    """A breadcrumb's trail down to the organisation itself (whose page the user may open)."""
    organisation.in_scope = True
    return [*ancestors, organisation]


@require_GET
def rollover_detail(request, pk):
    job = get_object_or_404(RolloverJob.objects.select_related("root", "started_by"), pk=pk)
    org_selectors.organisation_for(request.user, job.root_id, scope.CHANGE)
    if request.htmx:
        return render(request, "responsibilities/_rollover_progress.html", {"job": job, "stalled": is_stalled(job)})
    context = {
        "job": job,
        "stalled": is_stalled(job),
        "organisation": job.root,
        "ancestors": _with_self(org_selectors.ancestors_of(job.root, request.user), job.root),
        "runs": selectors.rollover_runs(request.user, job.root),
    }
    return render(request, "responsibilities/rollover_detail.html", context)


# ---- One list ---------------------------------------------------------------------------------


def _transitions(user, responsibility_list):
    """The moves the user may make on the list now, with their labels."""
    status, organisation = responsibility_list.status, responsibility_list.organisation
    return [
        (target, ListStatus(target).label)
        for target in rules.allowed_targets(status)
        if may_act_as(user, rules.transition_actor(status, target), organisation)
    ]


def _is_own(user, responsibility_list) -> bool:
    return responsibility_list.person_id is not None and responsibility_list.person.user_id == user.pk


def list_context(request, responsibility_list):
    today = _today()
    organisation = responsibility_list.organisation
    can_edit = may_change(request.user, organisation) and not responsibility_list.is_closed
    shows_notes = rules.takes_supervision_notes(responsibility_list.kind)
    signing = duty_selectors.signing_of(request.user, responsibility_list) if responsibility_list.is_personal else None
    refused_move = take_refused(request, f"transition-{responsibility_list.pk}", TransitionForm)
    return {
        "signing": signing,
        "list": responsibility_list,
        "organisation": organisation,
        "ancestors": org_selectors.ancestors_of(organisation, request.user),
        "items": selectors.items_with_tasks(responsibility_list, today),
        "can_edit": can_edit,
        "needs_reason": rules.edit_needs_reason(responsibility_list.status),
        "transitions": _transitions(request.user, responsibility_list),
        "transition_needs_reason": {t for s, t in rules.TRANSITIONS_NEEDING_REASON if s == responsibility_list.status},
        "notes": selectors.supervision_notes(responsibility_list) if shows_notes else None,
        "can_note": shows_notes and is_secretary(request.user, organisation, today),
        "note_form": take_refused(request, f"note-{responsibility_list.pk}", SupervisionNoteForm)
        or SupervisionNoteForm(),
        "kept_reason": refused_move.data.get("reason", "") if refused_move else "",
        "reason_errors": refused_move.errors.get("reason", []) if refused_move else [],
        # The member answers the notes on his or her own list (已阅 / 反馈).
        "can_acknowledge_notes": shows_notes and _is_own(request.user, responsibility_list),
        "acknowledge_form": AcknowledgeForm(),
        "today": today,
    }


@require_GET
def list_detail(request, pk):
    responsibility_list = selectors.list_for(request.user, pk, _today())
    return render(request, "responsibilities/list_detail.html", list_context(request, responsibility_list))


class ListTransition(TransitionView):
    form_class = TransitionForm
    template_name = "responsibilities/list_detail.html"
    kept_field = "reason"
    statuses = ListStatus

    def get_object(self):
        return selectors.list_for(self.request.user, self.kwargs["pk"], _today())

    def get_context(self, obj):
        return list_context(self.request, obj)

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in ("version", "target", "reason")}
        return services.list_transition(responsibility_list=self.object, **fields, by=self.request.user)

    def success_message(self, target):
        return _("清单状态已更新为“%(status)s”。") % {"status": target.label}

    def refused(self, form, error):
        # A return without a reason: the message at the reason field of the list's page.
        if hasattr(error, "error_dict") and set(error.error_dict) == {"reason"}:
            attach_errors(form, error)
            keep_refused(self.request, f"transition-{self.object.pk}", form)
        else:
            super().refused(form, error)

    def success_url(self):
        # From 我的责任清单 (待我确认) the secretary stays on her page.
        return self.request.POST.get("next") if _safe_next(self.request) else super().success_url()

    def post(self, request, *args, **kwargs):
        if request.htmx and request.POST.get("in_place"):
            return self.in_place(request)
        return super().post(request, *args, **kwargs)

    def in_place(self, request):
        """确认 / 退回 from 我的责任清单: the list's card comes back moved, or with why the move was
        refused at its field (the return reason) and the typed reason kept."""
        self.object = self.get_object()
        form = self.form_class(request.POST)
        context = {"reason": request.POST.get("reason", ""), "next": request.POST.get("next", "")}
        if not form.is_valid():
            context["error_text"] = _("操作无效，请刷新页面后重试。")
        else:
            try:
                self.perform(form)
            except ValidationError as error:
                if hasattr(error, "error_dict") and "reason" in error.error_dict:
                    context["reason_error"] = " ".join(error.message_dict["reason"])
                else:
                    context["error_text"] = " ".join(error.messages)
            except EditConflict:
                context["error_text"] = _("这份清单刚刚被他人处理过，请刷新页面查看它现在的状态。")
            else:
                context["moved"] = ListStatus(form.cleaned_data["target"])
        found = selectors.awaiting_confirmation(request.user, _today(), pk=self.object.pk)
        context["rl"] = found[0] if found else selectors.list_for(request.user, self.object.pk, _today())
        refused = "error_text" in context or "reason_error" in context
        return render(request, "responsibilities/_awaiting_list.html", context, status=400 if refused else 200)


@require_POST
def supervision_note_add(request, pk):
    responsibility_list = selectors.list_for(request.user, pk, _today())
    act_on_form(
        request,
        SupervisionNoteForm(request.POST),
        lambda data: services.supervision_note_add(
            responsibility_list=responsibility_list, text=data["text"], by=request.user
        ),
        _("已记录督促情况。"),
        # The product's own message at the note's field, on the page the note was written on.
        invalid=lambda form: keep_refused(request, f"note-{responsibility_list.pk}", form),
    )
    return redirect(request.POST.get("next") if _safe_next(request) else responsibility_list.get_absolute_url())


@require_POST
def supervision_note_acknowledge(request, pk):
    """The member marks a 督促 note read and may answer it; errors come back as a message."""
    note = get_object_or_404(selectors.notes_visible_to(request.user, _today()), pk=pk)
    act_on_form(
        request,
        AcknowledgeForm(request.POST),
        lambda data: services.supervision_note_acknowledge(note=note, feedback=data["feedback"], by=request.user),
        _("已确认已阅。"),
        invalid=lambda form: messages.error(request, " ".join(form.errors.get("feedback", []))),
    )
    return redirect(request.POST.get("next") if _safe_next(request) else note.get_absolute_url())


def _safe_next(request) -> bool:
    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


# ---- Tasks ------------------------------------------------------------------------------------


class TaskCreate(ServiceFormView):
    template_name = "responsibilities/task_form.html"
    form_class = TaskForm
    success_message = gettext_lazy("已添加任务。")

    def get_object(self):
        item = get_object_or_404(
            ListItem.objects.for_user(self.request.user).select_related("responsibility_list__organisation"),
            pk=self.kwargs["pk"],
        )
        if not may_change(self.request.user, item.responsibility_list.organisation):
            raise Http404
        return item

    def get_form_kwargs(self):
        return {"responsibility_list": self.object.responsibility_list}

    def get_context(self, form):
        return {"form": form, "item": self.object, "list": self.object.responsibility_list}

    def perform(self, form):
        reason = form.cleaned_data.get("reason", "")
        task = services.task_create(item=self.object, reason=reason, by=self.request.user, **form.task_fields())
        return task.item.responsibility_list


def _changeable_task(user, pk):
    """A task the user sees and may change (404 otherwise)."""
    task = selectors.task_for(user, pk, _today())
    if not may_change(user, task.item.responsibility_list.organisation):
        raise Http404
    return task


ISSUED_FIELDS = ("item_number", "recipients", "title", "quantity", "unit", "deadline", "standard", "requirement")


def _task_page(request, task, progress_form=None, evidence_form=None, status=200):
    """The task page; after a refused progress entry or upload it shows the errors at their fields."""
    responsibility_list = task.item.responsibility_list
    can_edit = may_change(request.user, responsibility_list.organisation) and not responsibility_list.is_closed
    can_report = may_report_progress(request.user, task) and not responsibility_list.is_closed
    return render(
        request,
        "responsibilities/task_detail.html",
        {
            "task": task,
            "list": responsibility_list,
            "progress": selectors.progress_of(task),
            "evidence": selectors.evidence_of(task),
            "can_edit": can_edit,
            "can_report": can_report,
            # A recipient sees where the task came from; the link only for those who see the issuer.
            "source_linked": task.source is not None and may_see_issued(request.user, task.source),
            "progress_form": progress_form or ProgressForm(),
            "evidence_form": evidence_form or EvidenceForm(),
        },
        status=status,
    )


@require_GET
def task_detail(request, pk):
    task = selectors.task_for(request.user, pk, _today())
    return _task_page(
        request,
        task,
        progress_form=take_refused(request, f"progress-{task.pk}", ProgressForm),
        evidence_form=take_refused(request, f"evidence-{task.pk}", EvidenceForm),
    )


class TaskEdit(ServiceFormView):
    template_name = "responsibilities/task_form.html"
    form_class = TaskForm
    success_message = gettext_lazy("已保存任务。")

    def get_object(self):
        return _changeable_task(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"instance": self.object, "responsibility_list": self.object.item.responsibility_list}

    def get_context(self, form):
        task = self.object
        return {"form": form, "item": task.item, "list": task.item.responsibility_list, "task": task}

    def perform(self, form):
        data = form.cleaned_data
        return services.task_update(
            task=self.object,
            version=data["version"],
            reason=data.get("reason", ""),
            by=self.request.user,
            **form.task_fields(),
        )


class TaskArchive(ArchiveView):
    form_class = ArchiveTaskForm
    success_message = gettext_lazy("已归档任务。")

    def get_object(self):
        return _changeable_task(self.request.user, self.kwargs["pk"])

    def archive(self, *, version, reason):
        task = services.task_archive(task=self.object, version=version, reason=reason, by=self.request.user)
        return task.item.responsibility_list


@require_POST
def progress_record(request, pk):
    """Record progress. From the checklist (htmx) the task's row comes back updated in place;
    from the task page a refused entry goes back to the task page, shown again with the messages at
    its fields."""
    today = _today()
    task = selectors.task_for(request.user, pk, today)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_record(
                task=task,
                text=data["text"],
                percent=data["percent"],
                day=data["day"],
                files=data["files"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, _field_names(error, {"day": "day", "file": "files"}))
    if request.htmx:
        return _checklist_row(request, pk, form, today)
    if form.errors:
        keep_refused(request, f"progress-{task.pk}", form)
        return redirect(f"{task.get_absolute_url()}#progress-form")
    messages.success(request, _("已记录进展。"))
    return redirect(task.get_absolute_url())


def _checklist_row(request, pk, form, today):
    """The task's row of 我的责任清单 after a progress entry: updated, or with why it was refused and
    what the user typed."""
    error_text = errors_as_text(form)
    task = selectors.task_for(request.user, pk, today)
    task.latest_percent = selectors.progress_of(task).values_list("percent", flat=True).first() or 0
    entered = {"percent": request.POST.get("percent", ""), "text": request.POST.get("text", "")} if error_text else {}
    context = {"task": task, "error_text": error_text, "saved": not error_text, "today": today, "entered": entered}
    return render(request, "responsibilities/_checklist_row.html", context, status=400 if error_text else 200)


def _field_names(error: ValidationError, renames: dict) -> ValidationError:
    """A service's error with its field names mapped to the form's."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({renames.get(field, field): messages_ for field, messages_ in error.error_dict.items()})


@require_POST
def evidence_upload(request, pk):
    """Upload a file. Refused, the browser goes back to the task page, which shows why at the field."""
    task = selectors.task_for(request.user, pk, _today())
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_upload(
                task=task,
                uploaded=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
    if form.errors:
        keep_refused(request, f"evidence-{task.pk}", form)
        return redirect(f"{task.get_absolute_url()}#evidence-form")
    messages.success(request, _("已上传佐证材料。"))
    return redirect(task.get_absolute_url())


@require_GET
def evidence_download(request, pk):
    """Evidence is served only here, after the scope check, as an attachment that browsers will not sniff."""
    evidence = selectors.evidence_for(request.user, pk, _today())
    return stored_file_response(evidence)


# ---- My checklist -----------------------------------------------------------------------------


@require_GET
def my_checklist(request):
    today = _today()
    year = _year(request)
    show = request.GET.get("show", "all")
    checklist = selectors.my_checklist(request.user, year, today)
    for team_list in checklist.team_lists:
        team_list.refused_note = take_refused(request, f"note-{team_list.pk}", SupervisionNoteForm)
    tasks = {"overdue": checklist.overdue, "due_soon": checklist.due_soon}.get(show, checklist.tasks)
    duty_selectors.mark_signing(request.user, checklist.lists, checklist.team_lists)
    own_ids = [rl.pk for rl in checklist.lists]
    return render(
        request,
        "responsibilities/my_checklist.html",
        {
            "checklist": checklist,
            "duty_items": duty_selectors.item_duty_counts(own_ids) if own_ids else [],
            "tasks": tasks,
            "show": show,
            "year": year,
            "today": today,
            "progress_form": ProgressForm(),
            "note_form": SupervisionNoteForm(),
        },
    )


# ---- Cascade ----------------------------------------------------------------------------------


class TaskIssue(ServiceFormView):
    template_name = "responsibilities/task_issue_form.html"
    form_class = IssueTaskForm
    success_message = gettext_lazy("已下发任务。")

    def get_object(self):
        return org_selectors.organisation_for(self.request.user, self.kwargs["pk"], scope.CHANGE)

    def refuse(self):
        request = self.request
        self.year = _year(request) if request.method == "GET" else YearForm(request.POST).year_or(_today().year)
        try:
            self.template = services.template_for(self.year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("responsibilities:organisation_lists", pk=self.object.pk)
        return None

    def get_form_kwargs(self):
        items = self.template.items.filter(kind=ListKind.COMMITTEE).order_by("number")
        return {"year": self.year, "items": items, "candidates": selectors.recipient_candidates(self.object)}

    def get_context(self, form):
        return {"organisation": self.object, "form": form, "year": self.year}

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in ISSUED_FIELDS}
        return services.task_issue(issuer=self.object, year=self.year, **fields, by=self.request.user)


@require_GET
def issued_task_detail(request, pk):
    issued = selectors.issued_task_for(request.user, pk)
    today = _today()
    return render(
        request,
        "responsibilities/issued_task_detail.html",
        {
            "issued": issued,
            "recipients": selectors.recipients_status(issued, today),
            "today": today,
        },
    )


# ---- Templates --------------------------------------------------------------------------------


@require_GET
def template_list(request):
    return render(
        request,
        "responsibilities/template_list.html",
        {
            "versions": selectors.template_versions(),
            "can_edit": request.user.is_superuser,
        },
    )


@require_GET
def template_detail(request, pk):
    version = get_object_or_404(selectors.template_versions(), pk=pk)
    return render(
        request,
        "responsibilities/template_detail.html",
        {
            "version": version,
            "groups": selectors.template_items_by_kind(version),
            "can_edit": request.user.is_superuser,
        },
    )


class TemplateVersionCreate(ServiceFormView):
    template_name = "responsibilities/template_version_form.html"
    form_class = TemplateVersionForm
    success_message = gettext_lazy("已创建模板版本：它从所选年度起适用，此前年度的清单不受影响。")

    def get_object(self):
        if not self.request.user.is_superuser:
            raise PermissionDenied
        return None

    def get_context(self, form):
        return {"form": form}

    def perform(self, form):
        fields = {f: form.cleaned_data[f] for f in ("name", "source", "effective_from_year")}
        return services.template_version_create(**fields, by=self.request.user)


class TemplateItemEdit(ServiceFormView):
    template_name = "responsibilities/template_item_form.html"
    form_class = TemplateItemForm
    success_message = gettext_lazy("已修改模板事项。已生成的清单保留原措辞。")

    def get_object(self):
        if not self.request.user.is_superuser:
            raise PermissionDenied
        return get_object_or_404(TemplateItem.objects.select_related("template"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"instance": self.object}

    def get_context(self, form):
        return {"form": form, "item": self.object}

    def perform(self, form):
        data = form.cleaned_data
        item = services.template_item_update(
            item=self.object, version=data["version"], title=data["title"], by=self.request.user
        )
        return item.template


class IssuedTaskList(WorkingList):
    """下发的任务 as a working table (core.tables): filtered, sorted, paginated, exported."""

    template_name = "responsibilities/issued_task_list.html"
    filterset_class = IssuedTaskFilterSet
    default_sort = ("-issued_at",)
    export_title = gettext_lazy("下发的任务")
    columns = [
        Column("title", gettext_lazy("具体任务"), sort="title", value=lambda t: t.title, width=40, css="col-text"),
        Column("issuer", gettext_lazy("下发组织"), sort="issuer__path", value=lambda t: t.issuer.name, width=24),
        Column("year", gettext_lazy("年度"), sort="year", value=lambda t: t.year, width=8),
        Column("deadline", gettext_lazy("完成时限"), sort="deadline", value=lambda t: t.deadline, width=12),
        Column(
            "done",
            gettext_lazy("完成情况"),
            sort="done_count",
            value=lambda t: f"{t.done_count}/{t.recipient_count}",
            width=10,
        ),
        Column("warning", gettext_lazy("预警"), value=lambda t: t.warning.word if t.warning else "", width=16),
    ]

    def get_queryset(self):
        return selectors.issued_tasks_counted(self.request.user)

    def decorate(self, rows):
        rows = list(rows)
        if rows:
            today, thresholds = timezone.localdate(), selectors.warning_thresholds()
            for issued in rows:
                issued.warning = rules.warning_for(
                    done=issued.done_count >= issued.recipient_count,
                    deadline=issued.deadline,
                    today=today,
                    intervened=False,
                    thresholds=thresholds,
                )
        return rows


issued_task_list = IssuedTaskList.as_view()
