"""Reading the history pghistory keeps: who changed a record last, what differs now, and the history tab."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pghistory.models
from django import forms
from django.contrib.auth import get_user_model
from django.db import models
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


def _from_json(field, value):
    """A column's value as the event's JSON holds it, back in the field's Python form (JSON numbers
    arrive as floats: a decimal keeps its places)."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-field.decimal_places))
    return field.to_python(value)


def entries(instance) -> list[Entry]:
    """Every saved state of the record, oldest first, as the fields that changed from one to the next.

    The changes are pghistory's own (``Events.pgh_diff``: each event against the one before it, in
    the database); this turns them into labels and readable values. Three queries whatever the
    length of the history: the events, the users who made them, and the records their foreign keys
    point to (one query per related model).
    """
    model = type(instance)
    fields = {f.attname: f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS}
    events = list(pghistory.models.Events.objects.tracks(instance).order_by("pgh_id"))
    changed = []  # per event: [(field, before, after)], values back in Python form
    for index, event in enumerate(events):
        if index == 0:
            pairs = [(name, None, value) for name, value in (event.pgh_data or {}).items()]
        else:
            pairs = [(name, values[0], values[1]) for name, values in (event.pgh_diff or {}).items()]
        changed.append(
            [
                (fields[name], _from_json(fields[name], before), _from_json(fields[name], after))
                for name, before, after in pairs
                if name in fields
            ]
        )
    user_ids = {(e.pgh_context or {}).get("user") for e in events}
    users = get_user_model().objects.in_bulk([u for u in user_ids if u])
    wanted = defaultdict(set)
    for field, before, after in (change for event_changes in changed for change in event_changes):
        if field.is_relation:
            wanted[field].update(v for v in (before, after) if v is not None)
    related = {}
    for field, ids in wanted.items():
        for pk, obj in field.related_model._base_manager.in_bulk(ids).items():
            related[(field.name, pk)] = obj
    result = []
    for index, (event, event_changes) in enumerate(zip(events, changed, strict=True)):
        first = index == 0
        changes = [
            Change(
                str(field.verbose_name),
                "" if first else _display(field, before, related),
                _display(field, after, related),
            )
            for field, before, after in sorted(event_changes, key=lambda c: list(fields.values()).index(c[0]))
            if not (first and after in (None, "", False))
        ]
        if changes or first:
            context = event.pgh_context or {}
            result.append(
                Entry(
                    at=event.pgh_created_at,
                    user=users.get(context.get("user")),
                    kind=str(_("创建")) if first else str(_("修改")),
                    reason=context.get("reason", ""),
                    changes=changes,
                )
            )
    return result
