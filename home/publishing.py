"""The personal-data check on every path by which a page goes live.

Wagtail makes a page live from many places: the editor's publish button, revert and publish,
bulk publish, scheduled publishing (`publish_scheduled`), workflow approval, copy with
publish, the admin API. Each of them ends in saving the page row with `live=True` and its
public content, so `BasePage.save()` calls `refuse_unmasked_publication()` there and every
path runs this one check. Drafts and revisions are never checked: an editor may save a
draft that still holds a number while fixing it.

The places that can say more than "refused" run the same check earlier, for a friendlier
answer: the page form (per field, nothing lost), the bulk action (per page), the scheduled
command (the page's history) and `PublishRefusedMiddleware` (any other admin view).
"""

from collections.abc import Iterable, Iterator
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from modelcluster.models import get_all_child_relations
from taggit.managers import TaggableManager
from wagtail import blocks
from wagtail.fields import StreamField, StreamValue
from wagtail.models import COMMENTS_RELATION_NAME
from wagtail.rich_text import RichText

from .personal_data import find_unmasked_personal_data, mask_numbers_in_text

# Page fields that are never shown to the public (the draft's title, tree bookkeeping).
NOT_PUBLIC_FIELDS = frozenset({"draft_title", "url_path", "path"})
# Tags are kept through an item model and the admin comments are not public.
NOT_PUBLIC_RELATIONS = frozenset({COMMENTS_RELATION_NAME, "tagged_items"})
PUBLISH_REFUSED_LOG_ACTION = "home.publish_refused"


class PublishRefused(ValidationError):
    """A page would show an unmasked ID or mobile number to the public."""

    def __init__(self, *, page, findings: list[str]):
        self.page_id = page.pk
        self.findings = findings
        message = _(
            "页面“%(title)s”含有未遮挡的个人信息（%(found)s），不能发布。"
            "请删除或改为遮挡形式，例如 110***********1234、138****1234。"
        ) % {
            # The title may be where the number is: it is masked like everything else here.
            "title": mask_numbers_in_text(page.title),
            "found": "、".join(findings),
        }
        super().__init__({NON_FIELD_ERRORS: [message]})


def _strings(value) -> Iterator[str]:
    """Every string in a JSON-like value (a table's cells, a block's raw data)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _block_texts(block: blocks.Block, value) -> Iterator[str]:
    """The texts of one block's value, through nested streams, lists and structs."""
    if value is None:
        return
    if isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from _block_texts(child.block, child.value)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from _block_texts(block.child_block, item)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from _block_texts(child_block, value.get(name))
    else:
        # Leaves (text, rich text, tables, choosers): their stored form holds their words.
        yield from _strings(block.get_prep_value(value))


def value_texts(value) -> Iterator[str]:
    """The texts of one field's value: a string, rich text, a StreamField, a list of tags."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, RichText):
        yield value.source
    elif isinstance(value, StreamValue):
        yield from _block_texts(value.stream_block, value)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from value_texts(item if isinstance(item, str) else getattr(item, "name", ""))


def _is_text_field(field) -> bool:
    return isinstance(field, models.CharField | models.TextField | StreamField)


@cache
def _public_fields(model: type[models.Model]) -> tuple[tuple[str, str], ...]:
    """(name, kind) of what a page shows: text fields, StreamFields, tags, child relations."""
    fields = [
        (field.name, "field")
        for field in model._meta.concrete_fields
        if _is_text_field(field) and field.name not in NOT_PUBLIC_FIELDS
    ]
    fields += [
        (field.name, "tags")
        for field in model._meta.get_fields()
        if isinstance(field, TaggableManager)
    ]
    fields += [
        (relation.get_accessor_name(), "relation")
        for relation in get_all_child_relations(model)
        if relation.get_accessor_name() not in NOT_PUBLIC_RELATIONS
    ]
    return tuple(fields)


def _object_texts(instance: models.Model) -> Iterator[str]:
    for name, kind in _public_fields(type(instance)):
        if kind == "field":
            yield from value_texts(getattr(instance, name))
        elif kind == "tags":
            yield from (tag.name for tag in getattr(instance, name).all())
        else:
            for child in getattr(instance, name).all():
                yield from _object_texts(child)


def texts_findings(texts: Iterable[str]) -> list[str]:
    """The unmasked numbers in some texts, each described once."""
    return list(
        dict.fromkeys(found for text in texts for found in find_unmasked_personal_data(text))
    )


def page_findings(page) -> list[str]:
    """The one check: unmasked ID or mobile numbers anywhere the page shows text."""
    return texts_findings(_object_texts(page))


def refuse_unmasked_publication(page, *, update_fields: Iterable[str] | None) -> None:
    """Raises PublishRefused when saving `page` would put unmasked personal data live.

    A save that writes none of the public fields (Wagtail's own bookkeeping, such as
    `latest_revision` while a draft of a live page is saved) changes nothing the public
    sees and is let through.
    """
    if not page.live:
        return
    if update_fields is not None:
        public = {name for name, _kind in _public_fields(type(page))}
        if public.isdisjoint(update_fields):
            return
    findings = page_findings(page)
    if findings:
        raise PublishRefused(page=page, findings=findings)
