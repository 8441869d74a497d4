from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("首页与公共组件")

    def ready(self):
        from django.conf import settings

        from .page_cache import connect_invalidation
        from .translation_catalogues import merge_catalogues

        connect_invalidation()
        if settings.USE_I18N:
            merge_catalogues(settings.LANGUAGE_CODE)
