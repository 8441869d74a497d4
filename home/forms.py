from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.fields import StreamValue

from .editor_actions import pressed_towards_publication
from .publishing import texts_findings, value_texts


class PersonalDataCheckedPageForm(WagtailAdminPageForm):
    """Refuses to publish (or submit for approval) a page that shows an unmasked ID or mobile number.

    The same check as the one every publication runs (home/publishing.py), here field by
    field, so the editor sees where the number is and keeps what they typed.
    Drafts may still be saved, so an editor loses nothing while fixing the text; but not while
    the page is in moderation, because approving it publishes the latest draft.
    """

    def _towards_publication(self) -> bool:
        if pressed_towards_publication(self.data):
            return True
        return bool(self.instance.pk and self.instance.workflow_in_progress)

    def clean(self):
        cleaned_data = super().clean()
        if not self._towards_publication():
            return cleaned_data
        for name, value in list(cleaned_data.items()):
            findings = texts_findings(value_texts(value))
            if findings:
                # Body errors go to the top of the form: the StreamField widget shows only
                # errors that belong to one of its blocks.
                self.add_error(
                    None if isinstance(value, StreamValue) else name,
                    ValidationError(
                        _(
                            "“%(field)s”含有未遮挡的个人信息（%(found)s），不能发布。"
                            "请删除或改为遮挡形式，例如 110***********1234、138****1234。"
                        ),
                        params={"field": self.fields[name].label, "found": "、".join(findings)},
                        code="unmasked_personal_data",
                    ),
                )
        return cleaned_data
