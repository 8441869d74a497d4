from django.shortcuts import get_object_or_404, render

from home.listing import paginate

from .models import Merchant, MerchantCategory
from .selectors import merchant_directory, merchant_streets

MERCHANTS_PER_PAGE = 20


def directory(request):
    category = request.GET.get("category", "")
    category = category if category in MerchantCategory.values else ""
    streets = merchant_streets()
    street = request.GET.get("street", "")
    street = street if street in streets else ""
    merchants = merchant_directory(category=category or None, street=street or None)
    return render(
        request,
        "merchants/directory.html",
        {
            **paginate(request, merchants, MERCHANTS_PER_PAGE),
            "category_options": MerchantCategory.choices,
            "street_options": streets,
            "selected_category": category,
            "selected_street": street,
        },
    )


def detail(request, slug):
    merchant = get_object_or_404(Merchant.objects.filter(is_listed=True), slug=slug)
    return render(
        request, "merchants/detail.html", {"merchant": merchant, "offers": merchant.offers.all()}
    )
