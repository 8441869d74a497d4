"""Wagtail's default workflow and its task are created as "Moderators approval"; editors see
the name on every page they submit, so it reads in Chinese. Renamed only while unchanged."""

from django.db import migrations

DEFAULT_NAME = "Moderators approval"
WORKFLOW_NAME = "审核发布"
TASK_NAME = "审核员审核"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=DEFAULT_NAME).update(
        name=WORKFLOW_NAME
    )
    apps.get_model("wagtailcore", "Task").objects.filter(name=DEFAULT_NAME).update(name=TASK_NAME)


def restore(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).update(
        name=DEFAULT_NAME
    )
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).update(name=DEFAULT_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_site_identity_contact_privacy_pages"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(rename, restore)]
