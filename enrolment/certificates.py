"""Teilnahmebescheinigungen: issued to those who attended (and, where the course
asks for it, completed the required lessons), as a PDF made with fpdf2, with a
random number and a QR code of the public verification address."""

import io
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _

from . import learner
from .models import Certificate, Enrolment
from .tokens import absolute

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def eligible(enrolment: Enrolment, user) -> bool:
    if enrolment.status != Enrolment.Status.ATTENDED or enrolment.anonymised_at:
        return False
    course = enrolment.course_date.course
    if user is None:
        material = learner.material_of(course)
        return material is None or not material.certificate_requires_lessons
    return learner.required_lessons_done(user, course)


def dates_text(course_date) -> str:
    start = timezone.localtime(course_date.start)
    end = timezone.localtime(course_date.end)
    days = sorted(block.value["date"] for block in course_date.sessions)
    if days:
        return ", ".join(f"{day:%d.%m.%Y}" for day in days)
    if start.date() == end.date():
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def certificate_for(enrolment: Enrolment) -> Certificate:
    certificate, _created = Certificate.objects.get_or_create(
        enrolment=enrolment,
        defaults={
            "name": f"{enrolment.first_name} {enrolment.last_name}".strip()[:220],
            "course_title": enrolment.course_date.course.title[:255],
            "dates_text": dates_text(enrolment.course_date)[:255],
        },
    )
    return certificate


def verify_url(certificate: Certificate) -> str:
    return absolute(reverse("certificates:verify", args=[certificate.number]))


def issuer() -> str:
    from wagtail.models import Site

    from home.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    organisation = SiteSettings.for_site(site).organisation if site else ""
    academy = _("Innovationsakademie Handwerk")
    return f"{academy} – {organisation}" if organisation else academy


def _qr_png(data: str) -> io.BytesIO:
    import qrcode

    image = qrcode.make(data, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


class _Text:
    """Unicode with DejaVu Sans when installed, else latin-1 with Helvetica."""

    def __init__(self, pdf):
        self.pdf = pdf
        regular = FONT_DIR / "DejaVuSans.ttf"
        bold = FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.exists():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold if bold.exists() else regular))
            self.family, self.unicode = "DejaVu", True
        else:
            self.family, self.unicode = "Helvetica", False

    def clean(self, text: str) -> str:
        text = normalize_newlines(str(text))
        if self.unicode:
            return text
        replacements = {"–": "-", "—": "-", "„": '"', "“": '"', "”": '"', "’": "'", "…": "..."}
        for old, new in replacements.items():
            text = text.replace(old, new)
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size, style=""):
        self.pdf.set_font(self.family, style, size)


def _topics(course) -> list[str]:
    objectives = strip_tags(course.learning_objectives.replace("</li>", "\n"))
    lines = [line.strip() for line in objectives.splitlines() if line.strip()]
    if lines:
        return lines[:8]
    return [lesson.title for lesson in learner.lessons_of(course)][:8]


def render_certificate_pdf(certificate: Certificate, enrolment: Enrolment) -> bytes:
    from fpdf import FPDF

    course_date = enrolment.course_date
    course = course_date.course
    pdf = FPDF(format="A4")
    pdf.set_title(str(_("Teilnahmebescheinigung")))
    pdf.set_author(issuer())
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    text = _Text(pdf)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(value, size=11, style="", height=6, align="L"):
        text.font(size, style)
        pdf.multi_cell(width, height, text.clean(value), align=align, new_x="LMARGIN", new_y="NEXT")

    line(issuer(), 10, height=5)
    pdf.ln(14)
    line(_("Teilnahmebescheinigung"), 24, "B", 12, "C")
    pdf.ln(8)
    line(certificate.name, 18, "B", 10, "C")
    line(_("hat teilgenommen an"), 12, height=8, align="C")
    line(certificate.course_title, 16, "B", 9, "C")
    line(certificate.dates_text, 12, height=8, align="C")
    pdf.ln(6)
    scope = []
    if course.duration_hours:
        hours = f"{course.duration_hours.normalize():f}".replace(".", ",")
        scope.append(_("%(hours)s Stunden") % {"hours": hours})
    if course.teaching_units:
        scope.append(
            _("%(units)d Unterrichtseinheiten (à 45 Minuten)") % {"units": course.teaching_units}
        )
    if scope:
        line(_("Umfang: %(scope)s") % {"scope": ", ".join(scope)})
    place = course_date.location_text
    if place:
        line(_("Ort: %(place)s") % {"place": place})
    trainers = ", ".join(t.name for t in course.trainers.all())
    if trainers:
        line(_("Kursleitung: %(names)s") % {"names": trainers})
    topics = _topics(course)
    if topics:
        pdf.ln(3)
        line(_("Inhalte:"), 11, "B")
        for topic in topics:
            line(f"• {topic}" if text.unicode else f"- {topic}")
    pdf.ln(8)
    issued = timezone.localtime(certificate.issued_at)
    line(
        _("Ausgestellt am %(date)s von der %(issuer)s.")
        % {"date": f"{issued:%d.%m.%Y}", "issuer": issuer()}
    )
    pdf.ln(4)
    url = verify_url(certificate)
    y = pdf.get_y()
    pdf.image(_qr_png(url), x=pdf.l_margin, y=y, w=32, h=32)
    pdf.set_xy(pdf.l_margin + 38, y + 4)
    text.font(10, "B")
    pdf.cell(
        0,
        6,
        text.clean(_("Nummer: %(number)s") % {"number": certificate.number}),
        new_x="LEFT",
        new_y="NEXT",
    )
    text.font(9)
    pdf.multi_cell(width - 38, 5, text.clean(_("Echtheit prüfen: %(url)s") % {"url": url}))
    return bytes(pdf.output())
