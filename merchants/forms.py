import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.text import clean_typed_text

from . import rules
from .models import ReportOutcome
from .validators import normalise_phone

OTHER_OFFER = "其他"
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
MIN_ACCOUNT_LENGTH = 5


class OfferReportForm(forms.Form):
    """优惠未兑现反映: what happened and when; contact details only with consent."""

    offer = forms.ChoiceField(label=_("涉及哪项优待"))
    happened_on = forms.DateField(
        label=_("发生日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请填写有效的日期，例如 2026-05-01。")},
    )
    what_happened = forms.CharField(
        label=_("经过"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("例如：出示优待证后，店员说优惠已取消。请不要填写身份证号等个人信息。"),
    )
    contact_name = forms.CharField(label=_("联系人（选填）"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话（选填）"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_("我同意工作人员为核实此事与我联系（留下联系方式时须勾选）"), required=False
    )

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        titles = [offer.title for offer in offers]
        self.fields["offer"].choices = [(t, t) for t in titles] + [(OTHER_OFFER, _("其他"))]

    def clean_what_happened(self):
        text = clean_typed_text(self.cleaned_data["what_happened"], multiline=True)
        if len(text) < MIN_ACCOUNT_LENGTH:
            raise ValidationError(_("请写清楚发生了什么（至少 %(n)s 个字）。"), params={"n": 5})
        if LINK.search(text):
            raise ValidationError(_("请不要在经过中填写网址。"))
        return text

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        today = timezone.localdate()
        if day > today:
            raise ValidationError(_("发生日期不能晚于今天。"))
        if day < today - datetime.timedelta(days=rules.REPORT_MAX_AGE_DAYS):
            raise ValidationError(_("只受理一年内发生的情况。"))
        return day

    def clean_contact_name(self):
        return clean_typed_text(self.cleaned_data["contact_name"])

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        return normalise_phone(value) if value else ""

    def clean(self):
        data = super().clean()
        has_contact = data.get("contact_name") or data.get("contact_phone")
        if has_contact and not data.get("consent"):
            self.add_error(
                "consent", _("留下联系方式时，请勾选同意工作人员联系；不需要联系可清空。")
            )
        return data


class ReportDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[c for c in ReportOutcome.choices if c[0] != ReportOutcome.PENDING],
    )
    note = forms.CharField(
        label=_("处理说明"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_note(self):
        return clean_typed_text(self.cleaned_data["note"], multiline=True)


class ReportFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"), choices=[("", _("全部"))] + ReportOutcome.choices, required=False
    )
    overdue = forms.BooleanField(label=_("只看超期未处理"), required=False)
    flagged = forms.BooleanField(label=_("只看待复核商户"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
