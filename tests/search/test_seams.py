"""Contract tests for the library internals search/ leans on (search/seams/). Each fails
saying what changed, so an upgrade of jieba or modelsearch that breaks a seam is caught here,
not by a quietly worse search."""

import inspect
import os
import re
import tempfile

import pytest
from django.db import connection
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseMapping
from modelsearch.backends.opensearch3 import OpenSearch3SearchBackend
from modelsearch.query import MATCH_ALL, PlainText
from wagtail import blocks
from wagtail.search.models import IndexEntry

from education.models import ArticlePage
from search import chinese, health
from search.backends import ChineseMapping, OpenSearch2Backend
from search.conf import DATABASE_BACKEND
from search.seams import jieba_tokenizer
from search.seams.engine_filters import engine_filter
from search.seams.modelsearch_indexing import SegmentedObject, segmenting_backend_class
from search.seams.wagtail_stream_text import stream_text

from .conftest import engine_backends, engine_url, rebuild

pytestmark = pytest.mark.django_db


def test_jieba_keeps_its_cache_where_its_tmp_dir_and_cache_file_attributes_say():
    tokenizer = chinese.tokenizer()
    assert (tokenizer.tmp_dir, tokenizer.cache_file) == (
        tempfile.gettempdir(),
        jieba_tokenizer.CACHE_FILE,
    ), "jieba.Tokenizer no longer has tmp_dir/cache_file attributes as we set them"
    assert os.path.exists(os.path.join(tempfile.gettempdir(), jieba_tokenizer.CACHE_FILE)), (
        "jieba no longer writes its cache to tmp_dir/cache_file: see search/seams/jieba_tokenizer.py"
    )
    assert chinese.word_spans("国防教育") >= {(0, 2), (0, 4)}, (
        "jieba's tokenize(mode='search') no longer gives the shorter words inside long ones"
    )


def test_the_database_index_reads_fields_through_get_search_fields_and_get_value(settings, article):
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    page = article(title="国防教育进校园", summary="示例摘要")
    rebuild()
    entry = IndexEntry.objects.get(object_id=str(page.pk), content_type__model="articlepage")
    # SQLite holds the segmented text, PostgreSQL its lexemes; unsegmented, one token.
    assert {"国防", "教育"} <= set(re.findall(r"\w+", entry.title)), (
        "modelsearch's database index no longer reads a SegmentedObject's fields: see "
        "search/seams/modelsearch_indexing.py (the index holds unsegmented text)"
    )
    assert SegmentedObject(page).pk == page.pk


def test_the_backend_classes_may_swap_their_index_and_compilers():
    from modelsearch.backends.database import SearchBackend

    base = type(SearchBackend(dict(DATABASE_BACKEND)))
    for name in ("index_class", "query_compiler_class", "autocomplete_query_compiler_class"):
        assert hasattr(base, name), f"modelsearch's {base.__name__} has no {name} any more"
    built = segmenting_backend_class(base)
    assert issubclass(built, base) and issubclass(built.index_class, base.index_class)


def test_the_engine_mapping_builds_each_field_in_get_document_field_data(article):
    parameters = list(
        inspect.signature(ElasticsearchBaseMapping._get_document_field_data).parameters
    )
    assert parameters == ["self", "field", "obj"], (
        f"ElasticsearchBaseMapping._get_document_field_data now takes {parameters}"
    )
    page = article(title="国防教育进校园")
    document = ChineseMapping(ArticlePage).get_document(page)
    assert "国防 教育" in document["title"], (
        "modelsearch no longer builds the title through _get_document_field_data: the engine "
        "document holds unsegmented text"
    )


def test_the_engine_compiler_gives_a_querysets_filters_as_query_dsl(settings):
    settings.WAGTAILSEARCH_BACKENDS = engine_backends("http://127.0.0.1:1", "contract")
    backend = health.configured_engine()
    compiler = backend.query_compiler_class(ArticlePage.objects.live(), MATCH_ALL)
    filters = compiler.get_filters()
    assert isinstance(filters, list) and all(isinstance(clause, dict) for clause in filters)
    assert "live_filter" in str(filters), f"get_filters() no longer holds live: {filters}"
    assert "live_filter" in str(engine_filter(backend, ArticlePage.objects.live()).to_dict())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS table exists on SQLite only")
def test_the_sqlite_fts_table_has_the_columns_and_rowids_the_raw_sql_expects(settings, article):
    from wagtail.search.models import SQLiteFTSIndexEntry

    from search.seams.sqlite_fts import FTS_COLUMNS

    table = SQLiteFTSIndexEntry._meta.db_table

    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    article(title="国防教育进校园")
    rebuild()
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({table})")
        columns = tuple(row[1] for row in cursor.fetchall())
        cursor.execute(f"SELECT rowid FROM {table}")  # noqa: S608
        rowids = {row[0] for row in cursor.fetchall()}
    assert columns == FTS_COLUMNS, f"modelsearch's FTS5 table now has columns {columns}"
    assert rowids and rowids <= set(IndexEntry.objects.values_list("id", flat=True)), (
        "the FTS table's rowid is no longer the IndexEntry's id"
    )


def test_opensearch_2_is_served_through_the_opensearch3_backend(settings, article):
    url = engine_url()
    settings.WAGTAILSEARCH_BACKENDS = engine_backends(url, "contract-os2")
    backend = health.configured_engine()
    assert isinstance(backend, OpenSearch2Backend) and isinstance(backend, OpenSearch3SearchBackend)
    version = backend.es.info()["version"]["number"]
    assert version.startswith("2."), f"the test node runs OpenSearch {version}, not 2.x"
    try:
        article(title="国防教育进校园")
        rebuild()
        backend.refresh_indexes()
        from search import api

        assert [r.object.title for r in api.search_public("国防").results] == ["国防教育进校园"]
    finally:
        from .conftest import drop_indexes

        drop_indexes(url, "contract-os2")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index entries")
def test_postgresql_index_entries_are_weighted_tsvectors(settings, article):
    from django.contrib.postgres.search import SearchVectorField

    from search.seams.postgres_rank import matches_across

    for name in ("title", "body"):
        field = IndexEntry._meta.get_field(name)
        assert isinstance(field, SearchVectorField), f"IndexEntry.{name} is now {field!r}"
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    titled = article(title="民兵整组点验")
    mentioned = article(title="冬季拉练", summary="民兵参加拉练。")
    rebuild()
    found = matches_across(
        health.database_backend(), PlainText("民兵"), [ArticlePage.objects.all()], words=["民兵"]
    )
    scores = {object_id: score for _index, object_id, score, _type in found}
    assert scores[str(titled.pk)] > scores[str(mentioned.pk)] > 0


def test_one_query_matches_every_type_with_the_querysets_own_sql_as_subqueries(
    settings, article, django_assert_num_queries
):
    """The database backend's matching runs the querysets' SQL inside its own statement (raw
    SQL on SQLite, modelsearch's compiled tsquery on PostgreSQL): one query whatever their
    number, each object given to the first queryset that may show it."""
    from wagtail.models import Page

    from search.database_search import matches

    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    live = article(title="民兵整组点验")
    hidden = article(title="民兵训练计划")
    hidden.unpublish()
    rebuild()
    querysets = [
        ArticlePage.objects.live().filter(title__startswith="冬季"),
        ArticlePage.objects.live(),
        Page.objects.all(),
    ]
    with django_assert_num_queries(1):
        found = matches(PlainText("民兵"), querysets, words=["民兵"])
    assert {(index, pk) for index, pk, _score, _model in found} == {(1, live.pk), (2, hidden.pk)}


def test_a_streams_text_read_from_its_json_is_wagtails_own(
    demo_site, django_assert_max_num_queries
):
    """search/seams/wagtail_stream_text.py: the demo's bodies (headings, paragraphs, images,
    quotes, tables) and a video and a document, as Wagtail's get_searchable_content() reads
    them; and no image is read for it."""
    from education.models import ActivityPage

    block = ArticlePage._meta.get_field("body").stream_block
    bodies = [
        list(page.body.raw_data)
        for model in (ArticlePage, ActivityPage)
        for page in model.objects.all()
    ]
    extra = [
        {"type": "video", "value": {"video": "https://example.com/v", "caption": "示例视频说明"}},
        {"type": "document", "value": {"document": None, "title": "示例申请表"}},
    ]
    raws = [*bodies, extra]
    assert any(child["type"] == "image" for raw in bodies for child in raw)
    with django_assert_max_num_queries(0):
        ours = [stream_text(block, raw) for raw in raws]
    wagtails = [block.get_searchable_content(block.to_python(raw)) for raw in raws]
    assert ours == wagtails, (
        "A stream's text read from its JSON is no longer what Wagtail's get_searchable_content() "
        "gives: see search/seams/wagtail_stream_text.py"
    )
    assert "示例视频说明" in ours[-1] and "示例申请表" in ours[-1]
    # Lists, in the stored format of today and of before Wagtail 2.16.
    listed = blocks.ListBlock(blocks.CharBlock())
    for raw in ([{"type": "item", "value": "示例一", "id": "a"}], ["示例二"]):
        assert stream_text(listed, raw) == listed.get_searchable_content(listed.to_python(raw))
