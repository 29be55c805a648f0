import pytest


@pytest.fixture(autouse=True)
def _enrolment_settings(settings):
    settings.SITE_URL = "https://akademie.example.org"
    settings.ENROLMENT_PENDING_HOURS = 48
    settings.ENROLMENT_CANCELLATION_DEADLINE_HOURS = 24
    settings.ENROLMENT_RATE_LIMIT = {"ip": (20, 3600), "email": (5, 3600)}


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
