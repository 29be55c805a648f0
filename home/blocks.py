"""StreamField blocks shared by the site's page types.

Every block documents itself for editors (icon, description, preview) and
renders through its own template under templates/components/streamfield/.
"""

import re
from urllib.parse import parse_qs, urlsplit

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


class GalleryImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Bild"))
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=120)
    images = blocks.ListBlock(GalleryImageBlock(), label=_("Bilder"), min_num=2)

    class Meta:
        icon = "image"
        label = _("Bildergalerie")
        template = "components/streamfield/gallery_block.html"
        description = _("Mehrere Bilder als Raster, jedes mit Alternativtext.")


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")


def parse_video_url(url: str) -> dict | None:
    """Provider, embed address (privacy-friendly host) and watch address of a video URL.

    Only YouTube and Vimeo are known; anything else is rejected by VideoBlock.clean().
    """
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parts.path.split("/")[2]
    elif host == "youtu.be":
        video_id = parts.path.lstrip("/").split("/")[0]
    if video_id and _YOUTUBE_ID.match(video_id):
        return {
            "provider": "YouTube",
            "embed_url": f"https://www.youtube-nocookie.com/embed/{video_id}",
            "watch_url": f"https://www.youtube.com/watch?v={video_id}",
        }
    if host in {"vimeo.com", "player.vimeo.com"}:
        video_id = parts.path.rstrip("/").split("/")[-1]
        if _VIMEO_ID.match(video_id):
            return {
                "provider": "Vimeo",
                "embed_url": f"https://player.vimeo.com/video/{video_id}",
                "watch_url": f"https://vimeo.com/{video_id}",
            }
    return None


class VideoBlock(blocks.StructBlock):
    """A video from YouTube or Vimeo behind a two-click privacy notice.

    Nothing is requested from the provider until the visitor asks for it: without
    JavaScript the button is a link to the video on the provider's site; with
    static/js/video-consent.js the click puts the player in its place.
    """

    url = blocks.URLBlock(
        label=_("Adresse des Videos"), help_text=_("Link zu einem Video auf YouTube oder Vimeo.")
    )
    title = blocks.CharBlock(
        label=_("Titel des Videos"),
        max_length=160,
        help_text=_("Beschreibt das Video für Screenreader und vor dem Laden."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "components/streamfield/video_block.html"
        description = _(
            "Ein YouTube- oder Vimeo-Video, das erst nach Zustimmung der Besucher geladen wird."
        )
        preview_value = {
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "title": "Innovationskonferenz in Riesa",
        }

    def clean(self, value):
        value = super().clean(value)
        if parse_video_url(value.get("url")) is None:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Bitte einen Link zu einem Video auf YouTube oder Vimeo angeben.")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["video"] = parse_video_url(value.get("url"))
        return context


class NewsBodyBlock(BodyBlock):
    """The body of news articles: the standard blocks plus gallery and video."""

    gallery = GalleryBlock()
    video = VideoBlock()
