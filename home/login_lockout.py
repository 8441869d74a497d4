"""Admin login brute-force protection (django-axes): the lock-out page and the unlock page."""

import math

from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

UNLOCK_PERMISSION = "axes.delete_accessattempt"


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login sees (AXES_LOCKOUT_CALLABLE): in Chinese, with the wait."""
    return render(
        request,
        "home/admin/login_locked.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        },
        status=429,
    )


class LoginLockoutsView(WagtailAdminTemplateMixin, View):
    """Accounts and addresses with failed logins; an administrator lifts a lock-out here."""

    template_name = "home/admin/login_lockouts.html"
    page_title = gettext_lazy("登录锁定")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(UNLOCK_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        limit = settings.AXES_FAILURE_LIMIT

        def grouped(field):
            return (
                AccessAttempt.objects.values(field)
                .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                .order_by("-last")
            )

        return self.render_to_response(
            self.get_context_data(
                accounts=grouped("username"), addresses=grouped("ip_address"), limit=limit
            )
        )

    def post(self, request):
        username = request.POST.get("username")
        address = request.POST.get("ip_address")
        if username:
            reset(username=username)
            messages.success(request, _("已解除账号“%(name)s”的登录锁定。") % {"name": username})
        elif address:
            reset(ip=address)
            messages.success(request, _("已解除网络地址 %(ip)s 的登录锁定。") % {"ip": address})
        return redirect("home_login_lockouts")
