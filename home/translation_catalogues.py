"""Seam with Django's translation catalogues: one dictionary per plural rule, as Django means
to keep them, so a message is looked up once instead of once per app.

Django gathers a language's catalogues from every installed app and LOCALE_PATHS, merging each
into the one before it when both have the same plural rule and keeping it apart otherwise
(`TranslationCatalog.update`). But it compares the new rule's code with the previous rule
itself, never its code, so nothing is ever merged: zh-hans holds one catalogue per app with a
Chinese translation (23 here), and every message missing from the first (all the
Chinese text of our own templates, already written in Chinese) is looked for in each in turn.

`merge_catalogues` merges neighbouring catalogues whose plural rules have the same code, the
first found keeping precedence as in Django's own lookup (LOCALE_PATHS, then the apps in
INSTALLED_APPS order, then Django's). The internals it relies on are
`TranslationCatalog._catalogs` and `._plurals`; where they are missing it changes nothing.
tests/home/test_translation_catalogues.py checks that every message and plural translates as
Django's own catalogues translate it, and that the lookup has one catalogue left.
"""

from django.utils.translation import trans_real


def merge_catalogues(language: str) -> None:
    """Merges the catalogues of `language`'s translation, kept for the life of the process."""
    catalogue = getattr(trans_real.translation(language), "_catalog", None)
    dictionaries = getattr(catalogue, "_catalogs", None)
    plurals = getattr(catalogue, "_plurals", None)
    if not isinstance(dictionaries, list) or not isinstance(plurals, list):
        return
    merged: list[dict] = []
    merged_plurals: list = []
    for entries, plural in zip(dictionaries, plurals, strict=True):
        if merged_plurals and _same_rule(merged_plurals[-1], plural):
            merged[-1] = {**entries, **merged[-1]}  # the earlier catalogue wins a lookup
        else:
            merged.append(dict(entries))
            merged_plurals.append(plural)
    dictionaries[:] = merged
    plurals[:] = merged_plurals


def _same_rule(first, second) -> bool:
    return getattr(first, "__code__", first) == getattr(second, "__code__", second)
