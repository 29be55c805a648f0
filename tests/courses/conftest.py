import datetime

import pytest
from django.utils import timezone

from tests.factories import CourseIndexPageFactory


@pytest.fixture
def catalogue(home_page):
    return CourseIndexPageFactory(parent=home_page)


def in_days(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def card_titles(response) -> list[str]:
    """Titles of the course cards on a catalogue page, in order."""
    import re

    html = response.content.decode()
    return re.findall(r'<h3 class="card-title h5"><a href="[^"]*">([^<]*)</a></h3>', html)
