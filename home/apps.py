from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("首页与公共组件")

    def ready(self):
        from .page_cache import connect_invalidation

        connect_invalidation()
