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


class EnrolmentDataForm(forms.ModelForm):
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

    def __init__(self, *args, privacy_url="", **kwargs):
        super().__init__(*args, **kwargs)
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
            "consent",
        )

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
