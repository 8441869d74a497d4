"""What every public listing does with its query string: filters, pages, links that keep both."""

from django.core.paginator import Paginator
from django.http import HttpRequest


def parse_year(value: str | None) -> int | None:
    """A year from a query string, or None for anything that is not a plausible year."""
    if value and value.isdigit() and 1900 <= int(value) <= 2100:
        return int(value)
    return None


def paginate(request: HttpRequest, items, per_page: int) -> dict:
    """The requested page of items, and the query string its page links start with.

    Any page number, even a wrong one, gives a page: a bad link never shows an error.
    """
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": Paginator(items, per_page).get_page(request.GET.get("page")),
        "query_without_page": query.urlencode() + "&" if query else "",
    }
