"""The right of withdrawal of consumers (§§ 312g, 355 BGB) for paid bookings.

A private person who books online may withdraw within 14 days of the booking
(the contract). When the course starts within those 14 days, the academy starts
its service before the period ends only at the person's express request
(§ 356 Abs. 4, § 357a Abs. 2 BGB): the booking form asks for it, and the booking
stores when it was given and in which wording. The texts follow the statutory
model (Anlage 1 und 2 zu Art. 246a § 1 EGBGB); like the VAT notes they are legal
wording in German and not translated.
"""

from django.utils import timezone

#: the version stored with a consent; change it with the wording
CONSENT_VERSION = "2027-01"

CONSENT_TEXT = (
    "Ich verlange ausdrücklich, dass die Akademie vor Ende der Widerrufsfrist mit der "
    "Leistung beginnt, weil der Kurs innerhalb der 14-tägigen Widerrufsfrist stattfindet. "
    "Mir ist bekannt, dass ich bei einem Widerruf einen angemessenen Betrag für die bis "
    "dahin erbrachte Leistung zahle (Wertersatz, § 357a Abs. 2 BGB)."
)

INSTRUCTION_TITLE = "Widerrufsbelehrung"

INSTRUCTION = """Widerrufsrecht

Sie haben das Recht, binnen vierzehn Tagen ohne Angabe von Gründen diesen Vertrag zu widerrufen.

Die Widerrufsfrist beträgt vierzehn Tage ab dem Tag des Vertragsabschlusses.

Um Ihr Widerrufsrecht auszuüben, müssen Sie uns ({address}) mittels einer eindeutigen Erklärung (z. B. ein mit der Post versandter Brief oder eine E-Mail) über Ihren Entschluss, diesen Vertrag zu widerrufen, informieren. Sie können dafür das beigefügte Muster-Widerrufsformular verwenden, das jedoch nicht vorgeschrieben ist.

Zur Wahrung der Widerrufsfrist reicht es aus, dass Sie die Mitteilung über die Ausübung des Widerrufsrechts vor Ablauf der Widerrufsfrist absenden.

Folgen des Widerrufs

Wenn Sie diesen Vertrag widerrufen, haben wir Ihnen alle Zahlungen, die wir von Ihnen erhalten haben, unverzüglich und spätestens binnen vierzehn Tagen ab dem Tag zurückzuzahlen, an dem die Mitteilung über Ihren Widerruf dieses Vertrags bei uns eingegangen ist. Für diese Rückzahlung verwenden wir dasselbe Zahlungsmittel, das Sie bei der ursprünglichen Transaktion eingesetzt haben, es sei denn, mit Ihnen wurde ausdrücklich etwas anderes vereinbart; in keinem Fall werden Ihnen wegen dieser Rückzahlung Entgelte berechnet.

Haben Sie verlangt, dass die Dienstleistung während der Widerrufsfrist beginnen soll, so haben Sie uns einen angemessenen Betrag zu zahlen, der dem Anteil der bis zu dem Zeitpunkt, zu dem Sie uns von der Ausübung des Widerrufsrechts hinsichtlich dieses Vertrags unterrichten, bereits erbrachten Dienstleistungen im Vergleich zum Gesamtumfang der im Vertrag vorgesehenen Dienstleistungen entspricht."""

FORM_TITLE = "Muster-Widerrufsformular"

FORM = """(Wenn Sie den Vertrag widerrufen wollen, dann füllen Sie bitte dieses Formular aus und senden Sie es zurück.)

An {address}:

Hiermit widerrufe(n) ich/wir (*) den von mir/uns (*) abgeschlossenen Vertrag über die Erbringung der folgenden Dienstleistung (*): {service}

Bestellt am (*)/erhalten am (*): {ordered}

Name des/der Verbraucher(s):

Anschrift des/der Verbraucher(s):

Unterschrift des/der Verbraucher(s) (nur bei Mitteilung auf Papier)

Datum

(*) Unzutreffendes streichen."""


def academy_address() -> str:
    from wagtail.models import Site

    from home.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return "Innovationsakademie Handwerk"
    settings = SiteSettings.for_site(site)
    parts = [settings.organisation or "Innovationsakademie Handwerk"]
    for value in (settings.street, settings.postcode_city):
        if value:
            parts.append(" ".join(value.split()))
    if settings.email:
        parts.append(f"E-Mail: {settings.email}")
    return ", ".join(parts)


def withdrawal_context(booking) -> dict:
    address = academy_address()
    ordered = timezone.localtime(booking.created_at).strftime("%d.%m.%Y")
    service = f"Kurs „{booking.course_date.course.title}“, Termin {booking.course_date}"
    return {
        "withdrawal_title": INSTRUCTION_TITLE,
        "withdrawal_text": INSTRUCTION.format(address=address),
        "withdrawal_form_title": FORM_TITLE,
        "withdrawal_form": FORM.format(address=address, service=service, ordered=ordered),
        "withdrawal_consent_text": CONSENT_TEXT if booking.withdrawal_consent_at else "",
    }
