"""Requests and staff scopes point at the district's one street list (home.Street).

The old column held the street's code; each row is pointed at the street with that code, so
every request and scope keeps its street. A code missing from the list (a street an editor
deleted before this ran) is added back, inactive, rather than losing the rows that use it.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_NAMES = {
    "xiaolongkan": "小龙坎街道",
    "shapingba": "沙坪坝街道",
    "yubeilu": "渝碚路街道",
    "ciqikou": "磁器口街道",
    "tongjiaqiao": "童家桥街道",
    "tianxingqiao": "天星桥街道",
}


def point_at_streets(apps, schema_editor):
    Street = apps.get_model("home", "Street")
    for model_name in ("ServiceRequest", "StaffScope"):
        model = apps.get_model("services", model_name)
        for code in model.objects.values_list("district_code", flat=True).distinct():
            street = Street.objects.filter(code=code).first()
            if street is None:
                street = Street.objects.create(
                    code=code,
                    district="沙坪坝区",
                    name=OLD_NAMES.get(code, code),
                    is_active=False,
                )
            model.objects.filter(district_code=code).update(district=street)


def back_to_codes(apps, schema_editor):
    for model_name in ("ServiceRequest", "StaffScope"):
        model = apps.get_model("services", model_name)
        for row in model.objects.select_related("district"):
            model.objects.filter(pk=row.pk).update(district_code=row.district.code)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_seed_streets"),
        ("services", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="staffscope", name="staff_scope_unique"),
        migrations.RemoveIndex(
            model_name="servicerequest", name="services_se_request_b82e45_idx"
        ),
        migrations.RenameField("servicerequest", "district", "district_code"),
        migrations.RenameField("staffscope", "district", "district_code"),
        migrations.AddField(
            model_name="servicerequest",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="home.street",
                verbose_name="所在街道",
            ),
        ),
        migrations.AddField(
            model_name="staffscope",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="home.street",
                verbose_name="街道",
            ),
        ),
        migrations.RunPython(point_at_streets, back_to_codes),
        migrations.RemoveField("servicerequest", "district_code"),
        migrations.RemoveField("staffscope", "district_code"),
        migrations.AlterField(
            model_name="servicerequest",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="home.street",
                verbose_name="所在街道",
            ),
        ),
        migrations.AlterField(
            model_name="staffscope",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="home.street",
                verbose_name="街道",
            ),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                fields=["request_type", "district", "status"], name="services_se_request_6e1859_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="staffscope",
            constraint=models.UniqueConstraint(
                fields=("user", "request_type", "district"), name="staff_scope_unique"
            ),
        ),
    ]
