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

from core.people import user_label


def last_change(instance) -> dict | None:
    """When and by whom the record was last saved, from its newest history row."""
    event = instance.events.select_related("pgh_context").order_by("-pgh_id").first()
    if event is None:
        return None
    user = None
    if event.pgh_context is not None and event.pgh_context.metadata.get("user"):
        user = get_user_model().objects.select_related("person").filter(pk=event.pgh_context.metadata["user"]).first()
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


# Many-to-many sets whose changes show in a record's history: model → [(field, lookup from the link to
# the record)]. The sets' through models are tracked with ``core.models.track_links``.
LINK_HISTORIES: dict[type, list[tuple]] = defaultdict(list)


def register_link_history(model, field, to_record: str | None = None) -> None:
    """Show links added to and removed from ``field`` (a tracked many-to-many set) in ``model``'s
    history. ``to_record`` leads from the link to the record when the set belongs to a related record
    (a case's decision's measures: ``"decision__case"``); by default the set is the record's own."""
    LINK_HISTORIES[model].append((field, to_record or field.m2m_field_name()))


def _link_event_model(through):
    from django.apps import apps

    for model in apps.get_models():
        if getattr(model, "pgh_tracked_model", None) is through:
            return model
    raise LookupError(f"{through.__name__} is not tracked: decorate it with core.models.track_links()")


def _link_changes(instance) -> dict[tuple, dict]:
    """The link events of the record's sets, grouped by the change they belong to (one context and
    one transaction time): {(context id, time): {"context": metadata, "changes": [Change]}}. One query
    per set: the events with the linked records and their contexts. Within a change the linked records
    are named in the order they were created (the order of the inserts follows a Python set's)."""
    groups: dict[tuple, dict] = {}
    for field, to_record in LINK_HISTORIES.get(type(instance), ()):
        event_model = _link_event_model(field.remote_field.through)
        item = field.m2m_reverse_field_name()
        events = (
            event_model.objects.filter(**{to_record: instance.pk})
            .select_related(item, "pgh_context")
            .order_by("pgh_id")
        )
        per_change: dict[tuple, dict] = {}
        for event in events:
            key = (event.pgh_context_id, event.pgh_created_at)
            groups.setdefault(key, {"context": getattr(event.pgh_context, "metadata", None) or {}})
            names = per_change.setdefault(key, {"add": [], "remove": []})
            linked = getattr(event, item)
            names["remove" if event.pgh_label == "remove" else "add"].append((linked.pk, str(linked)))
        for key, names in per_change.items():
            parts = [
                f"{word}{'、'.join(name for _pk, name in sorted(found))}"
                for word, found in ((_("添加："), names["add"]), (_("移除："), names["remove"]))
                if found
            ]
            groups[key].setdefault("changes", []).append(Change(str(field.verbose_name), "", "；".join(parts)))
    return groups


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
        found = related.get((field.name, value))
        if found is None:
            return "—"
        if isinstance(found, get_user_model()):
            return user_label(found)  # a person's name, never a login
        return str(found)
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
    point to (one query per related model); and one per many-to-many set registered with
    ``register_link_history``, whose additions and removals join the change they were made in.
    """
    model = type(instance)
    # A model may hide more (``history_hidden_fields``): a code kept beside its label (等次代码 / 等次).
    hidden = HIDDEN_FIELDS | set(getattr(model, "history_hidden_fields", ()))
    fields = {f.attname: f for f in model._meta.concrete_fields if f.name not in hidden}
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
    links = _link_changes(instance)
    user_ids = {(e.pgh_context or {}).get("user") for e in events}
    user_ids |= {group["context"].get("user") for group in links.values()}
    users = get_user_model().objects.select_related("person").in_bulk([u for u in user_ids if u])
    wanted = defaultdict(set)
    for field, before, after in (change for event_changes in changed for change in event_changes):
        if field.is_relation:
            wanted[field].update(v for v in (before, after) if v is not None)
    related = {}
    for field, ids in wanted.items():
        related_rows = field.related_model._base_manager
        if field.related_model is get_user_model():
            related_rows = related_rows.select_related("person")  # named by the person (core.people)
        for pk, obj in related_rows.in_bulk(ids).items():
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
        changes += links.pop((event.pgh_context_id, event.pgh_created_at), {}).get("changes", [])
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
    # Set changes made without a change of the record's own fields (the scheme's form changing only its
    # targets) are entries of their own.
    for (_context_id, at), group in links.items():
        result.append(
            Entry(
                at=at,
                user=users.get(group["context"].get("user")),
                kind=str(_("修改")),
                reason=group["context"].get("reason", ""),
                changes=group["changes"],
            )
        )
    result.sort(key=lambda entry: entry.at)  # stable: the record's creation stays first
    return result
