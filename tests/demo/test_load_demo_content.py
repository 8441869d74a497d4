import io
from pathlib import Path

from django.core.management import call_command
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from education.models import ActivityPage, ArticlePage
from honours.models import HonourEntryPage

SOURCES = Path(__file__).resolve().parents[2] / "demo" / "sources"


def _load():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def test_demo_content_is_made_from_the_district_documents(db):
    _load()
    articles = ArticlePage.objects.live()
    assert articles.count() >= 12
    assert HonourEntryPage.objects.live().count() >= 12
    assert ActivityPage.objects.live().count() >= 3
    documents = sorted(SOURCES.glob("*.txt"))
    assert len(documents) == 5, f"the district's documents belong in {SOURCES}"
    source_text = "".join(p.read_text(encoding="utf-8") for p in documents).replace("*", "党")
    normalised_source = source_text.replace(",", "，")
    for article in articles:
        paragraphs = [
            block.value.source for block in article.body if block.block_type == "paragraph"
        ]
        assert len(paragraphs) >= 3, article.title
        # Real paragraphs: each one stands in a source document.
        sample = paragraphs[0].removeprefix("<p>").removesuffix("</p>")[:30]
        assert sample in source_text or sample.replace(",", "，") in normalised_source, (
            article.title
        )
        assert article.cover_image is not None


def test_loading_twice_changes_nothing(db):
    first = _load()
    counts = (Page.objects.count(), Revision.objects.count(), Image.objects.count())
    second = _load()
    assert "新建" in first and "项内容" in first
    assert "没有改动" in second
    assert (Page.objects.count(), Revision.objects.count(), Image.objects.count()) == counts


def test_demo_site_pages_render(client, demo_site):
    for page in demo_site.filter(depth__gte=2).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
