"""What education makes searchable: its live, public articles and activities."""

from django.utils.translation import gettext_lazy as _

from search.registry import register_public

from .models import ActivityPage, ArticlePage


def register() -> None:
    for key, label, model, position in (
        ("article", _("文章"), ArticlePage, 10),
        ("activity", _("活动"), ActivityPage, 20),
    ):
        register_public(
            key=key,
            label=label,
            model=model,
            queryset=lambda model=model: model.objects.live(),
            position=position,
        )
