import pytest
from wagtail.blocks import StructBlockValidationError

from home.blocks import NewsBodyBlock, VideoBlock, parse_video_url


@pytest.mark.parametrize(
    ("url", "provider", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=abcDEF12345",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/abcDEF12345",
        ),
        (
            "https://youtu.be/abcDEF12345?t=10",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/abcDEF12345",
        ),
        (
            "https://m.youtube.com/shorts/abcDEF12345",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/abcDEF12345",
        ),
        ("https://vimeo.com/123456789", "Vimeo", "https://player.vimeo.com/video/123456789"),
    ],
)
def test_known_video_addresses(url, provider, embed):
    video = parse_video_url(url)
    assert video["provider"] == provider and video["embed_url"] == embed


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/video",
        "https://www.youtube.com/watch?v=<script>",
        "javascript:alert(1)",
        "",
        "https://vimeo.com/abc",
    ],
)
def test_unknown_video_addresses_are_rejected(url):
    assert parse_video_url(url) is None
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"url": url or "https://example.org/", "title": "Film"}))


def test_video_block_renders_consent_notice_and_no_iframe():
    block = VideoBlock()
    html = block.render(
        block.to_python({"url": "https://vimeo.com/123456789", "title": "Rückblick", "caption": ""})
    )
    assert "<iframe" not in html
    assert "Video laden – dabei werden Daten an Vimeo übertragen" in html
    assert 'href="https://vimeo.com/123456789"' in html


def test_news_body_keeps_the_standard_blocks_and_adds_gallery_and_video():
    from home.blocks import BodyBlock

    names = set(NewsBodyBlock().child_blocks)
    assert set(BodyBlock().child_blocks) < names
    assert {"gallery", "video"} <= names
    for name in ("gallery", "video"):
        meta = NewsBodyBlock().child_blocks[name].meta
        assert meta.icon and meta.template and meta.description
