"""home/page_tree.py answers as Wagtail does: the contract of the seam."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from education.factories import ArticlePageFactory, EducationIndexPageFactory, TopicPageFactory
from education.models import ArticlePage
from home.page_tree import public, route_by_url_path, view_restrictions
from honours.factories import HonourEntryPageFactory, HonourRollPageFactory


def wagtail_route(path: str):
    root = Site.objects.get(is_default_site=True).root_page.specific
    return Page.route(root, RequestFactory().get(path), [p for p in path.split("/") if p])


def our_route(path: str):
    root = Site.objects.get(is_default_site=True).root_page
    return route_by_url_path(root, RequestFactory().get(path), [p for p in path.split("/") if p])


def comparable(route) -> tuple:
    """A route result with a routable page's view named rather than bound to one instance."""
    page, args, kwargs = route
    args = tuple(getattr(arg, "__name__", arg) for arg in args)
    return page.pk, type(page), args, kwargs


def test_every_page_routes_to_what_wagtail_finds(demo_site):
    paths = [page.url for page in Page.objects.live().filter(depth__gt=1)]
    entry = demo_site.type(HonourEntryPageFactory._meta.model).first()
    paths += [f"{entry.url}xibao/", "/no-such-page/", "/education/no-such-topic/x/"]
    for path in paths:
        try:
            expected = wagtail_route(path)
        except Http404:
            with pytest.raises(Http404):
                our_route(path)
            continue
        assert comparable(our_route(path)) == comparable(expected), path


def test_a_draft_is_not_found_even_below_a_live_page(client, home_page):
    topic = TopicPageFactory(parent=EducationIndexPageFactory(parent=home_page))
    draft = ArticlePageFactory(parent=topic, live=False)
    with pytest.raises(Http404):
        our_route(draft.url_path.removeprefix(home_page.url_path.rstrip("/")))
    assert client.get(f"{topic.url}{draft.slug}/").status_code == 404


def test_restrictions_and_public_agree_with_wagtail(client, home_page):
    roll = HonourRollPageFactory(parent=home_page)
    entry = HonourEntryPageFactory(parent=roll, person_name="示例甲")
    topic = TopicPageFactory(parent=EducationIndexPageFactory(parent=home_page))
    open_article = ArticlePageFactory(parent=topic)
    PageViewRestriction.objects.create(
        page=roll, restriction_type=PageViewRestriction.PASSWORD, password="示例口令"
    )
    for page in (entry, roll, open_article, home_page):
        assert set(view_restrictions(page)) == set(Page.get_view_restrictions(page))
    pages = Page.objects.filter(depth__gt=1)
    assert set(public(pages)) == set(pages.public())
    # Served through the routing middleware, the restricted entry still asks for the password.
    response = client.get(entry.url)
    assert response.status_code == 200 and "示例甲" not in response.content.decode()
    assert "password" in response.content.decode()
    assert client.get(open_article.url).status_code == 200


def test_breadcrumbs_come_from_the_routing(client, home_page, django_assert_max_num_queries):
    topic = TopicPageFactory(parent=EducationIndexPageFactory(parent=home_page), title="示例专题")
    article = ArticlePageFactory(parent=topic, title="示例文章")
    html = client.get(article.url).content.decode()
    assert f'<a href="{topic.url}">示例专题</a>' in html
    assert '<li aria-current="page">示例文章</li>' in html
    assert ArticlePage.objects.get(pk=article.pk).breadcrumb_pages()[-1].pk == topic.pk
