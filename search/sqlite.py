"""The SQLite part of the database backend; imported only when the database is SQLite
(modelsearch defines its FTS model only then)."""

from django.db import connections
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import IndexEntry, SQLiteFTSIndexEntry

__all__ = ["SQLiteMatchFirstMixin", "SQLiteSearchBackend"]


class SQLiteMatchFirstMixin:
    """SQLite: find the matching index entries first, then the objects.

    modelsearch joins the FTS table to the index entries filtered by content type, and
    SQLite's planner then walks every entry of the type and re-runs the full-text query for
    each (0.6 s for 3,000 articles). Forcing the FTS table to drive the join (CROSS JOIN)
    makes it a lookup. Only unranked searches take this path (search.engine orders the
    database's results by its tiers, newest first); ranked ones stay modelsearch's own.
    """

    def search(self, config, start, stop, score_field=None):
        query = normalize(self.query)
        if self.order_by_relevance or score_field is not None or isinstance(query, (MatchAll, Not)):
            return super().search(config, start, stop, score_field)
        match = MatchExpression(
            self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
        )
        connection = connections[self.queryset.db]
        _template, (match_string,) = match.as_sql(
            Query(SQLiteFTSIndexEntry).get_compiler(connection=connection), connection
        )
        fts = SQLiteFTSIndexEntry._meta.db_table
        entries = IndexEntry._meta.db_table
        content_types = get_descendants_content_types_pks(self.queryset.model)
        # Table names from the models; the query and the content types are parameters.
        ids = RawSQL(  # noqa: S611
            f"SELECT entry.object_id FROM {fts} CROSS JOIN {entries} AS entry "  # noqa: S608
            f"ON entry.id = {fts}.rowid WHERE {fts} MATCH %s "
            f"AND entry.content_type_id IN ({', '.join(['%s'] * len(content_types))})",
            [match_string, *content_types],
        )
        queryset = self.queryset.filter(pk__in=ids)
        if not queryset.query.order_by:
            queryset = queryset.order_by("-pk")
        return queryset[start:stop]
