"""Links in mails (confirm, cancel): nothing sequential inside, an end
``ENROLMENT_LINK_DAYS`` after the date, and a clear German page for links that
are too old or of the earlier form – never a server error."""

import base64
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseDate
from enrolment import services, tokens
from enrolment.models import Enrolment
from tests.enrolment.builders import confirmed, course_date, person
from tests.enrolment.test_views import form_data, link

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def call(url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    return call


def ended(date, days_ago: int) -> None:
    """Move the date into the past: it ended ``days_ago`` days ago."""
    end = timezone.now() - timedelta(days=days_ago)
    CourseDate.objects.filter(pk=date.pk).update(start=end - timedelta(hours=6), end=end)


def test_links_in_mails_carry_a_random_key_not_the_enrolment_number(post):
    date = course_date()
    post(reverse("enrolment:enrol", args=[date.pk]), form_data(1))
    post(reverse("enrolment:enrol", args=[date.pk]), form_data(2))
    first, second = Enrolment.objects.order_by("pk")
    paths = [link(message, "bestaetigen") for message in mail.outbox]
    visible = [path.rstrip("/").rsplit("/", 1)[1].split(":")[0] for path in paths]
    assert visible == [first.link_key, second.link_key]
    assert first.link_key != second.link_key and len(first.link_key) >= 24
    for part, enrolment in zip(visible, (first, second), strict=True):
        padded = part + "=" * (-len(part) % 4)
        # A signed number would decode to the number itself; random bytes may
        # contain its digit by chance, so compare the whole value.
        assert part != str(enrolment.pk)
        assert base64.urlsafe_b64decode(padded).strip(b'"') != str(enrolment.pk).encode()


def test_links_work_until_the_set_number_of_days_after_the_date(client, post, settings):
    settings.ENROLMENT_LINK_DAYS = 60
    date = course_date(capacity=5)
    enrolment = confirmed(date, 1)
    cancel = reverse("enrolment:cancel", args=[tokens.make_token(enrolment, tokens.CANCEL)])
    confirm = reverse("enrolment:confirm", args=[tokens.make_token(enrolment, tokens.CONFIRM)])
    ended(date, days_ago=59)
    assert client.get(cancel).status_code == 200
    assert client.get(confirm).status_code == 200

    ended(date, days_ago=61)
    for path in (cancel, confirm):
        page = client.get(path)
        assert page.status_code == 410
        html = page.content.decode()
        assert "Dieser Link gilt nicht mehr" in html
        assert "60 Tage nach dem Termin" in html
        assert reverse("learner:signin") in html
        assert "03521 4768-12" in html  # whom to call
        assert "no-store" in page["Cache-Control"]

    settings.ENROLMENT_LINK_DAYS = 90
    assert client.get(cancel).status_code == 200


def test_an_expired_link_changes_nothing(client, post):
    date = course_date(capacity=5)
    pending = services.request_enrolment(date.pk, person(1)).enrolment
    waiting = confirmed(date, 2)
    ended(date, days_ago=100)
    confirm = reverse("enrolment:confirm", args=[tokens.make_token(pending, tokens.CONFIRM)])
    cancel = reverse("enrolment:cancel", args=[tokens.make_token(waiting, tokens.CANCEL)])
    assert post(confirm).status_code == 410
    assert post(cancel).status_code == 410
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == Enrolment.Status.PENDING
    assert waiting.status == Enrolment.Status.CONFIRMED
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("purpose, name", [("confirm", "confirm"), ("cancel", "cancel")])
def test_links_of_the_earlier_form_get_a_clear_page(client, post, purpose, name):
    date = course_date()
    enrolment = services.request_enrolment(date.pk, person(1)).enrolment
    old = signing.dumps(enrolment.pk, salt=f"enrolment.{purpose}", compress=False)
    page = client.get(reverse(f"enrolment:{name}", args=[old]))
    assert page.status_code == 410
    assert "Dieser Link gilt nicht mehr" in page.content.decode()
    assert post(reverse(f"enrolment:{name}", args=[old])).status_code == 410
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PENDING
    # the earlier form with another purpose's salt is no link at all
    other = "cancel" if purpose == "confirm" else "confirm"
    foreign = signing.dumps(enrolment.pk, salt=f"enrolment.{other}", compress=False)
    assert client.get(reverse(f"enrolment:{name}", args=[foreign])).status_code == 404


def test_every_enrolment_gets_its_own_key(db):
    date = course_date(capacity=50)
    keys = {confirmed(date, n).link_key for n in range(1, 6)}
    assert len(keys) == 5
