"""What a queryset allows, as engine filter clauses, from modelsearch's own compiler.

Relied on: an engine backend's query_compiler_class(queryset, MATCH_ALL).get_filters() returns
the queryset's filters (live, public, content type, listed …) as a list of query-DSL dicts.
Using it keeps the engine and the database agreeing on what is shown without our translating
Django lookups ourselves.
"""

from elasticsearch.dsl import Q
from modelsearch.query import MATCH_ALL


def engine_filter(backend, queryset) -> Q:
    compiler = backend.query_compiler_class(queryset, MATCH_ALL)
    return Q("bool", filter=[Q(clause) for clause in compiler.get_filters()])
