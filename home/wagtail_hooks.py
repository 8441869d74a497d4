from django.db import transaction
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .login_lockout import UNLOCK_PERMISSION, LoginLockoutsView
from .models import Street
from .publishing import PUBLISH_REFUSED_LOG_ACTION, PublishRefused


class StreetViewSet(SnippetViewSet):
    model = Street
    icon = "site"
    menu_label = _("街道（镇）名单")
    add_to_settings_menu = True
    list_display = ["name", "district", "sort_order", "is_active"]
    list_filter = ["district", "is_active"]
    ordering = ["sort_order", "name"]


register_snippet(StreetViewSet)


class CheckedPublishBulkAction(PublishBulkAction):
    """Wagtail's bulk publish, one page (with its drafts below, if asked) at a time: a page
    the personal-data check refuses stays a draft and is named, and the others go live."""

    def get_execution_context(self):
        self.refused: list[PublishRefused] = []
        return {**super().get_execution_context(), "refused": self.refused}

    @classmethod
    def execute_action(cls, objects, include_descendants=False, user=None, refused=None, **kwargs):
        published = descendants = 0
        for page in objects:
            try:
                with transaction.atomic():
                    parents, children = super().execute_action(
                        [page], include_descendants=include_descendants, user=user, **kwargs
                    )
            except PublishRefused as error:
                if refused is None:
                    raise
                refused.append(error)
            else:
                published += parents
                descendants += children
        return published, descendants

    def get_success_message(self, num_parent_objects, num_child_objects):
        for error in self.refused:
            messages.error(self.request, error.messages[0])
        if not num_parent_objects:
            return None
        return super().get_success_message(num_parent_objects, num_child_objects)


# Registered after Wagtail's own publish action (order), so it takes its place.
hooks.register("register_bulk_action", CheckedPublishBulkAction, order=100)


@hooks.register("register_log_actions")
def register_publish_refused_log_action(actions):
    @actions.register_action(PUBLISH_REFUSED_LOG_ACTION)
    class PublishRefusedFormatter(LogFormatter):
        label = _("发布被拒绝")

        def format_message(self, log_entry):
            return gettext(
                "定时发布被拒绝：页面含有未遮挡的个人信息（%(found)s），请修改后重新发布。"
            ) % {"found": "、".join(log_entry.data.get("findings", []))}


@hooks.register("register_admin_urls")
def register_login_lockout_urls():
    return [path("login-lockouts/", LoginLockoutsView.as_view(), name="home_login_lockouts")]


class LoginLockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(UNLOCK_PERMISSION)


@hooks.register("register_settings_menu_item")
def register_login_lockouts_menu_item():
    return LoginLockoutsMenuItem(
        _("登录锁定"), reverse("home_login_lockouts"), icon_name="lock", order=900
    )
