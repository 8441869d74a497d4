"""What the search app stores: editors' synonyms, index updates waiting for the engine,
searches that found nothing, and the staff-only view of service requests in the index."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query
from wagtail.search import index

from services.models import ServiceRequest

TERM_SEPARATORS = re.compile(r"[,，、;；\s]+")


class Synonym(models.Model):
    """Words that mean the same to the people searching: a query for one finds the others."""

    terms = models.CharField(
        _("同义词"),
        max_length=300,
        help_text=_(
            "用逗号分隔，例如：军娃, 军人子女。搜索其中任何一个词，都会找到含有其他词的内容。"
        ),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["terms"]

    def __str__(self):
        return "，".join(self.term_list())

    def term_list(self) -> list[str]:
        return list(dict.fromkeys(term for term in TERM_SEPARATORS.split(self.terms) if term))

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("请至少填写两个词，用逗号分隔。")})


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


class IndexedServiceRequest(index.Indexed, ServiceRequest):
    """Service requests as staff search sees them: codes and labels only.

    Names, phone numbers, ID numbers and children's details are never indexed, masked or not:
    the index outlives anonymisation until the next update, and staff search finds a request
    by its reference, type, street and status.
    """

    search_fields = [
        index.SearchField("reference", boost=5),
        index.SearchField("get_request_type_display"),
        index.SearchField("get_district_display"),
        index.SearchField("get_status_display"),
        index.FilterField("id"),
        index.FilterField("request_type"),
        index.FilterField("district"),
        index.FilterField("status"),
    ]

    class Meta:
        proxy = True
        verbose_name = _("军属服务申请（检索）")
        verbose_name_plural = _("军属服务申请（检索）")
