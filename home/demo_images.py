"""Illustrations for the demo content, drawn with Pillow at load time (no downloads).

A small scene toolkit (``Scene``: sky, walls, floor, windows, benches, tables, tools,
people) and one function per motif: a workshop, a carpenter planing wood, an
electrician at a distribution board, a baker, a laptop and tablet in the workshop,
a key handed over, a roof with solar panels, a meeting, a building site with a
crane, a creative workshop, a talk on stage and a 3D printer. Besides them:
illustrated portraits of the trainers and typeset wordmarks of the partners.

Everything is deterministic: the same motif and seed give the same bytes. The
pictures are the project's own work, under the project's licence.
"""

import hashlib
import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

Colour = tuple[int, int, int]

LANDSCAPE = (1200, 675)  # the largest rendition the templates ask for is 1200 wide
DESIGN = (1600, 900)  # motifs are drawn in these units and scaled to the output size
SUPERSAMPLE = 2  # drawn twice as large and scaled down: smooth edges without antialiasing

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"


def hex_colour(value: str) -> Colour:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


# the site's palette (static/scss/_theme.scss) and a few craft colours
BLUE = hex_colour("#12355b")
BLUE_LIGHT = hex_colour("#e8eef5")
LINK_BLUE = hex_colour("#0b4f8a")
ORANGE = hex_colour("#b34700")
ORANGE_DARK = hex_colour("#8f3900")
GREEN = hex_colour("#1b5e20")
PURPLE = hex_colour("#5b2a86")
RED = hex_colour("#9b1c1c")
INK = hex_colour("#1d2430")
GREY = hex_colour("#4a5563")
LINE_GREY = hex_colour("#c7d0db")
YELLOW = hex_colour("#ffe08a")
SUN = hex_colour("#f6b73c")
WHITE = (255, 255, 255)
WOOD = hex_colour("#c98b4f")
WOOD_DARK = hex_colour("#9a6433")
WOOD_LIGHT = hex_colour("#e2b27a")
STEEL = hex_colour("#8c97a5")
HI_VIS = hex_colour("#f28c28")
TEAL = hex_colour("#2f6f73")

SKIN_TONES = [
    hex_colour("#f5d0b5"),
    hex_colour("#eab48f"),
    hex_colour("#d39a6d"),
    hex_colour("#b07149"),
    hex_colour("#8a5535"),
    hex_colour("#5e3a24"),
]
HAIR_COLOURS = [
    hex_colour("#2b2020"),
    hex_colour("#5a3825"),
    hex_colour("#8d5a2b"),
    hex_colour("#d8b25e"),
    hex_colour("#b9b9b9"),
    hex_colour("#a0402a"),
]
ACCENTS = [BLUE, LINK_BLUE, ORANGE, GREEN, PURPLE, RED]


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """``a`` moved the fraction ``t`` towards ``b``."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def lighter(colour: Colour, t: float) -> Colour:
    return mix(colour, WHITE, t)


def darker(colour: Colour, t: float) -> Colour:
    return mix(colour, (0, 0, 0), t)


def font(size: int, bold: bool = False):
    """DejaVu (Debian's fonts-dejavu-core: umlauts and ß); Pillow's own font otherwise."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for path in (FONT_DIR + name, name):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def seed_of(*parts) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8])


# --- the toolkit -------------------------------------------------------------------------


class Scene:
    """A canvas in design units (``DESIGN``), drawn supersampled, saved scaled down."""

    def __init__(self, size=LANDSCAPE, seed=0, design=DESIGN, background=WHITE):
        self.size = size
        self.scale = size[0] * SUPERSAMPLE / design[0]
        self.width, self.height = design
        self.image = PILImage.new("RGB", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), background)
        self.draw = ImageDraw.Draw(self.image)
        self.rng = random.Random(seed)  # noqa: S311 – pictures, not secrets

    # coordinates
    def _xy(self, points):
        return [(x * self.scale, y * self.scale) for x, y in points]

    def _box(self, x0, y0, x1, y1):
        return [min(x0, x1) * self.scale, min(y0, y1) * self.scale] + [
            max(x0, x1) * self.scale,
            max(y0, y1) * self.scale,
        ]

    # primitives
    def rect(self, x0, y0, x1, y1, fill, radius=0, outline=None, width=0):
        box = self._box(x0, y0, x1, y1)
        if radius:
            self.draw.rounded_rectangle(
                box, radius * self.scale, fill=fill, outline=outline, width=int(width * self.scale)
            )
        else:
            self.draw.rectangle(box, fill=fill, outline=outline, width=int(width * self.scale))

    def poly(self, points, fill):
        self.draw.polygon(self._xy(points), fill=fill)

    def ellipse(self, cx, cy, rx, ry, fill, outline=None, width=0):
        self.draw.ellipse(
            self._box(cx - rx, cy - ry, cx + rx, cy + ry),
            fill=fill,
            outline=outline,
            width=int(width * self.scale),
        )

    def circle(self, cx, cy, r, fill, **kwargs):
        self.ellipse(cx, cy, r, r, fill, **kwargs)

    def chord(self, cx, cy, rx, ry, start, end, fill):
        self.draw.chord(self._box(cx - rx, cy - ry, cx + rx, cy + ry), start, end, fill=fill)

    def arc(self, cx, cy, rx, ry, start, end, fill, width):
        self.draw.arc(
            self._box(cx - rx, cy - ry, cx + rx, cy + ry),
            start,
            end,
            fill=fill,
            width=max(1, int(width * self.scale)),
        )

    def line(self, points, fill, width, round_caps=True):
        self.draw.line(
            self._xy(points), fill=fill, width=max(1, int(width * self.scale)), joint="curve"
        )
        if round_caps:
            for x, y in (points[0], points[-1]):
                self.circle(x, y, width / 2, fill)

    def shape(self, points, x, y, angle, fill, scale=1.0):
        """A polygon given around (0, 0), turned by ``angle`` degrees and moved to (x, y)."""
        a = math.radians(angle)
        cos, sin = math.cos(a), math.sin(a)
        self.poly(
            [
                (x + (px * cos - py * sin) * scale, y + (px * sin + py * cos) * scale)
                for px, py in points
            ],
            fill,
        )

    def text(self, x, y, text, size, fill, bold=False, anchor="la"):
        self.draw.text(
            (x * self.scale, y * self.scale),
            text,
            fill=fill,
            font=font(int(size * self.scale), bold),
            anchor=anchor,
        )

    def vertical_gradient(self, y0, y1, top: Colour, bottom: Colour, x0=0, x1=None):
        x1 = self.width if x1 is None else x1
        p0, p1 = int(y0 * self.scale), int(y1 * self.scale)
        for row in range(p0, p1):
            t = (row - p0) / max(p1 - p0 - 1, 1)
            self.draw.line(
                [(x0 * self.scale, row), (x1 * self.scale, row)], fill=mix(top, bottom, t)
            )

    def shadow(self, cx, cy, rx, ry, ground: Colour):
        self.ellipse(cx, cy, rx, ry, darker(ground, 0.16))

    def finish(self, image_format="JPEG", quality=80, mirror=False) -> bytes:
        image = self.image.resize(self.size, PILImage.Resampling.LANCZOS)
        if mirror:
            image = image.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT)
        buffer = io.BytesIO()
        if image_format == "JPEG":
            image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
        else:
            image.save(buffer, format=image_format, optimize=True)
        return buffer.getvalue()


# rooms and landscapes


def interior(s: Scene, wall: Colour, floor: Colour, floor_y=680):
    s.vertical_gradient(0, floor_y, lighter(wall, 0.25), wall)
    s.vertical_gradient(floor_y, s.height, floor, darker(floor, 0.18))
    s.rect(0, floor_y - 14, s.width, floor_y, darker(wall, 0.2))


def window(s: Scene, x, y, w, h, frame=WHITE, sky=(150, 200, 235)):
    s.rect(x - 14, y - 14, x + w + 14, y + h + 14, frame, radius=6)
    s.vertical_gradient(y, y + h, lighter(sky, 0.2), lighter(sky, 0.6), x, x + w)
    # a tree and a roof seen outside
    s.circle(x + w * 0.28, y + h * 0.78, w * 0.22, hex_colour("#7fb069"))
    s.rect(x + w * 0.26, y + h * 0.8, x + w * 0.3, y + h, hex_colour("#6b4f35"))
    s.poly(
        [
            (x + w * 0.55, y + h),
            (x + w * 0.55, y + h * 0.72),
            (x + w * 0.78, y + h * 0.55),
            (x + w, y + h * 0.72),
            (x + w, y + h),
        ],
        lighter(ORANGE, 0.35),
    )
    s.rect(x + w / 2 - 6, y, x + w / 2 + 6, y + h, frame)
    s.rect(x, y + h / 2 - 6, x + w, y + h / 2 + 6, frame)


def outdoor(s: Scene, horizon=620, sky: Colour = (120, 180, 225), ground: Colour = (120, 160, 90)):
    s.vertical_gradient(0, horizon, sky, lighter(sky, 0.65))
    s.vertical_gradient(horizon, s.height, ground, darker(ground, 0.2))


def sun(s: Scene, x, y, r=70):
    s.circle(x, y, r * 1.5, lighter(SUN, 0.6))
    s.circle(x, y, r, SUN)


def cloud(s: Scene, x, y, w=220):
    colour = (255, 255, 255)
    s.ellipse(x, y, w * 0.5, w * 0.16, colour)
    s.circle(x - w * 0.15, y - w * 0.1, w * 0.17, colour)
    s.circle(x + w * 0.1, y - w * 0.14, w * 0.22, colour)


def hills(s: Scene, crest, colour: Colour, horizon):
    """A line of hills around the height ``crest``, filled down to the horizon."""
    points = [(0, horizon)]
    for i in range(17):
        x = i * 100
        points.append((x, crest - 30 * math.sin(i * 0.9) - 20 * math.cos(i * 2.1)))
    points.append((s.width, horizon))
    s.poly(points, colour)


def pegboard(s: Scene, x0, y0, x1, y1, colour=WOOD_LIGHT):
    s.rect(x0, y0, x1, y1, colour, radius=8)
    for x in range(int(x0) + 30, int(x1) - 10, 40):
        for y in range(int(y0) + 30, int(y1) - 10, 40):
            s.circle(x, y, 3, darker(colour, 0.25))


def shelf(s: Scene, x0, x1, y, colour=WOOD_DARK):
    s.rect(x0, y, x1, y + 16, colour)
    s.poly([(x0 + 20, y + 16), (x0 + 40, y + 16), (x0 + 20, y + 50)], darker(colour, 0.2))
    s.poly([(x1 - 20, y + 16), (x1 - 40, y + 16), (x1 - 20, y + 50)], darker(colour, 0.2))


def boxes(s: Scene, x, y, colours):
    """Storage boxes standing on a shelf at height ``y``."""
    for i, colour in enumerate(colours):
        h = 60 + (i % 2) * 18
        s.rect(x + i * 95, y - h, x + i * 95 + 84, y, colour, radius=6)
        s.rect(
            x + i * 95 + 28, y - h + 16, x + i * 95 + 56, y - h + 26, lighter(colour, 0.5), radius=3
        )


def workbench(s: Scene, x0, x1, top, floor_y, wood=WOOD, shadow_on=None):
    if shadow_on:
        s.shadow((x0 + x1) / 2, floor_y + 8, (x1 - x0) / 2 + 20, 22, shadow_on)
    leg = darker(wood, 0.3)
    for x in (x0 + 30, x1 - 70):
        s.rect(x, top, x + 40, floor_y, leg)
    s.rect(x0 + 30, floor_y - 110, x1 - 30, floor_y - 90, leg)
    s.rect(x0, top, x1, top + 40, wood, radius=6)
    s.rect(x0, top + 30, x1, top + 40, darker(wood, 0.15))


def table(s: Scene, x0, x1, top, floor_y, colour=WHITE, shadow_on=None):
    if shadow_on:
        s.shadow((x0 + x1) / 2, floor_y + 6, (x1 - x0) / 2, 18, shadow_on)
    s.rect(x0 + 40, top, x0 + 64, floor_y, darker(colour, 0.35))
    s.rect(x1 - 64, top, x1 - 40, floor_y, darker(colour, 0.35))
    s.rect(x0, top - 8, x1, top + 22, colour, radius=8)
    s.rect(x0, top + 14, x1, top + 22, darker(colour, 0.12))


# tools, drawn around their own origin so people can hold them


def hammer(s: Scene, x, y, angle=0, scale=1.0):
    s.shape([(-8, 0), (8, 0), (8, 150), (-8, 150)], x, y, angle, WOOD_DARK, scale)
    s.shape([(-44, -12), (36, -12), (44, 0), (36, 14), (-44, 14)], x, y, angle, STEEL, scale)


def wrench(s: Scene, x, y, angle=0, scale=1.0):
    s.shape([(-7, 0), (7, 0), (7, 140), (-7, 140)], x, y, angle, STEEL, scale)
    s.shape(
        [(-20, -26), (-6, -26), (-6, -6), (6, -6), (6, -26), (20, -26), (20, 6), (-20, 6)],
        x,
        y,
        angle,
        STEEL,
        scale,
    )


def screwdriver(s: Scene, x, y, angle=0, scale=1.0, colour=RED):
    s.shape([(-3, 0), (3, 0), (3, 80), (-3, 80)], x, y, angle, STEEL, scale)
    s.shape([(-10, -60), (10, -60), (12, 0), (-12, 0)], x, y, angle, colour, scale)


def saw(s: Scene, x, y, angle=0, scale=1.0):
    s.shape([(0, 0), (190, 10), (190, 45), (0, 50)], x, y, angle, STEEL, scale)
    teeth = [(0, 50)] + [
        (i * 19 + 9 * (j % 2), 50 - i * 0.5 - 8 * (j % 2)) for i in range(11) for j in (0, 1)
    ]
    s.shape(teeth + [(190, 45)], x, y, angle, darker(STEEL, 0.2), scale)
    s.shape([(-60, -5), (0, -5), (0, 60), (-60, 60)], x, y, angle, ORANGE, scale)
    s.shape([(-44, 12), (-12, 12), (-12, 42), (-44, 42)], x, y, angle, lighter(ORANGE, 0.85), scale)


def pliers(s: Scene, x, y, angle=0, scale=1.0):
    s.shape([(-6, 0), (6, 0), (22, 90), (10, 92)], x, y, angle, BLUE, scale)
    s.shape([(-6, 0), (6, 0), (-10, 92), (-22, 90)], x, y, angle, BLUE, scale)
    s.shape([(-10, -50), (10, -50), (8, 0), (-8, 0)], x, y, angle, STEEL, scale)


def plank(s: Scene, x0, x1, y, thickness=28, colour=WOOD_LIGHT):
    s.rect(x0, y - thickness, x1, y, colour, radius=3)
    for i in range(3):
        yy = y - thickness * (0.3 + 0.25 * i)
        s.line(
            [(x0 + 20 + 30 * i, yy), (x1 - 40 - 20 * i, yy)],
            darker(colour, 0.12),
            3,
            round_caps=False,
        )


def laptop(s: Scene, x, y, w=300, colour=INK, screen=BLUE_LIGHT, accent=ORANGE, back=False):
    """A laptop standing on a surface at height ``y``, screen facing the viewer
    (``back``: facing someone behind it)."""
    h = w * 0.62
    if back:
        s.rect(x - w / 2, y - h, x + w / 2, y - 6, STEEL, radius=10)
        s.circle(x, y - h / 2, w * 0.06, lighter(STEEL, 0.5))
        return
    s.rect(x - w / 2, y - h, x + w / 2, y - 10, colour, radius=10)
    screen_ui(s, x - w / 2 + 14, y - h + 14, x + w / 2 - 14, y - 24, screen, accent)
    s.poly(
        [
            (x - w / 2 - 30, y),
            (x + w / 2 + 30, y),
            (x + w / 2 + 10, y - 14),
            (x - w / 2 - 10, y - 14),
        ],
        darker(STEEL, 0.1),
    )


def screen_ui(s: Scene, x0, y0, x1, y1, background, accent, chart=True):
    """A simple app on a screen: title bar, cards and a bar chart."""
    s.rect(x0, y0, x1, y1, background)
    w, h = x1 - x0, y1 - y0
    s.rect(x0, y0, x1, y0 + h * 0.14, BLUE)
    s.rect(x0 + w * 0.05, y0 + h * 0.22, x0 + w * 0.45, y0 + h * 0.5, WHITE, radius=4)
    s.rect(x0 + w * 0.08, y0 + h * 0.28, x0 + w * 0.35, y0 + h * 0.33, LINE_GREY)
    s.rect(x0 + w * 0.08, y0 + h * 0.38, x0 + w * 0.28, y0 + h * 0.43, LINE_GREY)
    if chart:
        for i, bar in enumerate((0.35, 0.55, 0.45, 0.75)):
            bx = x0 + w * (0.55 + i * 0.1)
            s.rect(
                bx,
                y1 - h * 0.1 - h * bar * 0.7,
                bx + w * 0.07,
                y1 - h * 0.1,
                accent if i == 3 else lighter(BLUE, 0.35),
            )
    s.rect(x0 + w * 0.05, y0 + h * 0.6, x0 + w * 0.45, y0 + h * 0.86, WHITE, radius=4)
    s.circle(x0 + w * 0.13, y0 + h * 0.73, h * 0.07, accent)


def tablet(s: Scene, x, y, w=150, h=110, angle=0, accent=ORANGE):
    """A tablet held or lying, centred at (x, y); screen content only when upright."""
    if angle == 0:
        s.rect(x - w / 2, y - h / 2, x + w / 2, y + h / 2, INK, radius=10)
        screen_ui(s, x - w / 2 + 9, y - h / 2 + 9, x + w / 2 - 9, y + h / 2 - 9, BLUE_LIGHT, accent)
    else:
        s.shape(
            [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)], x, y, angle, INK
        )
        s.shape(
            [
                (-w / 2 + 9, -h / 2 + 9),
                (w / 2 - 9, -h / 2 + 9),
                (w / 2 - 9, h / 2 - 9),
                (-w / 2 + 9, h / 2 - 9),
            ],
            x,
            y,
            angle,
            lighter(BLUE, 0.7),
        )


def mug(s: Scene, x, y, colour):
    s.rect(x - 18, y - 44, x + 18, y, colour, radius=6)
    s.arc(x + 18, y - 24, 12, 12, 270, 90, colour, 7)


def papers(s: Scene, x, y, angle=0):
    s.shape([(-60, -42), (60, -42), (60, 42), (-60, 42)], x, y, angle, WHITE)
    for i in range(4):
        s.shape(
            [
                (-44, -26 + i * 16),
                (40 - (i % 2) * 30, -26 + i * 16),
                (40 - (i % 2) * 30, -20 + i * 16),
                (-44, -20 + i * 16),
            ],
            x,
            y,
            angle,
            LINE_GREY,
        )


def plant(s: Scene, x, y, pot=ORANGE):
    for dx, dy, r in ((-24, -90, 34), (22, -100, 38), (0, -130, 36), (-4, -70, 30)):
        s.circle(x + dx, y + dy, r, hex_colour("#4f8a4a"))
    s.poly([(x - 40, y - 60), (x + 40, y - 60), (x + 30, y), (x - 30, y)], pot)


# people


@dataclass(frozen=True)
class Look:
    skin: Colour
    hair: Colour
    hair_style: str  # short, long, bun, curly, bald, cap, helmet, chef
    top: Colour
    trousers: Colour
    apron: Colour | None = None
    vest: Colour | None = None
    hat: Colour | None = None


def random_look(rng: random.Random, **overrides) -> Look:
    look = Look(
        skin=rng.choice(SKIN_TONES),
        hair=rng.choice(HAIR_COLOURS),
        hair_style=rng.choice(["short", "long", "bun", "curly", "short", "bald"]),
        top=rng.choice([BLUE, LINK_BLUE, GREEN, RED, PURPLE, ORANGE_DARK, TEAL]),
        trousers=rng.choice(
            [INK, hex_colour("#34495e"), hex_colour("#3a3f47"), hex_colour("#2c4a6b")]
        ),
    )
    return replace(look, **overrides)


def _head(s: Scene, x, cy, r, look: Look):
    hair = look.hair
    if look.hair_style == "long":
        s.rect(x - r * 1.08, cy - r * 0.6, x + r * 1.08, cy + r * 1.6, hair, radius=r * 0.6)
    if look.hair_style == "bun":
        s.circle(x, cy - r * 1.05, r * 0.45, hair)
    if look.hair_style == "curly":
        for i in range(9):
            a = math.pi + i * math.pi / 8
            s.circle(x + math.cos(a) * r * 0.95, cy + math.sin(a) * r * 0.9, r * 0.36, hair)
    s.rect(x - r * 0.35, cy + r * 0.6, x + r * 0.35, cy + r * 1.35, darker(look.skin, 0.08))
    s.ellipse(x, cy, r * 0.92, r, look.skin)
    s.circle(x - r * 0.9, cy + r * 0.1, r * 0.18, look.skin)
    s.circle(x + r * 0.9, cy + r * 0.1, r * 0.18, look.skin)
    for side in (-1, 1):
        s.circle(x + side * r * 0.34, cy + r * 0.14, r * 0.09, hex_colour("#2b2020"))
    s.arc(x, cy + r * 0.42, r * 0.26, r * 0.16, 20, 160, darker(look.skin, 0.4), r * 0.08)
    style = look.hair_style
    if style in ("short", "long", "bun", "curly"):
        s.chord(x, cy - r * 0.05, r * 0.98, r * 1.02, 180, 360, hair)
        if style == "short":
            s.rect(x - r * 0.95, cy - r * 0.2, x - r * 0.75, cy + r * 0.2, hair)
            s.rect(x + r * 0.75, cy - r * 0.2, x + r * 0.95, cy + r * 0.2, hair)
    elif style == "bald":
        s.chord(x, cy + r * 0.05, r * 0.96, r * 0.6, 160, 200, hair)
        s.chord(x, cy + r * 0.05, r * 0.96, r * 0.6, 340, 20, hair)
    elif style == "cap":
        s.chord(x, cy - r * 0.1, r * 1.0, r * 1.05, 180, 360, look.hat or BLUE)
        s.rect(
            x - r * 1.1,
            cy - r * 0.2,
            x + r * 1.4,
            cy - r * 0.05,
            darker(look.hat or BLUE, 0.2),
            radius=4,
        )
    elif style == "helmet":
        colour = look.hat or YELLOW
        s.chord(x, cy - r * 0.2, r * 1.05, r * 1.1, 180, 360, colour)
        s.rect(x - r * 1.3, cy - r * 0.3, x + r * 1.3, cy - r * 0.12, darker(colour, 0.1), radius=5)
        s.rect(x - r * 0.12, cy - r * 1.25, x + r * 0.12, cy - r * 0.3, darker(colour, 0.08))
    elif style == "chef":
        s.rect(x - r * 0.95, cy - r * 1.0, x + r * 0.95, cy - r * 0.45, WHITE)
        for dx in (-0.55, 0, 0.55):
            s.circle(x + r * dx, cy - r * 1.35, r * 0.5, WHITE)
        s.chord(x, cy - r * 0.05, r * 0.98, r * 0.9, 200, 340, look.hair)


def person(
    s: Scene,
    x,
    feet,
    look: Look,
    height=520,
    hands=None,
    legs=True,
    shadow_on: Colour | None = None,
    stride=0,
    prop: Callable[[], None] | None = None,
):
    """A standing figure with its feet at (x, feet); ``hands`` are (left, right) points
    the hands reach for (None: arms hang down); ``prop`` draws what the hands hold
    (in front of the body, behind the hands). Returns the hand points."""
    h = height
    r = h * 0.075
    top = feet - h
    head_y = top + r
    shoulder_y = top + r * 2.45
    hip_y = top + h * 0.53
    shoulder = h * 0.12
    hip = h * 0.095
    if shadow_on and legs:
        s.shadow(x, feet, h * 0.17, h * 0.035, shadow_on)
    if legs:
        leg_w = h * 0.075
        for side in (-1, 1):
            foot_x = x + side * (h * 0.05 + stride * (1 if side > 0 else -1))
            s.line(
                [(x + side * h * 0.048, hip_y), (foot_x, feet - leg_w * 0.6)], look.trousers, leg_w
            )
            s.ellipse(foot_x + side * h * 0.02, feet - h * 0.018, h * 0.055, h * 0.025, INK)
    # torso
    s.poly(
        [
            (x - shoulder, shoulder_y + r * 0.2),
            (x - shoulder + r * 0.35, shoulder_y - r * 0.15),
            (x + shoulder - r * 0.35, shoulder_y - r * 0.15),
            (x + shoulder, shoulder_y + r * 0.2),
            (x + hip * 1.05, hip_y + h * 0.03),
            (x - hip * 1.05, hip_y + h * 0.03),
        ],
        look.top,
    )
    if look.vest:
        s.poly(
            [
                (x - shoulder + r * 0.5, shoulder_y),
                (x - r * 0.35, shoulder_y),
                (x - r * 0.1, hip_y + h * 0.03),
                (x - hip * 1.0, hip_y + h * 0.03),
            ],
            look.vest,
        )
        s.poly(
            [
                (x + shoulder - r * 0.5, shoulder_y),
                (x + r * 0.35, shoulder_y),
                (x + r * 0.1, hip_y + h * 0.03),
                (x + hip * 1.0, hip_y + h * 0.03),
            ],
            look.vest,
        )
        s.rect(x - hip * 1.02, hip_y - h * 0.06, x + hip * 1.02, hip_y - h * 0.045, (235, 235, 235))
    if look.apron:
        s.poly(
            [
                (x - hip * 0.85, shoulder_y + r * 0.6),
                (x + hip * 0.85, shoulder_y + r * 0.6),
                (x + hip * 1.1, hip_y + h * 0.2),
                (x - hip * 1.1, hip_y + h * 0.2),
            ],
            look.apron,
        )
        s.rect(
            x - hip * 0.6,
            hip_y - h * 0.04,
            x + hip * 0.6,
            hip_y + h * 0.04,
            darker(look.apron, 0.12),
            radius=4,
        )
    _head(s, x, head_y, r, look)
    if prop is not None:
        prop()
    # arms
    sleeve = darker(look.top, 0.12)
    arm_w = h * 0.058
    points = []
    for side, target in zip((-1, 1), hands or (None, None), strict=True):
        sx, sy = x + side * (shoulder - arm_w * 0.45), shoulder_y + arm_w * 0.4
        if target is None:
            hx, hy = sx + side * h * 0.03, sy + h * 0.31
            ex, ey = sx + side * h * 0.035, sy + h * 0.16
        else:
            hx, hy = target
            ex = sx + (hx - sx) * 0.35 + side * h * 0.05
            ey = sy + (hy - sy) * 0.5 + h * 0.1
        s.line([(sx, sy), (ex, ey), (hx, hy)], sleeve, arm_w)
        s.circle(hx, hy, arm_w * 0.62, look.skin)
        points.append((hx, hy))
    return points


def seated(s: Scene, x, table_top, look: Look, height=500, hands=None):
    """Someone sitting behind a table: only what shows above its top is drawn
    (draw the table afterwards)."""
    return person(s, x, table_top + height * 0.36, look, height, hands=hands, legs=False)


def from_behind(s: Scene, x, y, look: Look, r=44):
    """A spectator seen from behind: shoulders and the back of the head."""
    s.ellipse(x, y + r * 2.1, r * 1.9, r * 1.3, look.top)
    s.rect(x - r * 0.35, y + r * 0.5, x + r * 0.35, y + r * 1.2, darker(look.skin, 0.1))
    s.circle(x, y, r, look.hair if look.hair_style != "bald" else look.skin)


# --- motifs ------------------------------------------------------------------------------


def draw_workshop(s: Scene):
    """A workshop with a workbench, tools on the wall and a craftsman at work."""
    rng = s.rng
    wall = rng.choice([hex_colour("#dfe7ef"), hex_colour("#e9e2d6"), hex_colour("#dde8e0")])
    floor = hex_colour("#9aa3ad")
    interior(s, wall, floor)
    window(s, 90, 120, 300, 300)
    pegboard(s, 470, 110, 1130, 440)
    hammer(s, 560, 190, 0, 0.9)
    saw(s, 670, 170, 0, 0.9)
    wrench(s, 900, 180, 0, 1.0)
    screwdriver(s, 960, 250, 0, 1.0, ORANGE)
    screwdriver(s, 1000, 250, 0, 1.0, BLUE)
    pliers(s, 1060, 230, 0, 1.0)
    shelf(s, 1200, 1540, 250)
    boxes(s, 1215, 250, [ORANGE, BLUE, GREEN])
    shelf(s, 1200, 1540, 420)
    boxes(s, 1215, 420, [lighter(BLUE, 0.3), ORANGE, lighter(GREEN, 0.2)])
    person(
        s,
        800,
        700,
        random_look(rng, apron=hex_colour("#6b4a2b"), hair_style=rng.choice(["short", "bun"])),
        height=520,
        hands=((700, 560), (905, 520)),
        legs=True,
    )
    hammer(s, 905, 520, -60, 0.9)
    workbench(s, 380, 1260, 575, 770, shadow_on=floor)
    plank(s, 470, 840, 575)
    s.rect(1080, 530, 1180, 575, GREY, radius=6)  # vice
    s.rect(1100, 500, 1160, 535, STEEL, radius=4)
    tablet(s, 980, 560, 120, 26, angle=-1)
    s.rect(1300, 640, 1480, 780, RED, radius=10)  # toolbox
    s.rect(1360, 610, 1420, 630, darker(RED, 0.3), radius=6)
    s.rect(1300, 690, 1480, 700, darker(RED, 0.2))


def draw_carpenter(s: Scene):
    """A carpenter planing a board at the bench, shavings curling off."""
    rng = s.rng
    wall = rng.choice([hex_colour("#efe4d3"), hex_colour("#e6e9ee"), hex_colour("#eee0cc")])
    floor = hex_colour("#b58d63")
    interior(s, wall, floor)
    # timber rack
    for i in range(6):
        x = 1150 + i * 60
        s.rect(x, 80, x + 34, 600, mix(WOOD, WOOD_LIGHT, (i % 3) / 2), radius=4)
    s.rect(1120, 300, 1530, 320, WOOD_DARK)
    window(s, 120, 110, 360, 300)
    pegboard(s, 560, 120, 1020, 380, lighter(WOOD_LIGHT, 0.3))
    saw(s, 640, 190, 0, 0.9)
    hammer(s, 900, 180, 0, 0.85)
    screwdriver(s, 960, 240, 0, 0.9, GREEN)
    look = random_look(
        rng, apron=hex_colour("#2f5d50"), hair_style=rng.choice(["short", "cap", "bun"]), hat=BLUE
    )
    person(s, 640, 700, look, 540, hands=((790, 530), (870, 540)))
    workbench(s, 380, 1300, 575, 770, shadow_on=floor)
    plank(s, 520, 1200, 575, 34)
    # the plane under the hands
    s.rect(770, 505, 900, 545, WOOD_DARK, radius=8)
    s.rect(790, 495, 880, 505, STEEL)
    s.circle(790, 525, 16, RED)
    # shavings
    for i in range(6):
        cx, cy = 930 + i * 38 + rng.randint(-6, 6), 500 - (i % 3) * 30
        s.arc(cx, cy, 24, 18, 200, 520 - 40 * (i % 2), WOOD_LIGHT, 8)
    for i in range(9):
        x, y = 520 + i * 85 + rng.randint(-20, 20), 795 + (i % 3) * 22
        s.arc(x, y, 22, 9, 150, 390, lighter(WOOD_LIGHT, 0.2), 6)


def draw_electrician(s: Scene):
    """An electrician working at an open distribution board."""
    rng = s.rng
    wall = rng.choice([hex_colour("#e4e9ef"), hex_colour("#ece9e3")])
    floor = hex_colour("#8e98a3")
    interior(s, wall, floor)
    # conduits on the wall
    for i, y in enumerate((140, 170, 200)):
        s.line([(0, y), (520, y), (520, 230)], [GREY, LINE_GREY, STEEL][i], 12, round_caps=False)
    # the board
    s.shadow(750, 720, 300, 24, floor)
    s.rect(500, 220, 1000, 690, hex_colour("#d5dbe2"), radius=14)
    s.rect(520, 240, 980, 670, hex_colour("#f6f7f9"), radius=8)
    colours = [BLUE, ORANGE, GREEN, LINE_GREY, RED]
    for row in range(4):
        y = 280 + row * 95
        s.rect(540, y - 8, 960, y + 64, hex_colour("#cfd6de"))
        for col in range(9):
            x = 552 + col * 45
            s.rect(x, y, x + 36, y + 56, WHITE, radius=3)
            s.rect(
                x + 12, y + 10, x + 24, y + 26, colours[(row * 3 + col) % len(colours)], radius=2
            )
    # door opened to the right
    s.poly([(1000, 220), (1110, 250), (1110, 660), (1000, 690)], hex_colour("#c3cbd4"))
    s.rect(1080, 420, 1092, 480, GREY, radius=4)
    look = random_look(
        rng, hair_style=rng.choice(["short", "cap", "curly"]), top=BLUE, hat=ORANGE, vest=ORANGE
    )
    person(s, 1260, 780, look, 560, hands=((1180, 560), (960, 420)), shadow_on=floor)
    screwdriver(s, 950, 420, -80, 1.0, ORANGE)
    # tester in the other hand
    s.rect(1160, 520, 1200, 590, YELLOW, radius=8)
    s.rect(1168, 532, 1192, 556, INK, radius=3)
    # toolbag
    s.rect(230, 660, 420, 780, INK, radius=18)
    s.arc(325, 660, 70, 50, 180, 360, INK, 12)
    pliers(s, 290, 620, 10, 0.8)
    screwdriver(s, 360, 630, -10, 0.8, RED)


def draw_baker(s: Scene):
    """A baker behind the counter with fresh bread."""
    rng = s.rng
    tile = rng.choice([hex_colour("#f1e2c8"), hex_colour("#dde9e4")])
    floor = hex_colour("#b8a58e")
    interior(s, tile, floor, floor_y=720)
    for x in range(0, s.width, 80):
        s.line([(x, 0), (x, 706)], darker(tile, 0.06), 3, round_caps=False)
    for y in range(0, 706, 80):
        s.line([(0, y), (s.width, y)], darker(tile, 0.06), 3, round_caps=False)
    # oven
    s.rect(80, 140, 460, 700, hex_colour("#4d4f57"), radius=16)
    s.rect(120, 200, 420, 420, hex_colour("#2b2d33"), radius=12)
    s.vertical_gradient(230, 400, hex_colour("#f59e42"), hex_colour("#c2410c"), 140, 400)
    for i in range(3):
        s.ellipse(200 + i * 90, 380, 36, 18, WOOD)
    s.rect(120, 460, 420, 480, STEEL, radius=6)
    # bread shelf
    for row, y in enumerate((220, 380)):
        shelf(s, 1040, 1540, y)
        for i in range(5):
            x = 1090 + i * 95
            if (row + i) % 3 == 0:
                s.ellipse(x, y - 28, 50, 22, WOOD_DARK)  # baguette seen end on
                s.arc(x, y - 34, 30, 10, 200, 340, WOOD_LIGHT, 4)
            else:
                s.ellipse(x, y - 34, 42, 34, mix(WOOD, WOOD_DARK, (i % 2) * 0.6))
                s.line([(x - 18, y - 44), (x + 14, y - 30)], WOOD_LIGHT, 4)
    look = random_look(
        rng, top=WHITE, apron=rng.choice([BLUE, hex_colour("#3d5a80"), GREEN]), hair_style="chef"
    )
    person(s, 760, 760, look, 540, hands=((650, 520), (880, 520)), legs=False)
    # tray with loaves
    s.rect(600, 500, 920, 520, STEEL, radius=6)
    for i in range(3):
        s.ellipse(660 + i * 100, 478, 48, 30, WOOD if i != 1 else WOOD_DARK)
        s.arc(660 + i * 100, 478, 26, 14, 200, 340, WOOD_LIGHT, 5)
    # counter
    s.rect(480, 600, 1100, 900, WOOD_DARK, radius=10)
    s.rect(480, 600, 1100, 630, WOOD, radius=10)
    s.rect(520, 660, 1060, 860, lighter(BLUE_LIGHT, 0.2), radius=8)
    for i in range(4):
        s.ellipse(600 + i * 130, 780, 55, 34, mix(WOOD, WOOD_DARK, (i % 2) * 0.5))
    s.rect(520, 720, 1060, 730, lighter(WOOD_DARK, 0.4))
    # baguettes on the counter
    for i in range(2):
        y = 584 - i * 16
        s.rect(880 + i * 30, y - 18, 1080 + i * 10, y + 18, WOOD if i else WOOD_DARK, radius=18)
        for k in range(4):
            s.line([(905 + i * 30 + k * 42, y + 6), (925 + i * 30 + k * 42, y - 8)], WOOD_LIGHT, 4)


def draw_digital(s: Scene):
    """A laptop and a tablet on the workbench: digital tools in the workshop."""
    rng = s.rng
    wall = rng.choice([hex_colour("#e3eaf2"), hex_colour("#e7ebe4"), hex_colour("#efe7dc")])
    floor = hex_colour("#9aa3ad")
    interior(s, wall, floor)
    window(s, 1180, 120, 320, 300)
    pegboard(s, 120, 120, 620, 420)
    hammer(s, 200, 190, 0, 0.8)
    wrench(s, 300, 180, 0, 0.9)
    saw(s, 380, 170, 0, 0.8)
    shelf(s, 700, 1080, 250)
    boxes(s, 720, 250, [ORANGE, BLUE, GREEN, RED][: 3 + rng.randint(0, 1)])
    accent = rng.choice([ORANGE, GREEN, PURPLE])
    look_a = random_look(
        rng, hair_style=rng.choice(["long", "bun", "curly"]), top=rng.choice([BLUE, GREEN, PURPLE])
    )
    look_b = random_look(
        rng, hair_style=rng.choice(["short", "bald", "cap"]), top=ORANGE_DARK, hat=BLUE
    )
    person(
        s,
        560,
        700,
        look_a,
        520,
        hands=((530, 548), (670, 548)),
        prop=lambda: tablet(s, 600, 500, 170, 120, accent=accent),
    )
    person(s, 1130, 700, look_b, 540, hands=((1020, 470), None))
    workbench(s, 260, 1400, 590, 770, shadow_on=floor)
    laptop(s, 900, 590, 320, accent=accent)
    mug(s, 1150, 590, RED)
    plank(s, 1200, 1380, 590, 22)
    s.rect(300, 555, 400, 590, WOOD_LIGHT, radius=4)


def draw_handover(s: Scene):
    """Two people in front of a workshop: the older one hands the keys to the younger one."""
    rng = s.rng
    horizon = 640
    outdoor(s, horizon)
    sun(s, 1420, 140)
    cloud(s, 300, 140)
    cloud(s, 1100, 90, 180)
    hills(s, horizon - 130, hex_colour("#9cc08a"), horizon)
    # the workshop building
    body = rng.choice([hex_colour("#f0e6d8"), hex_colour("#e4ecf2"), hex_colour("#efe0cf")])
    s.rect(180, 300, 1420, 660, body)
    s.poly(
        [(140, 310), (800, 130), (1460, 310)], rng.choice([RED, ORANGE_DARK, hex_colour("#7a3b2e")])
    )
    s.rect(260, 400, 520, 660, GREY, radius=6)  # gate
    for y in range(420, 660, 40):
        s.rect(270, y, 510, y + 28, STEEL)
    s.rect(1120, 400, 1340, 560, hex_colour("#b7d7ef"))
    s.rect(1226, 400, 1234, 560, WHITE)
    s.rect(560, 240, 1040, 330, BLUE, radius=8)  # shop sign
    hammer(s, 620, 270, -90, 0.45)
    s.rect(680, 268, 1000, 282, WHITE, radius=4)
    s.rect(680, 296, 900, 306, lighter(BLUE, 0.5), radius=4)
    s.vertical_gradient(horizon, s.height, hex_colour("#c9c4bb"), hex_colour("#aaa49a"))
    older = random_look(
        rng,
        hair=hex_colour("#c9c9c9"),
        hair_style=rng.choice(["bald", "short"]),
        apron=hex_colour("#6b4a2b"),
        top=BLUE,
    )
    younger = random_look(
        rng,
        hair=rng.choice(HAIR_COLOURS[:4]),
        hair_style=rng.choice(["long", "bun", "curly", "short"]),
        top=rng.choice([GREEN, ORANGE_DARK, PURPLE]),
    )
    person(s, 600, 860, older, 560, hands=((560, 620), (780, 560)), shadow_on=hex_colour("#b8b2a8"))
    person(
        s, 1000, 860, younger, 540, hands=((820, 565), (1040, 640)), shadow_on=hex_colour("#b8b2a8")
    )
    # the keys between the hands
    s.circle(800, 530, 22, SUN, outline=darker(SUN, 0.3), width=4)
    s.circle(800, 530, 8, lighter(SUN, 0.8))
    s.rect(796, 550, 806, 600, SUN)
    s.rect(806, 580, 818, 588, SUN)
    s.rect(806, 594, 822, 600, SUN)
    for angle in (0, 60, 120):
        a = math.radians(angle - 150)
        s.line(
            [
                (800 + math.cos(a) * 50, 500 + math.sin(a) * 50),
                (800 + math.cos(a) * 70, 500 + math.sin(a) * 70),
            ],
            SUN,
            6,
        )


def draw_solar(s: Scene):
    """A roofer fitting solar panels on a pitched roof, with a tablet."""
    rng = s.rng
    horizon = 700
    outdoor(s, horizon, sky=(105, 170, 225), ground=hex_colour("#9cbf7f"))
    sun(s, 1380, 150, 80)
    cloud(s, 260, 160)
    cloud(s, 820, 100, 170)
    hills(s, horizon - 100, hex_colour("#8fb87b"), horizon)
    # house
    wall = rng.choice([hex_colour("#f1e8dc"), hex_colour("#e5edf3")])
    s.rect(260, 480, 1200, 780, wall)
    roof = [(180, 490), (560, 240), (900, 240), (1280, 490)]
    s.poly(roof, rng.choice([hex_colour("#8c3b2a"), hex_colour("#5b4a44")]))
    s.rect(760, 170, 830, 280, hex_colour("#8c3b2a"))  # chimney

    # panels on the sloped face, in rows that stay inside the roof's outline
    def roof_edges(y):
        inset = (490 - y) / 250 * 380
        return 180 + inset, 1280 - inset

    for row in range(3):
        y0 = 465 - row * 62  # lower edge of the row
        y1 = y0 - 52
        left, right = roof_edges(y1)
        count = int((right - left - 60) // 150)
        start_x = (left + right) / 2 - count * 150 / 2 + 7
        for col in range(count):
            xa = start_x + col * 150
            s.poly([(xa, y1), (xa + 136, y1), (xa + 126, y0), (xa - 10, y0)], hex_colour("#1f3b66"))
            s.line(
                [(xa + 68, y1 + 4), (xa + 62, y0 - 4)], hex_colour("#4d6fa3"), 3, round_caps=False
            )
    # windows and door
    for x in (340, 560, 980):
        s.rect(x, 560, x + 140, 680, hex_colour("#b7d7ef"))
        s.rect(x + 66, 560, x + 74, 680, WHITE)
    s.rect(780, 590, 880, 780, WOOD_DARK, radius=6)
    # ladder and roofer
    for x in (1240, 1320):
        s.line([(x, 860), (x - 60, 430)], STEEL, 12)
    for i in range(7):
        y = 830 - i * 60
        s.line(
            [(1240 - (860 - y) * 0.14, y), (1320 - (860 - y) * 0.14, y)], STEEL, 8, round_caps=False
        )
    look = random_look(
        rng, hair_style="helmet", hat=rng.choice([WHITE, YELLOW]), vest=HI_VIS, top=BLUE
    )
    person(
        s,
        1000,
        430,
        look,
        400,
        hands=((945, 352), (1055, 352)),
        prop=lambda: tablet(s, 1000, 322, 130, 90, accent=GREEN),
    )


def draw_meeting(s: Scene):
    """A meeting at a table: notes, laptop, a chart on the wall."""
    rng = s.rng
    wall = rng.choice([hex_colour("#e8eef5"), hex_colour("#efe9e1"), hex_colour("#e6efe8")])
    floor = hex_colour("#a48a6e")
    interior(s, wall, floor, floor_y=720)
    window(s, 90, 110, 320, 330)
    # whiteboard with a chart
    s.rect(560, 110, 1120, 420, WHITE, radius=8, outline=LINE_GREY, width=8)
    for i, v in enumerate((0.4, 0.6, 0.5, 0.85)):
        s.rect(620 + i * 90, 380 - v * 220, 680 + i * 90, 380, [BLUE, LINK_BLUE, GREEN, ORANGE][i])
    s.line([(980, 200), (1080, 200)], BLUE, 8)
    s.line([(980, 250), (1060, 250)], LINE_GREY, 8)
    s.line([(980, 300), (1070, 300)], LINE_GREY, 8)
    plant(s, 1440, 720)
    s.rect(1220, 160, 1380, 360, lighter(ORANGE, 0.75), radius=6)  # calendar
    for i in range(12):
        s.rect(
            1240 + (i % 4) * 34,
            220 + (i // 4) * 40,
            1266 + (i % 4) * 34,
            246 + (i // 4) * 40,
            WHITE,
        )
    top = 590
    people = [
        (430, random_look(rng, hair_style="short", top=BLUE), ((440, 576), (520, 576))),
        (
            720,
            random_look(rng, hair_style=rng.choice(["long", "bun"]), top=GREEN),
            ((660, 576), (820, 520)),
        ),
        (
            1010,
            random_look(rng, hair=hex_colour("#bdbdbd"), hair_style="bald", top=ORANGE_DARK),
            ((960, 576), (1060, 576)),
        ),
        (
            1280,
            random_look(rng, hair_style=rng.choice(["curly", "short"]), top=PURPLE),
            ((1200, 576), (1290, 576)),
        ),
    ]
    for x, look, hands in people:
        seated(s, x, top, look, 500, hands=hands)
    table(s, 260, 1440, top, 860, WHITE, shadow_on=floor)
    laptop(s, 560, top + 6, 200, back=True)
    for x in (860, 1150):  # stacks of paper and a folder
        s.rect(x - 70, top - 20, x + 70, top - 8, WHITE, outline=LINE_GREY, width=2)
        s.rect(
            x - 64, top - 30, x + 60, top - 20, lighter(BLUE_LIGHT, 0.3), outline=LINE_GREY, width=2
        )
    s.rect(1010, top - 30, 1090, top - 8, ORANGE, radius=4)
    mug(s, 1340, top - 8, ORANGE)
    mug(s, 380, top - 8, BLUE)


def draw_building_site(s: Scene):
    """A building site: crane, a house in the making, workers in helmets."""
    rng = s.rng
    horizon = 700
    outdoor(s, horizon, sky=rng.choice([(120, 180, 225), (140, 190, 230)]))
    sun(s, 200, 150, 70)
    cloud(s, 700, 120)
    hills(s, horizon - 80, hex_colour("#a4c49a"), horizon)
    # crane
    mast_x = 1180
    for y in range(120, 700, 60):
        s.line([(mast_x, y), (mast_x + 50, y + 60)], SUN, 6, round_caps=False)
        s.line([(mast_x + 50, y), (mast_x, y + 60)], SUN, 6, round_caps=False)
    s.line([(mast_x, 120), (mast_x, 700)], darker(SUN, 0.2), 12)
    s.line([(mast_x + 50, 120), (mast_x + 50, 700)], darker(SUN, 0.2), 12)
    s.rect(mast_x - 620, 100, mast_x + 260, 130, darker(SUN, 0.1))
    for x in range(mast_x - 600, mast_x + 250, 50):
        s.line([(x, 100), (x + 25, 130)], darker(SUN, 0.25), 4, round_caps=False)
    s.rect(mast_x + 160, 130, mast_x + 250, 190, GREY)  # counterweight
    s.rect(mast_x - 20, 130, mast_x + 70, 200, INK, radius=6)  # cabin
    s.rect(mast_x - 10, 140, mast_x + 30, 180, hex_colour("#b7d7ef"))
    hook_x = mast_x - 430
    s.line([(hook_x, 130), (hook_x, 380)], INK, 4, round_caps=False)
    s.rect(hook_x - 80, 380, hook_x + 80, 420, WOOD, radius=4)  # beams on the hook
    s.rect(hook_x - 80, 420, hook_x + 80, 440, WOOD_DARK, radius=4)
    # building in the making
    s.rect(200, 380, 640, 720, hex_colour("#c9ccd2"))
    for floor_y in (380, 490, 600):
        s.rect(190, floor_y - 12, 650, floor_y, GREY)
        for x in (240, 360, 480):
            s.rect(x, floor_y + 20, x + 80, floor_y + 90, hex_colour("#7c8591"))
    for x in range(180, 680, 90):  # scaffold
        s.line([(x, 340), (x, 720)], ORANGE, 6, round_caps=False)
    for y in range(360, 720, 110):
        s.line([(170, y), (670, y)], ORANGE, 6, round_caps=False)
    s.vertical_gradient(horizon, s.height, hex_colour("#c8b89a"), hex_colour("#a8977a"))
    # fence
    for x in range(0, 1600, 160):
        s.rect(x + 10, 720, x + 150, 780, WHITE, outline=RED, width=8)
        s.line([(x + 20, 770), (x + 140, 730)], RED, 8, round_caps=False)
    # workers
    look_a = random_look(rng, hair_style="helmet", hat=WHITE, vest=HI_VIS, top=BLUE)
    look_b = random_look(rng, hair_style="helmet", hat=YELLOW, vest=HI_VIS, top=GREY)
    person(
        s,
        880,
        880,
        look_a,
        420,
        hands=(None, (925, 672)),
        shadow_on=hex_colour("#a8977a"),
        prop=lambda: tablet(s, 940, 640, 110, 80, accent=GREEN),
    )
    person(
        s, 1380, 880, look_b, 430, hands=((1300, 690), (1420, 760)), shadow_on=hex_colour("#a8977a")
    )
    s.line([(1300, 690), (1200, 600)], STEEL, 6)  # pointing with a folding rule
    # cone and bricks
    s.poly([(560, 880), (620, 880), (600, 780), (580, 780)], HI_VIS)
    s.rect(575, 810, 605, 830, WHITE)
    for i in range(3):
        for j in range(3 - i):
            s.rect(
                300 + j * 70 + i * 35,
                860 - i * 36,
                362 + j * 70 + i * 35,
                892 - i * 36,
                hex_colour("#b5523b"),
                radius=3,
            )


def draw_creative(s: Scene):
    """A creative workshop: sticky notes on the wall, sketches and a prototype."""
    rng = s.rng
    wall = rng.choice([hex_colour("#f2ede6"), hex_colour("#e9eef4")])
    floor = hex_colour("#a3a8ae")
    interior(s, wall, floor, floor_y=720)
    s.rect(180, 90, 1060, 470, WHITE, radius=10, outline=LINE_GREY, width=6)
    note_colours = [
        YELLOW,
        lighter(ORANGE, 0.55),
        lighter(GREEN, 0.6),
        lighter(BLUE, 0.65),
        lighter(PURPLE, 0.6),
    ]
    for cluster in range(3):
        cx = 300 + cluster * 280
        colour = note_colours[(cluster + rng.randint(0, 4)) % len(note_colours)]
        s.rect(cx - 70, 120, cx + 90, 150, INK if cluster == 0 else GREY, radius=4)
        for i in range(6):
            x = cx - 70 + (i % 2) * 85 + rng.randint(-6, 6)
            y = 180 + (i // 2) * 90 + rng.randint(-6, 6)
            s.rect(x, y, x + 72, y + 72, colour if i % 3 else note_colours[(cluster + 2) % 5])
            s.line([(x + 12, y + 24), (x + 58, y + 24)], GREY, 3, round_caps=False)
    s.line([(470, 300), (540, 300)], INK, 5)
    s.poly([(540, 290), (560, 300), (540, 310)], INK)
    lamp_x = 1300
    s.line([(lamp_x, 0), (lamp_x, 140)], INK, 4)
    s.chord(lamp_x, 190, 80, 60, 180, 360, ORANGE)
    s.circle(lamp_x, 186, 18, YELLOW)
    look_a = random_look(
        rng, hair_style=rng.choice(["long", "bun", "curly"]), top=rng.choice([PURPLE, GREEN, RED])
    )
    person(s, 640, 800, look_a, 560, hands=((560, 330), (700, 580)), shadow_on=floor)
    s.rect(540, 310, 580, 340, ORANGE, radius=4)  # marker
    look_b = random_look(
        rng, hair_style=rng.choice(["short", "cap", "bald"]), apron=hex_colour("#6b4a2b"), hat=GREEN
    )
    person(s, 1120, 800, look_b, 560, hands=((1080, 560), (1240, 560)), shadow_on=floor)
    # a small wooden stool as the prototype
    s.rect(1100, 520, 1260, 545, WOOD, radius=6)
    s.line([(1115, 545), (1100, 600)], WOOD_DARK, 12)
    s.line([(1245, 545), (1260, 600)], WOOD_DARK, 12)
    s.line([(1180, 545), (1180, 600)], WOOD_DARK, 12)
    table(s, 180, 520, 700, 880, WOOD_LIGHT, shadow_on=floor)
    papers(s, 280, 720, -8)
    papers(s, 420, 716, 6)
    s.arc(280, 716, 30, 18, 200, 340, BLUE, 4)


def draw_presentation(s: Scene):
    """A talk on a stage: a speaker at the lectern, a chart on screen, the audience in front."""
    rng = s.rng
    s.vertical_gradient(0, s.height, hex_colour("#1c2b44"), hex_colour("#0f1a2c"))
    s.poly([(300, 0), (520, 0), (700, 640), (120, 640)], (38, 56, 86))  # spotlight
    s.rect(0, 600, s.width, 660, hex_colour("#3b3140"))  # stage
    s.rect(0, 600, s.width, 612, ORANGE_DARK)
    # screen
    s.rect(700, 90, 1420, 500, WHITE, radius=6)
    s.rect(700, 90, 1420, 140, BLUE)
    s.rect(730, 104, 930, 126, lighter(BLUE, 0.5), radius=4)
    values = [rng.uniform(0.3, 0.9) for _ in range(5)]
    for i, v in enumerate(values):
        s.rect(
            770 + i * 120,
            460 - v * 280,
            850 + i * 120,
            460,
            ORANGE if i == values.index(max(values)) else LINK_BLUE,
        )
    s.line([(750, 462), (1380, 462)], INK, 4)
    # speaker at the lectern
    look = random_look(
        rng, hair_style=rng.choice(["short", "bun", "curly"]), top=rng.choice([RED, GREEN, PURPLE])
    )
    person(s, 420, 610, look, 430, hands=((540, 320), (380, 480)), legs=False)
    s.poly([(320, 470), (520, 470), (500, 640), (340, 640)], WOOD_DARK)
    s.rect(300, 450, 540, 480, WOOD, radius=6)
    s.line([(460, 450), (470, 380)], INK, 5)
    # audience seen from behind
    for row, (y, r) in enumerate(((720, 46), (820, 54))):
        for i in range(8):
            x = 80 + i * 200 + (row * 100) + rng.randint(-10, 10)
            from_behind(s, x, y, random_look(rng), r)


def draw_printer(s: Scene):
    """A 3D printer at work in the workshop, watched by a craftsperson with a tablet."""
    rng = s.rng
    wall = rng.choice([hex_colour("#e3e9f0"), hex_colour("#ece6dc")])
    floor = hex_colour("#9aa3ad")
    interior(s, wall, floor)
    window(s, 1200, 110, 300, 300)
    pegboard(s, 100, 110, 560, 400)
    wrench(s, 200, 180, 0, 0.9)
    pliers(s, 320, 220, 0, 1.0)
    screwdriver(s, 420, 240, 0, 0.9, ORANGE)
    shelf(s, 660, 1080, 260)
    for i, colour in enumerate((ORANGE, GREEN, BLUE, PURPLE)):  # filament spools
        s.circle(710 + i * 100, 210, 44, colour)
        s.circle(710 + i * 100, 210, 14, WHITE)
    look = random_look(
        rng, hair_style=rng.choice(["curly", "short", "bun"]), apron=hex_colour("#37474f")
    )
    person(
        s,
        1200,
        700,
        look,
        520,
        hands=((1090, 540), (1215, 540)),
        prop=lambda: tablet(s, 1150, 500, 150, 104, accent=ORANGE),
    )
    workbench(s, 200, 1400, 590, 770, shadow_on=floor)
    # the printer
    s.rect(420, 250, 860, 590, INK, radius=12)
    s.rect(450, 280, 830, 560, hex_colour("#d9e2ec"))
    s.rect(450, 330, 830, 346, STEEL)
    s.rect(600, 310, 680, 372, ORANGE, radius=6)  # print head
    s.poly([(630, 372), (650, 372), (640, 392)], INK)
    s.rect(480, 520, 800, 540, GREY)
    # the object being printed: a small gear
    gear_x, gear_y = 640, 470
    for k in range(8):
        a = k * math.pi / 4
        s.shape(
            [(-10, -56), (10, -56), (10, -36), (-10, -36)], gear_x, gear_y, math.degrees(a), GREEN
        )
    s.circle(gear_x, gear_y, 42, GREEN)
    s.circle(gear_x, gear_y, 14, hex_colour("#d9e2ec"))
    s.rect(600, 505, 680, 520, GREEN)
    s.rect(720, 560, 820, 580, GREEN, radius=4)  # display
    mug(s, 940, 590, BLUE)


MOTIFS: dict[str, tuple[Callable[[Scene], None], str]] = {
    "werkstatt": (draw_workshop, "Handwerker an der Werkbank in einer Werkstatt mit Werkzeugwand"),
    "tischler": (draw_carpenter, "Tischlerin hobelt an der Hobelbank ein Brett, Späne fliegen"),
    "elektro": (
        draw_electrician,
        "Elektroniker arbeitet mit Schraubendreher und Prüfgerät an einem offenen Verteilerschrank",
    ),
    "baecker": (
        draw_baker,
        "Bäcker mit Blech voller Brote hinter der Ladentheke, daneben der Backofen",
    ),
    "digital": (draw_digital, "Zwei Handwerker mit Tablet und Laptop an der Werkbank"),
    "uebergabe": (
        draw_handover,
        "Ein älterer Meister übergibt vor seiner Werkstatt die Schlüssel an seine Nachfolgerin",
    ),
    "solar": (draw_solar, "Dachdecker mit Tablet auf einem Dach mit Solarmodulen"),
    "besprechung": (
        draw_meeting,
        "Vier Menschen besprechen sich am Tisch mit Laptop und Unterlagen, an der Wand ein Diagramm",
    ),
    "baustelle": (
        draw_building_site,
        "Baustelle mit Kran und Rohbau, zwei Bauarbeiter mit Helm und Tablet",
    ),
    "kreativ": (
        draw_creative,
        "Workshop mit Haftnotizen an der Wand, eine Designerin und ein Handwerker mit einem Hocker-Prototyp",
    ),
    "vortrag": (
        draw_presentation,
        "Vortrag auf einer Bühne mit Diagramm auf der Leinwand, Publikum im Saal",
    ),
    "3d-druck": (
        draw_printer,
        "3D-Drucker druckt ein Zahnrad auf der Werkbank, daneben eine Handwerkerin mit Tablet",
    ),
}


def render_illustration(motif: str, seed=0, size=LANDSCAPE, quality=80) -> bytes:
    """A JPEG of the motif (a key of ``MOTIFS``); same motif and seed, same bytes."""
    draw, _alt = MOTIFS[motif]
    scene = Scene(size, seed=seed_of(motif, seed))
    draw(scene)
    # half of the seeds see the scene from the other side: more variety for free
    return scene.finish("JPEG", quality, mirror=seed_of("mirror", motif, seed) % 2 == 1)


def motif_alt(motif: str) -> str:
    """The German alternative text describing the motif."""
    return MOTIFS[motif][1] + " (Illustration)"


# --- portraits ---------------------------------------------------------------------------

PORTRAIT_BACKGROUNDS = [
    hex_colour("#fbd9b5"),
    hex_colour("#f7c59f"),
    hex_colour("#ffe2a8"),
    hex_colour("#f4b8a0"),
    hex_colour("#cfe3d4"),
    hex_colour("#d6e4f0"),
]


def render_portrait(
    name: str,
    size=400,
    *,
    hair_style=None,
    beard=None,
    glasses=None,
    clothes=None,
    colour: Colour | None = None,
) -> bytes:
    """A friendly head-and-shoulders avatar, the same for the same name (PNG); what is
    not given (hair style, beard, glasses, clothes and their colour) follows from the name."""
    rng = random.Random(seed_of("portrait", name))  # noqa: S311 – pictures, not secrets
    s = Scene((size, size), design=(400, 400), background=lighter(BLUE_LIGHT, 0.3))
    skin = rng.choice(SKIN_TONES)
    hair = rng.choice(HAIR_COLOURS)
    style = hair_style or rng.choice(["short", "long", "bun", "curly", "bald"])
    beard = rng.random() < 0.4 if beard is None else beard
    glasses = rng.random() < 0.35 if glasses is None else glasses
    clothes = clothes or rng.choice(["work_jacket", "shirt", "sweater", "blazer"])
    colour = colour or rng.choice([*ACCENTS, TEAL])
    s.circle(200, 200, 178, rng.choice(PORTRAIT_BACKGROUNDS))
    cx, cy, r = 200, 170, 72
    if style == "long":
        s.rect(cx - r * 1.08, cy - r * 0.6, cx + r * 1.08, cy + r * 1.5, hair, radius=r * 0.6)
    if style == "bun":
        s.circle(cx, cy - r * 1.05, r * 0.42, hair)
    if style == "curly":
        for i in range(11):
            a = math.pi * 0.9 + i * math.pi * 1.2 / 10
            s.circle(cx + math.cos(a) * r * 0.95, cy + math.sin(a) * r * 0.9, r * 0.34, hair)
    # shoulders and clothes (the circle's lower part is cut by the image edge: fine)
    shoulders = [(60, 400), (80, 320), (140, 285), (260, 285), (320, 320), (340, 400)]
    s.poly(shoulders, colour)
    s.rect(cx - 30, cy + 50, cx + 30, 300, darker(skin, 0.1))
    s.poly([(cx - 32, 285), (cx + 32, 285), (cx, 325)], darker(skin, 0.1))
    if clothes == "work_jacket":
        s.poly(
            [(cx - 50, 282), (cx - 20, 282), (cx - 5, 340), (cx - 40, 320)], darker(colour, 0.25)
        )
        s.poly(
            [(cx + 50, 282), (cx + 20, 282), (cx + 5, 340), (cx + 40, 320)], darker(colour, 0.25)
        )
        s.rect(cx - 3, 325, cx + 3, 400, lighter(colour, 0.4))
        s.rect(110, 345, 150, 352, HI_VIS)
        s.rect(250, 345, 290, 352, HI_VIS)
    elif clothes == "shirt":
        s.poly([(cx - 40, 280), (cx, 320), (cx - 30, 330), (cx - 52, 292)], WHITE)
        s.poly([(cx + 40, 280), (cx, 320), (cx + 30, 330), (cx + 52, 292)], WHITE)
        for y in (340, 370):
            s.circle(cx, y, 4, darker(colour, 0.3))
    elif clothes == "blazer":
        s.poly([(cx - 34, 284), (cx + 34, 284), (cx, 360)], WHITE)
        s.poly(
            [(cx - 55, 284), (cx - 34, 284), (cx, 360), (cx - 30, 400), (cx - 60, 330)],
            darker(colour, 0.3),
        )
        s.poly(
            [(cx + 55, 284), (cx + 34, 284), (cx, 360), (cx + 30, 400), (cx + 60, 330)],
            darker(colour, 0.3),
        )
    else:  # sweater with a round neck
        s.chord(cx, 285, 46, 26, 0, 180, darker(colour, 0.2))
    # head
    s.circle(cx - r * 0.9, cy + 6, 14, skin)
    s.circle(cx + r * 0.9, cy + 6, 14, skin)
    s.ellipse(cx, cy, r * 0.9, r, skin)
    if beard:
        s.chord(cx, cy + 18, r * 0.8, r * 0.82, 10, 170, hair)
        s.ellipse(cx, cy + 40, 24, 10, skin)
    if style in ("short", "long", "bun", "curly"):
        s.chord(cx, cy - 6, r * 0.96, r * 1.0, 180, 360, hair)
        if style == "short":
            s.poly(
                [
                    (cx - r * 0.9, cy - 10),
                    (cx - r * 0.2, cy - r * 0.95),
                    (cx + r * 0.7, cy - r * 0.75),
                    (cx + r * 0.5, cy - r * 0.35),
                ],
                hair,
            )
        elif style in ("long", "bun"):
            s.poly(
                [(cx - r * 0.95, cy), (cx - r * 0.1, cy - r), (cx + r * 0.2, cy - r * 0.45)], hair
            )
    else:
        s.chord(cx, cy + 4, r * 0.92, r * 0.6, 150, 210, hair)
        s.chord(cx, cy + 4, r * 0.92, r * 0.6, 330, 30, hair)
    # face
    eye = hex_colour("#2b2020")
    for dx in (-26, 26):
        s.circle(cx + dx, cy + 4, 6, eye)
        s.arc(cx + dx, cy - 14, 14, 6, 200, 340, darker(hair, 0.2), 4)
    s.arc(cx, cy + 26, 22, 14, 20, 160, darker(skin, 0.45), 5)
    s.circle(cx - 40, cy + 26, 9, mix(skin, hex_colour("#e8826b"), 0.35))
    s.circle(cx + 40, cy + 26, 9, mix(skin, hex_colour("#e8826b"), 0.35))
    if glasses:
        for dx in (-26, 26):
            s.circle(cx + dx, cy + 4, 17, None, outline=INK, width=4)
        s.line([(cx - 9, cy + 2), (cx + 9, cy + 2)], INK, 4, round_caps=False)
    return s.finish("PNG")


def portrait_alt(name: str) -> str:
    return f"Porträt von {name} (Illustration)"


# --- wordmarks ---------------------------------------------------------------------------


def _emblem(s: Scene, kind: str, x, y, size, colour: Colour):
    """A small mark in a rounded square at (x, y) (top left)."""
    s.rect(x, y, x + size, y + size, colour, radius=size * 0.2)
    cx, cy, u = x + size / 2, y + size / 2, size / 100
    if kind == "hammer":
        s.shape([(-7, -10), (7, -10), (7, 42), (-7, 42)], cx, cy, -35, WHITE, u)
        s.shape([(-30, -30), (24, -30), (30, -20), (24, -8), (-30, -8)], cx, cy, -35, WHITE, u)
    elif kind == "roof":
        s.poly(
            [
                (cx - 36 * u, cy + 4 * u),
                (cx, cy - 30 * u),
                (cx + 36 * u, cy + 4 * u),
                (cx + 26 * u, cy + 4 * u),
                (cx, cy - 18 * u),
                (cx - 26 * u, cy + 4 * u),
            ],
            WHITE,
        )
        s.rect(cx - 22 * u, cy + 4 * u, cx + 22 * u, cy + 34 * u, WHITE)
        s.rect(cx - 7 * u, cy + 14 * u, cx + 7 * u, cy + 34 * u, colour)
    elif kind == "gear":
        for k in range(8):
            s.shape([(-7, -36), (7, -36), (7, -22), (-7, -22)], cx, cy, k * 45, WHITE, u)
        s.circle(cx, cy, 26 * u, WHITE)
        s.circle(cx, cy, 11 * u, colour)
    elif kind == "lens":
        s.circle(cx - 6 * u, cy - 6 * u, 24 * u, WHITE)
        s.circle(cx - 6 * u, cy - 6 * u, 14 * u, colour)
        s.line([(cx + 12 * u, cy + 12 * u), (cx + 30 * u, cy + 30 * u)], WHITE, 10 * u)
    elif kind == "spark":
        points = []
        for k in range(8):
            radius = 36 if k % 2 == 0 else 12
            a = k * math.pi / 4 - math.pi / 2
            points.append((cx + math.cos(a) * radius * u, cy + math.sin(a) * radius * u))
        s.poly(points, WHITE)
    else:  # book
        s.poly(
            [
                (cx - 34 * u, cy - 22 * u),
                (cx - 2 * u, cy - 14 * u),
                (cx - 2 * u, cy + 30 * u),
                (cx - 34 * u, cy + 22 * u),
            ],
            WHITE,
        )
        s.poly(
            [
                (cx + 34 * u, cy - 22 * u),
                (cx + 2 * u, cy - 14 * u),
                (cx + 2 * u, cy + 30 * u),
                (cx + 34 * u, cy + 22 * u),
            ],
            WHITE,
        )


def render_wordmark(
    name: str, subtitle: str = "", emblem="hammer", colour: Colour = BLUE, height=180
) -> bytes:
    """A partner logo: a small mark and the name set in bold, an optional second line
    (wrapped); the width follows the text (PNG on white)."""
    name_size = height * (0.36 if subtitle else 0.42)
    sub_size = height * 0.15
    name_width = font(int(name_size), bold=True).getlength(name)
    sub_font = font(int(sub_size))
    lines = _wrap(subtitle, sub_font, max(name_width * 1.25, height * 2.6)) if subtitle else []
    text_width = max([name_width] + [sub_font.getlength(line) for line in lines])
    pad = height * 0.12
    mark = height - 2 * pad
    text_x = pad + mark + pad * 1.2
    width = int(text_x + text_width + pad)
    s = Scene((width, height), design=(width, height), background=WHITE)
    _emblem(s, emblem, pad, pad, mark, colour)
    if not lines:
        s.text(text_x, height / 2, name, name_size, colour, bold=True, anchor="lm")
        return s.finish("PNG")
    line_height = height * 0.19
    top = (height - name_size - height * 0.06 - line_height * len(lines)) / 2
    s.text(text_x, top, name, name_size, colour, bold=True, anchor="lt")
    for i, line in enumerate(lines):
        y = top + name_size + height * 0.06 + i * line_height
        s.text(text_x, y, line, sub_size, GREY, anchor="lt")
    return s.finish("PNG")


def _wrap(text: str, text_font, max_width) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and text_font.getlength(candidate) > max_width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + ([line] if line else [])


# --- Wagtail images ----------------------------------------------------------------------


def ensure_image(title: str, make: Callable[[], bytes], extension: str, description: str = ""):
    """The Wagtail image with this title; made (and described) if it does not exist yet."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60] or "bild"
    image = image_model(title=title, description=description[:255])
    image.file = ImageFile(io.BytesIO(make()), name=f"{slug}.{extension}")
    image.save()
    return image


def illustration_image(title: str, motif: str, seed=0):
    return ensure_image(
        title, lambda: render_illustration(motif, seed), "jpg", description=motif_alt(motif)
    )


def portrait_image(name: str, **look):
    return ensure_image(
        f"Porträt {name}", lambda: render_portrait(name, **look), "png", portrait_alt(name)
    )


def wordmark_image(title: str, name: str, subtitle="", emblem="hammer", colour=BLUE):
    return ensure_image(
        title,
        lambda: render_wordmark(name, subtitle, emblem, colour),
        "png",
        description=f"Logo: {name}" + (f" – {subtitle}" if subtitle else ""),
    )
