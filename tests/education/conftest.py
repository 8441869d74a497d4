import pytest

from education.factories import EducationIndexPageFactory, TopicPageFactory


@pytest.fixture
def education_index(home_page):
    return EducationIndexPageFactory(parent=home_page)


@pytest.fixture
def topic(education_index):
    return TopicPageFactory(parent=education_index, title="国防知识", slug="guofang-zhishi")
