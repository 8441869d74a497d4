"""The contract of services.form_templates: the services forms, rendered from the flattened
copies of Django's form templates, are exactly what Django's own templates render (labels,
help texts, errors linked to their fields, every widget and option), empty, filled in and
refused."""

import pytest
from django.forms.renderers import DjangoTemplates
from django.utils.datastructures import MultiValueDict

from services.form_templates import flat_form_renderer
from services.forms import (
    ApplicationForm,
    ConfirmForm,
    DocumentsForm,
    RatingForm,
    TrackForm,
    WithdrawForm,
)
from services.models import RequestType
from services.rules import RULES

from .test_views import form_data

DJANGO = DjangoTemplates()
# Wrong in every way a field can be: too long, not a choice, not a date, not an address.
REFUSED = {
    "applicant_name": "王" * 40,
    "applicant_phone": "12345",
    "relationship": "neighbour",
    "receipt_email": "not-an-address",
    "district": "nowhere",
    "child_birth_date": "yesterday",
    "child_grade": "primary_9",
    "education": "none",
    "skills": "<script>",
    "declares_unemployed": "",
}


def rendered(form) -> list[str]:
    return [str(form.non_field_errors()), *(form[name].as_field_group() for name in form.fields)]


def assert_same(make) -> None:
    flat, django = make(), make(renderer=DJANGO)
    assert flat.renderer is flat_form_renderer
    if flat.is_bound:
        assert flat.is_valid() == django.is_valid()
    assert rendered(flat) == rendered(django)


@pytest.mark.parametrize("request_type", list(RequestType))
@pytest.mark.parametrize("data", [None, form_data(), REFUSED], ids=["empty", "filled", "refused"])
def test_the_application_form_renders_as_django_renders_it(db, request_type, data):
    assert_same(lambda **kwargs: ApplicationForm(data, request_type=request_type, **kwargs))


@pytest.mark.parametrize(
    "data", [None, {"submission_token": "stale", "sensitive_consent": "on"}], ids=str
)
def test_the_check_page_form_renders_as_django_renders_it(data):
    documents = RULES[RequestType.CHILDCARE].documents

    def make(**kwargs):
        return ConfirmForm(
            data,
            None if data is None else MultiValueDict(),
            ask_guardian_consent=True,
            documents=documents,
            kept={documents[0].kind: "军人证.png"},
            **kwargs,
        )

    assert_same(make)


@pytest.mark.parametrize(
    ("form_class", "data"),
    [
        (TrackForm, None),
        (TrackForm, {"reference": "SY2026-" + "X" * 30, "phone": ""}),
        (WithdrawForm, {"version": "0"}),
        (RatingForm, {"score": "9", "comment": "好" * 600}),
    ],
)
def test_the_tracking_forms_render_as_django_renders_them(form_class, data):
    assert_same(lambda **kwargs: form_class(data, **kwargs))


def test_the_documents_form_renders_as_django_renders_it():
    documents = RULES[RequestType.ENROLMENT].documents
    assert_same(
        lambda **kwargs: DocumentsForm(
            {"version": "x"}, MultiValueDict(), documents=documents, **kwargs
        )
    )
