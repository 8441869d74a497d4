"""Factories for the honour roll, used by the tests and the benchmarks."""

import factory
import wagtail_factories

from .models import HonourEntryPage, HonourKind, HonourRollPage


class HonourRollPageFactory(wagtail_factories.PageFactory):
    title = "光荣榜"
    slug = "honours"

    class Meta:
        model = HonourRollPage


class HonourEntryPageFactory(wagtail_factories.PageFactory):
    title = factory.LazyAttribute(lambda o: f"{o.person_name} · 最美退役军人")
    slug = factory.Sequence(lambda n: f"honour-{n}")
    kind = HonourKind.VETERAN
    year = 2025
    person_name = factory.Sequence(lambda n: f"王{n}")
    unit = "沙坪坝区磁器口街道"
    citation = "退役不褪色，带领退役军人志愿服务队参与社区治理。"

    class Meta:
        model = HonourEntryPage
