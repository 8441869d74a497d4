"""A fresh database gets the 双拥之家 home page as the site root, so no manual step is needed."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")

    # Wagtail's first migrations leave a placeholder page (and its site) at depth 2.
    placeholder_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=placeholder_type, slug="home", depth=2).delete()

    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    homepage = HomePage.objects.create(
        title="双拥之家",
        draft_title="双拥之家",
        slug="home",
        content_type=homepage_type,
        locale=Locale.objects.order_by("pk").first(),
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        hero_title="军爱民 民拥军 军民鱼水一家亲",
        hero_text="国防教育、光荣榜和军属服务，都在这里。",
        summary="双拥之家：区双拥和退役军人工作的网上家园。",
    )
    Site.objects.create(
        hostname="localhost", root_page=homepage, is_default_site=True, site_name="双拥之家"
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("home.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
