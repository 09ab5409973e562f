"""Excel downloads (台账, 汇总表, import template), the task import page, and a list's print view (打印本稿)."""

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.excel import CONTENT_TYPE, download
from core.forms import attach_errors
from responsibilities import excel
from responsibilities.import_forms import TaskImportForm
from responsibilities.list_forms import YearForm
from responsibilities.permissions import may_change, may_export_subtree
from responsibilities.selectors import exports as export_selectors
from responsibilities.selectors import lists as selectors
from responsibilities.selectors import organisations as org_selectors
from responsibilities.services.imports import ImportRejected, tasks_import_file


def _today():
    return timezone.localdate()


def _year(request) -> int:
    return YearForm(request.GET or None).year_or(_today().year)


# ---- Downloads --------------------------------------------------------------------------------


@require_GET
def ledger_export(request, pk):
    """The organisation's lists of a year that the user may see, as the ledger (台账), one sheet per list."""
    organisation = org_selectors.organisation_for(request.user, pk)
    year, today = _year(request), _today()
    lists = list(selectors.organisation_lists(request.user, organisation, year, today))
    workbook = excel.ledger_workbook(organisation, year, export_selectors.lists_with_items(lists, today), today=today)
    return download(workbook, f"台账-{organisation.code}-{year}.xlsx")


@require_GET
def rollup_export(request, pk):
    """Task counts of the organisation (本级) and of each child's subtree for a year (汇总表)."""
    organisation = org_selectors.organisation_for(request.user, pk)
    year, today = _year(request), _today()
    workbook = excel.rollup_workbook(organisation, selectors.rollup(organisation, year, today), today=today)
    return download(workbook, f"汇总表-{organisation.code}-{year}.xlsx")


def _editable_list(request, pk):
    """A list the user may see and change (office staff in scope), else 404."""
    responsibility_list = selectors.list_for(request.user, pk, _today())
    if not may_change(request.user, responsibility_list.organisation):
        raise Http404
    return responsibility_list


@require_GET
def import_template(request, pk):
    responsibility_list = _editable_list(request, pk)
    workbook = excel.import_template_workbook(responsibility_list)
    code, year = responsibility_list.organisation.code, responsibility_list.year
    return download(workbook, f"任务导入模板-{code}-{year}-{responsibility_list.pk}.xlsx")


# ---- Import -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def list_import(request, pk):
    """Upload tasks from the template: every row is checked first; one bad row and nothing is imported."""
    responsibility_list = _editable_list(request, pk)
    # request.POST alone can be empty when only a file is sent: bind on the method, not on the data.
    bound = request.method == "POST"
    form = TaskImportForm(
        request.POST if bound else None, request.FILES if bound else None, responsibility_list=responsibility_list
    )
    row_errors = []
    # A closed list shows why and takes no upload; the service refuses it as well.
    if bound and not responsibility_list.is_closed and form.is_valid():
        try:
            tasks = tasks_import_file(
                responsibility_list=responsibility_list,
                upload=form.cleaned_data["file"],
                reason=form.cleaned_data.get("reason", ""),
                by=request.user,
            )
        except ImportRejected as rejected:
            row_errors = rejected.row_errors
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已导入 %(n)s 项任务。") % {"n": len(tasks)})
            return redirect(responsibility_list.get_absolute_url())
    failed = bound and (responsibility_list.is_closed or bool(form.errors or row_errors))
    context = _import_context(request, responsibility_list, form, row_errors)
    return render(request, "responsibilities/list_import.html", context, status=400 if failed else 200)


def _import_context(request, responsibility_list, form, row_errors) -> dict:
    return {
        "list": responsibility_list,
        "organisation": responsibility_list.organisation,
        "ancestors": org_selectors.ancestors_of(responsibility_list.organisation, request.user),
        "form": form,
        "row_errors": row_errors,
        "is_closed": responsibility_list.is_closed,
        "columns": [header for _field, header in excel.IMPORT_COLUMNS],
        "max_rows": excel.MAX_IMPORT_ROWS,
    }


# ---- Print ------------------------------------------------------------------------------------


@require_GET
def list_print(request, pk):
    """One list on A4 paper: its header, and its items with their active tasks."""
    today = _today()
    responsibility_list = selectors.list_for(request.user, pk, today)
    organisation = responsibility_list.organisation
    return render(
        request,
        "responsibilities/list_print.html",
        {
            "list": responsibility_list,
            "organisation": organisation,
            "ancestors": org_selectors.ancestors_of(organisation, request.user),
            "items": selectors.items_with_tasks(responsibility_list, today),
            "today": today,
        },
    )


@require_GET
def subtree_tasks_export(request, pk):
    """全辖区任务台账: every task of the subtree's lists for a year, streamed from a temporary file.

    For those who see every list of the subtree (office staff, inspectors, administrators); a leader
    sees only some lists, so the whole ledger is not his or hers to download.
    """
    organisation = org_selectors.organisation_for(request.user, pk)
    if not may_export_subtree(request.user, organisation):
        raise Http404
    year, today = _year(request), _today()
    output = tempfile.TemporaryFile()  # removed when the response closes it
    excel.write_subtree_ledger(
        output, organisation, year, export_selectors.subtree_task_rows(request.user, organisation, year), today
    )
    output.seek(0)
    response = FileResponse(
        output,
        as_attachment=True,
        filename=f"全辖区任务台账-{organisation.code}-{year}.xlsx",
        content_type=CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response
