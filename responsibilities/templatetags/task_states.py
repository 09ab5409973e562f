"""``{% warning_badge warning %}`` and ``{% task_state task %}``: the badges of a task's state, drawn on every
row of the checklists, the lists and the 预警提醒 (as tags, not per-row includes: an include pushes a
context and renders a template for each row, a tag formats one string)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from responsibilities.models import TaskStatus

register = template.Library()

STATUS_CLASSES = {TaskStatus.DONE: "text-bg-success", TaskStatus.IN_PROGRESS: "text-bg-info"}


@register.simple_tag
def warning_badge(warning) -> str:
    """A 蓝黄红 warning: colour AND word (never the colour alone). ``warning``: a
    ``responsibilities.rules.TaskWarning`` or None (nothing is drawn)."""
    if not warning:
        return ""
    return format_html(
        '<span class="badge warning-{}" data-testid="warning-{}">{}</span>',
        warning.colour,
        warning.colour,
        warning.word,
    )


@register.simple_tag
def task_state(task) -> str:
    """Status badge of a task, with its warning, 逾期 and 30 天内到期 (``overdue``, ``due_soon`` and
    ``warning`` set by the selector)."""
    parts = [warning_badge(getattr(task, "warning", None))]
    if getattr(task, "overdue", False):
        parts.append(format_html('<span class="badge text-bg-danger" data-testid="task-overdue">{}</span>', _("逾期")))
    parts.append(
        format_html(
            '<span class="badge {}">{}</span>',
            STATUS_CLASSES.get(task.status, "text-bg-secondary"),
            task.get_status_display(),
        )
    )
    if getattr(task, "due_soon", False):
        parts.append(format_html('<span class="badge text-bg-warning">{}</span>', _("30 天内到期")))
    return mark_safe("\n".join(parts))
