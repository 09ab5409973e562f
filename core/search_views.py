"""The header search's results page: the matches the user may see, grouped by kind (core.search)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import search as registry
from core.forms import SearchForm


@require_GET
def search(request):
    form = SearchForm(request.GET, kinds=registry.kinds())
    kind = form.kind(request.GET.get("kind"))
    valid = form.is_valid()
    text = form.cleaned_data["q"] if valid else ""
    groups = registry.search(request.user, text, kind=kind) if valid else []
    return render(
        request,
        "core/search.html",
        {
            "form": form,
            "groups": groups,
            "kind": kind,
            "kind_title": form.kinds.get(kind, ""),
            "found": any(group.hits for group in groups),
            "search_text": text,
        },
    )
