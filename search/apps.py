from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("搜索")

    def ready(self):
        from wagtail.contrib.search_promotions.models import SearchPromotion

        from . import indexing, sources
        from .models import Synonym
        from .query import forget_synonyms

        sources.register()
        indexing.connect_signals()
        post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-deleted")
        # Promoted results are shown on kept search pages; they are no snippet, so the page
        # cache is not told of their edits by itself.
        for signal in (post_save, post_delete):
            signal.connect(
                _promotions_changed,
                sender=SearchPromotion,
                dispatch_uid=f"search-promotions-{id(signal)}",
            )


def _promotions_changed(sender, **kwargs) -> None:
    from home.page_cache import page_content_changed

    page_content_changed()
