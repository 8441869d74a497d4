"""Synonyms may be one-way (军属 → 随军家属: a broad word finds the narrow one, not back); the
starter sets that widened a narrow query become one-way, and common words people type are
added. The staff-search proxy of service requests moves to services (search/ knows no domain
app); index updates still waiting for it under its old name are dropped (a rebuild indexes
the requests under the new one)."""

from django.db import migrations, models

# Starter sets as 0002 made them → what they become; a set an editor changed is left alone.
CHANGED = {
    "退役军人, 退伍军人, 复员军人, 转业军人": "退役军人, 退伍军人 → 复员军人, 转业军人",
    "随军家属, 军属, 军人家属": "军属, 军人家属 → 随军家属, 军嫂",
    "双拥, 拥军优属, 拥政爱民": "双拥 → 拥军优属, 拥政爱民",
}
ADDED = [
    "优抚, 优待抚恤",
    "光荣牌, 光荣之家",
    "征兵 → 兵役登记",
]


def update_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for old, new in CHANGED.items():
        Synonym.objects.filter(terms=old).update(terms=new)
    for terms in ADDED:
        Synonym.objects.get_or_create(terms=terms)
    apps.get_model("search", "PendingIndexUpdate").objects.filter(
        model_label="search.indexedservicerequest"
    ).delete()


def restore_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for old, new in CHANGED.items():
        Synonym.objects.filter(terms=new).update(terms=old)
    Synonym.objects.filter(terms__in=ADDED).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_starter_synonyms"),
        ("services", "0005_indexed_service_request_in_services"),
    ]

    operations = [
        migrations.DeleteModel(name="IndexedServiceRequest"),
        migrations.AlterField(
            model_name="synonym",
            name="terms",
            field=models.CharField(
                help_text=(
                    "用逗号分隔，例如：军娃, 军人子女。搜索其中任何一个词，都会找到含有其他词的内容。"
                    "含义宽窄不同时用箭头：军属 → 随军家属，搜索“军属”也会找到“随军家属”，反之不会。"
                ),
                max_length=300,
                verbose_name="同义词",
            ),
        ),
        migrations.RunPython(update_synonyms, restore_synonyms),
    ]
