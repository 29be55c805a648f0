"""The demo's pictures: drawn locally, deterministic, and pictures rather than placeholders."""

import io

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from home import demo_images

PEOPLE = ["Tom Tischler", "Dr. Katrin Albrecht", "Jens Hoffmann", "Marie Sommer"]


def open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def distinct_colours(image: Image.Image) -> int:
    # quantised to 32 levels per channel, so JPEG noise does not count as colour
    small = image.convert("RGB").point(lambda v: v // 8 * 8)
    return len(small.getcolors(maxcolors=1 << 20) or [])


def edge_share(image: Image.Image) -> float:
    """The share of pixels on a clear edge: shapes and figures, not a flat gradient."""
    edges = image.convert("L").filter(ImageFilter.FIND_EDGES)
    histogram = edges.histogram()
    return sum(histogram[40:]) / sum(histogram)


@pytest.fixture(scope="module")
def illustrations():
    return {motif: demo_images.render_illustration(motif) for motif in demo_images.MOTIFS}


def test_every_motif_is_a_landscape_jpeg_of_the_size_the_renditions_need(illustrations):
    assert len(illustrations) >= 10
    for motif, data in illustrations.items():
        image = open_image(data)
        assert image.format == "JPEG", motif
        assert image.size == (1200, 675), motif
        assert len(data) < 150 * 1024, motif


def test_illustrations_are_pictures_not_placeholders(illustrations):
    for motif, data in illustrations.items():
        image = open_image(data)
        assert distinct_colours(image) >= 600, motif  # the old placeholders had < 100
        assert edge_share(image) > 0.02, motif
        # no part of the picture is empty: each quarter has its own content
        width, height = image.size
        for box in (
            (0, 0, width // 2, height // 2),
            (width // 2, 0, width, height // 2),
            (0, height // 2, width // 2, height),
            (width // 2, height // 2, width, height),
        ):
            assert max(ImageStat.Stat(image.crop(box).convert("L")).stddev) > 12, (motif, box)


def test_same_seed_same_bytes_other_seed_other_picture():
    first = demo_images.render_illustration("werkstatt", seed="kurs-a")
    assert demo_images.render_illustration("werkstatt", seed="kurs-a") == first
    other = demo_images.render_illustration("werkstatt", seed="kurs-b")
    assert other != first


def test_distinct_motifs_differ(illustrations):
    images = {motif: open_image(data).convert("L") for motif, data in illustrations.items()}
    motifs = list(images)
    for i, a in enumerate(motifs):
        for b in motifs[i + 1 :]:
            difference = ImageStat.Stat(ImageChops.difference(images[a], images[b])).mean[0]
            assert difference > 10, (a, b)


def test_every_motif_has_a_german_description():
    for motif in demo_images.MOTIFS:
        alt = demo_images.motif_alt(motif)
        assert alt.endswith("(Illustration)") and len(alt) > 30, motif
        assert "Grafik" not in alt


def test_portraits_are_square_deterministic_and_differ_per_person():
    portraits = {name: demo_images.render_portrait(name) for name in PEOPLE}
    for name, data in portraits.items():
        image = open_image(data)
        assert image.format == "PNG" and image.size == (400, 400), name
        assert distinct_colours(image) >= 20, name
        assert demo_images.render_portrait(name) == data, name
        assert demo_images.portrait_alt(name) == f"Porträt von {name} (Illustration)"
    assert len(set(portraits.values())) == len(PEOPLE)
    # a person's own look is kept when asked for, whatever the name would choose
    bearded = open_image(demo_images.render_portrait("Tom Tischler", beard=True))
    shaven = open_image(demo_images.render_portrait("Tom Tischler", beard=False))
    assert ImageChops.difference(bearded.convert("RGB"), shaven.convert("RGB")).getbbox()


def ink_columns(image: Image.Image) -> list[int]:
    """The columns holding something other than the white background."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    return [x for x in range(width) if any(pixels[x, y] < 200 for y in range(0, height, 2))]


def test_wordmarks_set_the_name_across_the_width():
    short = open_image(demo_images.render_wordmark("QRR", "Qualifizierungszentrum Region Riesa"))
    long = open_image(demo_images.render_wordmark("Kreatives Sachsen", emblem="roof"))
    for image in (short, long):
        width, height = image.size
        assert image.format == "PNG" and height == 180
        assert 2.5 <= width / height <= 6.5
        assert image.convert("RGB").getpixel((1, 1)) == (255, 255, 255)
        columns = ink_columns(image)
        # the mark on the left, and the letters reaching to the right edge's margin
        assert columns[0] < height * 0.2 and columns[-1] > width - height * 0.35
        # the letters right of the mark cover most of their columns
        text_columns = [x for x in columns if x > height]
        assert len(text_columns) > (width - height * 1.2) * 0.6
    assert long.size[0] > short.size[0] * 0.9


@pytest.mark.django_db
def test_images_are_stored_once_with_their_description():
    from wagtail.images.models import Image as WagtailImage

    image = demo_images.illustration_image("Kurs im Test", "tischler", seed="test")
    again = demo_images.illustration_image("Kurs im Test", "tischler", seed="test")
    assert image.pk == again.pk and WagtailImage.objects.filter(title="Kurs im Test").count() == 1
    assert image.description == demo_images.motif_alt("tischler")
    assert image.default_alt_text == demo_images.motif_alt("tischler")
    assert (image.width, image.height) == (1200, 675)
    assert image.file.name.endswith(".jpg")
    portrait = demo_images.portrait_image("Marie Sommer")
    assert portrait.description == "Porträt von Marie Sommer (Illustration)"
    logo = demo_images.wordmark_image("Logo QRR", "QRR", "Qualifizierungszentrum", "gear")
    assert logo.height == 180 and logo.description.startswith("Logo: QRR")


@pytest.mark.django_db
def test_demo_content_uses_the_illustrations():
    from courses import demo as courses_demo
    from courses.models import CoursePage, Trainer
    from home import demo as home_demo
    from home.models import HomePage, Partner

    home_demo.load()
    courses_demo.load()

    home = HomePage.objects.get()
    assert home.hero_image.file.name.endswith(".jpg")
    courses = CoursePage.objects.all()
    assert courses.count() == len(courses_demo.COURSES)
    motifs = set()
    for course in courses:
        motif = courses_demo.COURSE_MOTIFS[course.slug]
        motifs.add(motif)
        assert course.image_alt == demo_images.motif_alt(motif), course.slug
        assert course.image.file.name.endswith(".jpg"), course.slug
        assert (course.image.width, course.image.height) == (1200, 675)
    assert len(motifs) >= 10
    for trainer in Trainer.objects.all():
        assert trainer.photo.description == f"Porträt von {trainer.name} (Illustration)"
        assert trainer.photo.width == trainer.photo.height == 400
    for partner in Partner.objects.all():
        assert partner.logo.height == 180 and partner.logo.width > 2.5 * 180, partner.name
