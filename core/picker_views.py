"""The pickers' JSON (``core.pickers``): one page of the matches the user may choose.

Parameters: ``q`` (the typed text, at most ``core.search.MAX_LENGTH`` characters), ``page`` (1 on),
``within`` (an organisation id, for the kinds that narrow to a subtree), ``former=1`` (former and
transferred cadres too). Bad input answers 400 with a Chinese message; an unknown kind, or a
``within`` out of the user's scope, 404.
"""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import pickers, search
from core.forms import as_id


def _refused(message):
    return JsonResponse({"error": message}, status=400)


@require_GET
def picker(request, kind):
    source = pickers.KINDS.get(kind)
    if source is None:
        raise Http404
    text = " ".join(search._DROPPED.sub(" ", str(request.GET.get("q", ""))).split())
    if len(text) > search.MAX_LENGTH:
        return _refused(_("搜索内容不能超过 %(limit)s 个字。") % {"limit": search.MAX_LENGTH})
    page = as_id(request.GET.get("page") or "1")
    if page is None or not 1 <= page <= pickers.MAX_PAGE:
        return _refused(_("页码应是 1 至 %(max)s 之间的整数。") % {"max": pickers.MAX_PAGE})
    within = None
    if request.GET.get("within"):
        within = as_id(request.GET["within"])
        if within is None:
            return _refused(_("组织编号无效。"))
    rows, more = pickers.page_of(
        source,
        request.user,
        text=text,
        page=page,
        within=within,
        include_former=request.GET.get("former") == "1",
    )
    response = JsonResponse(
        {
            "results": [{"value": row.pk, "text": source.label(row), "detail": source.detail(row)} for row in rows],
            "more": more,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
