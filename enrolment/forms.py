"""The public enrolment form and the staff form for phone enrolments."""

import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courses.models import CourseDate

from .models import PERSON_FIELDS, Enrolment

NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]*)*$")
PHONE = re.compile(r"^\+?[0-9 ()/-]{6,40}$")
POSTCODE = re.compile(r"^[0-9]{5}$")
FORBIDDEN_IN_LINES = set("<>{}\\")


def _has_control_chars(value: str, allow_newlines: bool = False) -> bool:
    for char in value:
        if allow_newlines and char in "\n\t":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co") or char == "\ufffd":
            return True
    return False


def clean_line(value: str, *, name: bool = False) -> str:
    """One line of plain text: no line breaks, no invisible or markup characters."""
    value = " ".join((value or "").split())
    if not value:
        return value
    if _has_control_chars(value):
        raise forms.ValidationError(
            _("Bitte verwenden Sie keine unsichtbaren oder Sonderzeichen."), code="invalid"
        )
    if name and not NAME_CHARS.match(value):
        raise forms.ValidationError(
            _("Bitte verwenden Sie nur Buchstaben, Leerzeichen, Bindestrich, Punkt und Apostroph."),
            code="invalid",
        )
    if set(value) & FORBIDDEN_IN_LINES:
        raise forms.ValidationError(
            _("Bitte verwenden Sie keine Zeichen wie < > { } oder \\."), code="invalid"
        )
    return value


class ContactCleaningMixin:
    """E-mail, phone and postcode checked the same way on every form that asks for them."""

    def clean_email(self):
        value = (self.cleaned_data["email"] or "").strip().lower()
        if _has_control_chars(value):
            raise forms.ValidationError(self.fields["email"].error_messages["invalid"])
        return value

    def clean_phone(self):
        value = " ".join((self.cleaned_data["phone"] or "").split())
        if value and not PHONE.match(value):
            raise forms.ValidationError(
                _("Bitte geben Sie nur Ziffern, Leerzeichen und + ( ) / - an, z. B. 03521 123456."),
                code="invalid",
            )
        return value

    def clean_postcode(self):
        value = (self.cleaned_data["postcode"] or "").strip()
        if not POSTCODE.match(value):
            raise forms.ValidationError(
                _("Bitte geben Sie eine Postleitzahl aus fünf Ziffern an, z. B. 01662."),
                code="invalid",
            )
        return value


class EnrolmentDataForm(ContactCleaningMixin, forms.ModelForm):
    """The person's details; shared by the public form and the staff form."""

    class Meta:
        model = Enrolment
        fields = list(PERSON_FIELDS)
        widgets = {
            "salutation": forms.RadioSelect,
            "role": forms.RadioSelect,
            "billing": forms.RadioSelect,
            "remarks": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "email": _("E-Mail-Adresse"),
            "phone": _("Telefon (freiwillig, für Rückfragen)"),
            "company": _("Betrieb (freiwillig)"),
            "trade": _("Gewerk (freiwillig)"),
            "remarks": _("Anmerkungen (freiwillig)"),
            "billing": _("Rechnung an"),
            "salutation": _("Anrede (freiwillig)"),
        }
        help_texts = {
            "email": _("An diese Adresse schicken wir den Bestätigungslink."),
            "postcode": _("Fünf Ziffern, z. B. 01662"),
        }
        error_messages = {
            "first_name": {"required": _("Bitte geben Sie Ihren Vornamen an.")},
            "last_name": {"required": _("Bitte geben Sie Ihren Nachnamen an.")},
            "email": {
                "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
                "invalid": _(
                    "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."
                ),
            },
            "role": {
                "required": _("Bitte wählen Sie Ihre Rolle im Betrieb."),
                "invalid_choice": _("Bitte wählen Sie eine der angebotenen Rollen."),
            },
            "postcode": {"required": _("Bitte geben Sie Ihre Postleitzahl an.")},
        }

    def __init__(self, *args, priced=False, **kwargs):
        super().__init__(*args, **kwargs)
        # only people booked by someone else may go without an address of their own
        self.fields["email"].required = True
        self.fields["salutation"].choices = list(Enrolment.Salutation.choices)
        self.fields["salutation"].required = False
        self.fields["role"].choices = list(Enrolment.Role.choices)
        if priced:
            self.fields["billing"].choices = list(Enrolment.Billing.choices)
            self.fields["billing"].required = True
            self.fields["billing"].error_messages["required"] = _(
                "Bitte wählen Sie, an wen die Rechnung gehen soll."
            )
        else:
            del self.fields["billing"]
        autocomplete = {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "phone": "tel",
            "company": "organization",
            "postcode": "postal-code",
            "trade": "off",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["email"].widget.attrs["inputmode"] = "email"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "maxlength": "5"})

    def clean_first_name(self):
        return clean_line(self.cleaned_data["first_name"], name=True)

    def clean_last_name(self):
        return clean_line(self.cleaned_data["last_name"], name=True)

    def clean_company(self):
        return clean_line(self.cleaned_data["company"])

    def clean_trade(self):
        return clean_line(self.cleaned_data["trade"])

    def clean_remarks(self):
        value = (self.cleaned_data["remarks"] or "").replace("\r\n", "\n").strip()
        if _has_control_chars(value, allow_newlines=True):
            raise forms.ValidationError(
                _("Bitte verwenden Sie keine unsichtbaren oder Sonderzeichen."), code="invalid"
            )
        return value


class EnrolmentForm(EnrolmentDataForm):
    """The public form, with consent and a honeypot."""

    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Bitte stimmen Sie dem Datenschutzhinweis zu, damit wir Sie anmelden können."
            )
        },
    )
    # Humans never see this field; bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Bitte lassen Sie dieses Feld leer"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    withdrawal_consent = forms.BooleanField(required=False)

    def __init__(self, *args, privacy_url="", consent_needed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if consent_needed and "billing" in self.fields:
            from .withdrawal import CONSENT_TEXT

            self.fields["withdrawal_consent"].label = CONSENT_TEXT
            self.fields["withdrawal_consent"].help_text = _(
                "Nur nötig, wenn die Rechnung an Sie privat geht: Der Kurs beginnt vor dem "
                "Ende Ihrer 14-tägigen Widerrufsfrist."
            )
        else:
            del self.fields["withdrawal_consent"]
        if privacy_url:
            label = format_html(
                _(
                    'Ich habe den <a href="{}">Datenschutzhinweis</a> gelesen und bin '
                    "einverstanden, dass meine Angaben für die Anmeldung und die Durchführung "
                    "des Kurses verarbeitet werden."
                ),
                privacy_url,
            )
        else:
            label = _(
                "Ich habe den Datenschutzhinweis gelesen und bin einverstanden, dass meine "
                "Angaben für die Anmeldung und die Durchführung des Kurses verarbeitet werden."
            )
        self.fields["consent"].label = label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        person = Fieldset(
            _("Ihre Angaben"),
            "salutation",
            Div(
                Div("first_name", css_class="col-md-6"),
                Div("last_name", css_class="col-md-6"),
                css_class="row",
            ),
            "email",
            "phone",
            "postcode",
        )
        work = Fieldset(_("Ihr Betrieb"), "role", "company", "trade")
        rest = ["remarks"]
        if "billing" in self.fields:
            rest.insert(0, "billing")
        self.helper.layout = Layout(
            person,
            work,
            Fieldset(_("Weiteres"), *rest),
            Div("website", css_class="enrol-hp"),
            HTML(""),
            *(["withdrawal_consent"] if "withdrawal_consent" in self.fields else []),
            "consent",
        )

    def clean(self):
        data = super().clean()
        if (
            "withdrawal_consent" in self.fields
            and data.get("billing") == Enrolment.Billing.PRIVATE
            and not data.get("withdrawal_consent")
        ):
            self.add_error(
                "withdrawal_consent",
                _(
                    "Der Kurs beginnt innerhalb Ihrer Widerrufsfrist. Bitte bestätigen Sie, "
                    "dass wir vorher beginnen sollen – sonst können wir Sie für diesen "
                    "Termin nicht buchen."
                ),
            )
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class StaffEnrolmentForm(EnrolmentDataForm):
    """Staff add a participant by hand (e.g. after a phone call). No confirmation link:
    the person is enrolled at once and gets the mail of the outcome."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("priced", False)
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].help_text = _(
                "Die Person wird sofort angemeldet, ohne Bestätigungslink. An diese Adresse "
                "geht gleich die Anmeldebestätigung mit Kalenderdatei und Link zum Absagen – "
                "oder, wenn der Termin voll ist, die Nachricht über den Wartelistenplatz."
            )


class DateSettingsForm(forms.ModelForm):
    """Seats, minimum and registration deadline of one date, edited in place on its
    participant list and on the dashboard. The model's own ``clean()`` checks them as
    the date editor does (capacity not below the seats held, deadline before start)."""

    class Meta:
        model = CourseDate
        fields = ["capacity", "min_participants", "registration_deadline"]
        widgets = {
            "capacity": forms.NumberInput(attrs={"min": 0, "class": "academy-narrow"}),
            "min_participants": forms.NumberInput(attrs={"min": 0, "class": "academy-narrow"}),
            "registration_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {"min_participants": "", "registration_deadline": _("leer: bis Beginn")}


# --- Bookings for several people -------------------------------------------------


class BookerForm(ContactCleaningMixin, forms.Form):
    """Who books and where the invoice goes (a business, a guild office, a private person)."""

    BUSINESS = "business"
    PRIVATE = "private"

    booking_as = forms.ChoiceField(
        label=_("Sie buchen"),
        choices=[
            (BUSINESS, _("für einen Betrieb oder eine Innung (Rechnung an den Betrieb)")),
            (PRIVATE, _("privat (Rechnung an Sie)")),
        ],
        initial=BUSINESS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wie Sie buchen.")},
    )
    company = forms.CharField(label=_("Name des Betriebs"), max_length=160, required=False)
    guild = forms.ModelChoiceField(
        label=_("Innung (freiwillig)"),
        queryset=None,
        required=False,
        empty_label=_("keine Innung / kein Mitglied"),
        help_text=_("Mitgliedsbetriebe einer Innung zahlen den Mitgliedspreis, wo es einen gibt."),
    )
    first_name = forms.CharField(label=_("Vorname"), max_length=100)
    last_name = forms.CharField(label=_("Nachname"), max_length=100)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("An diese Adresse schicken wir den Bestätigungslink und die Rechnung."),
    )
    phone = forms.CharField(label=_("Telefon (freiwillig)"), max_length=40, required=False)
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=160)
    postcode = forms.CharField(
        label=_("Postleitzahl"), max_length=5, help_text=_("Fünf Ziffern, z. B. 01662")
    )
    city = forms.CharField(label=_("Ort"), max_length=100)
    vat_id = forms.CharField(label=_("USt-IdNr. (freiwillig)"), max_length=20, required=False)
    order_reference = forms.CharField(
        label=_("Ihr Bestellzeichen (freiwillig)"),
        max_length=60,
        required=False,
        help_text=_("Steht dann auf der Rechnung."),
    )
    withdrawal_consent = forms.BooleanField(required=False)
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Bitte stimmen Sie dem Datenschutzhinweis zu, damit wir die Buchung "
                "bearbeiten können."
            )
        },
    )
    website = forms.CharField(
        required=False,
        label=_("Bitte lassen Sie dieses Feld leer"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, priced=False, consent_needed=False, privacy_url="", **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Guild

        self.priced = priced
        self.consent_needed = consent_needed and priced
        self.fields["guild"].queryset = Guild.objects.all()
        required = {
            "first_name": _("Bitte geben Sie Ihren Vornamen an."),
            "last_name": _("Bitte geben Sie Ihren Nachnamen an."),
            "email": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "street": _("Bitte geben Sie Straße und Hausnummer an."),
            "postcode": _("Bitte geben Sie Ihre Postleitzahl an."),
            "city": _("Bitte geben Sie den Ort an."),
        }
        for name, message in required.items():
            self.fields[name].error_messages["required"] = message
        self.fields["email"].error_messages["invalid"] = _(
            "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."
        )
        autocomplete = {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "phone": "tel",
            "company": "organization",
            "street": "street-address",
            "postcode": "postal-code",
            "city": "address-level2",
            "vat_id": "off",
            "order_reference": "off",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["email"].widget.attrs["inputmode"] = "email"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "maxlength": "5"})
        if self.consent_needed:
            from .withdrawal import CONSENT_TEXT

            self.fields["withdrawal_consent"].label = CONSENT_TEXT
            self.fields["withdrawal_consent"].help_text = _(
                "Nur nötig, wenn Sie privat buchen: Der Kurs beginnt vor dem Ende Ihrer "
                "14-tägigen Widerrufsfrist."
            )
        else:
            del self.fields["withdrawal_consent"]
        if privacy_url:
            self.fields["consent"].label = format_html(
                _(
                    'Ich habe den <a href="{}">Datenschutzhinweis</a> gelesen und bin '
                    "einverstanden, dass die Angaben für die Buchung und die Durchführung "
                    "des Kurses verarbeitet werden."
                ),
                privacy_url,
            )
        else:
            self.fields["consent"].label = _(
                "Ich habe den Datenschutzhinweis gelesen und bin einverstanden, dass die "
                "Angaben für die Buchung und die Durchführung des Kurses verarbeitet werden."
            )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_first_name(self):
        return clean_line(self.cleaned_data["first_name"], name=True)

    def clean_last_name(self):
        return clean_line(self.cleaned_data["last_name"], name=True)

    def clean_company(self):
        return clean_line(self.cleaned_data["company"])

    def clean_street(self):
        return clean_line(self.cleaned_data["street"])

    def clean_city(self):
        return clean_line(self.cleaned_data["city"])

    def clean_order_reference(self):
        return clean_line(self.cleaned_data["order_reference"])

    def clean_vat_id(self):
        value = "".join((self.cleaned_data["vat_id"] or "").split()).upper()
        if value and not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,13}", value):
            raise forms.ValidationError(
                _("Bitte geben Sie die USt-IdNr. wie DE123456789 an."), code="invalid"
            )
        return value

    def clean(self):
        data = super().clean()
        private = data.get("booking_as") == self.PRIVATE
        if not private and not data.get("company") and "company" not in self.errors:
            self.add_error(
                "company", _("Bitte geben Sie den Betrieb an, an den die Rechnung geht.")
            )
        if private and data.get("guild"):
            self.add_error(
                "guild", _("Den Mitgliedspreis gibt es nur für Buchungen über den Betrieb.")
            )
        if private and self.consent_needed and not data.get("withdrawal_consent"):
            self.add_error(
                "withdrawal_consent",
                _(
                    "Der Kurs beginnt innerhalb Ihrer Widerrufsfrist. Bitte bestätigen Sie, "
                    "dass wir vorher beginnen sollen – sonst können wir Sie für diesen "
                    "Termin nicht buchen."
                ),
            )
        return data

    @property
    def is_consumer(self) -> bool:
        return self.cleaned_data.get("booking_as") == self.PRIVATE


class ParticipantForm(forms.Form):
    """One person to book; apprentices without their own address leave it empty."""

    first_name = forms.CharField(label=_("Vorname"), max_length=100)
    last_name = forms.CharField(label=_("Nachname"), max_length=100)
    email = forms.EmailField(
        label=_("E-Mail-Adresse (freiwillig)"),
        max_length=254,
        required=False,
        help_text=_("Ohne eigene Adresse geht alle Post an Sie."),
    )
    role = forms.ChoiceField(
        label=_("Rolle im Betrieb"),
        choices=Enrolment.Role.choices,
        initial=Enrolment.Role.APPRENTICE,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].error_messages["required"] = _("Bitte geben Sie den Vornamen an.")
        self.fields["last_name"].error_messages["required"] = _("Bitte geben Sie den Nachnamen an.")
        self.fields["email"].error_messages["invalid"] = _(
            "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."
        )
        self.fields["role"].error_messages["invalid_choice"] = _(
            "Bitte wählen Sie eine der angebotenen Rollen."
        )
        for name in ("first_name", "last_name", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["inputmode"] = "email"

    def clean_first_name(self):
        return clean_line(self.cleaned_data["first_name"], name=True)

    def clean_last_name(self):
        return clean_line(self.cleaned_data["last_name"], name=True)

    def clean_email(self):
        value = (self.cleaned_data["email"] or "").strip().lower()
        if _has_control_chars(value):
            raise forms.ValidationError(self.fields["email"].error_messages["invalid"])
        return value

    def clean_role(self):
        return self.cleaned_data.get("role") or Enrolment.Role.APPRENTICE


class BaseParticipantFormSet(forms.BaseFormSet):
    def clean(self):
        if not self.management_form.is_valid() or any(self.errors):
            return
        people = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not people:
            raise forms.ValidationError(
                _("Bitte nennen Sie mindestens eine Person."), code="too_few_forms"
            )
        emails = [p["email"] for p in people if p.get("email")]
        if len(emails) != len(set(emails)):
            raise forms.ValidationError(
                _("Jede E-Mail-Adresse darf nur bei einer Person stehen."), code="duplicate"
            )

    def people(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def participant_formset(max_people: int):
    return forms.formset_factory(
        ParticipantForm,
        formset=BaseParticipantFormSet,
        extra=3,
        max_num=max_people,
        validate_max=True,
        absolute_max=max_people,
        can_delete=True,
    )


class SubstituteForm(ParticipantForm):
    """Who takes a participant's place."""


class ChoiceForm(forms.Form):
    """Not all fit: everyone on the waitlist, or as many as are free now."""

    choice = forms.ChoiceField(
        label=_("Nicht alle bekommen jetzt einen Platz. Was möchten Sie?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie eine der beiden Möglichkeiten.")},
    )
