"""Search terms kept before searches holding personal numbers or codes stopped being recorded
(search.stats.is_recordable) are deleted, so the editors' report never shows one."""

from django.db import migrations


def forget(apps, schema_editor):
    from search.stats import is_recordable

    Query = apps.get_model("wagtailsearchpromotions", "Query")
    unrecordable = [
        pk for pk, text in Query.objects.values_list("pk", "query_string") if not is_recordable(text)
    ]
    # Their daily hits (and this app's zero-result counts) go with them, by cascade.
    Query.objects.filter(pk__in=unrecordable).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_one_way_synonyms_requests_to_services"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
