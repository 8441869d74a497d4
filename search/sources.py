"""What the site search covers, type by type: the label people see and what is public.

The public search covers pages, documents and merchants; service requests are searched only
by staff (search.engine.search_service_requests), so they are not among these types.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, CollectionViewRestriction, Page


@dataclass(frozen=True)
class ResultType:
    key: str
    label: Promise
    model_label: str
    visible: Callable[[], QuerySet]
    url: Callable[[object], str] = lambda obj: url_of(obj)

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def queryset(self) -> QuerySet:
        """What of this type the public may find, in its most specific class."""
        queryset = self.visible()
        return queryset.specific() if issubclass(queryset.model, Page) else queryset


def url_of(obj) -> str:
    url = getattr(obj, "url", None)
    return url if url is not None else obj.get_absolute_url()


def _live_public(model_label: str) -> Callable[[], QuerySet]:
    return lambda: apps.get_model(model_label).objects.live().public()


PAGE_TYPES = {
    "article": "education.ArticlePage",
    "activity": "education.ActivityPage",
    "honour": "honours.HonourEntryPage",
}


def _other_pages() -> QuerySet:
    """Sections and topics: every other live, public page except the tree's root."""
    pages = Page.objects.live().public().filter(depth__gt=1)
    return pages.not_type(*(apps.get_model(label) for label in PAGE_TYPES.values()))


def _public_documents() -> QuerySet:
    from wagtail.documents import get_document_model

    restricted = set()
    for restriction in CollectionViewRestriction.objects.select_related("collection"):
        restricted.update(
            Collection.objects.descendant_of(restriction.collection, inclusive=True).values_list(
                "pk", flat=True
            )
        )
    documents = get_document_model().objects.all()
    return documents.exclude(collection_id__in=sorted(restricted)) if restricted else documents


def _listed_merchants() -> QuerySet:
    return apps.get_model("merchants.Merchant").objects.filter(is_listed=True)


PUBLIC_TYPES = (
    ResultType("article", _("文章"), PAGE_TYPES["article"], _live_public(PAGE_TYPES["article"])),
    ResultType("activity", _("活动"), PAGE_TYPES["activity"], _live_public(PAGE_TYPES["activity"])),
    ResultType("honour", _("光荣榜"), PAGE_TYPES["honour"], _live_public(PAGE_TYPES["honour"])),
    ResultType("merchant", _("优待商户"), "merchants.Merchant", _listed_merchants),
    ResultType("document", _("文件"), "wagtaildocs.Document", _public_documents),
    ResultType("page", _("栏目"), "wagtailcore.Page", _other_pages),
)
TYPES_BY_KEY = {result_type.key: result_type for result_type in PUBLIC_TYPES}
MERCHANTS = TYPES_BY_KEY["merchant"]
