"""Raw SQL against modelsearch's SQLite FTS5 table (modelsearch_indexentry_fts).

Relied on: the virtual table's columns are (autocomplete, body, title) in that order, its rowid
is the IndexEntry's id, and modelsearch's query compiler turns a query into an FTS5 MATCH
string through MatchExpression. Imported only when the database is SQLite (modelsearch
defines its FTS model only then).

Why raw SQL: modelsearch joins the FTS table to the index entries filtered by content type,
and SQLite's planner then walks every entry of the type and re-runs the full-text query for
each (0.6 s for 3,000 articles); and its bm25() weighs a title like the body. Forcing the FTS
table to drive the join (CROSS JOIN) makes it a lookup, and bm25() per column ranks a word
in the title above the same word in the body. And one statement answers for every type a
search covers, each entry tried against the keys its type's queryset may show (a subquery),
where modelsearch would take two queries per type.
"""

from django.db import connections
from django.db.models import CharField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql import Query
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import IndexEntry, SQLiteFTSIndexEntry

__all__ = ["FTS_COLUMNS", "SQLiteMatchFirstMixin", "SQLiteSearchBackend", "matches_across"]

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


def _keys_sql(queryset: QuerySet) -> tuple[str, list]:
    """The queryset's keys as text (IndexEntry.object_id is text), as a subquery."""
    keys = queryset.order_by().values(key=Cast("pk", output_field=CharField()))
    return keys.query.get_compiler(using=queryset.db).as_sql()


def matches_across(
    backend, query, querysets: list[QuerySet], *, scored: bool = True
) -> list[tuple[int, str, float, int]]:
    """(index of the queryset, object_id, score, content type) of every object of the
    querysets matching the query, in one statement; higher scores better (0 when not
    `scored`). An object is given to the first queryset that holds it."""
    fts = SQLiteFTSIndexEntry._meta.db_table
    entries = IndexEntry._meta.db_table
    cases, case_params, every_type = [], [], []
    for index, queryset in enumerate(querysets):
        content_types = get_descendants_content_types_pks(queryset.model)
        every_type.extend(content_types)
        keys, keys_params = _keys_sql(queryset)
        cases.append(
            f"WHEN entry.content_type_id IN ({', '.join(['%s'] * len(content_types))}) "
            f"AND entry.object_id IN ({keys}) THEN {index}"
        )
        case_params.extend([*content_types, *keys_params])
    score = f"-({BODY_SCORE} + {TITLE_WEIGHT} * {TITLE_SCORE})".format(fts=fts) if scored else "0"
    compiler = backend.query_compiler_class(querysets[0], query)
    # Table names from the models, keys from the querysets' own SQL; values are parameters.
    sql = (
        f"SELECT kind, object_id, score, content_type_id FROM (SELECT "  # noqa: S608
        f"CASE {' '.join(cases)} END AS kind, entry.object_id AS object_id, "
        f"{score} AS score, entry.content_type_id AS content_type_id "
        f"FROM {fts} CROSS JOIN {entries} AS entry ON entry.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s "
        f"AND entry.content_type_id IN ({', '.join(['%s'] * len(every_type))})) "
        "WHERE kind IS NOT NULL"
    )
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(sql, [*case_params, _match_string(compiler), *every_type])
        return cursor.fetchall()
