"""The seam with Wagtail's page tree: the same answers as Wagtail's own routing, view
restrictions and `PageQuerySet.public()`, in a fixed number of queries.

Wagtail walks a URL one level at a time (two queries per level), asks for view restrictions
in two more, and `public()` reads every restriction before the query it filters. These keep
Wagtail's rules at two queries for routing and restrictions together, and none for
`public()`. The one internal they rely on is `request._wagtail_route_for_request`, where
`Page.route_for_request` keeps its answer; tests/home/test_page_tree.py pins that they answer
as Wagtail does.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Length, Substr
from django.http import Http404
from wagtail.models import Page, PageViewRestriction, Site


class PageRoutingMiddleware:
    """Routes requests for Wagtail's `serve` view with `route_by_url_path`, and leaves the
    result where `Page.route_for_request` looks first (`request._wagtail_route_for_request`),
    so Wagtail's view, hooks and `Page.find_for_request` all use it."""

    def __init__(self, get_response):
        from wagtail.views import serve  # loads models: not before the apps are ready

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.wagtail_serve or hasattr(request, "_wagtail_route_for_request"):
            return None
        site = Site.find_for_request(request)
        root = site.root_page if site else None
        if root is None or not _routes_like_a_page(root):
            return None  # Wagtail routes it
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        path_components = [part for part in path.split("/") if part]
        try:
            request._wagtail_route_for_request = route_by_url_path(root, request, path_components)
        except Http404:
            request._wagtail_route_for_request = None
        return None


def route_by_url_path(root: Page, request, path_components: list[str]):
    """Wagtail's `Page.route` from `root`, with the page and its ancestors read in one query
    (and whether any of them is restricted), then the page's own fields in a second.

    Each URL prefix is some page's `url_path` (a parent's plus the child's slug). Where a page
    on the way routes its own way (a routable page), it takes over with the rest of the path,
    as it would under Wagtail's walk.
    """
    prefixes = [
        root.url_path + "".join(f"{part}/" for part in path_components[:n])
        for n in range(1, len(path_components) + 1)
    ]
    restricted = PageViewRestriction.objects.filter(
        page_id=Coalesce(OuterRef("alias_of_id"), OuterRef("id"))
    )
    rows = Page.objects.filter(
        Q(path__in=_ancestor_paths(root)) | Q(url_path__in=prefixes, path__startswith=root.path)
    ).annotate(restricted=Exists(restricted))
    above_root = [page for page in rows if page.depth <= root.depth]
    found = {page.url_path: page for page in rows if page.depth > root.depth}
    root = next((page for page in above_root if page.pk == root.pk), root)
    chain = [root]
    for prefix in prefixes:
        page, parent = found.get(prefix), chain[-1]
        if page is None or page.depth != parent.depth + 1 or not page.path.startswith(parent.path):
            break
        if parent is not root and not _routes_like_a_page(parent):
            break
        chain.append(page)
    remaining = path_components[len(chain) - 1 :]
    target = chain[-1].specific
    if len(chain) > 1:
        target._cached_parent_obj = chain[-2]
    # Breadcrumbs and the view-restriction check then need no query of their own.
    target.routed_ancestors = [page for page in above_root if page.depth < root.depth] + chain[:-1]
    target.routed_unrestricted = not any(page.restricted for page in above_root + chain)
    if remaining and _routes_like_a_page(target):
        raise Http404
    return target.route(request, remaining)


def _ancestor_paths(page: Page) -> list[str]:
    """The paths of the page and its ancestors (the tree's paths are steps of `steplen`)."""
    return [page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)]


def _routes_like_a_page(page: Page) -> bool:
    return page.specific_class is None or page.specific_class.route is Page.route


def view_restrictions(page: Page) -> QuerySet:
    """`Page.get_view_restrictions()` in one query: restrictions on the page or an ancestor,
    an alias counting as the page it copies."""
    if getattr(page, "routed_unrestricted", False):
        return PageViewRestriction.objects.none()
    checked = Page.objects.filter(path__in=_ancestor_paths(page)).annotate(
        source=Coalesce("alias_of_id", "id")
    )
    return PageViewRestriction.objects.filter(page_id__in=checked.values("source"))


def public(queryset: QuerySet) -> QuerySet:
    """`PageQuerySet.public()` without reading the restrictions first: a page is private when a
    restricted page's path begins its own (the restricted page or one below it)."""
    restricted_above = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return queryset.exclude(Exists(restricted_above))


def live_and_public(pages) -> QuerySet:
    """The live pages of a page manager or queryset that anyone may see."""
    return public(pages.live())
