"""The seam with Django's form templates: the services forms render the same HTML from
copies of them with their includes written out.

Django renders a text field from six templates (the field, its label, the label's
attributes, the error list and its list, the widget and the widget's attributes), a select
two more per option and a radio button three; the family's forms are rendered on every
step of the journey. The copies in services/templates/services/forms/ are Django 5.2's,
each include replaced by what it includes, and an empty error list skipped.
tests/services/test_form_templates.py renders every field of every public form both ways
and fails when Django's templates change and a copy no longer matches.
"""

from django.forms.renderers import DjangoTemplates

FOLDER = "services/forms"
INPUTS = ("input", "text", "email", "tel", "date", "hidden", "checkbox", "file", "number")
# Django's template → its copy with the includes written out.
FLATTENED = {
    "django/forms/field.html": f"{FOLDER}/field.html",
    "django/forms/label.html": f"{FOLDER}/label.html",
    "django/forms/errors/list/default.html": f"{FOLDER}/errors.html",
    **{f"django/forms/widgets/{name}.html": f"{FOLDER}/input.html" for name in INPUTS},
    "django/forms/widgets/textarea.html": f"{FOLDER}/textarea.html",
    "django/forms/widgets/select.html": f"{FOLDER}/select.html",
    "django/forms/widgets/radio.html": f"{FOLDER}/radio.html",
    "django/forms/widgets/clearable_file_input.html": f"{FOLDER}/clearable_file_input.html",
}


class FlatFormRenderer(DjangoTemplates):
    """Django's own renderer (a documented extension point), reading the flattened copies."""

    def get_template(self, template_name):
        return super().get_template(FLATTENED.get(template_name, template_name))


flat_form_renderer = FlatFormRenderer()
