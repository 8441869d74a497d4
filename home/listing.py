"""What every public listing does: filters and pages from its query string, links that keep
both, and images prefetched with their renditions."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from wagtail.images import get_image_model
from wagtail.models import Page


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


def public_pages(model: type[Page], *, within: Page) -> QuerySet:
    """The live, public pages of `model` below `within`: what a section's listing may show."""
    return model.objects.live().public().descendant_of(within)


def with_image_renditions(queryset: QuerySet, *, field: str, rendition: str) -> QuerySet:
    """The queryset with each row's image in `field` and that image's rendition prefetched,
    so a listing that shows them costs no query per row."""
    images = get_image_model().objects.prefetch_renditions(rendition)
    return queryset.prefetch_related(Prefetch(field, queryset=images))
