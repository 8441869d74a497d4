"""Factories for merchants, used by the tests and the benchmarks."""

import factory

from home.models import Street

from .models import Merchant, MerchantCategory, Offer


class MerchantFactory(factory.django.DjangoModelFactory):
    """A published merchant (live) in a seeded category and street; give it an offer to list it."""

    name = factory.Sequence(lambda n: f"拥军商户{n}（示例）")
    category = factory.LazyFunction(lambda: MerchantCategory.objects.get(code="food"))
    street = factory.LazyFunction(lambda: Street.objects.get(code="ciqikou"))
    address = "磁器口古镇正街"
    phone = "023-65000000"

    class Meta:
        model = Merchant


class OfferFactory(factory.django.DjangoModelFactory):
    merchant = factory.SubFactory(MerchantFactory)
    title = "凭优待证消费九折"
    for_serving = True
    for_veterans = True
    how_to_claim = "结账时出示优待证"

    class Meta:
        model = Offer
