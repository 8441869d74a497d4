"""Ranking on PostgreSQL from modelsearch's index entries.

Relied on: on PostgreSQL, IndexEntry.title and IndexEntry.body are tsvectors (the 'simple'
configuration over our segmented text) whose lexemes carry the weights modelsearch gives each
field's boost (summary above body), and an entry points at its object by content type and
object_id. modelsearch's own ranking adds the title's and the body's ts_rank with the title
scaled down by its length, so a body repeating a word outranks a title holding it; here the
title's rank counts three times (as on SQLite and the engine) and both are normalised by
length.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import IndexEntry

TITLE_WEIGHT = 3
# ts_rank normalisation 1: divide by 1 + the logarithm of the document's length.
BY_LENGTH = 1


def entry_scores(model, object_ids: list[str], words) -> dict[str, float]:
    """object_id → score for the entries of these objects, ranked for any of the words."""
    if not object_ids or not words:
        return {}
    terms = None
    for word in dict.fromkeys(words):
        query = SearchQuery(word, config="simple", search_type="plain")
        terms = query if terms is None else terms | query
    entries = IndexEntry.objects.filter(
        content_type_id__in=get_descendants_content_types_pks(model), object_id__in=object_ids
    ).annotate(
        score=SearchRank(F("body"), terms, normalization=BY_LENGTH)
        + TITLE_WEIGHT * SearchRank(F("title"), terms, normalization=BY_LENGTH)
    )
    return dict(entries.values_list("object_id", "score"))
