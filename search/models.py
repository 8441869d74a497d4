"""What the search app stores: editors' synonyms, index updates waiting for the engine,
and searches that found nothing."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query

TERM_SEPARATORS = re.compile(r"[,，、;；\s]+")
# "军属, 军人家属 → 随军家属": the terms before the arrow also find those after it, not back.
ONE_WAY = re.compile(r"→|=>|->")


class Synonym(models.Model):
    """Words that mean the same to the people searching: a query for one finds the others."""

    terms = models.CharField(
        _("同义词"),
        max_length=300,
        help_text=_(
            "用逗号分隔，例如：军娃, 军人子女。搜索其中任何一个词，都会找到含有其他词的内容。"
            "含义宽窄不同时用箭头：军属 → 随军家属，搜索“军属”也会找到“随军家属”，反之不会。"
        ),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["terms"]

    def __str__(self):
        broad, narrow = self._sides()
        return "，".join(broad) + (" → " + "，".join(narrow) if narrow else "")

    def _sides(self) -> tuple[list[str], list[str]]:
        def terms(text):
            return list(dict.fromkeys(term for term in TERM_SEPARATORS.split(text) if term))

        broad, narrow = (ONE_WAY.split(self.terms, maxsplit=1) + [""])[:2]
        return terms(broad), terms(narrow)

    def term_list(self) -> list[str]:
        broad, narrow = self._sides()
        return list(dict.fromkeys(broad + narrow))

    def expansions(self) -> dict[str, list[str]]:
        """Each term → the terms a query for it also finds: the others on its side of the
        arrow (or of the whole set), and everything after the arrow; nothing back across it."""
        broad, narrow = self._sides()
        return {term: [other for other in broad if other != term] + narrow for term in broad}

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("请至少填写两个词，用逗号分隔。")})
        if len(ONE_WAY.findall(self.terms)) > 1:
            raise ValidationError({"terms": _("每组同义词最多使用一个箭头。")})


class PendingIndexUpdate(models.Model):
    """An object the engine has not taken yet (it was down): replayed by the catch-up.

    One row per object; whether it is indexed or removed is decided when it is replayed,
    from whether the object still exists, so the last change always wins.
    """

    model_label = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("待同步的索引更新")
        verbose_name_plural = _("待同步的索引更新")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["model_label", "object_id"], name="pending_index_update_unique"
            )
        ]

    def __str__(self):
        return f"{self.model_label}:{self.object_id}"


class ZeroResultDailyHits(models.Model):
    """How often a query found nothing, per day, beside search promotions' QueryDailyHits."""

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="zero_result_hits")
    date = models.DateField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("无结果搜索")
        verbose_name_plural = _("无结果搜索")
        constraints = [
            models.UniqueConstraint(fields=["query", "date"], name="zero_result_hits_unique")
        ]

    def __str__(self):
        return f"{self.query_id} {self.date}: {self.hits}"


class SearchEvent(models.Model):
    """One search served (rendered or kept), waiting to be counted: a single INSERT per search,
    rolled up into the editors' statistics by search.stats.search_events_roll_up(). Only
    recordable searches (search.stats.is_recordable) ever get a row."""

    query_string = models.CharField(max_length=255)  # normalised as search promotions' Query
    searched_on = models.DateField()  # the site's local day
    found = models.BooleanField()

    class Meta:
        verbose_name = _("待统计的搜索")
        verbose_name_plural = _("待统计的搜索")

    def __str__(self):
        return f"{self.searched_on} {self.query_string}"
