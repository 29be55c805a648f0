"""The KURSNET catalogue (open-Qcat 1.1): what goes in, what it says, what stays out.

The open-Qcat XSD is not free to redistribute (Fraunhofer IAO, all rights reserved),
so these tests check the structure the schema requires – every mandatory element,
in the schema's order – instead of validating against it."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from courses import opencat
from courses.models import CourseDate, ProviderSettings
from tests.factories import (
    CourseDateFactory,
    CoursePageFactory,
    TargetGroupFactory,
    TopicFactory,
    TradeFactory,
    UserFactory,
    build_site_settings,
)

from .conftest import in_days

pytestmark = pytest.mark.django_db

# The order of the children the schema requires (of those this export writes),
# and which of them must be there.
SEQUENCES = {
    "OPENQCAT": (["HEADER"], ["HEADER", "NEW_CATALOG", "UPDATE_CATALOG"]),
    "HEADER": (["CATALOG", "SUPPLIER"], ["GENERATOR_INFO", "CATALOG", "SUPPLIER"]),
    "CATALOG": (
        ["LANGUAGE", "CATALOG_ID", "CATALOG_VERSION"],
        ["LANGUAGE", "CATALOG_ID", "CATALOG_VERSION", "CATALOG_NAME", "GENERATION_DATE"],
    ),
    "SUPPLIER": (
        ["SUPPLIER_ID", "SUPPLIER_NAME", "ADDRESS", "EXTENDED_INFO"],
        ["SUPPLIER_ID", "SUPPLIER_NAME", "ADDRESS", "CONTACT", "EXTENDED_INFO"],
    ),
    "SERVICE": (
        ["PRODUCT_ID", "COURSE_TYPE", "SERVICE_DETAILS"],
        [
            "PRODUCT_ID",
            "COURSE_TYPE",
            "SUPPLIER_ID_REF",
            "SERVICE_DETAILS",
            "SERVICE_PRICE_DETAILS",
        ],
    ),
    "SERVICE_DETAILS": (
        ["TITLE"],
        [
            "TITLE",
            "DESCRIPTION_LONG",
            "CONTACT",
            "REQUIREMENTS",
            "SERVICE_DATE",
            "KEYWORD",
            "TARGET_GROUP",
            "TERMS_AND_CONDITIONS",
            "SERVICE_MODULE",
            "ANNOUNCEMENT",
        ],
    ),
    "EDUCATION": (
        ["MODULE_COURSE"],
        [
            "COURSE_ID",
            "DEGREE",
            "REGISTRATION_DATE",
            "CERTIFICATE",
            "EXTENDED_INFO",
            "MODULE_COURSE",
        ],
    ),
    "MODULE_COURSE": (
        [],
        [
            "MIN_PARTICIPANTS",
            "MAX_PARTICIPANTS",
            "LOCATION",
            "DURATION",
            "INSTRUCTION_REMARKS",
            "FLEXIBLE_START",
            "EXTENDED_INFO",
        ],
    ),
    "CERTIFICATE": (
        [],
        ["CERTIFICATE_STATUS", "CERTIFICATE_NUMBER", "CERT_VALIDITY", "CERT_DESCRIPTION"],
    ),
    "SERVICE_PRICE_DETAILS": (["SERVICE_PRICE"], ["SERVICE_PRICE", "REMARKS"]),
    "SERVICE_PRICE": (["PRICE_AMOUNT"], ["PRICE_AMOUNT", "PRICE_CURRENCY", "TAX"]),
    "ADDRESS": ([], ["NAME", "STREET", "ZIP", "CITY", "COUNTRY", "PHONE", "EMAILS", "URL"]),
    "LOCATION": ([], ["NAME", "STREET", "ZIP", "CITY", "COUNTRY"]),
    "CONTACT": ([], ["CONTACT_ROLE", "FIRST_NAME", "LAST_NAME", "PHONE", "EMAILS"]),
}
# Children of EDUCATION/EXTENDED_INFO (events carry time, language and "berufsbegleitend")
EDUCATION_INFO = (
    ["INSTITUTION", "INSTRUCTION_FORM", "EDUCATION_TYPE"],
    [
        "INSTITUTION",
        "INSTRUCTION_FORM",
        "INSTRUCTION_TIME",
        "EXTRA_OCCUPATIONAL",
        "TEACHING_LANGUAGES",
        "EDUCATION_TYPE",
    ],
)
REQUIRED_ATTRIBUTES = {
    "SUPPLIER_ID": "type",
    "SUPPLIER_ID_REF": "type",
    "CONTACT_ROLE": "type",
    "INSTITUTION": "type",
    "INSTRUCTION_FORM": "type",
    "INSTRUCTION_TIME": "type",
    "EDUCATION_TYPE": "type",
    "SEGMENT_TYPE": "type",
    "DEGREE": "type",
}


def check_structure(element, parent_tag=""):
    """Every mandatory child there, no unexpected one, all in the schema's order."""
    tag = element.tag
    rule = SEQUENCES.get(tag)
    if tag == "EXTENDED_INFO" and parent_tag == "EDUCATION":
        rule = EDUCATION_INFO
    if tag == "SERVICE" and parent_tag == "DELETE":
        rule = (["PRODUCT_ID"], ["PRODUCT_ID"])
    children = [child.tag for child in element]
    if rule is not None:
        required, order = rule
        for name in required:
            assert name in children, f"{tag} lacks {name}"
        positions = [order.index(name) for name in children if name in order]
        assert all(name in order for name in children), f"{tag}: unexpected {children}"
        assert positions == sorted(positions), f"{tag}: wrong order {children}"
    if tag in REQUIRED_ATTRIBUTES:
        assert element.get(REQUIRED_ATTRIBUTES[tag]), f"{tag} lacks @{tag}"
    for child in element:
        check_structure(child, tag)


@pytest.fixture
def provider(site):
    build_site_settings(site)
    settings = ProviderSettings.for_site(site)
    settings.kursnet_provider_number = "274125"
    settings.provider_name = "Innovationsakademie Handwerk"
    settings.contact_name = "Petra Lange"
    settings.contact_email = "kursnet@example.org"
    settings.contact_phone = "03521 4768-12"
    settings.save()
    return settings


def parse(data: bytes) -> ET.Element:
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)  # noqa: S314 – the site's own output
    assert root.tag == "OPENQCAT" and root.get("version") == "1.1"
    check_structure(root)
    return root


def services(root) -> dict[str, ET.Element]:
    return {
        s.findtext("PRODUCT_ID"): s
        for s in root.iter("SERVICE")
        if s.find("COURSE_TYPE") is not None
    }


def term(factory, name):
    model = factory._meta.model
    return model.objects.filter(name=name).first() or factory(name=name)


def good_course(catalogue, **fields):
    values = {
        "title": "Digitale Baustellendokumentation",
        "teaser": "Fotos, Pläne und Aufmaß mit dem Tablet.",
        "teaching_units": 8,
        "price": Decimal("238.00"),
        "member_price": Decimal("199.00"),
        "vat_treatment": "taxed_19",
        "certificate": "Teilnahmebescheinigung der Kreishandwerkerschaft",
        "prerequisites": "Ein eigenes Tablet.",
        "contact_name": "Jens Richter",
        "contact_email": "richter@example.org",
        "contact_phone": "03525 7070-0",
        "description": [("paragraph", "<p>Wir üben <b>auf der Baustelle</b> &amp; im Büro.</p>")],
    }
    values.update(fields)
    course = CoursePageFactory(parent=catalogue, **values)
    course.topics.set([term(TopicFactory, "Digitalisierung")])
    course.target_groups.set([term(TargetGroupFactory, "Meisterinnen und Meister")])
    course.trades.set([term(TradeFactory, "Bau und Ausbau")])
    course.save_revision().publish()
    return course


def test_full_catalogue_describes_courses_and_dates(catalogue, provider, site):
    course = good_course(catalogue)
    date = CourseDateFactory(
        course=course,
        start=in_days(20, 9),
        end=in_days(21, 16),
        venue_name="Qualifizierungszentrum Riesa",
        venue_address="Rostocker Straße 1, 01587 Riesa",
        capacity=14,
        min_participants=5,
        sessions=[
            ("session", {"date": in_days(20).date(), "start_time": "09:00", "end_time": "16:00"}),
            ("session", {"date": in_days(21).date(), "start_time": "09:00", "end_time": "16:00"}),
        ],
    )
    online = CourseDateFactory(
        course=course, start=in_days(40, 17), end=in_days(40, 20), is_online=True
    )

    root = parse(opencat.build_catalogue(site))

    header = root.find("HEADER")
    assert header.findtext("SUPPLIER/SUPPLIER_ID") == "274125"
    assert header.findtext("SUPPLIER/SUPPLIER_NAME") == "Innovationsakademie Handwerk"
    assert header.findtext("SUPPLIER/ADDRESS/ZIP") == "01662"
    assert header.findtext("SUPPLIER/CONTACT/LAST_NAME") == "Lange"
    assert header.findtext("SUPPLIER/CONTACT/PHONE") == "+49.3521.476812"
    assert root.find("NEW_CATALOG").get("FULLCATALOG") == "true"

    found = services(root)
    assert set(found) == {f"kurs-{course.pk}", f"termin-{date.pk}", f"termin-{online.pk}"}
    offer = found[f"kurs-{course.pk}"]
    details = offer.find("SERVICE_DETAILS")
    assert details.findtext("TITLE") == "Digitale Baustellendokumentation"
    description = details.findtext("DESCRIPTION_LONG")
    assert "Wir üben auf der Baustelle & im Büro." in description
    assert "<" not in description
    assert details.findtext("REQUIREMENTS") == "Ein eigenes Tablet."
    assert details.findtext("CONTACT/LAST_NAME") == "Richter"
    assert details.findtext("CONTACT/EMAILS/EMAIL") == "richter@example.org"
    assert "Meisterinnen und Meister" in details.findtext("TARGET_GROUP/TARGET_GROUP_TEXT")
    assert "Bau und Ausbau" in details.findtext("TARGET_GROUP/TARGET_GROUP_TEXT")
    education = details.find("SERVICE_MODULE/EDUCATION")
    assert education.get("type") == "true"
    assert education.findtext("COURSE_ID") == f"kurs-{course.pk}"
    assert education.findtext("DEGREE/DEGREE_TITLE") == course.certificate
    assert education.find("EXTENDED_INFO/INSTRUCTION_FORM").get("type") == "101"
    assert offer.findtext("SERVICE_PRICE_DETAILS/SERVICE_PRICE/PRICE_AMOUNT") == "238.00"
    assert offer.findtext("SERVICE_PRICE_DETAILS/SERVICE_PRICE/TAX") == "0.19"
    remarks = offer.findtext("SERVICE_PRICE_DETAILS/REMARKS")
    assert "38,00 € Umsatzsteuer" in remarks  # 238 = 200 + 38
    assert "Innungsmitglieder: 199,00 €" in remarks

    event = found[f"termin-{date.pk}"]
    assert event.find("SERVICE_DETAILS/SERVICE_MODULE/EDUCATION").get("type") == "false"
    assert event.findtext("SERVICE_DETAILS/SERVICE_MODULE/EDUCATION/COURSE_ID") == (
        f"kurs-{course.pk}"
    )
    assert event.findtext("SERVICE_DETAILS/SERVICE_DATE/START_DATE") == (
        timezone.localtime(date.start).isoformat()
    )
    module = event.find("SERVICE_DETAILS/SERVICE_MODULE/EDUCATION/MODULE_COURSE")
    assert module.findtext("MIN_PARTICIPANTS") == "5"
    assert module.findtext("MAX_PARTICIPANTS") == "14"
    assert module.findtext("LOCATION/STREET") == "Rostocker Straße 1"
    assert module.findtext("LOCATION/ZIP") == "01587"
    assert module.findtext("LOCATION/CITY") == "Riesa"
    assert module.find("DURATION").get("type") == "1"  # up to 3 days
    assert module.findtext("INSTRUCTION_REMARKS").count("09:00–16:00") == 2
    online_event = found[f"termin-{online.pk}"]
    info = online_event.find("SERVICE_DETAILS/SERVICE_MODULE/EDUCATION/EXTENDED_INFO")
    assert info.find("INSTRUCTION_FORM").get("type") == "202"  # online seminar
    assert online_event.find(".//LOCATION") is None


def test_funding_facts_name_degree_time_and_azav_approval(catalogue, provider, site):
    until = timezone.localdate() + datetime.timedelta(days=400)
    course = good_course(
        catalogue,
        qualification="level_2",
        schedule="full_time",
        azav_course_number="123/4567/89",
        azav_course_valid_until=until,
    )
    date = CourseDateFactory(course=course)

    found = services(parse(opencat.build_catalogue(site)))

    education = found[f"kurs-{course.pk}"].find("SERVICE_DETAILS/SERVICE_MODULE/EDUCATION")
    assert education.findtext("DEGREE/DEGREE_TITLE").startswith("Meisterprüfung HwO")
    assert education.findtext("CERTIFICATE/CERTIFICATE_STATUS") == "1"
    assert education.findtext("CERTIFICATE/CERTIFICATE_NUMBER") == "123/4567/89"
    assert education.findtext("CERTIFICATE/CERT_VALIDITY/END_DATE") == until.isoformat()
    event = found[f"termin-{date.pk}"]
    info = event.find("SERVICE_DETAILS/SERVICE_MODULE/EDUCATION/EXTENDED_INFO")
    assert info.find("INSTRUCTION_TIME").get("type") == "1"  # Vollzeit
    assert info.findtext("EXTRA_OCCUPATIONAL") == "false"


def test_courses_that_kursnet_does_not_take_are_named_with_the_reason(catalogue, provider, site):
    listed = good_course(catalogue, title="Kalkulation")
    CourseDateFactory(course=listed)
    talk = good_course(catalogue, title="Infoabend Nachfolge", is_information_event=True)
    CourseDateFactory(course=talk)
    short = good_course(catalogue, title="Kurzvortrag", teaching_units=None, duration_hours=2)
    CourseDateFactory(course=short)
    enough = good_course(catalogue, title="Drei Stunden", teaching_units=None, duration_hours=3)
    CourseDateFactory(course=enough)  # 3 h = 4 UStd
    no_address = CourseDateFactory(course=listed, venue_address="", city="Riesa")
    cancelled = CourseDateFactory(course=listed, status=CourseDate.Status.CANCELLED)

    result = opencat.review()

    assert [entry.course.title for entry in result.listed] == ["Drei Stunden", "Kalkulation"]
    reasons = {course.title: " ".join(why) for course, why in result.refused}
    assert "Informationsveranstaltung" in reasons["Infoabend Nachfolge"]
    assert "Kürzer als 4 Unterrichtsstunden" in reasons["Kurzvortrag"]
    date_reasons = {date.pk: " ".join(why) for date, why in result.refused_dates}
    assert "Adresse" in date_reasons[no_address.pk]
    assert "Abgesagt" in date_reasons[cancelled.pk]
    ids = set(services(parse(opencat.build_catalogue(site))))
    assert f"kurs-{talk.pk}" not in ids and f"kurs-{short.pk}" not in ids
    assert f"termin-{no_address.pk}" not in ids and f"termin-{cancelled.pk}" not in ids


def test_update_catalogue_carries_changes_and_deletions(catalogue, provider, site):
    since = timezone.now() - datetime.timedelta(minutes=5)
    old = good_course(catalogue, title="Alt")
    old_date = CourseDateFactory(course=old)
    changed_date = CourseDateFactory(course=old, start=in_days(50), end=in_days(50, 16))
    cancelled = CourseDateFactory(course=old, start=in_days(60), end=in_days(60, 16))
    gone = CourseDateFactory(course=old, start=in_days(70), end=in_days(70, 16))
    # everything above happened before the last upload
    from wagtail.models import ModelLogEntry, PageLogEntry

    PageLogEntry.objects.update(timestamp=since - datetime.timedelta(days=1))
    new = good_course(catalogue, title="Neu")
    new_date = CourseDateFactory(course=new)
    log(changed_date, "wagtail.edit")
    CourseDate.objects.filter(pk=cancelled.pk).update(status=CourseDate.Status.CANCELLED)
    log(cancelled, "enrolment.cancel_date")
    log(gone, "wagtail.delete")
    gone_pk = gone.pk
    gone.delete()
    talk = good_course(catalogue, title="Jetzt Infoabend")
    PageLogEntry.objects.filter(page_id=talk.pk).update(timestamp=since - datetime.timedelta(1))
    talk.is_information_event = True
    talk.save_revision().publish()
    assert ModelLogEntry.objects.count() == 3

    root = parse(opencat.build_catalogue(site, since=since))

    update = root.find("UPDATE_CATALOG")
    assert int(update.get("seq_number")) > 0
    deleted = {s.findtext("PRODUCT_ID") for s in update.findall("DELETE/SERVICE")}
    assert deleted == {f"termin-{cancelled.pk}", f"termin-{gone_pk}", f"kurs-{talk.pk}"}
    sent = set(services(update.find("NEW")))
    assert sent == {
        f"kurs-{new.pk}",
        f"termin-{new_date.pk}",
        f"kurs-{old.pk}",  # the offer goes along with its changed date
        f"termin-{changed_date.pk}",
    }
    assert f"termin-{old_date.pk}" not in sent


def test_without_provider_number_nothing_is_exported(catalogue, site):
    build_site_settings(site)
    good_course(catalogue)
    with pytest.raises(opencat.ExportError, match="Bildungsanbieter-Nummer"):
        opencat.build_catalogue(site)
    with pytest.raises(CommandError, match="Bildungsanbieter-Nummer"):
        call_command("export_opencat", "--output", "-")


def test_command_writes_the_file(catalogue, provider, tmp_path):
    course = good_course(catalogue)
    date = CourseDateFactory(course=course)
    target = tmp_path / "kursnet.xml"

    call_command("export_opencat", "--output", str(target))

    assert set(services(parse(target.read_bytes()))) == {f"kurs-{course.pk}", f"termin-{date.pk}"}
    call_command("export_opencat", "--output", str(target), "--update-since", "2020-01-01")
    assert parse(target.read_bytes()).find("UPDATE_CATALOG") is not None
    with pytest.raises(CommandError, match="JJJJ-MM-TT"):
        call_command("export_opencat", "--output", str(target), "--update-since", "gestern")
    with pytest.raises(CommandError, match="2000"):
        call_command("export_opencat", "--output", str(target), "--update-since", "0001-01-01")


def staff_member(group):
    user = UserFactory(username=f"person-{group}")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_redaktion_sees_the_review_and_downloads_the_file(client, catalogue, provider):
    course = good_course(catalogue, title="Kalkulation")
    CourseDateFactory(course=course)
    good_course(catalogue, title="Infoabend", is_information_event=True)
    client.force_login(staff_member("Redaktion"))

    page = client.get(reverse("courses_kursnet"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "1 Kurs geht an KURSNET" in html and "Kalkulation" in html
    assert "Infoabend" in html and "Informationsveranstaltung" in html
    download = client.get(reverse("courses_kursnet"), {"seit": "", "herunterladen": "1"})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/xml")
    assert "attachment" in download["Content-Disposition"]
    assert f"kurs-{course.pk}" in set(services(parse(download.content)))
    for nonsense in ("31.02.", "0001-01-01", "x" * 500):
        bad = client.get(reverse("courses_kursnet"), {"seit": nonsense, "herunterladen": "1"})
        assert bad.status_code == 200 and "error-message" in bad.content.decode()


def test_the_export_page_says_when_the_provider_number_is_missing(client, catalogue, site):
    build_site_settings(site)
    client.force_login(staff_member("Redaktion"))
    response = client.get(reverse("courses_kursnet"), {"seit": "", "herunterladen": "1"})
    assert response.status_code == 200
    assert "Bildungsanbieter-Nummer" in response.content.decode()


def test_trainers_cannot_export(client, catalogue, provider):
    client.force_login(staff_member("Trainer"))
    response = client.get(reverse("courses_kursnet"))
    assert response.status_code in (302, 403)
    assert b"OPENQCAT" not in response.content


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03521 4768-0", "+49.3521.47680"),
        ("+49 351 123456", "+49.351.123456"),
        ("0049 (0351) 12 34", "+49.351.1234"),
        ("kein Telefon", ""),
        ("12345", ""),
    ],
)
def test_phone_numbers_in_kursnet_notation(text, expected):
    assert opencat.phone_number(text) == expected
