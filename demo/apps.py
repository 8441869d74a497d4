from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content made from the district's own documents, and the local set-up commands."""

    name = "demo"
    verbose_name = _("演示内容")
