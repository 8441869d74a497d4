from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.listing import paginate

from .models import Merchant, MerchantCategory
from .selectors import merchant_directory, merchant_streets, nearest_first

MERCHANTS_PER_PAGE = 20
# The reader's location, rounded to about a kilometre, kept only in their session: it never
# appears in a URL or a log.
LOCATION_SESSION_KEY = "merchants_near"
LOCATION_DECIMALS = 2


def _origin(request) -> tuple[float, float] | None:
    stored = request.session.get(LOCATION_SESSION_KEY)
    return (stored[0], stored[1]) if stored else None


def directory(request):
    category = request.GET.get("category", "")
    category = category if category in MerchantCategory.values else ""
    streets = merchant_streets()
    street = request.GET.get("street", "")
    street = street if street in streets else ""
    merchants = merchant_directory(category=category or None, street=street or None)
    origin = _origin(request) if request.GET.get("sort") == "near" else None
    if origin is not None:
        merchants = nearest_first(merchants, origin=origin)
    return render(
        request,
        "merchants/directory.html",
        {
            **paginate(request, merchants, MERCHANTS_PER_PAGE),
            "category_options": MerchantCategory.choices,
            "street_options": streets,
            "selected_category": category,
            "selected_street": street,
            "sorted_by_distance": origin is not None,
        },
    )


def detail(request, slug):
    merchant = get_object_or_404(Merchant.objects.filter(is_listed=True), slug=slug)
    return render(
        request, "merchants/detail.html", {"merchant": merchant, "offers": merchant.offers.all()}
    )


def _back_to_directory(request, **extra):
    """The directory again, with the filters the reader had chosen."""
    query = {key: request.POST[key] for key in ("category", "street") if request.POST.get(key)}
    return redirect(f"{reverse('merchants:directory')}?{urlencode({**query, **extra})}")


@require_POST
def remember_location(request):
    """Stores the reader's approximate location for sorting the directory by distance."""
    if "clear" in request.POST:
        request.session.pop(LOCATION_SESSION_KEY, None)
        return _back_to_directory(request)
    try:
        latitude, longitude = float(request.POST["latitude"]), float(request.POST["longitude"])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueError
    except (KeyError, ValueError):
        messages.error(request, _("没有取得有效的位置，无法按距离排序。可以改用街道筛选。"))
        return _back_to_directory(request)
    request.session[LOCATION_SESSION_KEY] = [
        round(latitude, LOCATION_DECIMALS),
        round(longitude, LOCATION_DECIMALS),
    ]
    return _back_to_directory(request, sort="near")
