"""Wagtail's `publish_scheduled`, which first sets aside the pages the personal-data check
refuses, so one such page neither stops the others going live nor fails every minute."""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from home.models import BasePage
from home.publishing import PUBLISH_REFUSED_LOG_ACTION, page_findings


class Command(WagtailCommand):
    def handle(self, *args, **options):
        if not options["dryrun"]:
            self.set_aside_refused_revisions()
        super().handle(*args, **options)

    def set_aside_refused_revisions(self) -> None:
        # The revisions Wagtail's command is about to publish (tests/home pin this query).
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now())
        for revision in due:
            page = revision.as_object()
            if not isinstance(page, BasePage):
                continue
            findings = page_findings(page)
            if not findings:
                continue
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            # In the page's history, where its editors look; the numbers only masked.
            log(
                instance=page,
                action=PUBLISH_REFUSED_LOG_ACTION,
                revision=revision,
                data={"findings": findings},
            )
            self.stderr.write(
                _("页面 %(id)s 未定时发布：含有未遮挡的个人信息（%(found)s）。")
                % {"id": page.pk, "found": "、".join(findings)}
            )
