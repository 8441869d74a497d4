"""Matching and ranking on PostgreSQL from modelsearch's index entries, for every type a search
covers in one query.

Relied on: on PostgreSQL, IndexEntry.title and IndexEntry.body are tsvectors (the 'simple'
configuration over our segmented text) whose lexemes carry the weights modelsearch gives each
field's boost (summary above body); an entry points at its object by content type and
object_id (text); and modelsearch's query compiler turns a query into a tsquery with
build_tsquery(query, config=…), matched against title || body as its own search() does.
modelsearch's own ranking adds the title's and the body's ts_rank with the title scaled down
by its length, so a body repeating a word outranks a title holding it; here the title's rank
counts three times (as on SQLite and the engine) and both are normalised by length.
modelsearch would also take a query per type (and this module one more for the ranks).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import IndexEntry

TITLE_WEIGHT = 3
# ts_rank normalisation 1: divide by 1 + the logarithm of the document's length.
BY_LENGTH = 1


def _ranked_by(words):
    terms = None
    for word in dict.fromkeys(words):
        query = SearchQuery(word, config="simple", search_type="plain")
        terms = query if terms is None else terms | query
    if terms is None:
        return Value(0.0)
    return SearchRank(F("body"), terms, normalization=BY_LENGTH) + TITLE_WEIGHT * SearchRank(
        F("title"), terms, normalization=BY_LENGTH
    )


def matches_across(
    backend, query, querysets: list[QuerySet], *, words=()
) -> list[tuple[int, str, float, int]]:
    """(index of the queryset, object_id, score, content type) of every object of the
    querysets matching the query, in one query; scored for any of `words` (none: 0). An
    object is given to the first queryset that holds it."""
    compiler = backend.query_compiler_class(querysets[0], query)
    tsquery = compiler.build_tsquery(compiler.query, config=compiler.get_config(backend))
    whens, every_type = [], []
    for index, queryset in enumerate(querysets):
        content_types = get_descendants_content_types_pks(queryset.model)
        every_type.extend(content_types)
        keys = queryset.order_by().values(key=Cast("pk", output_field=CharField()))
        whens.append(
            When(Q(content_type_id__in=content_types, object_id__in=keys), then=Value(index))
        )
    entries = (
        IndexEntry.objects.filter(content_type_id__in=every_type)
        .annotate(vector=CombinedExpression(F("title"), "||", F("body")))
        .filter(vector=tsquery)
        .annotate(kind=Case(*whens, default=None, output_field=IntegerField()))
        .filter(kind__isnull=False)
        .annotate(score=_ranked_by(words))
    )
    return list(entries.values_list("kind", "object_id", "score", "content_type_id"))
