import pytest
from django.core.cache import cache


@pytest.fixture
def page_cache(settings):
    """The page cache switched on, starting empty."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()
