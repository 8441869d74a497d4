"""Our zh_Hans catalogue: the compiled .mo says what the .po says, and the admin uses it."""

import gettext
import re
from pathlib import Path

from django.urls import reverse
from wagtail.models import Task, Workflow

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"


def _po_entries(text: str) -> dict[str, str]:
    entries = {}
    for block in re.split(r"\n\s*\n", text):
        fields = {}
        for key, value in re.findall(
            r'^(msgid|msgid_plural|msgstr(?:\[0\])?) (".*")$', block, re.M
        ):
            fields[key] = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        if fields.get("msgid"):
            entries[fields["msgid"]] = fields.get("msgstr", fields.get("msgstr[0]"))
    return entries


def test_the_compiled_catalogue_matches_its_source():
    entries = _po_entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert len(entries) > 50
    for msgid, msgstr in entries.items():
        assert catalogue.gettext(msgid) == msgstr, f"run `make messages`: {msgid}"


def test_an_empty_admin_listing_speaks_chinese(admin_client):
    html = admin_client.get(reverse("service_scopes:index")).content.decode()
    assert "还没有办理范围" in html and "There are no" not in html


def test_the_publishing_workflow_has_a_chinese_name(db):
    assert Workflow.objects.filter(name="审核发布").exists()
    assert Task.objects.filter(name="审核员审核").exists()
    assert not Workflow.objects.filter(name__contains="approval").exists()
