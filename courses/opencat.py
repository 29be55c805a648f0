"""The catalogue for KURSNET, the Federal Employment Agency's course database, as an
XML upload in the open-Qcat 1.1 format.

Each course is one offer ("Bildungsangebot": ``EDUCATION type="true"``, product id
``kurs-<id>``) and each of its dates one event ("Veranstaltung": ``EDUCATION
type="false"``, product id ``termin-<id>``, pointing to its offer by ``COURSE_ID``).
The ids never change, so KURSNET replaces what it has with each upload.

A *full* catalogue (``NEW_CATALOG FULLCATALOG="true"``) replaces everything the
academy has in KURSNET. An *update* catalogue (``UPDATE_CATALOG``) carries what
changed since a day: courses published since, dates edited or cancelled since (read
from Wagtail's history of pages and dates), and under ``DELETE`` what must go – a
course unpublished, deleted or no longer fit for KURSNET, a date deleted, cancelled or
no longer fit (deleting an offer deletes its dates in KURSNET too).

KURSNET lists only job-related courses open to anyone with at least four teaching
hours (à 45 minutes); no single talks, fairs or information events. The academy's
courses are job-related and open to anyone by nature; a course marks itself as an
information event (``CoursePage.is_information_event``), and its duration is read
from its teaching units or hours. :func:`review` says what goes in and why the rest
does not.
"""

from __future__ import annotations

import datetime
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from home.visibility import public_pages

from .funding_models import Qualification, Schedule
from .models import CourseDate, CourseFormat, CoursePage, ProviderSettings
from .pricing import date_prices, split_gross, vat_note, vat_rate

MIN_TEACHING_UNITS = Decimal(4)
UNIT_MINUTES = 45

#: COURSE_TYPE: "Weiterbildungsangebot"
COURSE_TYPE = "5"
#: INSTITUTION (Schulart): "Einrichtung der beruflichen Weiterbildung"
INSTITUTION = ("105", "Einrichtung der beruflichen Weiterbildung")
#: EDUCATION_TYPE (Bildungsart): "Fortbildung/Qualifizierung"
EDUCATION_TYPE = ("104", "Fortbildung/Qualifizierung")
#: INSTRUCTION_FORM (Unterrichtsform) of the course format, or of an online date
INSTRUCTION_FORMS = {
    CourseFormat.PRESENCE: "101",  # Präsenzunterricht
    CourseFormat.ONLINE: "202",  # Online-Seminar
    CourseFormat.HYBRID: "303",  # Hybrid Learning
}
#: INSTRUCTION_TIME (Unterrichtszeit): 1 Vollzeit, 2 Teilzeit
FULL_TIME, PART_TIME = "1", "2"
#: CONTACT_ROLE: 1 Ansprechpartner, 2 Gesamtansprechpartner
CONTACT_ROLE, MAIN_CONTACT_ROLE = "1", "2"
#: DURATION (Dauerklasse) by the number of calendar days a date spans
#: CERTIFICATE_STATUS: 1 "zugelassen"
AZAV_APPROVED = "1"
DURATION_CLASSES = ((3, "1"), (7, "2"), (31, "3"), (92, "4"), (183, "5"), (366, "6"))
DESCRIPTION_MAX = 30000


class ExportError(Exception):
    """The catalogue cannot be made (the message says why, in German)."""


# ---------------------------------------------------------------------------
# What goes in
# ---------------------------------------------------------------------------


def teaching_units(course) -> Decimal | None:
    """Teaching units (UStd à 45 minutes): as entered, else from the hours."""
    if course.teaching_units:
        return Decimal(course.teaching_units)
    if course.duration_hours:
        return Decimal(course.duration_hours) * 60 / UNIT_MINUTES
    return None


def course_reasons(course) -> list[str]:
    """Why a course cannot be listed in KURSNET (empty: it can)."""
    reasons = []
    if course.is_information_event:
        reasons.append(
            _("Informationsveranstaltung (Vortrag, Infoabend, Messe): in KURSNET nicht zulässig.")
        )
    units = teaching_units(course)
    if units is None:
        reasons.append(_("Keine Dauer angegeben (Unterrichtseinheiten oder Stunden)."))
    elif units < MIN_TEACHING_UNITS:
        reasons.append(
            _("Kürzer als 4 Unterrichtsstunden (%(units)s UStd).")
            % {"units": formats.number_format(units.quantize(Decimal("0.1")), 1)}
        )
    if not strip_tags(course.teaser).strip():
        reasons.append(_("Keine Beschreibung."))
    return reasons


def date_reasons(date) -> list[str]:
    """Why a date cannot be listed (empty: it can)."""
    reasons = []
    if date.is_cancelled:
        reasons.append(_("Abgesagt."))
    if not date.is_online:
        street, postcode, city = date.address_parts()
        if not (street and postcode and city):
            reasons.append(
                _("Adresse des Kursorts unvollständig (Straße, Postleitzahl und Ort nötig).")
            )
    return reasons


@dataclass
class Listed:
    course: CoursePage
    dates: list = field(default_factory=list)


@dataclass
class Review:
    """What the catalogue holds, and what it leaves out with the reasons."""

    listed: list[Listed]
    refused: list[tuple[CoursePage, list[str]]]
    refused_dates: list[tuple[CourseDate, list[str]]]

    @property
    def date_count(self) -> int:
        return sum(len(entry.dates) for entry in self.listed)


def candidate_courses():
    """Every published, public course with its upcoming dates and its terms."""
    upcoming = CourseDate.objects.upcoming().order_by("start", "pk")
    return (
        public_pages(CoursePage.objects.live())
        .order_by("title", "pk")
        .prefetch_related(
            Prefetch("dates", queryset=upcoming, to_attr="upcoming_list"),
            "target_groups",
            "trades",
            "topics",
        )
    )


def review(courses=None) -> Review:
    listed, refused, refused_dates = [], [], []
    for course in courses if courses is not None else candidate_courses():
        reasons = course_reasons(course)
        dates = []
        for date in course.upcoming_list:
            date.course = course
            problems = date_reasons(date)
            if problems:
                if not reasons:
                    refused_dates.append((date, problems))
            else:
                dates.append(date)
        if not reasons and not dates:
            reasons.append(_("Kein künftiger Termin, der in KURSNET erscheinen kann."))
        if reasons:
            refused.append((course, reasons))
        else:
            listed.append(Listed(course, dates))
    return Review(listed, refused, refused_dates)


# ---------------------------------------------------------------------------
# What changed since a day (update catalogue)
# ---------------------------------------------------------------------------


@dataclass
class Changes:
    courses: set[int]
    dates: set[int]
    gone_courses: set[int]
    gone_dates: set[int]


def changes_since(since: datetime.datetime) -> Changes:
    """Courses and dates changed since ``since``, from Wagtail's history (pages: publish,
    unpublish, delete; dates: create, edit, delete, cancel)."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    course_type = ContentType.objects.get_for_model(CoursePage)
    page_rows = PageLogEntry.objects.filter(
        timestamp__gte=since, content_type=course_type
    ).values_list("page_id", "action")
    courses, gone_courses = set(), set()
    for page_id, action in page_rows:
        if action in ("wagtail.unpublish", "wagtail.delete"):
            gone_courses.add(page_id)
        elif action in ("wagtail.publish", "wagtail.move", "wagtail.create"):
            courses.add(page_id)
    date_type = ContentType.objects.get_for_model(CourseDate)
    date_rows = ModelLogEntry.objects.filter(
        timestamp__gte=since, content_type=date_type
    ).values_list("object_id", "action")
    dates, gone_dates = set(), set()
    for object_id, action in date_rows:
        if not str(object_id).isdigit():
            continue
        (gone_dates if action == "wagtail.delete" else dates).add(int(object_id))
    return Changes(courses, dates, gone_courses, gone_dates)


# ---------------------------------------------------------------------------
# Text and numbers the way the format wants them
# ---------------------------------------------------------------------------


def plain_text(value) -> str:
    """Text without markup, paragraphs kept apart by a blank line."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|li|h\d|div|blockquote|tr)>", "\n", str(value or ""))
    text = html.unescape(strip_tags(text))
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def description_text(course) -> str:
    """The long description: teaser, body text and learning objectives as plain text."""
    parts = [course.teaser, plain_text(course.description.render_as_block())]
    objectives = plain_text(course.learning_objectives)
    if objectives:
        parts.append(_("Lernziele:") + "\n" + objectives)
    if course.what_to_bring:
        parts.append(_("Bitte mitbringen:") + " " + course.what_to_bring)
    return "\n\n".join(part.strip() for part in parts if part and part.strip())[:DESCRIPTION_MAX]


def phone_number(text: str) -> str:
    """A German number as "+49.3525.7070" (KURSNET's notation), "" if unreadable."""
    groups = re.findall(r"\d+", text or "")
    if not groups:
        return ""
    raw = (text or "").strip()
    if raw.startswith("+"):
        country, rest = groups[0], groups[1:]
    elif raw.startswith("00"):
        country, rest = groups[0][2:], groups[1:]
    else:
        country = "49"
        rest = groups
    rest = [group for group in (rest[0].lstrip("0"), *rest[1:]) if group] if rest else []
    if len(rest) < 2:
        return ""
    number = f"+{country}.{rest[0]}.{''.join(rest[1:])}"
    return number if len(number) <= 30 else ""


def _timestamp(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _euro(value: Decimal) -> str:
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True) + " €"


def duration_class(date) -> str:
    days = (timezone.localtime(date.end).date() - timezone.localtime(date.start).date()).days + 1
    for limit, code in DURATION_CLASSES:
        if days <= limit:
            return code
    return "7"


def instruction_form(course, date=None) -> str:
    if date is not None and date.is_online and course.format == CourseFormat.PRESENCE:
        return INSTRUCTION_FORMS[CourseFormat.ONLINE]
    return INSTRUCTION_FORMS.get(course.format, INSTRUCTION_FORMS[CourseFormat.PRESENCE])


def instruction_time(course) -> str:
    """Full or part time as the course states it; part time when it does not – the
    academy's courses run beside the job."""
    return FULL_TIME if course.schedule == Schedule.FULL_TIME else PART_TIME


def degree_title(course) -> str:
    """What the course ends with: the exam it prepares for, else its certificate."""
    if course.qualification and course.qualification != Qualification.OTHER:
        return str(course.get_qualification_display())
    return course.certificate.strip()


def _azav_certificate(education, course) -> None:
    """The course's AZAV approval ("Maßnahmezulassung"), where it has one."""
    if not course.azav_course_number:
        return
    certificate = _add(education, "CERTIFICATE")
    _add(certificate, "CERTIFICATE_STATUS", AZAV_APPROVED)
    _add(certificate, "CERTIFICATE_NUMBER", course.azav_course_number)
    if course.azav_course_valid_until:
        validity = _add(certificate, "CERT_VALIDITY")
        _add(validity, "END_DATE", course.azav_course_valid_until.isoformat())
    _add(certificate, "CERT_DESCRIPTION", _("Maßnahmezulassung nach AZAV"))


def target_group_text(course) -> str:
    groups = [group.name for group in course.target_groups.all()]
    trades = [trade.name for trade in course.trades.all()]
    parts = []
    if groups:
        parts.append(", ".join(groups))
    if trades:
        parts.append(_("Gewerke: %(trades)s") % {"trades": ", ".join(trades)})
    return "; ".join(parts)


def session_text(date) -> str:
    """The course days and times, e.g. "Mo 02.03.2027 09:00–16:00; Di 03.03.2027 …"."""
    spans = []
    for start, end, note in date.session_spans():
        text = f"{formats.date_format(start, 'D d.m.Y H:i')}–{formats.time_format(end, 'H:i')}"
        spans.append(f"{text} ({note})" if note else text)
    return "; ".join(spans)


# ---------------------------------------------------------------------------
# The XML
# ---------------------------------------------------------------------------


def _add(parent, tag: str, text=None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def _add_text(parent, tag: str, text, limit: int | None = None) -> None:
    text = (str(text) if text is not None else "").strip()
    if text:
        _add(parent, tag, text[:limit] if limit else text)


@dataclass
class Provider:
    number: str
    name: str
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    url: str
    contact_name: str
    contact_email: str
    contact_phone: str


def provider_for(site) -> Provider:
    from home.models import SiteSettings

    settings = ProviderSettings.for_site(site)
    site_settings = SiteSettings.for_site(site)
    number = settings.kursnet_provider_number.strip()
    if not number:
        raise ExportError(
            _(
                "Bitte tragen Sie zuerst die Bildungsanbieter-Nummer (KURSNET) in den "
                "Einstellungen „Bildungsträger“ ein."
            )
        )
    postcode, _space, city = site_settings.postcode_city.strip().partition(" ")
    return Provider(
        number=number,
        name=(settings.provider_name or site_settings.organisation).strip(),
        street=site_settings.street,
        postcode=postcode,
        city=city.strip(),
        phone=site_settings.phone,
        email=site_settings.email,
        url=site.root_url,
        contact_name=settings.contact_name,
        contact_email=settings.contact_email or site_settings.email,
        contact_phone=settings.contact_phone or site_settings.phone,
    )


def _contact(parent, tag: str, role: str, name: str, email: str, phone: str) -> None:
    if not (name or email or phone):
        return
    contact = _add(parent, tag)
    _add(contact, "CONTACT_ROLE", _("Ansprechperson"), type=role)
    if name:
        first, _space, last = name.strip().rpartition(" ")
        _add_text(contact, "FIRST_NAME", first)
        _add_text(contact, "LAST_NAME", last)
    _add_text(contact, "PHONE", phone_number(phone))
    if email:
        _add(_add(contact, "EMAILS"), "EMAIL", email)


def _address(parent, tag: str, *, name="", street="", postcode="", city="", **extra) -> None:
    address = _add(parent, tag)
    _add_text(address, "NAME", name, 255)
    _add_text(address, "STREET", street)
    _add_text(address, "ZIP", postcode, 14)
    _add_text(address, "CITY", city)
    _add(address, "COUNTRY", "DE")
    _add_text(address, "PHONE", phone_number(extra.get("phone", "")))
    if extra.get("email"):
        _add(_add(address, "EMAILS"), "EMAIL", extra["email"])
    _add_text(address, "URL", extra.get("url", ""), 255)


def _header(root, provider: Provider, now) -> None:
    header = _add(root, "HEADER")
    _add(header, "GENERATOR_INFO", "Innovationsakademie Handwerk – Kurskatalog")
    catalog = _add(header, "CATALOG")
    _add(catalog, "LANGUAGE", "deu")
    _add(catalog, "CATALOG_ID", f"{provider.number}-kurskatalog"[:50])
    _add(catalog, "CATALOG_VERSION", "1.1")
    _add(catalog, "CATALOG_NAME", "KURSNET-Export")
    _add(catalog, "GENERATION_DATE", _timestamp(now))
    supplier = _add(header, "SUPPLIER")
    _add(supplier, "SUPPLIER_ID", provider.number, type="supplier_specific")
    _add(supplier, "SUPPLIER_NAME", provider.name or provider.number)
    _address(
        supplier,
        "ADDRESS",
        name=provider.name,
        street=provider.street,
        postcode=provider.postcode,
        city=provider.city,
        phone=provider.phone,
        email=provider.email,
        url=provider.url,
    )
    _contact(
        supplier,
        "CONTACT",
        MAIN_CONTACT_ROLE,
        provider.contact_name,
        provider.contact_email,
        provider.contact_phone,
    )
    extended = _add(supplier, "EXTENDED_INFO", input_type="0")
    if len(provider.number) <= 8:
        _add(extended, "INSTITUTION_NUMBER", provider.number)


def _extended_info(education, course, date=None) -> None:
    info = _add(education, "EXTENDED_INFO")
    _add(info, "INSTITUTION", INSTITUTION[1], type=INSTITUTION[0])
    _add(info, "INSTRUCTION_FORM", type=instruction_form(course, date))
    if date is not None:
        _add(info, "INSTRUCTION_TIME", type=instruction_time(course))
        _add(
            info, "EXTRA_OCCUPATIONAL", "true" if instruction_time(course) == PART_TIME else "false"
        )
        _add(info, "TEACHING_LANGUAGES", "deu")
    _add(info, "EDUCATION_TYPE", EDUCATION_TYPE[1], type=EDUCATION_TYPE[0])


def _price(service, amount: Decimal, remarks: list[str], rate: Decimal) -> None:
    details = _add(service, "SERVICE_PRICE_DETAILS")
    price = _add(details, "SERVICE_PRICE")
    _add(price, "PRICE_AMOUNT", f"{Decimal(amount):.2f}")
    _add(price, "PRICE_CURRENCY", "EUR")
    _add(price, "TAX", f"{rate / 100:.2f}")
    _add_text(details, "REMARKS", " ".join(remarks), 4000)


def _price_remarks(course, amount, member=None, early=None, early_until=None) -> list[str]:
    if not amount:
        return [_("Kostenfrei.")]
    remarks = []
    if member is not None:
        remarks.append(_("Preis für Innungsmitglieder: %(price)s.") % {"price": _euro(member)})
    if early is not None and early_until is not None:
        remarks.append(
            _("Frühbucherpreis bis %(day)s: %(price)s.")
            % {"day": formats.date_format(early_until, "SHORT_DATE_FORMAT"), "price": _euro(early)}
        )
    rate = vat_rate(course)
    if rate:
        _net, vat = split_gross(amount, rate)
        remarks.append(_("Darin enthalten: %(vat)s Umsatzsteuer.") % {"vat": _euro(vat)})
    remarks.append(vat_note(course))
    return remarks


def _offer(parent, course, provider: Provider, url: str) -> None:
    product_id = f"kurs-{course.pk}"
    service = _add(parent, "SERVICE")
    _add(service, "PRODUCT_ID", product_id)
    _add(service, "COURSE_TYPE", COURSE_TYPE)
    _add(service, "SUPPLIER_ID_REF", provider.number, type="supplier_specific")
    details = _add(service, "SERVICE_DETAILS")
    _add(details, "TITLE", course.title[:255])
    _add_text(details, "DESCRIPTION_LONG", description_text(course))
    _contact(
        details,
        "CONTACT",
        CONTACT_ROLE,
        course.contact_name or provider.contact_name,
        course.contact_email or provider.contact_email,
        course.contact_phone or provider.contact_phone,
    )
    _add_text(details, "REQUIREMENTS", course.prerequisites)
    for topic in course.topics.all():
        _add(details, "KEYWORD", topic.name)
    target = target_group_text(course)
    if target:
        _add(_add(details, "TARGET_GROUP"), "TARGET_GROUP_TEXT", target)
    terms = [course.funding_notes.strip(), url]
    _add(details, "TERMS_AND_CONDITIONS", "\n".join(t for t in terms if t))
    education = _add(_add(details, "SERVICE_MODULE"), "EDUCATION", type="true")
    _add(education, "COURSE_ID", product_id)
    degree = degree_title(course)
    if degree:
        _add(_add(education, "DEGREE", type="0"), "DEGREE_TITLE", degree[:255])
    _azav_certificate(education, course)
    _extended_info(education, course)
    module = _add(education, "MODULE_COURSE")
    units = teaching_units(course)
    _add(
        _add(module, "DURATION", type="0"),
        "DATE_REMARKS",
        _("%(units)s Unterrichtsstunden à 45 Minuten")
        % {"units": formats.number_format(units.quantize(Decimal("0.1")).normalize(), None)},
    )
    # the offer names the course's prices; each date names its own
    member = course.member_price
    early = course.early_price if course.early_price_until else None
    _price(
        service,
        course.price,
        _price_remarks(course, course.price, member, early, course.early_price_until),
        vat_rate(course),
    )


def _event(parent, date, provider: Provider, now) -> None:
    course = date.course
    service = _add(parent, "SERVICE")
    _add(service, "PRODUCT_ID", f"termin-{date.pk}")
    _add(service, "COURSE_TYPE", COURSE_TYPE)
    _add(service, "SUPPLIER_ID_REF", provider.number, type="supplier_specific")
    details = _add(service, "SERVICE_DETAILS")
    _add(details, "TITLE", course.title[:255])
    period = _add(details, "SERVICE_DATE")
    _add(period, "START_DATE", _timestamp(date.start))
    _add(period, "END_DATE", _timestamp(date.end))
    _add_text(period, "DATE_REMARKS", session_text(date), 4000)
    education = _add(_add(details, "SERVICE_MODULE"), "EDUCATION", type="false")
    _add(education, "COURSE_ID", f"kurs-{course.pk}")
    if date.registration_deadline:
        _add(education, "REGISTRATION_DATE", _timestamp(date.registration_deadline))
    _extended_info(education, course, date)
    module = _add(education, "MODULE_COURSE")
    if date.min_participants:
        _add(module, "MIN_PARTICIPANTS", date.min_participants)
    _add(module, "MAX_PARTICIPANTS", date.capacity)
    if not date.is_online:
        street, postcode, city = date.address_parts()
        _address(
            module, "LOCATION", name=date.venue_name, street=street, postcode=postcode, city=city
        )
    period = _add(module, "DURATION", type=duration_class(date))
    _add(period, "START_DATE", _timestamp(date.start))
    _add(period, "END_DATE", _timestamp(date.end))
    _add_text(module, "INSTRUCTION_REMARKS", session_text(date), 4000)
    _add(module, "FLEXIBLE_START", "false")
    _add(_add(module, "EXTENDED_INFO"), "SEGMENT_TYPE", type="0")
    announcement = _add(details, "ANNOUNCEMENT")
    _add(announcement, "START_DATE", timezone.localdate(now).isoformat())
    last_day = date.registration_deadline or date.start
    _add(announcement, "END_DATE", timezone.localtime(last_day).date().isoformat())
    prices = date_prices(date)
    early = prices.early if prices.early_until else None
    _price(
        service,
        prices.regular,
        _price_remarks(course, prices.regular, prices.member, early, prices.early_until),
        vat_rate(course),
    )


def build_catalogue(
    site, *, since: datetime.datetime | None = None, now=None, review_result=None
) -> bytes:
    """The catalogue as UTF-8 XML: all of it, or (``since``) what changed since then."""
    now = now or timezone.now()
    provider = provider_for(site)
    result = review_result or review()
    root = ET.Element(
        "OPENQCAT",
        {
            "version": "1.1",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "openQ-cat.V1.1.xsd",
        },
    )
    _header(root, provider, now)
    urls = {}
    listed = result.listed
    if since is None:
        container = _add(root, "NEW_CATALOG", FULLCATALOG="true")
    else:
        changes = changes_since(since)
        listed_courses = {entry.course.pk for entry in listed}
        listed_dates = {date.pk for entry in listed for date in entry.dates}
        gone_courses = changes.gone_courses | {
            course.pk for course, _reasons in result.refused if course.pk in changes.courses
        }
        gone_courses -= listed_courses
        changed_refused = {
            date.pk
            for date, _reasons in result.refused_dates
            if date.pk in changes.dates or date.course.pk in changes.courses
        }
        gone_dates = (changes.gone_dates | changed_refused) - listed_dates
        container = _add(
            root, "UPDATE_CATALOG", seq_number=timezone.localtime(now).strftime("%Y%m%d%H%M")
        )
        if gone_courses or gone_dates:
            delete = _add(container, "DELETE")
            for pk in sorted(gone_courses):
                _add(_add(delete, "SERVICE"), "PRODUCT_ID", f"kurs-{pk}")
            for pk in sorted(gone_dates):
                _add(_add(delete, "SERVICE"), "PRODUCT_ID", f"termin-{pk}")
        changed = []
        for entry in listed:
            if entry.course.pk in changes.courses:
                changed.append(entry)
            else:
                dates = [date for date in entry.dates if date.pk in changes.dates]
                if dates:
                    changed.append(Listed(entry.course, dates))
        listed = changed
        container = _add(container, "NEW")
    for entry in listed:
        url = urls.setdefault(entry.course.pk, entry.course.get_full_url())
        _offer(container, entry.course, provider, url)
        for date in entry.dates:
            _event(container, date, provider, now)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
