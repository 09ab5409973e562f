"""Importing tasks into a list from an Excel file: all rows or none."""

import pghistory
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.services import require_scope, service
from responsibilities.excel import HEADER_OF, RowError, TaskRow, parse_task_import
from responsibilities.models import ResponsibilityList, Task, TaskStatus
from responsibilities.services.lists import _check_list_editable, _check_task


class ImportRejected(ValidationError):
    """Rows that broke a rule; ``row_errors`` holds them as RowError(row, column header, reason)."""

    def __init__(self, row_errors: list[RowError]):
        super().__init__([str(error) for error in row_errors], code="import_rejected")
        self.row_errors = row_errors


# Which import column a service error about a model field belongs to.
_COLUMN_OF_FIELD = {**HEADER_OF, "item": HEADER_OF["item_number"]}


def _row_errors(row: int, error: ValidationError) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(row, _COLUMN_OF_FIELD.get(field, ""), message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(row, "", message) for message in error.messages]


@service
def tasks_import(*, responsibility_list: ResponsibilityList, rows: list[TaskRow], by, reason: str = "") -> list[Task]:
    """Add the parsed rows as new tasks (状态“未开始”) of the list, or none of them when any row breaks a rule.

    The same checks as adding one task (``task_create``): scope, a closed list refuses, a confirmed
    list needs a reason, the deadline within the year, 数量 or 标准, the responsible person in the
    subtree. Every row is checked before the first is written, and the writes share one transaction.
    """
    locked = (
        ResponsibilityList.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=responsibility_list.pk)
    )
    require_scope(by, locked.organisation)
    _check_list_editable(locked, reason)
    if not rows:
        raise ValidationError(_("没有要导入的任务。"), code="empty")
    items = {item.pk: item for item in locked.items.all()}
    tasks, errors = [], []
    for row in rows:
        item = items.get(getattr(row.item, "pk", None))
        if item is None:
            errors.append(RowError(row.row, HEADER_OF["item_number"], _("该责任事项不属于这份清单。")))
            continue
        person = row.responsible_person
        if person is not None and person.is_archived:
            errors.append(RowError(row.row, HEADER_OF["responsible_person"], _("该干部已归档。")))
            continue
        task = Task(
            item=item,
            title=row.title,
            quantity=row.quantity,
            unit=row.unit,
            deadline=row.deadline,
            standard=row.standard,
            requirement=row.requirement,
            responsible_person=person,
            status=TaskStatus.NOT_STARTED,
            completed_on=None,
        )
        try:
            _check_task(task, locked)
            # The item and person were checked above; the table's constraints have the last word on
            # insert, so the per-row queries of the model's constraint and foreign-key checks are skipped.
            task.full_clean(exclude=["item", "responsible_person", "source"], validate_constraints=False)
        except ValidationError as error:
            errors.extend(_row_errors(row.row, error))
            continue
        tasks.append(task)
    if errors:
        raise ImportRejected(errors)
    with pghistory.context(reason=reason.strip()):
        return Task.objects.bulk_create(tasks)


def tasks_import_file(*, responsibility_list: ResponsibilityList, upload, by, reason: str = "") -> list[Task]:
    """Read the uploaded import template and add its rows (``tasks_import``). A row the file itself
    gets wrong (an unknown item number, a date that is no date) refuses the import as a row that
    breaks a rule does: ``ImportRejected`` with every row's errors, nothing written."""
    rows, row_errors = parse_task_import(upload, responsibility_list)
    if row_errors:
        raise ImportRejected(row_errors)
    return tasks_import(responsibility_list=responsibility_list, rows=rows, by=by, reason=reason)
