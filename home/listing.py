"""What every public listing does: filters and pages from its query string, links that keep
both, and images prefetched with their renditions.

Templates read prefetched renditions with `{% srcset_image image spec as found %}` (one spec or
several; `found.renditions` in the order given), not `{% image %}`: Wagtail's `get_rendition`
writes the rendition back to the cache on every render, `get_renditions` only when it was not
prefetched (a Redis write per picture per render otherwise)."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from wagtail.images import get_image_model


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


def with_image_renditions(queryset: QuerySet, *, field: str, rendition: str | None) -> QuerySet:
    """The queryset with each row's image in `field` (joined) and that image's rendition
    (one more query), so a listing that shows them costs two queries whatever its length.
    Without `rendition`, the caller gathers renditions itself (prefetch_renditions)."""
    if rendition is None:
        return queryset.select_related(field)
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=rendition)
    return queryset.select_related(field).prefetch_related(
        Prefetch(f"{field}__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )


def read_page_images(page, *, body_images: list, body_renditions: list[str]) -> None:
    """One query for the renditions a page shows: those of its body's images, and those of
    its own images (`page.own_image_renditions()`, e.g. a cover), read with the image itself
    so the page's foreign key costs no query either. A rendition that does not exist yet is
    made by the template's first use."""
    own = {
        getattr(page, f"{field}_id"): (field, renditions)
        for field, renditions in page.own_image_renditions().items()
        if getattr(page, f"{field}_id") is not None
    }
    body_images = [image for image in body_images if image is not None]
    if not own and not body_images:
        return
    wanted = Q(image_id__in=[image.pk for image in body_images], filter_spec__in=body_renditions)
    for image_id, (_field, renditions) in own.items():
        wanted |= Q(image_id=image_id, filter_spec__in=renditions)
    found = list(
        get_image_model().get_rendition_model().objects.select_related("image").filter(wanted)
    )
    for image in body_images:
        image.prefetched_renditions = [
            r for r in found if r.image_id == image.pk and r.filter_spec in body_renditions
        ]
    for image_id, (field, renditions) in own.items():
        mine = [r for r in found if r.image_id == image_id and r.filter_spec in renditions]
        if mine:
            image = mine[0].image
            image.prefetched_renditions = mine
            setattr(page, field, image)


def prefetch_renditions(images, *, renditions: list[str]) -> None:
    """One query for the renditions of images gathered from several listings."""
    queryset = get_image_model().get_rendition_model().objects.filter(filter_spec__in=renditions)
    prefetch_related_objects(
        [image for image in images if image is not None],
        Prefetch("renditions", queryset=queryset, to_attr="prefetched_renditions"),
    )
