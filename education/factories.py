"""Factories for the education pages, used by the tests and the benchmarks."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from .models import ActivityIndexPage, ActivityPage, ArticlePage, EducationIndexPage, TopicPage


class EducationIndexPageFactory(wagtail_factories.PageFactory):
    title = "国防教育"
    slug = "education"

    class Meta:
        model = EducationIndexPage


class TopicPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"专题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = TopicPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"国防教育进校园活动第{n}期")
    slug = factory.Sequence(lambda n: f"article-{n}")
    date = datetime.date(2025, 9, 20)
    source = "区人武部"
    summary = "全民国防教育日前后，区人武部走进辖区中小学开展国防教育。"
    body = wagtail_factories.StreamFieldFactory({})

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted:
            self.tags.add(*extracted)
            if create:
                self.save_revision().publish() if self.live else self.save()


class ActivityIndexPageFactory(wagtail_factories.PageFactory):
    title = "活动"
    slug = "activities"

    class Meta:
        model = ActivityIndexPage


class ActivityPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"国防教育月主题活动{n}")
    slug = factory.Sequence(lambda n: f"activity-{n}")
    start_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "红岩革命纪念馆"
    organiser = "区人武部"

    class Meta:
        model = ActivityPage
