import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from tests.factories import (
    PartnerFactory,
    StandardPageFactory,
    build_site,
    build_site_settings,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def setUp(self):
        # a browser test on the same worker may have flushed Wagtail's root page
        from tests.factories import ensure_wagtail_roots

        ensure_wagtail_roots()

    def test_home_page_only_below_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_page_parents(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})

    def test_standard_page_children(self):
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_only_one_home_page(self):
        build_site()
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))


@pytest.mark.django_db
def test_home_page_renders_with_navigation_and_footer(client, home_page, site):
    about = StandardPageFactory(parent=home_page, title="Das Bündnis", show_in_menus=True)
    hidden = StandardPageFactory(parent=home_page, title="Interne Notiz", show_in_menus=False)
    imprint = StandardPageFactory(parent=home_page, title="Impressum")
    privacy = StandardPageFactory(parent=home_page, title="Datenschutz")
    accessibility = StandardPageFactory(parent=home_page, title="Barrierefreiheit")
    build_site_settings(site, imprint=imprint, privacy=privacy, accessibility=accessibility)
    PartnerFactory(name="Kreatives Sachsen")

    response = client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert 'href="#inhalt"' in html and 'id="inhalt"' in html
    assert f'href="{about.url}"' in html
    assert hidden.title not in html
    for page in (imprint, privacy, accessibility):
        assert f'href="{page.url}"' in html
    assert "03521 4768-0" in html and "tel:0352147680" in html
    assert "Kreatives Sachsen" in html


@pytest.mark.django_db
def test_standard_page_shows_breadcrumbs_and_marks_current_menu_item(client, home_page):
    about = StandardPageFactory(parent=home_page, title="Das Bündnis", show_in_menus=True)
    child = StandardPageFactory(parent=about, title="Partner")

    html = client.get(child.url).content.decode()

    assert 'aria-label="Brotkrümelnavigation"' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Partner</li>' in html
    assert f'<a class="nav-link" href="{about.url}" aria-current="true">' in html


@pytest.mark.django_db
def test_unpublished_pages_stay_out_of_navigation(client, home_page):
    draft = StandardPageFactory(parent=home_page, title="Entwurf", show_in_menus=True, live=False)

    html = client.get("/").content.decode()

    assert draft.title not in html
