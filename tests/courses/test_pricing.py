"""Which price a person pays: regular, member, early booking, free; the editor's checks."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from courses.models import CourseDate, CoursePage
from courses.pricing import quote, split_gross, vat_note, vat_rate

D = Decimal


def dated(course_fields=None, **date_fields):
    course = CoursePage(title="Kurs", price=D("200"), **(course_fields or {}))
    return CourseDate(course=course, **date_fields)


UNTIL = datetime.date(2027, 3, 15)
EARLY = {"early_price": D("170"), "early_price_until": UNTIL}


@pytest.mark.parametrize(
    ("course_fields", "member", "on", "amount", "kind"),
    [
        ({}, False, UNTIL, D("200"), "regular"),
        ({}, True, UNTIL, D("200"), "regular"),  # no member price set
        ({"member_price": D("150")}, True, UNTIL, D("150"), "member"),
        ({"member_price": D("150")}, False, UNTIL, D("200"), "regular"),
        (EARLY, False, UNTIL, D("170"), "early"),  # the last early day counts
        (EARLY, False, UNTIL + datetime.timedelta(days=1), D("200"), "regular"),
        ({**EARLY, "member_price": D("150")}, True, UNTIL, D("150"), "member"),
        ({**EARLY, "member_price": D("180")}, True, UNTIL, D("170"), "early"),
        ({**EARLY, "member_price": D("180")}, True, datetime.date(2027, 4, 1), D("180"), "member"),
    ],
)
def test_the_lowest_applicable_price_is_paid(course_fields, member, on, amount, kind):
    result = quote(dated(course_fields), member=member, on=on)
    assert (result.amount, result.kind) == (amount, kind)
    assert result.regular == D("200")
    assert result.reduced == (kind != "regular")


def test_a_date_overrides_each_price_of_its_course():
    date = dated(
        {"member_price": D("150"), **EARLY},
        price_override=D("240"),
        member_price_override=D("190"),
        early_price_override=D("200"),
        early_price_until_override=datetime.date(2027, 2, 1),
    )
    assert quote(date, on=datetime.date(2027, 2, 1)).amount == D("200")
    assert quote(date, on=datetime.date(2027, 2, 2)).amount == D("240")
    assert quote(date, member=True, on=datetime.date(2027, 2, 2)).amount == D("190")


def test_a_free_course_stays_free_for_everyone():
    date = dated({"member_price": None}, price_override=D("0"))
    for member in (False, True):
        result = quote(date, member=member, on=UNTIL)
        assert result.is_free and result.kind == "free" and result.label == "kostenfrei"


@pytest.mark.django_db
def test_editors_get_clear_messages_for_prices_that_cannot_apply(catalogue):
    from tests.factories import CoursePageFactory

    course = CoursePageFactory(parent=catalogue, price=D("100"))
    course.member_price = D("120")
    course.early_price = D("90")
    with pytest.raises(ValidationError) as caught:
        course.full_clean()
    errors = caught.value.message_dict
    assert errors["member_price"] == ["Der Mitgliedspreis darf nicht über dem Preis liegen."]
    assert errors["early_price_until"] == ["Bitte geben Sie an, bis wann der Frühbucherpreis gilt."]


@pytest.mark.django_db
def test_a_date_override_is_checked_against_the_prices_that_apply(catalogue):
    from tests.factories import CourseDateFactory, CoursePageFactory

    course = CoursePageFactory(parent=catalogue, price=D("100"), member_price=D("80"))
    date = CourseDateFactory(course=course)
    date.price_override = D("70")  # now below the course's member price
    with pytest.raises(ValidationError) as caught:
        date.full_clean()
    assert "member_price_override" in caught.value.message_dict
    date.member_price_override = D("60")
    date.full_clean()


@pytest.mark.parametrize(
    ("treatment", "rate", "gross", "net", "vat", "wording"),
    [
        ("exempt_21", D("0"), D("150"), D("150.00"), D("0.00"), "§ 4 Nr. 21"),
        ("exempt_22", D("0"), D("150"), D("150.00"), D("0.00"), "§ 4 Nr. 22"),
        ("taxed_19", D("19"), D("119"), D("100.00"), D("19.00"), "19 % Umsatzsteuer"),
        ("taxed_19", D("19"), D("99.99"), D("84.03"), D("15.96"), "enthalten"),
    ],
)
def test_vat_split_and_wording(treatment, rate, gross, net, vat, wording):
    course = CoursePage(vat_treatment=treatment)
    assert vat_rate(course) == rate
    assert split_gross(gross, rate) == (net, vat)
    assert wording in vat_note(course)


@pytest.mark.django_db
def test_the_course_page_names_member_and_early_prices_under_the_title(client, catalogue):
    from tests.factories import CourseDateFactory, CoursePageFactory

    course = CoursePageFactory(
        parent=catalogue,
        price=D("200"),
        member_price=D("150"),
        early_price=D("170"),
        early_price_until=UNTIL,
    )
    CourseDateFactory(course=course)

    html = client.get(course.url).content.decode()
    glance = html[html.index('class="course-glance"') :]
    glance = glance[: glance.index("</section>")]

    assert "200 €" in glance
    assert "Innungsmitglieder: 150 €" in glance
    assert "Frühbucher bis 15.03.2027: 170 €" in glance
