"""What a result shows of an object, in plain text: its title and its searchable text, from
which snippets are cut and highlighted the same way whichever backend found it."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.encoding import force_str
from wagtail.fields import StreamField
from wagtail.search import index

from .seams.wagtail_stream_text import stream_text


def as_text(value) -> str:
    """A search field's value as one string (StreamField gives a list, some fields None)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "\n".join(filter(None, (as_text(item) for item in value)))
    if isinstance(value, dict):
        return as_text(list(value.values()))
    return force_str(value)


def title_of(obj) -> str:
    return str(obj)


def _field_texts(obj, fields):
    for field in fields:
        if isinstance(field, index.RelatedFields):
            related = field.get_value(obj)
            if isinstance(related, models.Manager):
                related = list(related.all())
            for item in related if isinstance(related, list) else [related]:
                if item is not None:
                    yield from _field_texts(item, field.fields)
        elif isinstance(field, index.SearchField) and field.field_name != "title":
            yield as_text(_value(field, obj))


def _value(field: index.SearchField, obj):
    """The field's searchable value; a stream's from its stored JSON (its images unread)."""
    try:
        model_field = field.get_field(type(obj))
    except FieldDoesNotExist:  # a method or property
        model_field = None
    if isinstance(model_field, StreamField):
        stream = getattr(obj, model_field.attname)
        return stream_text(model_field.stream_block, list(stream.raw_data))
    return field.get_value(obj)


def text_of(obj) -> str:
    """Every searchable field but the title, one paragraph each."""
    return "\n".join(filter(None, _field_texts(obj, obj.get_search_fields())))
