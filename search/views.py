import re
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import stats
from .api import search_public
from .chinese import MAX_QUERY_LENGTH
from .registry import public_type
from .suggestions import suggest as suggestions_for

# Control characters carry no meaning in a query, and PostgreSQL refuses NUL in the
# search statistics (a server error, found by tests/security).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

# Sections to offer when nothing is found.
BROWSE_LINKS = (
    ("/education/", _("国防教育")),
    ("/honours/", _("光荣榜")),
    ("/merchants/", _("优待商户")),
    ("/services/", _("军属服务")),
)


def _shareable(request, outcome) -> bool:
    """Whether the page cache may keep this answer for other readers: not when anything in the
    address holds personal numbers or codes (never in a cache, as never in the statistics),
    nor while the database stands in for the engine (the notice must not outlive the outage)."""
    address = " ".join(f"{key} {value}" for key, values in request.GET.lists() for value in values)
    return stats.is_recordable(address) and not outcome.degraded


@require_GET
def search(request):
    query = CONTROL_CHARACTERS.sub(" ", request.GET.get("q", "")).strip()[:MAX_QUERY_LENGTH]
    type_key = request.GET.get("type", "")
    selected = type_key if public_type(type_key) else ""
    outcome = search_public(
        query, types=[selected] if selected else (), page=request.GET.get("page", 1)
    )
    first_page = outcome.page.number == 1 and not selected
    counted = query and first_page
    if counted:
        stats.search_record(query=query, found=outcome.total > 0)
    params = {"q": query, **({"type": selected} if selected else {})}
    response = render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "outcome": outcome,
            "page_obj": outcome.page,
            "selected_type": selected,
            "promotions": stats.promotions_for(query) if counted else [],
            "query_without_page": urlencode(params) + "&",
            "query_without_type": urlencode({"q": query}),
            "all_count": sum(facet.count for facet in outcome.facets),
            "browse_links": BROWSE_LINKS,
        },
    )
    if not _shareable(request, outcome):
        add_never_cache_headers(response)
    elif counted:
        # Each time the page cache serves this page again, the search is counted again.
        response.page_cache_note = {
            stats.PAGE_CACHE_NOTE: {"query": query, "found": outcome.total > 0}
        }
    return response


@require_GET
def suggest(request):
    """Autocomplete for the search box: JSON, plain text only (the page builds the list
    with textContent)."""
    query = CONTROL_CHARACTERS.sub(" ", request.GET.get("q", "")).strip()
    suggestions = suggestions_for(query=query)
    return JsonResponse(
        {
            "query": query,
            "suggestions": [
                {"title": s.title, "url": s.url, "type": str(s.type.label)} for s in suggestions
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
