"""Contract of home/translation_catalogues.py: with the catalogues merged, every message and
every plural translates as Django's own, unmerged catalogues translate it, and a message in
none of them (our templates' Chinese) is looked for in one dictionary, not one per app."""

import gettext

from django.conf import settings
from django.utils.translation import trans_real


def test_every_message_translates_as_with_djangos_own_catalogues():
    merged = trans_real.translation(settings.LANGUAGE_CODE)
    djangos = trans_real.DjangoTranslation(settings.LANGUAGE_CODE)
    assert len(djangos._catalog._catalogs) > 1, "Django merges them now: the seam can go"
    keys = list(djangos._catalog.keys())
    assert len(keys) > 1000
    for key in keys:
        if isinstance(key, tuple):  # a plural: (msgid, form)
            for n in (0, 1, 2, 5):
                assert merged.ngettext(key[0], key[0], n) == djangos.ngettext(key[0], key[0], n)
        else:
            assert merged.gettext(key) == djangos.gettext(key), key


def test_the_projects_own_catalogue_keeps_precedence():
    """LOCALE_PATHS comes first in Django's lookup: our Chinese for Wagtail's admin strings."""
    merged = trans_real.translation(settings.LANGUAGE_CODE)
    ours = gettext.translation(
        "django", settings.LOCALE_PATHS[0], languages=[trans_real.to_locale(settings.LANGUAGE_CODE)]
    )
    for msgid, msgstr in ours._catalog.items():
        if isinstance(msgid, str) and msgid:
            assert merged.gettext(msgid) == msgstr, msgid


def test_a_message_in_no_catalogue_is_looked_for_once():
    merged = trans_real.translation(settings.LANGUAGE_CODE)
    assert len(merged._catalog._catalogs) == 1
    assert merged.gettext("跳到主要内容") == "跳到主要内容"
