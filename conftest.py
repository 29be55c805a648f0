"""Project-wide pytest fixtures: a Wagtail site with a home page, users."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _wagtail_roots(request):
    """Transactional tests start from a database flushed by the previous one, which
    also removed what migrations had inserted: put Wagtail's roots back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    from tests.factories import ensure_wagtail_roots

    request.getfixturevalue("transactional_db")
    ensure_wagtail_roots()


@pytest.fixture
def home_page(db):
    from tests.factories import build_site

    return build_site()


@pytest.fixture
def site(home_page):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)
