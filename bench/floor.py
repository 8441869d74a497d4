"""The framework's floor: a bare Django view behind the same server, answering with a body of
the size asked for (`/?bytes=N`), so each page type is compared with what Django alone costs
to send as much. `gunicorn bench.floor:application`."""

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-only",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

MAX_BYTES = 2_000_000


def floor(request):
    size = request.GET.get("bytes", "0")
    size = min(int(size), MAX_BYTES) if size.isdigit() else 0
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [path("", floor)]
application = get_wsgi_application()
