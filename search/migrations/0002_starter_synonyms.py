"""The words people in the district use for the same thing, so search understands them from the
first day; editors keep the list in the admin (搜索同义词) from then on."""

from django.db import migrations

STARTER_SYNONYMS = [
    "军娃, 军人子女",
    "退役军人, 退伍军人, 复员军人, 转业军人",
    "人武部, 人民武装部, 武装部",
    "优待证, 优待卡",
    "随军家属, 军属, 军人家属",
    "双拥, 拥军优属, 拥政爱民",
]


def add_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms in STARTER_SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)


def remove_synonyms(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(terms__in=STARTER_SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(add_synonyms, remove_synonyms)]
