"""Editor forms of the catalogue: the date editor, the trainer profile, the copy of a
course."""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.pages import CopyForm

from staffauth.policy import role_accounts


def protected_relations(model) -> list:
    """Relations pointing at ``model`` whose rows forbid deleting it (on_delete=PROTECT)."""
    return [
        rel
        for rel in model._meta.related_objects
        if getattr(rel, "on_delete", None) is models.PROTECT
    ]


def has_protected_rows(instance) -> bool:
    for rel in protected_relations(type(instance)):
        manager = rel.related_model._base_manager
        if manager.filter(**{rel.field.name: instance.pk}).exists():
            return True
    return False


class CourseDateForm(WagtailAdminModelForm):
    """A date's content. The seat counter and the cancellation are not fields here:
    they belong to the enrolment services. Capacity is checked against the seats held
    now (again under the row lock when saved, see ``viewsets.CourseDateEditView``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        course = self.fields.get("course")
        if course is not None and self.instance.pk:
            # Moving a date with people on it to another course would move them.
            course.disabled = True
            course.help_text = _("Ein gespeicherter Termin bleibt bei seinem Kurs.")

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        taken = self.instance.stored_seats()
        if capacity is not None and capacity < taken:
            raise self.instance.capacity_error_exception(taken)
        return capacity


class TrainerForm(WagtailAdminModelForm):
    """ "Benutzerkonto" accepts only accounts with a role (as the chooser offers them),
    or the one already linked; an address typed into the request cannot link a
    learner's account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("user")
        if field is not None:
            field.queryset = field.queryset.model.objects.filter(
                Q(pk__in=role_accounts().values("pk")) | Q(pk=self.instance.user_id)
            )
            field.error_messages["invalid_choice"] = _(
                "Bitte ein Konto der Redaktion oder eines Trainers wählen – "
                "neue Trainer/innen laden Sie unter „Trainerkonten“ ein."
            )


class CourseCopyForm(CopyForm):
    """Wagtail's copy form for a course: its dates are rows of their own, not part of
    the page, so they are copied only when asked (``wagtail_hooks.copy_course_dates``)."""

    copy_dates = forms.BooleanField(
        label=gettext_lazy("Mit Terminen (ohne Anmeldungen)"),
        required=False,
        initial=False,
        help_text=gettext_lazy(
            "Die Kopie bekommt dieselben Termine mit allen Plätzen frei. Anmeldungen, "
            "Wartelisten und Absagen bleiben beim Original. Ohne Haken hat die Kopie keine "
            "Termine."
        ),
    )


class CostCalculatorForm(forms.Form):
    """ "Was kostet mich der Kurs?": what a person knows about themselves, sent by GET
    (short German names, so that the answer's address can be bookmarked)."""

    termin = forms.TypedChoiceField(
        label=gettext_lazy("Termin"),
        required=False,
        empty_value=None,
        help_text=gettext_lazy("Ein Termin kann einen eigenen Preis haben."),
    )
    beschaeftigt = forms.ChoiceField(
        label=gettext_lazy("Sind Sie angestellt?"),
        choices=[
            ("ja", gettext_lazy("Ja, ich bin in einem Betrieb angestellt")),
            ("nein", gettext_lazy("Nein (selbstständig, Inhaber/in oder nicht beschäftigt)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Bitte wählen Sie Ja oder Nein.")},
    )
    betrieb = forms.TypedChoiceField(
        label=gettext_lazy("Wie viele Beschäftigte hat Ihr Betrieb?"),
        choices=[
            ("1", gettext_lazy("weniger als 50")),
            ("50", gettext_lazy("50 bis 499")),
            ("500", gettext_lazy("500 und mehr")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Nur wenn Sie angestellt sind."),
    )
    ab45 = forms.BooleanField(
        label=gettext_lazy("Ich bin 45 Jahre oder älter oder schwerbehindert"), required=False
    )
    innung = forms.BooleanField(
        label=gettext_lazy("Mein Betrieb ist Mitglied einer Innung"), required=False
    )
    pruefung = forms.BooleanField(
        label=gettext_lazy("Ich will die Prüfung ablegen (z. B. die Meisterprüfung)"),
        required=False,
    )

    def __init__(self, *args, dates=(), course=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import formats, timezone

        self.dates = {str(date.pk): date for date in dates}
        self.fields["termin"].choices = [
            ("", _("ohne bestimmten Termin (Kurspreis)")),
            *(
                (
                    str(date.pk),
                    formats.date_format(timezone.localtime(date.start), "d.m.Y")
                    + (f", {date.location_text}" if date.location_text else ""),
                )
                for date in dates
            ),
        ]
        self.fields["termin"].coerce = self.dates.get
        if course is not None and not course.qualification:
            # a course that prepares for no exam: the question would only confuse
            del self.fields["pruefung"]
        self.helper = _calculator_helper()

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("pruefung", False)
        if cleaned.get("beschaeftigt") == "ja" and cleaned.get("betrieb") is None:
            self.add_error(
                "betrieb",
                _("Bitte wählen Sie, wie viele Beschäftigte Ihr Betrieb hat."),
            )
        if cleaned.get("beschaeftigt") == "nein":
            cleaned["betrieb"] = None
        return cleaned


def _calculator_helper():
    from crispy_forms.helper import FormHelper

    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper
