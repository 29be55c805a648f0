import pytest
from wagtail.blocks import StructBlockValidationError

from home.blocks import BodyBlock, CallToActionBlock, FAQBlock, HeadingBlock, QuoteBlock


def test_every_body_block_is_documented_for_editors():
    for name, block in BodyBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.template, name
        assert block.meta.description, name


def test_heading_block_renders_chosen_level():
    html = HeadingBlock().render({"text": "Nachfolge", "level": "h3"})
    assert html.strip() == "<h3>Nachfolge</h3>"


def test_quote_block_escapes_html():
    block = QuoteBlock()
    html = block.render(block.to_python({"quote": "<script>alert(1)</script>", "author": "A"}))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_faq_block_uses_details_so_it_works_without_javascript():
    block = FAQBlock()
    value = block.to_python(
        {"title": "FAQ", "items": [{"question": "Kosten?", "answer": "<p>Keine.</p>"}]}
    )
    html = block.render(value)
    assert "<details" in html and "<summary>Kosten?</summary>" in html


@pytest.mark.django_db
def test_call_to_action_needs_exactly_one_target():
    block = CallToActionBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"text": "Los", "page": None, "url": ""}))
    value = block.clean(
        block.to_python({"text": "Los", "page": None, "url": "https://example.org/"})
    )
    assert value["url"] == "https://example.org/"
