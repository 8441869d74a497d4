"""Factories for merchants, used by the tests and the benchmarks."""

import factory

from .models import Merchant, MerchantCategory, Offer


class MerchantFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"拥军商户{n}")
    slug = factory.Sequence(lambda n: f"merchant-{n}")
    category = MerchantCategory.FOOD
    street = "磁器口街道"
    address = "磁器口古镇正街"

    class Meta:
        model = Merchant


class OfferFactory(factory.django.DjangoModelFactory):
    merchant = factory.SubFactory(MerchantFactory)
    title = "凭优待证消费九折"

    class Meta:
        model = Offer
