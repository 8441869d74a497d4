import datetime

from django.urls import reverse
from wagtail.models import Revision

from merchants.factories import MerchantFactory, OfferFactory
from merchants.models import Merchant, MerchantImport


def test_editors_see_merchants_without_a_current_offer_flagged(admin_client, db):
    OfferFactory(merchant=MerchantFactory(name="有优待的商户"))
    OfferFactory(merchant=MerchantFactory(name="过期的商户"), valid_until=datetime.date(2020, 1, 1))
    html = admin_client.get(reverse("wagtailsnippets_merchants_merchant:list")).content.decode()
    assert "有优待的商户" in html and "过期的商户" in html
    assert html.count("无有效优待") == 1


def test_an_edit_goes_public_only_when_published_and_history_keeps_it(admin_client, client, db):
    merchant = OfferFactory(merchant=MerchantFactory(name="老茶馆")).merchant
    merchant.save_revision().publish()
    draft = merchant.get_latest_revision_as_object()
    draft.name = "新茶馆"
    draft.save_revision()
    assert "老茶馆" in client.get(merchant.get_absolute_url()).content.decode()
    Merchant.objects.get(pk=merchant.pk).latest_revision.publish()
    assert "新茶馆" in client.get(merchant.get_absolute_url()).content.decode()
    assert Revision.objects.for_instance(merchant).count() == 2
    edit = reverse("wagtailsnippets_merchants_merchant:edit", args=[merchant.pk])
    assert admin_client.get(edit).status_code == 200


def test_a_clerk_uploads_sees_the_report_and_confirms(admin_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_importing import GOOD, csv_bytes

    bad = GOOD[2].replace("13812345678", "1")
    upload = SimpleUploadedFile("商户.csv", csv_bytes(*GOOD[:2], bad))
    response = admin_client.post(reverse("merchants_admin:import"), {"file": upload})
    html = response.content.decode()
    assert "电话号码无效" in html and "没有导入任何内容" in html
    assert not Merchant.objects.exists()

    upload = SimpleUploadedFile("商户.csv", csv_bytes(*GOOD[:2], bad))
    response = admin_client.post(
        reverse("merchants_admin:import"), {"file": upload, "valid_rows_only": "on"}
    )
    html = response.content.decode()
    assert "确认导入无误的商户" in html and not Merchant.objects.exists()
    pending = MerchantImport.objects.get()
    confirm = reverse("merchants_admin:confirm", args=[pending.pk])
    assert f'action="{confirm}"' in html
    response = admin_client.post(confirm, follow=True)
    assert "新增 1 家" in response.content.decode()
    assert list(Merchant.objects.values_list("name", flat=True)) == ["示例茶馆"]
    assert admin_client.post(confirm).status_code == 404  # a confirmation applies once

    export = admin_client.get(reverse("merchants_admin:export_csv"))
    assert export.content.decode("utf-8-sig").startswith("商户名称,类别")
    template = admin_client.get(reverse("merchants_admin:template_xlsx"))
    assert template.content.startswith(b"PK")


def test_a_renamed_binary_upload_is_refused_in_chinese(admin_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("商户.xlsx", b"MZ\x90\x00 not excel")
    html = admin_client.post(reverse("merchants_admin:import"), {"file": upload}).content.decode()
    assert "内容不是 Excel 工作簿" in html


def test_every_site_sends_merchant_edits_through_approval_from_its_first_migration(
    admin_client, db
):
    # No demo content here: the assignment comes from the migrations alone.
    merchant = OfferFactory(merchant=MerchantFactory(name="示例茶馆")).merchant
    assert merchant.get_workflow().name == "审核发布"
    edit = reverse("wagtailsnippets_merchants_merchant:edit", args=[merchant.pk])
    assert 'name="action-submit"' in admin_client.get(edit).content.decode()
