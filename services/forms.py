"""Forms collect input and show errors; the rules themselves live in the models and actions."""

from collections.abc import Mapping, Sequence

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from home.models import Street
from home.text import clean_typed_text, normalise_number

from .actions import Consent, document_field
from .attachments import ACCEPTED_TYPES, CheckedFile, check_attachment, limits_description
from .form_templates import flat_form_renderer
from .models import (
    ANSWER_FIELDS,
    APPLICANT_FIELDS,
    DETAIL_FIELDS,
    REQUIRED_FIELDS,
    ConsentChannel,
    RequestType,
    Satisfaction,
    ServiceRequest,
    Status,
)
from .rules import DocumentRule
from .selectors import UNASSIGNED, childcare_station_names

ATTACHMENT_LIMITS = lazy(limits_description, str)()
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ",".join(f".{extension}" for extension in ACCEPTED_TYPES)
# Numbers typed with spaces between groups are longer than the number: let the browser take
# them, the form normalises and then counts.
NUMBER_SLACK = 8


def _labelled(message: str, field: forms.Field) -> str:
    return str(message) % {"label": str(field.label).replace("%", "%%")}


# A message naming its field, translated when an error is shown: a form is built on every
# request, and each translation is a catalogue lookup.
labelled = lazy(_labelled, str)


def chinese_messages(field: forms.Field) -> None:
    """Messages that say which field and what to do, in place of Django's generic ones."""
    if isinstance(field, forms.BooleanField):
        required = _("请勾选“%(label)s”。")
    elif hasattr(field, "choices"):
        required = _("请选择“%(label)s”。")
    else:
        required = _("请填写“%(label)s”。")
    field.error_messages["required"] = labelled(required, field)
    field.error_messages["max_length"] = labelled(
        _("“%(label)s”最多 %%(limit_value)d 个字，现在是 %%(show_value)d 个字，请删减。"), field
    )
    field.error_messages["invalid_choice"] = labelled(_("请从列表中选择“%(label)s”。"), field)
    if isinstance(field, forms.DateField):
        field.error_messages["invalid"] = labelled(
            _("请按“年-月-日”填写“%(label)s”，例如 2026-09-01。"), field
        )
    if isinstance(field, forms.EmailField):
        field.error_messages["invalid"] = _("请输入正确的电子邮箱，例如 name@example.com。")


class ChineseLabels:
    """The boundary of every services form: labels without a trailing colon, messages in
    Chinese that name the field, text cleaned of invisible characters before it is judged
    (home.text), the error summary's list, and Django's markup from fewer templates
    (services.form_templates)."""

    # Fields whose label is a sentence: the summary shows their message alone.
    summary_message_only: tuple[str, ...] = ()
    default_renderer = flat_form_renderer

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.limit_fields()
        for field in self.fields.values():
            chinese_messages(field)
        if self.is_bound:
            self.data = self._cleaned_text(self.data)

    def limit_fields(self) -> None:
        """Drops the fields this form does not ask, before their messages are written."""

    def _cleaned_text(self, data):
        data = data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field, forms.ChoiceField)
                and key in data
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                cleaned = [clean_typed_text(str(value), multiline=multiline) for value in values]
                if hasattr(data, "setlist"):
                    data.setlist(key, cleaned)
                else:
                    data[key] = cleaned[-1]
        return data

    def error_items(self) -> list[tuple[str, str]]:
        """(link, text) per error, in the order of the form, for the error summary."""
        items = [("", str(error)) for error in self.non_field_errors()]
        for name, field in self.fields.items():
            for error in self.errors.get(name, []):
                bound = self[name]
                anchor = bound.auto_id
                if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    anchor = f"{anchor}_0"
                label = str(field.label)
                if isinstance(field.widget, forms.HiddenInput):
                    items.append(("", str(_("页面已过期，请刷新后重试。"))))
                elif name in self.summary_message_only or label in str(error):
                    items.append((f"#{anchor}", str(error)))
                else:
                    items.append((f"#{anchor}", f"{label}：{error}"))
        return items


class NumberField(forms.CharField):
    """Phone, ID and account numbers: full-width digits, spaces and dashes are normalised."""

    def to_python(self, value):
        return normalise_number(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.max_length is not None:
            attrs["maxlength"] = str(self.max_length + NUMBER_SLACK)
        attrs.update(inputmode="numeric", autocomplete="off", spellcheck="false")
        return attrs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is judged by services.attachments when submitted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class CheckedFileField(forms.FileField):
    """One proof document; judged by content (services.attachments) as soon as it arrives."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        return check_attachment(uploaded) if uploaded else None


class ApplicationForm(ChineseLabels, forms.ModelForm):
    """What the family tells us for one request type: applicant, service member, details."""

    required_css_class = "required"
    summary_message_only = ("declares_unemployed",)

    class Meta:
        model = ServiceRequest
        fields = ANSWER_FIELDS
        field_classes = {
            "applicant_phone": NumberField,
            "id_number": NumberField,
            "child_id_number": NumberField,
            "bank_account": NumberField,
        }
        widgets = {
            "applicant_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "applicant_phone": forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel-national", "inputmode": "tel"}
            ),
            "receipt_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "relationship": forms.RadioSelect(attrs={"class": "choices"}),
            "member_status": forms.RadioSelect(attrs={"class": "choices"}),
            "enrolment_kind": forms.RadioSelect(attrs={"class": "choices"}),
            "member_unit": forms.TextInput(attrs={"autocomplete": "off"}),
            "child_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "child_birth_date": DATE_WIDGET,
            "care_start": DATE_WIDGET,
            "care_end": DATE_WIDGET,
            "skills": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, request_type: RequestType, **kwargs):
        self.request_type = request_type
        super().__init__(*args, **kwargs)
        self.instance.request_type = request_type
        for name in REQUIRED_FIELDS[request_type]:
            self.fields[name].required = True
        # The phone's own widget keeps type=tel; a number field's defaults would replace it.
        self.fields["applicant_phone"].widget.attrs.update(
            inputmode="tel", autocomplete="tel-national"
        )
        # Streets by their stable code in the form, and only those still offered.
        self.fields["district"].queryset = Street.objects.active()
        self.fields["district"].to_field_name = "code"
        for name in ("relationship", "member_status", "enrolment_kind"):
            if name in self.fields:
                self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        if "care_station" in self.fields:
            self.fields["care_station"] = forms.ChoiceField(
                label=self.fields["care_station"].label,
                help_text=self.fields["care_station"].help_text,
                required=False,
                choices=[("", _("由工作人员就近安排"))]
                + [(name, name) for name in childcare_station_names()],
            )
            chinese_messages(self.fields["care_station"])
        for field in self.fields.values():
            # Django's "---------" means nothing to a reader; say what to do instead.
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = _("请选择")
            elif (
                isinstance(field.widget, forms.Select) and field.choices and not field.choices[0][0]
            ):
                if field.choices[0][1] == "---------":
                    field.choices = [("", _("请选择")), *field.choices[1:]]

    def limit_fields(self) -> None:
        wanted = {*APPLICANT_FIELDS, *DETAIL_FIELDS[self.request_type]}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        details = {
            RequestType.CHILDCARE: _("子女信息"),
            RequestType.ENROLMENT: _("子女信息"),
            RequestType.EMPLOYMENT: _("求职信息"),
            RequestType.ALLOWANCE: _("补助金收款账户"),
        }[self.request_type]
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
        """What was typed (cleaned of invisible characters), as text, for the session."""
        return {name: self.data.get(self.add_prefix(name), "") for name in self.fields}


class ConfirmForm(ChineseLabels, forms.Form):
    """The last step: one slot per proof document (or "later"), further files, and consent.
    Whether the documents and consent suffice is the action's call."""

    summary_message_only = ("sensitive_consent", "guardian_consent")

    attachments = MultipleFileField(
        label=_("其他材料（选填）"), required=False, help_text=ATTACHMENT_LIMITS
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

    def __init__(
        self,
        *args,
        ask_guardian_consent: bool,
        documents: Sequence[DocumentRule] = (),
        kept: Mapping[str, str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not ask_guardian_consent:
            del self.fields["guardian_consent"]
        self.documents = list(documents)
        self.kept = kept or {}
        self.summary_message_only = (
            *self.summary_message_only,
            *(later_field(rule.kind) for rule in self.documents),
        )
        for rule in self.documents:
            name = document_field(rule.kind)
            self.fields[name] = CheckedFileField(
                label=rule.kind.label, required=False, help_text=rule.purpose
            )
            self.fields[later_field(rule.kind)] = forms.BooleanField(
                label=_("稍后补交：提交后在“查询办理进度”页面上传"), required=False
            )
            chinese_messages(self.fields[name])

    def document_slots(self) -> list[dict]:
        """What the check page shows per document: its upload, "later", and any kept file."""
        return [
            {
                "rule": rule,
                "field": self[document_field(rule.kind)],
                "later": self[later_field(rule.kind)],
                "kept": self.kept.get(rule.kind, ""),
            }
            for rule in self.documents
        ]

    def checked_documents(self) -> dict[str, CheckedFile]:
        """The slots' files that passed, even when something else on the page did not."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            rule.kind: cleaned[document_field(rule.kind)]
            for rule in self.documents
            if cleaned.get(document_field(rule.kind))
        }

    def later(self) -> list[str]:
        cleaned = getattr(self, "cleaned_data", {})
        return [rule.kind for rule in self.documents if cleaned.get(later_field(rule.kind))]

    def consent(self) -> Consent:
        return Consent(
            sensitive=self.cleaned_data["sensitive_consent"],
            guardian=self.cleaned_data.get("guardian_consent", False),
        )


def later_field(kind: str) -> str:
    return f"{document_field(kind)}_later"


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
    """From the tracking page: the documents marked "later", one slot each, and what staff
    asked for."""

    attachments = MultipleFileField(
        label=_("其他补充材料"), required=False, help_text=ATTACHMENT_LIMITS
    )

    def __init__(self, *args, documents: Sequence[DocumentRule] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        for rule in self.documents:
            name = document_field(rule.kind)
            self.fields[name] = forms.FileField(
                label=rule.kind.label,
                required=False,
                help_text=rule.purpose,
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
            )
            chinese_messages(self.fields[name])

    def document_fields(self) -> list[forms.BoundField]:
        return [self[document_field(rule.kind)] for rule in self.documents]

    def documents_chosen(self) -> dict[str, object]:
        return {
            rule.kind: self.cleaned_data[document_field(rule.kind)]
            for rule in self.documents
            if self.cleaned_data.get(document_field(rule.kind))
        }


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


class NoteForm(ChineseLabels, forms.Form):
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
    district = forms.ModelChoiceField(
        label=_("街道"),
        required=False,
        queryset=Street.objects.all(),
        to_field_name="code",
        empty_label=_("全部"),
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
