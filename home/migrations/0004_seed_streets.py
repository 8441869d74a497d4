"""The district's streets, as the service forms listed them before the list became data.

Codes are the values requests and staff scopes already store. 新桥街道 is where document 003
places a 军娃托管站 (高滩岩社区). Editors keep the list from here on (设置 → 街道（镇）名单).
"""

from django.db import migrations

STREETS = [
    ("xiaolongkan", "小龙坎街道"),
    ("shapingba", "沙坪坝街道"),
    ("yubeilu", "渝碚路街道"),
    ("ciqikou", "磁器口街道"),
    ("tongjiaqiao", "童家桥街道"),
    ("tianxingqiao", "天星桥街道"),
    ("xinqiao", "新桥街道"),
]


def seed(apps, schema_editor):
    Street = apps.get_model("home", "Street")
    for order, (code, name) in enumerate(STREETS, start=1):
        Street.objects.get_or_create(
            code=code, defaults={"district": "沙坪坝区", "name": name, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("home", "0003_street")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
