from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_forget_personal_search_terms"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("query_string", models.CharField(max_length=255)),
                ("searched_on", models.DateField()),
                ("found", models.BooleanField()),
            ],
            options={
                "verbose_name": "待统计的搜索",
                "verbose_name_plural": "待统计的搜索",
            },
        ),
    ]
