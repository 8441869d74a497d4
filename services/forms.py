"""Forms collect input and show errors; the rules themselves live in the models and actions."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .actions import Consent
from .attachments import ACCEPTED_TYPES, limits_description
from .models import (
    ANSWER_FIELDS,
    APPLICANT_FIELDS,
    CHILD_REQUEST_TYPES,
    DETAIL_FIELDS,
    REQUIRED_FIELDS,
    ConsentChannel,
    District,
    RequestType,
    Satisfaction,
    ServiceRequest,
    Status,
)
from .selectors import UNASSIGNED

ATTACHMENT_LIMITS = lazy(limits_description, str)()
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChineseLabels:
    """Labels without a trailing colon, and required-field messages that name the field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.BooleanField):
                template = _("请勾选“%(label)s”。")
            elif hasattr(field, "choices"):
                template = _("请选择“%(label)s”。")
            else:
                template = _("请填写“%(label)s”。")
            field.error_messages["required"] = template % {"label": field.label}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is judged by services.attachments when submitted."""

    def __init__(self, **kwargs):
        accept = ",".join(f".{extension}" for extension in ACCEPTED_TYPES)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class ApplicationForm(ChineseLabels, forms.ModelForm):
    """What the family tells us for one request type: applicant, service member, details."""

    required_css_class = "required"

    class Meta:
        model = ServiceRequest
        fields = ANSWER_FIELDS
        widgets = {
            "applicant_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "applicant_phone": forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel-national", "inputmode": "tel"}
            ),
            "id_number": forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 18}
            ),
            "receipt_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "relationship": forms.RadioSelect(attrs={"class": "choices"}),
            "member_status": forms.RadioSelect(attrs={"class": "choices"}),
            "member_unit": forms.TextInput(attrs={"autocomplete": "off"}),
            "child_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "child_birth_date": DATE_WIDGET,
            "care_start": DATE_WIDGET,
            "care_end": DATE_WIDGET,
            "skills": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, request_type: RequestType, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_type = request_type
        self.instance.request_type = request_type
        wanted = {*APPLICANT_FIELDS, *DETAIL_FIELDS[request_type]}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name in REQUIRED_FIELDS[request_type]:
            self.fields[name].required = True
        for name in ("relationship", "member_status"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        for field in self.fields.values():
            # Django's "---------" means nothing to a reader; say what to do instead.
            if isinstance(field.widget, forms.Select) and field.choices and not field.choices[0][0]:
                field.choices = [("", _("请选择")), *field.choices[1:]]

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        details = _("子女信息") if self.request_type in CHILD_REQUEST_TYPES else _("求职信息")
        groups = [
            (
                _("申请人"),
                (
                    "applicant_name",
                    "applicant_phone",
                    "relationship",
                    "id_number",
                    "receipt_email",
                    "district",
                ),
            ),
            (_("军人信息"), ("member_status", "member_unit")),
            (details, DETAIL_FIELDS[self.request_type]),
        ]
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def answers(self) -> dict:
        """The cleaned values, as service_request_submit takes them."""
        return {name: self.cleaned_data[name] for name in self.fields}

    def raw_answers(self) -> dict[str, str]:
        """What was typed, as text, to keep in the session draft."""
        return {name: self.data.get(self.add_prefix(name), "") for name in self.fields}


class ConfirmForm(ChineseLabels, forms.Form):
    """The last step: proof documents and consent. Whether consent suffices is the action's call."""

    attachments = MultipleFileField(
        label=_("证明材料"), required=False, help_text=ATTACHMENT_LIMITS
    )
    sensitive_consent = forms.BooleanField(
        label=_(
            "我已阅读上面的个人信息处理说明，同意为办理本申请处理我填写的敏感个人信息"
            "（身份证号码、军人身份、子女信息等）。"
        ),
        required=False,
    )
    guardian_consent = forms.BooleanField(
        label=_("我是申请所涉子女的父母或其他监护人，同意处理该未满 14 周岁子女的个人信息。"),
        required=False,
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, ask_guardian_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_guardian_consent:
            del self.fields["guardian_consent"]

    def consent(self) -> Consent:
        return Consent(
            sensitive=self.cleaned_data["sensitive_consent"],
            guardian=self.cleaned_data.get("guardian_consent", False),
        )


class StaffEntryForm(ConfirmForm):
    """Staff entering a request for a family record how the family consented."""

    consent_channel = forms.TypedChoiceField(
        label=_("家属同意的方式"),
        choices=[c for c in ConsentChannel.choices if c[0] != ConsentChannel.ONLINE],
        coerce=ConsentChannel,
        widget=forms.RadioSelect(attrs={"class": "choices"}),
    )
    consent_note = forms.CharField(
        label=_("同意情况说明"),
        max_length=200,
        required=False,
        help_text=_("例如：上门走访时家属签署同意书，纸质件已存档。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sensitive_consent"].label = _(
            "已向家属说明个人信息的处理目的、方式和保存期限，并取得家属同意。"
        )
        if "guardian_consent" in self.fields:
            self.fields["guardian_consent"].label = _(
                "子女未满 14 周岁时：已取得其父母或其他监护人的同意。"
            )

    def consent(self) -> Consent:
        return Consent(
            sensitive=self.cleaned_data["sensitive_consent"],
            guardian=self.cleaned_data.get("guardian_consent", False),
            channel=self.cleaned_data["consent_channel"],
            note=self.cleaned_data["consent_note"],
        )


class TrackForm(ChineseLabels, forms.Form):
    required_css_class = "required"

    reference = forms.CharField(
        label=_("受理编号"),
        max_length=30,
        help_text=_("提交申请后页面和短信中给出的编号，例如 SY2026-7K3QX9HM。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("申请时填写的手机号码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel-national", "inputmode": "tel"}
        ),
    )


class VersionForm(ChineseLabels, forms.Form):
    """The version of the request the page showed: the optimistic lock's other half."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WithdrawForm(VersionForm):
    confirm = forms.BooleanField(label=_("我确认撤回这件申请（撤回后不能恢复）"))


class DocumentsForm(VersionForm):
    attachments = MultipleFileField(
        label=_("补充材料"), required=False, help_text=ATTACHMENT_LIMITS
    )


class RatingForm(ChineseLabels, forms.Form):
    required_css_class = "required"

    score = forms.TypedChoiceField(
        label=_("您对这次服务满意吗？"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "choices"}),
    )
    comment = forms.CharField(
        label=_("意见和建议（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransitionForm(VersionForm):
    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("给申请人的说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("申请人查询进度时能看到。不予受理或要求补充材料时必填。"),
    )


class AssignForm(VersionForm):
    assignee = forms.ModelChoiceField(
        label=_("经办人"),
        queryset=get_user_model().objects.none(),
        empty_label=_("请选择经办人"),
    )

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("内部备注"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅工作人员可见。"),
    )


class QueueFilterForm(forms.Form):
    request_type = forms.ChoiceField(
        label=_("服务类型"), required=False, choices=[("", _("全部"))] + RequestType.choices
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + Status.choices
    )
    district = forms.ChoiceField(
        label=_("街道"), required=False, choices=[("", _("全部"))] + District.choices
    )
    assignee = forms.ChoiceField(label=_("经办人"), required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)
    follow_up = forms.BooleanField(label=_("只看差评待回访"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = (
            get_user_model()
            .objects.filter(service_scopes__isnull=False)
            .distinct()
            .order_by("username")
        )
        self.fields["assignee"].choices = [
            ("", _("全部")),
            (UNASSIGNED, _("未指派")),
            *((str(u.pk), u.get_full_name() or u.username) for u in staff),
        ]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


def add_action_errors(error: ValidationError, *forms_: forms.Form) -> None:
    """Puts an action's ValidationError on whichever form has the field, else on the first."""
    if not hasattr(error, "error_dict"):
        forms_[0].add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = next((f for f in forms_ if field in f.fields), None)
        for message in messages:
            (target or forms_[0]).add_error(field if target else None, message)
