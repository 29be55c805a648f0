import pytest

from tests.factories import CourseIndexPageFactory


@pytest.fixture
def catalogue(home_page):
    return CourseIndexPageFactory(parent=home_page)
