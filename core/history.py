"""Reading the history pghistory keeps: who changed a record last, what differs now, and the history tab."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def last_change(instance) -> dict | None:
    """When and by whom the record was last saved, from its newest history row."""
    event = instance.events.select_related("pgh_context").order_by("-pgh_id").first()
    if event is None:
        return None
    user = None
    if event.pgh_context is not None and event.pgh_context.metadata.get("user"):
        user = get_user_model().objects.filter(pk=event.pgh_context.metadata["user"]).first()
    return {"at": event.pgh_created_at, "user": user}


def differences(form, current) -> list[dict]:
    """Fields where the saved record now differs from what the user submitted."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or not hasattr(current, name) or name not in form.cleaned_data:
            continue
        saved = getattr(current, name)
        submitted = form.cleaned_data[name]
        if saved != submitted:
            display = getattr(current, f"get_{name}_display", None)
            if isinstance(field, forms.ModelChoiceField) or not isinstance(field, forms.ChoiceField):
                shown = submitted
            else:
                shown = dict(field.choices).get(submitted, submitted)
            rows.append({"label": field.label, "saved": display() if display else saved, "submitted": shown})
    return rows


# ---- The history tab ----------------------------------------------------------------------------

# Record kinds whose history can be shown: key → (model, function(user) → queryset the user may see).
# Each app registers its own in AppConfig.ready, so this module imports none of them.
HISTORY_MODELS: dict[str, tuple] = {}

# Bookkeeping columns that say nothing to a reader.
HIDDEN_FIELDS = {"id", "version", "path", "depth", "numchild"}


def register_history(key: str, model, visible_to) -> None:
    HISTORY_MODELS[key] = (model, visible_to)


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    at: object
    user: object
    kind: str  # 创建 / 修改
    reason: str
    changes: list[Change]


def _display(field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return str(related.get((field.name, value), value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def entries(instance) -> list[Entry]:
    """Every saved state of the record, oldest first, as the fields that changed from one to the next.

    Three queries whatever the length of the history: the events, the users who made them, and the
    records their foreign keys point to (one query per related model).
    """
    model = type(instance)
    fields = [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
    events = list(instance.events.select_related("pgh_context").order_by("pgh_id"))
    user_ids = {e.pgh_context.metadata.get("user") for e in events if e.pgh_context_id}
    users = get_user_model().objects.in_bulk([u for u in user_ids if u])
    wanted = defaultdict(set)
    for event in events:
        for field in fields:
            if field.is_relation and getattr(event, field.attname, None) is not None:
                wanted[field].add(getattr(event, field.attname))
    related = {}
    for field, ids in wanted.items():
        for pk, obj in field.related_model._base_manager.in_bulk(ids).items():
            related[(field.name, pk)] = obj
    result, previous = [], None
    for event in events:
        context = event.pgh_context.metadata if event.pgh_context_id else {}
        changes = []
        for field in fields:
            after = getattr(event, field.attname, None)
            before = getattr(previous, field.attname, None) if previous is not None else None
            if previous is None and after in (None, "", False):
                continue
            if previous is None or before != after:
                changes.append(
                    Change(
                        str(field.verbose_name),
                        _display(field, before, related) if previous is not None else "",
                        _display(field, after, related),
                    )
                )
        if changes or previous is None:
            result.append(
                Entry(
                    at=event.pgh_created_at,
                    user=users.get(context.get("user")),
                    kind=str(_("创建")) if previous is None else str(_("修改")),
                    reason=context.get("reason", ""),
                    changes=changes,
                )
            )
        previous = event
    return result
