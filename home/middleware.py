"""Middleware the whole site shares."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from wagtail.admin.modal_workflow import render_modal_workflow

from .publishing import PublishRefused


class PublishRefusedMiddleware:
    """A publication the personal-data check refused, from an admin view that does not
    expect it (a workflow approval, a copy with publish), becomes a message on the page's
    editor instead of a server error. Those views write in a transaction, so nothing of the
    refused action is kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, PublishRefused):
            return None
        messages.error(request, exception.messages[0])
        if exception.page_id:
            url = reverse("wagtailadmin_pages:edit", args=(exception.page_id,))
        else:  # a copy that was never saved: back to the form that asked for it
            url = request.get_full_path()
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's modal dialogs (workflow actions) follow a redirect given this way.
            return render_modal_workflow(
                request, None, json_data={"step": "success", "redirect": url}
            )
        return HttpResponseRedirect(url)


def _header(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Public pages get CONTENT_SECURITY_POLICY: scripts only from the site's own files, so an
    injected <script> or onclick= never runs. The Wagtail admin (ADMIN_URL_PREFIX) gets
    ADMIN_CONTENT_SECURITY_POLICY, which must allow inline scripts: Wagtail 8's own templates
    still write some (date pickers, inline panels, search promotions). A response that set
    its own policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = _header(settings.CONTENT_SECURITY_POLICY)
        self.admin = _header(settings.ADMIN_CONTENT_SECURITY_POLICY)
        self.permissions = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        in_admin = request.path.startswith(settings.ADMIN_URL_PREFIX)
        response.headers.setdefault(
            "Content-Security-Policy", self.admin if in_admin else self.public
        )
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
