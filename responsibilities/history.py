"""Reading the history pghistory keeps: who changed a record last, and what differs now."""

from django import forms
from django.contrib.auth import get_user_model


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
