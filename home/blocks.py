"""StreamField blocks shared by the site's page types.

Every block documents itself for editors (icon, description, preview) and
renders through its own template under templates/components/streamfield/.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Ebene"),
        choices=[("h2", _("Zwischenüberschrift")), ("h3", _("Unterüberschrift"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "components/streamfield/heading_block.html"
        description = _("Eine Zwischenüberschrift, die den Text gliedert.")
        preview_value = {"text": "Digitalisierung im Handwerksbetrieb", "level": "h2"}


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "components/streamfield/rich_text_block.html"
        description = _("Fließtext mit Absätzen, Listen und Links.")
        preview_value = (
            "<p>Die Innovationsakademie bringt Handwerk und Kreativwirtschaft zusammen.</p>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Bild"))
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("Bildnachweis"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "components/streamfield/image_block.html"
        description = _("Ein Bild mit Alternativtext, Bildunterschrift und Nachweis.")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Zitat"), max_length=600)
    author = blocks.CharBlock(label=_("Quelle oder Person"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "components/streamfield/quote_block.html"
        description = _("Ein hervorgehobenes Zitat mit Quelle.")
        preview_value = {
            "quote": "Wer heute digital plant, findet morgen eine Nachfolge.",
            "author": "Kreishandwerkerschaft Region Meißen",
        }


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Beschriftung"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Interne Seite"), required=False)
    url = blocks.URLBlock(label=_("Externer Link"), required=False)

    class Meta:
        icon = "link"
        label = _("Schaltfläche")
        template = "components/streamfield/call_to_action_block.html"
        description = _("Eine auffällige Schaltfläche, die zu einer Seite oder Adresse führt.")
        preview_value = {"text": "Zum Kurskatalog", "url": "https://example.org/kurse/"}

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Bitte genau eines angeben: eine interne Seite oder einen externen Link.")
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value


class DocumentListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=120)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Dokument")), label=_("Dokumente"))

    class Meta:
        icon = "doc-full"
        label = _("Dokumentenliste")
        template = "components/streamfield/document_list_block.html"
        description = _("Eine Liste von Dateien zum Herunterladen (z. B. Flyer, Formulare).")


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Frage"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Antwort"), features=["bold", "italic", "link", "ul"])


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=120)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Fragen und Antworten"))

    class Meta:
        icon = "help"
        label = _("Häufige Fragen")
        template = "components/streamfield/faq_block.html"
        description = _("Fragen und Antworten zum Auf- und Zuklappen.")
        preview_value = {
            "title": "Häufige Fragen",
            "items": [
                {
                    "question": "Was kostet die Teilnahme?",
                    "answer": "<p>Viele Kurse sind gefördert und kostenfrei.</p>",
                }
            ],
        }


class BodyBlock(blocks.StreamBlock):
    """The body of standard pages (and the base of other page bodies)."""

    heading = HeadingBlock()
    paragraph = RichTextBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    documents = DocumentListBlock()
    faq = FAQBlock()

    class Meta:
        block_counts = {}
