"""Images made locally with Pillow, for demo content and tests (no downloads)."""

import hashlib
import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

FONT_FILES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "DejaVuSans.ttf",
]


def _font(size: int):
    """A font with umlauts and ß (Debian's DejaVu); Pillow's own font otherwise."""
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _colour(seed: str, offset: int = 0) -> tuple[int, int, int]:
    digest = hashlib.sha256(seed.encode()).digest()
    return tuple(40 + digest[i + offset] % 160 for i in range(3))


def render_png(text: str, size: tuple[int, int] = (1200, 750)) -> bytes:
    """A simple, recognisable picture: two-colour gradient with shapes and a label."""
    width, height = size
    start, end = _colour(text), _colour(text, 3)
    image = PILImage.new("RGB", size, start)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        ratio = y / max(height - 1, 1)
        colour = tuple(int(s + (e - s) * ratio) for s, e in zip(start, end, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    accent = _colour(text, 6)
    draw.polygon(
        [(width * 0.1, height * 0.85), (width * 0.35, height * 0.3), (width * 0.6, height * 0.85)],
        outline=(255, 255, 255),
        width=max(4, width // 150),
    )
    draw.ellipse(
        [width * 0.62, height * 0.2, width * 0.9, height * 0.2 + width * 0.28],
        fill=accent,
        outline=(255, 255, 255),
        width=max(3, width // 200),
    )
    draw.text(
        (width * 0.05, height * 0.05), text[:60], fill=(255, 255, 255), font=_font(height // 14)
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def get_or_create_image(title: str, size: tuple[int, int] = (1200, 750), collection=None):
    """Return the Wagtail image with this title, creating it if needed."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60] or "bild"
    kwargs = {"title": title}
    if collection is not None:
        kwargs["collection"] = collection
    image = image_model(**kwargs)
    image.file = ImageFile(io.BytesIO(render_png(title, size)), name=f"{slug}.png")
    image.save()
    return image
