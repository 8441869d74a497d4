import pytest
from wagtail.models import Site

from education.factories import EducationIndexPageFactory, TopicPageFactory
from home.models import SiteContact


@pytest.fixture
def topic(home_page):
    """A topic page under the education index: where editors add articles."""
    return TopicPageFactory(parent=EducationIndexPageFactory(parent=home_page))


@pytest.fixture
def site_settings(db):
    """The default site's contact settings, made as a fresh site makes them on its first page."""
    return SiteContact.for_site(Site.objects.get(is_default_site=True))
