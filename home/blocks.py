"""The one StreamField body every content page shares."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# The renditions home/blocks/image.html asks for: WebP, a phone's width and a column's.
BODY_IMAGE_RENDITIONS = ["width-480|format-webp", "width-960|format-webp"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("标题文字"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("级别"), choices=[("h2", _("二级标题")), ("h3", _("三级标题"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "home/blocks/heading.html"
        description = _("文章中的小标题，便于读者和读屏软件跳转")
        preview_value = {"text": "铸魂育人 筑牢绝对忠诚思想根基", "level": "h2"}

    def get_searchable_content(self, value):
        # The heading's words only: its level's label (二级标题) is not text on the page.
        return self.child_blocks["text"].get_searchable_content(value["text"])


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), max_length=200, required=False)
    alt_text = blocks.CharBlock(
        label=_("替代文字"),
        max_length=200,
        required=False,
        help_text=_("供视障读者使用；留空时使用图片说明"),
    )

    class Meta:
        icon = "image"
        label = _("图片")
        template = "home/blocks/image.html"
        description = _("带说明的图片，自动生成适合屏幕的尺寸")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("引文"))
    attribution = blocks.CharBlock(label=_("出处"), max_length=120, required=False)

    class Meta:
        icon = "openquote"
        label = _("引文")
        template = "home/blocks/quote.html"
        description = _("引用讲话或报道原文")
        preview_value = {"text": "双拥工作是一项永不竣工的政治工程。", "attribution": "祁美文"}


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("链接文字"), max_length=120, required=False)

    class Meta:
        icon = "doc-full"
        label = _("文件下载")
        template = "home/blocks/document.html"
        description = _("可下载的文件，例如通知原文或申请表")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("视频地址"))
    caption = blocks.CharBlock(label=_("视频说明"), max_length=200, required=False)

    class Meta:
        icon = "media"
        label = _("视频")
        template = "home/blocks/video.html"
        description = _("嵌入视频网站上的视频")


class DataTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("表格标题"), max_length=200)
    table = TableBlock(label=_("表格"), table_options={"startRows": 3, "startCols": 3})

    class Meta:
        icon = "table"
        label = _("表格")
        template = "home/blocks/table.html"
        description = _("数据表格，第一行作为表头")


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("段落"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul"],
        template="home/blocks/paragraph.html",
        description=_("正文段落"),
        preview_value="<p>巍巍青山，见证忠诚担当；滔滔江河，奔涌强军豪情。</p>",
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    document = DocumentLinkBlock()
    table = DataTableBlock()


def body_images(body) -> list:
    """The images of a body's picture blocks (read in one query by the StreamField)."""
    return [block.value["image"] for block in body if block.block_type == "image"]
