"""Approximate reference points for the seeded streets, so the merchant directory can sort
"nearest to this street" without the visitor's location.

These are samples (示例): rough centres read off a public map, good to a few hundred metres,
not survey data. Editors correct them under 设置 → 街道（镇）名单; a street without a point is
simply not offered for sorting. Points already set are left alone.
"""

from decimal import Decimal

from django.db import migrations

APPROXIMATE_POINTS = {
    "xiaolongkan": ("29.5560", "106.4560"),
    "shapingba": ("29.5410", "106.4570"),
    "yubeilu": ("29.5520", "106.4650"),
    "ciqikou": ("29.5790", "106.4500"),
    "tongjiaqiao": ("29.5870", "106.4470"),
    "tianxingqiao": ("29.5600", "106.4420"),
    "xinqiao": ("29.5290", "106.4660"),
}


def add_points(apps, schema_editor):
    Street = apps.get_model("home", "Street")
    for code, (latitude, longitude) in APPROXIMATE_POINTS.items():
        Street.objects.filter(code=code, latitude__isnull=True).update(
            latitude=Decimal(latitude), longitude=Decimal(longitude)
        )


class Migration(migrations.Migration):
    dependencies = [("home", "0006_chinese_workflow_names")]
    operations = [migrations.RunPython(add_points, migrations.RunPython.noop)]
