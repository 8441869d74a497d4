"""Raw SQL against modelsearch's SQLite FTS5 table (modelsearch_indexentry_fts).

Relied on: the virtual table's columns are (autocomplete, body, title) in that order, its rowid
is the IndexEntry's id, and modelsearch's query compiler turns a query into an FTS5 MATCH
string through MatchExpression. Imported only when the database is SQLite (modelsearch
defines its FTS model only then).

Why raw SQL: modelsearch joins the FTS table to the index entries filtered by content type,
and SQLite's planner then walks every entry of the type and re-runs the full-text query for
each (0.6 s for 3,000 articles); and its bm25() weighs a title like the body. Forcing the FTS
table to drive the join (CROSS JOIN) makes it a lookup, and bm25() per column ranks a word
in the title above the same word in the body.
"""

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import IndexEntry, SQLiteFTSIndexEntry

__all__ = ["FTS_COLUMNS", "SQLiteMatchFirstMixin", "SQLiteSearchBackend", "ranked_matches"]

FTS_COLUMNS = ("autocomplete", "body", "title")
# bm25() weights columns before it saturates term frequency, so a heavy title weight is lost
# in a long body: the body's and the title's scores are taken apart and the title's counts
# three times (as on the engine).
BODY_SCORE = "bm25({fts}, 0, 1, 0)"
TITLE_SCORE = "bm25({fts}, 0, 0, 1)"
TITLE_WEIGHT = 3


def _match_string(compiler) -> str:
    match = MatchExpression(
        compiler.fields or compiler.FTS_TABLE_FIELDS,
        compiler.build_search_query(normalize(compiler.query), config=None),
    )
    connection = connections[compiler.queryset.db]
    _template, (match_string,) = match.as_sql(
        Query(SQLiteFTSIndexEntry).get_compiler(connection=connection), connection
    )
    return match_string


def _from_where(compiler) -> tuple[str, list]:
    fts = SQLiteFTSIndexEntry._meta.db_table
    entries = IndexEntry._meta.db_table
    content_types = get_descendants_content_types_pks(compiler.queryset.model)
    # Table names from the models; the query and the content types are parameters.
    sql = (
        f"FROM {fts} CROSS JOIN {entries} AS entry ON entry.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s "
        f"AND entry.content_type_id IN ({', '.join(['%s'] * len(content_types))})"
    )
    return sql, [_match_string(compiler), *content_types]


class SQLiteMatchFirstMixin:
    """Unranked searches (the related list, autocomplete, the admin): the FTS table first."""

    def search(self, config, start, stop, score_field=None):
        query = normalize(self.query)
        if self.order_by_relevance or score_field is not None or isinstance(query, (MatchAll, Not)):
            return super().search(config, start, stop, score_field)
        from_where, params = _from_where(self)
        ids = RawSQL(f"SELECT entry.object_id {from_where}", params)  # noqa: S611
        queryset = self.queryset.filter(pk__in=ids)
        if not queryset.query.order_by:
            queryset = queryset.order_by("-pk")
        return queryset[start:stop]


def ranked_matches(backend, query, queryset: QuerySet) -> list[tuple[object, float]]:
    """(pk, score) of every object of the queryset matching the query, higher scores better."""
    compiler = backend.query_compiler_class(queryset, query)
    from_where, params = _from_where(compiler)
    fts = SQLiteFTSIndexEntry._meta.db_table
    score = f"-({BODY_SCORE} + {TITLE_WEIGHT} * {TITLE_SCORE})".format(fts=fts)
    sql = f"SELECT entry.object_id, {score} {from_where}"  # noqa: S608
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        scores = dict(cursor.fetchall())
    if not scores:
        return []
    ids = RawSQL(f"SELECT entry.object_id {from_where}", params)  # noqa: S611
    visible = queryset.filter(pk__in=ids).prefetch_related(None).values_list("pk", flat=True)
    return [(pk, scores[str(pk)]) for pk in visible]
