"""Teilnahmebescheinigungen: issued to those who attended (and, where the course
asks for it, completed the required lessons), as a PDF made with fpdf2, with a
random number and a QR code of the public verification address.

A certificate names the sessions and hours actually attended. It is issued only
once those sessions have ended and the completion rule holds, and it is withdrawn
(never deleted) as soon as that stops being true, or by staff with a reason; the
public check then says "widerrufen".
"""

import io
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from enrolment.models import Enrolment
from enrolment.tokens import absolute
from home.pdf import PdfText as _Text

from . import learner
from .models import Certificate


def _user_of(enrolment: Enrolment):
    return learner.user_for_email(enrolment.email)


def rule_holds(enrolment: Enrolment) -> bool:
    """The completion rule, whatever the time: attended (by the attendance rule) and,
    where the material asks for it, every required lesson done."""
    if enrolment.status != Enrolment.Status.ATTENDED or enrolment.anonymised_at:
        return False
    course = enrolment.course_date.course
    user = _user_of(enrolment)
    if user is None:
        material = learner.material_of(course)
        return material is None or not material.certificate_requires_lessons
    return learner.required_lessons_done(user, course)


def eligible(enrolment: Enrolment, now=None) -> bool:
    """The rule holds and every attended session has ended."""
    from .attendance import attended_sessions

    if not rule_holds(enrolment):
        return False
    now = now or timezone.now()
    sessions = attended_sessions(enrolment)
    return bool(sessions) and all(s.has_ended(now) for s in sessions)


def current(enrolment: Enrolment) -> Certificate | None:
    return enrolment.certificates.filter(revoked_at__isnull=True).first()


def dates_text(course_date) -> str:
    from .attendance import sessions_of

    sessions = sessions_of(course_date)
    if len(sessions) > 1:
        return ", ".join(f"{s.date:%d.%m.%Y}" for s in sessions)
    start = timezone.localtime(course_date.start)
    end = timezone.localtime(course_date.end)
    if start.date() == end.date():
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def _hours_text(hours: Decimal) -> str:
    return f"{hours.normalize():f}".replace(".", ",")


def _attended_facts(enrolment: Enrolment) -> tuple[str, Decimal]:
    from .attendance import attended_sessions, sessions_of

    attended = attended_sessions(enrolment)
    total = len(sessions_of(enrolment.course_date))
    lines = [
        f"{s.start:%d.%m.%Y}, {s.start:%H:%M}–{s.end:%H:%M} "
        + _("Uhr")
        + (f" ({s.note})" if s.note else "")
        for s in attended
    ]
    hours = Decimal(str(round(sum(s.hours for s in attended), 2)))
    if len(attended) < total:
        lines.append(
            _("%(attended)d von %(total)d Kurstagen besucht")
            % {"attended": len(attended), "total": total}
        )
    return "\n".join(lines), hours


def issue(enrolment: Enrolment, *, now=None) -> Certificate | None:
    """The valid certificate of the enrolment, made now if the person is eligible
    and has none; None if not eligible."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        existing = current(enrolment)
        if existing is not None:
            return existing
        if not eligible(enrolment, now):
            return None
        sessions_text, hours = _attended_facts(enrolment)
        return Certificate.objects.create(
            enrolment=enrolment,
            name=f"{enrolment.first_name} {enrolment.last_name}".strip()[:220],
            course_title=enrolment.course_date.course.title[:255],
            dates_text=dates_text(enrolment.course_date)[:255],
            sessions_text=sessions_text,
            hours=hours,
            issued_at=now,
        )


def revoke(certificate: Certificate, reason: str, *, by=None, now=None) -> bool:
    """Withdraw a certificate; False if it was withdrawn already."""
    now = now or timezone.now()
    return bool(
        Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason=(reason or "").strip()[:300], revoked_by=by
        )
    )


def review(enrolment: Enrolment, *, now=None) -> Certificate | None:
    """After anything a certificate rests on changed (attendance, lessons, status):
    withdraw the valid certificate if the rule no longer holds or if it no longer
    names what was attended. Returns the withdrawn certificate, if any."""
    certificate = current(enrolment)
    if certificate is None:
        return None
    enrolment.refresh_from_db()
    if not rule_holds(enrolment):
        reason = _("Die Voraussetzungen der Bescheinigung sind nicht mehr erfüllt.")
    elif _attended_facts(enrolment)[0] != certificate.sessions_text:
        reason = _("Die erfasste Anwesenheit hat sich geändert.")
    else:
        return None
    revoke(certificate, reason, now=now)
    return certificate


def review_person(email: str, *, now=None) -> None:
    """Review the certificates of one person (e.g. after a lesson was unmarked)."""
    for enrolment in Enrolment.objects.filter(
        email=email, certificates__revoked_at__isnull=True
    ).distinct():
        review(enrolment, now=now)


def reissue(certificate: Certificate, *, by=None, now=None) -> Certificate | None:
    """Staff: withdraw a certificate and issue a new one from today's facts (e.g.
    after a name was corrected). None when the person is no longer eligible."""
    now = now or timezone.now()
    with transaction.atomic():
        revoke(certificate, _("Ersetzt durch eine neu ausgestellte Bescheinigung."), by=by, now=now)
        return issue(certificate.enrolment, now=now)


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


def _topics(course) -> list[str]:
    objectives = strip_tags(course.learning_objectives.replace("</li>", "\n"))
    lines = [line.strip() for line in objectives.splitlines() if line.strip()]
    if lines:
        return lines[:8]
    return [lesson.title for lesson in learner.lessons_of(course)][:8]


def _teaching_units(certificate: Certificate, course_date) -> int:
    """The course's teaching units in the share of the hours attended."""
    from .attendance import sessions_of

    course = course_date.course
    total = sum(s.hours for s in sessions_of(course_date))
    if not course.teaching_units or not total:
        return 0
    share = min(float(certificate.hours) / total, 1.0)
    return round(course.teaching_units * share)


def render_certificate_pdf(certificate: Certificate) -> bytes:
    from fpdf import FPDF

    enrolment = certificate.enrolment
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
    if certificate.sessions_text:
        line(_("Besuchte Kurstage:"), 11, "B")
        for session in certificate.sessions_text.splitlines():
            line(session)
    if certificate.hours:
        scope = [_("%(hours)s Stunden") % {"hours": _hours_text(certificate.hours)}]
        units = _teaching_units(certificate, course_date)
        if units:
            scope.append(_("%(units)d Unterrichtseinheiten (à 45 Minuten)") % {"units": units})
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


def pdf_response(certificate: Certificate):
    from django.http import HttpResponse

    response = HttpResponse(render_certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="teilnahmebescheinigung-{certificate.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
