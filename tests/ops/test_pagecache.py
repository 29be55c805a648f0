"""The page cache: anonymous pages cached, publish shows at once, nobody sees another's data."""

import pytest

from academy import pagecache
from tests.factories import StandardPageFactory, UserFactory

# Pages are stored in the shared cache: tested with Redis, as in production.
pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def page(home_page):
    page = StandardPageFactory(parent=home_page, title="Über uns", slug="ueber-uns")
    page.save_revision().publish()
    return page


def test_anonymous_page_is_cached(client, page, page_cache):
    first = client.get(page.url)
    second = client.get(page.url)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "max-age=30" in first["Cache-Control"]


def test_cached_page_keeps_its_security_headers(client, page, page_cache):
    client.get(page.url)
    hit = client.get(page.url)
    assert hit["X-Page-Cache"] == "hit"
    assert "frame-ancestors 'none'" in hit["Content-Security-Policy"]
    assert hit["X-Content-Type-Options"] == "nosniff"
    assert hit["X-Frame-Options"] == "DENY"


def test_publish_shows_the_change_at_once(client, page, page_cache):
    assert "Über uns" in client.get(page.url).content.decode()
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    page.title = "Wer wir sind"
    page.save_revision().publish()
    response = client.get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Wer wir sind" in response.content.decode()


def test_unpublish_removes_the_page_at_once(client, page, page_cache):
    client.get(page.url)
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_logged_in_user_never_gets_the_cached_anonymous_page(client, page, page_cache):
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(page.url)
    assert "X-Page-Cache" not in response


def test_logged_in_pages_are_never_stored(client, page, page_cache):
    client.force_login(UserFactory())
    client.get(page.url)
    client.logout()
    assert client.get(page.url)["X-Page-Cache"] == "miss"


def test_enrolment_admin_and_search_are_never_cached(client, home_page, page_cache):
    for path in (
        "/anmeldung/termin/1/",
        "/lernen/anmelden/",
        "/admin/login/",
        "/suche/?q=kurs",
        "/healthz/",
    ):
        client.get(path)
        assert "X-Page-Cache" not in client.get(path), path


def test_response_that_sets_a_cookie_is_not_stored(rf, page_cache):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("Formular")
        response.set_cookie("csrftoken", "abc")
        return response

    middleware = pagecache.PageCacheMiddleware(view)
    middleware(rf.get("/formular/"))
    assert "X-Page-Cache" not in middleware(rf.get("/formular/"))


def test_enrolment_form_with_csrf_token_is_not_stored(rf, page_cache):
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware, get_token

    def view(request):
        return HttpResponse(f"Formular mit Token {get_token(request)}")

    middleware = pagecache.PageCacheMiddleware(CsrfViewMiddleware(view))
    first = middleware(rf.get("/kurse/formular/"))
    second = middleware(rf.get("/kurse/formular/"))
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second
    assert first.content != second.content


def test_request_with_any_other_cookie_bypasses_the_cache(client, page, page_cache):
    client.get(page.url)
    client.cookies["messages"] = "irgendwas"
    assert "X-Page-Cache" not in client.get(page.url)


def test_private_responses_are_not_stored(rf, page_cache):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("Meine Kurse")
        response["Cache-Control"] = "private, no-store"
        return response

    middleware = pagecache.PageCacheMiddleware(view)
    middleware(rf.get("/lernen/"))
    assert "X-Page-Cache" not in middleware(rf.get("/lernen/"))


def test_request_with_session_cookie_bypasses_the_cache(client, page, page_cache):
    client.get(page.url)
    client.cookies["sessionid"] = "irgendeine"
    assert "X-Page-Cache" not in client.get(page.url)


def test_entries_live_at_most_the_stated_seconds(client, page, page_cache, monkeypatch, settings):
    """What changes with time alone (a registration deadline passing) is never older than
    PAGE_CACHE_SECONDS (30 s): entries live that long at most."""
    from django.core.cache import caches

    backend = caches[
        settings.PAGE_CACHE_ALIAS
    ]  # the cache object itself, not the proxy in front of it
    timeouts = []
    real_set = backend.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("pagecache:") and key != pagecache.GENERATION_KEY:
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(backend, "set", spy)
    client.get(page.url)
    assert timeouts == [30]


def test_seat_taken_ends_the_cached_page(client, page_cache, home_page, settings):
    """Seats are counted by queryset updates (enrolment.services): the update itself
    ends the cached pages, no expiry needed."""
    from tests.factories import CourseDateFactory, CourseIndexPageFactory, CoursePageFactory

    index = CourseIndexPageFactory(parent=home_page)
    course = CoursePageFactory(parent=index, title="Digitale Baustelle")
    course.save_revision().publish()
    date = CourseDateFactory(course=course, capacity=1)
    assert client.get(course.url)["X-Page-Cache"] == "miss"
    before = client.get(course.url)
    assert before["X-Page-Cache"] == "hit"
    type(date).objects.filter(pk=date.pk).update(seats_confirmed=1)
    after = client.get(course.url)
    assert after["X-Page-Cache"] == "miss"
    assert after.content != before.content


def test_other_updates_of_dates_keep_the_cached_page(client, page_cache, home_page):
    from tests.factories import CourseDateFactory, CourseIndexPageFactory, CoursePageFactory

    index = CourseIndexPageFactory(parent=home_page)
    course = CoursePageFactory(parent=index, title="Digitale Baustelle")
    course.save_revision().publish()
    date = CourseDateFactory(course=course, capacity=1)
    client.get(course.url)
    type(date).objects.filter(pk=date.pk).update(min_participants=3)  # not shown
    assert client.get(course.url)["X-Page-Cache"] == "hit"


def test_disabled_cache_stores_nothing(client, page, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get(page.url)
    assert "X-Page-Cache" not in client.get(page.url)
