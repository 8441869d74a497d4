import pytest

from education.factories import EducationIndexPageFactory, TopicPageFactory


@pytest.fixture
def topic(home_page):
    """A topic page under the education index: where editors add articles."""
    return TopicPageFactory(parent=EducationIndexPageFactory(parent=home_page))
