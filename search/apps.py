from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("搜索")

    def ready(self):
        from . import indexing, sources
        from .models import Synonym
        from .query import forget_synonyms

        sources.register()
        indexing.connect_signals()
        post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-deleted")
