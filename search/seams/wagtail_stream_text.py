"""A StreamField's searchable text read from its stored JSON, without loading what chooser
blocks point to.

Wagtail's get_searchable_content() works on the stream's Python value, and building it loads
every image (or page, or document) its blocks choose: one query per body, so a search page
showing ten illustrated articles would read images ten times for text they do not hold.

Relied on (tests/search/test_seams.py pins that the text is Wagtail's own):
- the stored JSON (`StreamValue.raw_data`): a stream is a list of {"type", "value"}, a struct
  a dict of its children's values, a list a list of {"type": "item", "value", "id"} or, stored
  before Wagtail 2.16, of bare values (told apart as ListBlock.to_python does);
- a container block (stream, struct, list) whose class keeps Wagtail's own
  get_searchable_content() gathers its children's text and nothing else;
- a block whose class keeps Block.get_searchable_content() (the choosers) has no text.
"""

from wagtail import blocks


def _is(block, owner) -> bool:
    return type(block).get_searchable_content is owner.get_searchable_content


def _list_items(raw) -> list:
    return [
        item["value"]
        if isinstance(item, dict) and item.get("type") == "item" and {"id", "value"} <= item.keys()
        else item
        for item in raw or []
    ]


def stream_text(block: blocks.Block, raw) -> list[str]:
    """What block.get_searchable_content(block.to_python(raw)) gives, choosers unread."""
    if not getattr(block, "search_index", True) or _is(block, blocks.Block):
        return []
    if _is(block, blocks.BaseStreamBlock):
        children = ((block.child_blocks.get(child["type"]), child["value"]) for child in raw or [])
        return [text for child, value in children if child for text in stream_text(child, value)]
    if _is(block, blocks.BaseStructBlock):
        raw = raw or {}
        return [
            text
            for name, child in block.child_blocks.items()
            for text in stream_text(child, raw.get(name, child.get_prep_value(child.get_default())))
        ]
    if _is(block, blocks.ListBlock):
        return [text for item in _list_items(raw) for text in stream_text(block.child_block, item)]
    return block.get_searchable_content(block.to_python(raw))
