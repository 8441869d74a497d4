from django.http import HttpResponseRedirect
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .context_processors import READING_MODE_COOKIE

ONE_YEAR = 365 * 24 * 60 * 60


@csrf_exempt
@require_POST
def reading_mode(request):
    """Switches large-text mode on or off and returns to the page the reader was on.

    A plain form post, so the switch works without JavaScript too. It carries no CSRF token:
    it only sets how the reader's own pages look (another site could at worst switch it), and
    a token would make every page personal, so no page could be cached.
    """
    # Checked as it will be sent (percent-encoded), so a long Chinese path that Django would
    # refuse as a redirect target once encoded falls back to the home page.
    next_url = iri_to_uri(request.POST.get("next", "/"))
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if request.POST.get("mode") == "large":
        response.set_cookie(
            READING_MODE_COOKIE,
            "large",
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(READING_MODE_COOKIE, samesite="Lax")
    return response
