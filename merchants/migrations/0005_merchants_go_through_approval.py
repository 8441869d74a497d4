"""Merchants go through the same approval as pages (审核发布, Wagtail's default workflow,
renamed by home.0006): an import or an edit by a clerk without the right to publish waits for
a moderator. Assigned here, so every site has it from its first deployment; administrators
may change it under 设置 → 工作流."""

from django.db import migrations

WORKFLOW_NAMES = ("审核发布", "Moderators approval")


def assign(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow = Workflow.objects.filter(name__in=WORKFLOW_NAMES, active=True).first()
    if workflow is None:  # removed by an administrator: nothing to assign
        return
    merchant, _created = ContentType.objects.get_or_create(app_label="merchants", model="merchant")
    WorkflowContentType.objects.get_or_create(content_type=merchant, defaults={"workflow": workflow})


def unassign(apps, schema_editor):
    apps.get_model("wagtailcore", "WorkflowContentType").objects.filter(
        content_type__app_label="merchants", content_type__model="merchant"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("merchants", "0004_offer_report"),
        ("home", "0006_chinese_workflow_names"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(assign, unassign)]
