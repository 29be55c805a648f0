"""One person's data, complete and readable: what staff hand out on request (admin
"Daten einer Person") and what a learner downloads in the learner area.

Both use ``person_data(email)``. The result is a dict with German keys, in this
schema (every date and time written the German way, in Europe/Berlin):

- "E-Mail-Adresse", "Stand": the address asked for and when the export was made;
- "Konto": the learner account (if any) – filled by the learning app;
- "Anmeldungen": one entry per enrolment: course, date, status, then every field
  of ``enrolment.models.PERSON_FIELDS`` under its German label, then the times
  (registered, e-mail confirmed, seat confirmed, cancelled);
- "Einwilligungen": per enrolment the privacy notice agreed to (version) and when;
- "Lernfortschritt", "Bestandene Selbsttests", "Anwesenheit", "Bescheinigungen":
  filled by the learning app;
- "E-Mails": the mails sent to the address (subject, status, times).

Apps above this one add their sections through the hook ``personal_data_export``:
a function ``(email, enrolments) -> dict`` of section name to entries. Which fields
of an enrolment are personal stays said once, in ``enrolment.models``.
"""

import json

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import Enrolment, OutgoingMail, normalise_email, person_display

HOOK = "personal_data_export"


def when(value) -> str:
    """A date and time as German text in local time; "" when there is none."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


def section_order() -> list[str]:
    return [
        _("Konto"),
        _("Anmeldungen"),
        _("Einwilligungen"),
        _("Lernfortschritt"),
        _("Bestandene Selbsttests"),
        _("Anwesenheit"),
        _("Bescheinigungen"),
        _("E-Mails"),
    ]


def enrolments_of(email: str):
    return (
        Enrolment.objects.filter(email=normalise_email(email), anonymised_at__isnull=True)
        .select_related("course_date__course")
        .order_by("created_at", "pk")
    )


def enrolment_record(enrolment: Enrolment) -> dict:
    record = {
        _("Kurs"): enrolment.course_date.course.title,
        _("Beginn"): when(enrolment.course_date.start),
        _("Ende"): when(enrolment.course_date.end),
        _("Status"): str(enrolment.get_status_display()),
        _("Wartelistenplatz"): enrolment.waitlist_position or "",
    }
    record.update({label: value for _name, label, value in person_display(enrolment)})
    record.update(
        {
            _("Angemeldet am"): when(enrolment.created_at),
            _("E-Mail-Adresse bestätigt am"): when(enrolment.email_confirmed_at),
            _("Platz bestätigt am"): when(enrolment.seat_confirmed_at),
            _("Abgemeldet am"): when(enrolment.cancelled_at),
        }
    )
    return record


def person_data(email: str) -> dict:
    email = normalise_email(email)
    enrolments = list(enrolments_of(email))
    sections = {
        _("Anmeldungen"): [enrolment_record(e) for e in enrolments],
        _("Einwilligungen"): [
            {
                _("Kurs"): e.course_date.course.title,
                _("Einwilligung"): _("Datenschutzhinweis zur Anmeldung, Fassung %(version)s")
                % {"version": e.privacy_version or "–"},
                _("Erteilt am"): when(e.created_at),
            }
            for e in enrolments
        ],
        _("E-Mails"): [
            {
                _("Betreff"): mail.subject,
                _("Status"): str(mail.get_status_display()),
                _("Erstellt"): when(mail.created_at),
                _("Gesendet"): when(mail.sent_at),
            }
            for mail in OutgoingMail.objects.filter(to__iexact=email).order_by("created_at")
        ],
    }
    for add in hooks.get_hooks(HOOK):
        sections.update(add(email, enrolments) or {})
    data = {_("E-Mail-Adresse"): email, _("Stand"): when(timezone.now())}
    for name in section_order():
        if name in sections:
            data[name] = sections.pop(name)
    data.update(sections)
    return data


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def filename(extension: str) -> str:
    return f"personendaten-{timezone.localdate():%Y-%m-%d}.{extension}"


def html_context(data: dict) -> dict:
    """The export as the printable page ``enrolment/personal_data.html`` shows it:
    every section as a list of entries (an account is one entry)."""
    email_key, stand_key = _("E-Mail-Adresse"), _("Stand")
    sections = []
    for name, entries in data.items():
        if name in (email_key, stand_key):
            continue
        if isinstance(entries, dict):
            entries = [entries] if entries else []
        sections.append((name, entries))
    return {"email": data[email_key], "stand": data[stand_key], "sections": sections}
