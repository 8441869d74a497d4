import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from home.clients import client_address
from home.listing import paginate

from . import rules
from .actions import offer_report_submit
from .forms import OfferReportForm
from .selectors import (
    DirectoryFilters,
    directory_categories,
    directory_streets,
    merchant_directory,
    nearest_first_ids,
    public_merchant,
    street_origin,
)

MERCHANTS_PER_PAGE = 20
# The reader's location, rounded to about a kilometre, kept only in their session: it never
# appears in a URL or a log.
LOCATION_SESSION_KEY = "merchants_near"
LOCATION_DECIMALS = 2
FILTER_KEYS = ("category", "street", "who", "q", "from")
KEYWORD_MAX_LENGTH = 50


def _origin(request) -> tuple[float, float] | None:
    stored = request.session.get(LOCATION_SESSION_KEY)
    return (stored[0], stored[1]) if stored else None


def _by_code(options, code):
    return next((option for option in options if option.code == code), None) if code else None


def _page_by_distance(request, merchants, origin):
    """One page of the merchants nearest first: the order is computed on keys, and only the
    page's merchants are loaded, so the cost does not grow with the directory."""
    ranked = nearest_first_ids(merchants, origin=origin)
    page = Paginator(ranked, MERCHANTS_PER_PAGE).get_page(request.GET.get("page"))
    loaded = merchants.in_bulk([pk for pk, _km in page.object_list])
    page.object_list = [loaded[pk] for pk, _km in page.object_list if pk in loaded]
    distances = dict(ranked)
    for merchant in page.object_list:
        merchant.distance_km = distances[merchant.pk]
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page, "query_without_page": query.urlencode() + "&" if query else ""}


def directory(request):
    categories = list(directory_categories())
    streets = list(directory_streets())
    who = rules.BENEFICIARIES_BY_KEY.get(request.GET.get("who", ""))
    filters = DirectoryFilters(
        category=_by_code(categories, request.GET.get("category")),
        street=_by_code(streets, request.GET.get("street")),
        who=who,
        keyword=" ".join(request.GET.get("q", "").split())[:KEYWORD_MAX_LENGTH],
    )
    merchants = merchant_directory(filters=filters)
    origin_street = _by_code(streets, request.GET.get("from"))
    origin = street_origin(origin_street) if origin_street else None
    near_me = origin is None and request.GET.get("sort") == "near"
    if near_me:
        origin = _origin(request)
    if origin is not None:
        listing = _page_by_distance(request, merchants, origin)
    else:
        listing = paginate(request, merchants, MERCHANTS_PER_PAGE)
    return render(
        request,
        "merchants/directory.html",
        {
            **listing,
            "filters": filters,
            "category_options": categories,
            "street_options": streets,
            "who_options": rules.BENEFICIARIES,
            "origin_options": [street for street in streets if street_origin(street)],
            "origin_street": origin_street if origin else None,
            "sorted_by_distance": origin is not None,
            "sorted_near_me": near_me and origin is not None,
        },
    )


def detail(request, pk):
    merchant = public_merchant(pk=pk)
    if merchant is None:
        raise Http404
    return render(request, "merchants/detail.html", {"merchant": merchant})


# The reference of the report just sent, for its confirmation page (post/redirect/get).
REPORT_SESSION_KEY = "merchants_report"
REPORT_LIMIT_SECONDS = 60 * 60


def _report_limit_key(request) -> str:
    # A digest, so no client address is kept in the cache in clear.
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"merchants:report-limit:{digest}"


def report(request, pk):
    """优惠未兑现反映 about one merchant: at most rules.REPORTS_PER_HOUR per client an hour."""
    merchant = public_merchant(pk=pk)
    if merchant is None:
        raise Http404
    form = OfferReportForm(
        request.POST or None,
        offers=merchant.current_offers,
        initial={"happened_on": timezone.localdate()},
    )
    throttled = False
    if request.method == "POST":
        key = _report_limit_key(request)
        sent = cache.get(key, 0)
        throttled = sent >= rules.REPORTS_PER_HOUR
        if not throttled and form.is_valid():
            data = form.cleaned_data
            created = offer_report_submit(
                merchant=merchant,
                offer_title=data["offer"],
                what_happened=data["what_happened"],
                happened_on=data["happened_on"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                consent=data["consent"],
            )
            cache.set(key, sent + 1, REPORT_LIMIT_SECONDS)
            request.session[REPORT_SESSION_KEY] = created.reference
            response = redirect("merchants:report_sent", pk=merchant.pk)
            response.status_code = 303  # see other: a reload does not send it again
            return response
    response = render(
        request,
        "merchants/report.html",
        {"merchant": merchant, "form": form, "throttled": throttled},
        status=429 if throttled else 200,
    )
    if throttled:
        response["Retry-After"] = str(REPORT_LIMIT_SECONDS)
    return response


def report_sent(request, pk):
    merchant = public_merchant(pk=pk)
    reference = request.session.get(REPORT_SESSION_KEY)
    if merchant is None or not reference:
        return redirect("merchants:directory")
    return render(
        request,
        "merchants/report_sent.html",
        {"merchant": merchant, "reference": reference, "answer_days": rules.REPORT_ANSWER_DAYS},
    )


def _back_to_directory(request, **extra):
    """The directory again, with the filters the reader had chosen (each cut to the longest
    value the directory reads, so a forged post cannot make an endless address)."""
    query = {
        key: request.POST[key][:KEYWORD_MAX_LENGTH] for key in FILTER_KEYS if request.POST.get(key)
    }
    return redirect(f"{reverse('merchants:directory')}?{urlencode({**query, **extra})}")


@csrf_exempt
@require_POST
def remember_location(request):
    """Stores the reader's approximate location for sorting the directory by distance.

    It carries no CSRF token, like the large-text switch (home.views.reading_mode): a forged
    post can read nothing and only changes the order in which its victim's own directory is
    sorted, while a token in the form would make the directory personal, so it could never be
    kept for anonymous readers (home/page_cache.py).
    """
    if "clear" in request.POST:
        request.session.pop(LOCATION_SESSION_KEY, None)
        return _back_to_directory(request)
    try:
        latitude, longitude = float(request.POST["latitude"]), float(request.POST["longitude"])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueError
    except (KeyError, ValueError):
        messages.error(request, _("没有取得有效的位置，无法按距离排序。可以改选一个街道。"))
        return _back_to_directory(request)
    request.session[LOCATION_SESSION_KEY] = [
        round(latitude, LOCATION_DECIMALS),
        round(longitude, LOCATION_DECIMALS),
    ]
    return _back_to_directory(request, sort="near")
