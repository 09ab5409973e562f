"""The header search's results page: the matches the user may see, grouped by kind (core.search)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import search as registry
from core.forms import SearchForm
from core.views import private_no_store


@require_GET
@private_no_store  # the hits may be confidential (cases and the people they concern)
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
            "short_text": valid and not registry.searches_long_text(text),
            "min_long_text": registry.MIN_LONG_TEXT,
        },
    )
