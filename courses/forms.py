"""Editor forms of the catalogue."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


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


class CoursePageForm(WagtailAdminPageForm):
    """The course editor: dates keep their real seat counter, and dates with
    people on them cannot be removed."""

    dates_formset_name = "dates"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._refresh_seat_counters()

    def _refresh_seat_counters(self):
        # The editor works on the latest revision, whose copy of the counter may be
        # stale: show and validate against the value stored now.
        formset = self.formsets.get(self.dates_formset_name)
        if formset is None:
            return
        instances = [form.instance for form in formset.forms if form.instance.pk]
        if not instances:
            return
        stored = dict(
            formset.model._base_manager.filter(pk__in=[i.pk for i in instances]).values_list(
                "pk", "seats_confirmed"
            )
        )
        for instance in instances:
            if instance.pk in stored:
                instance.seats_confirmed = stored[instance.pk]

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get(self.dates_formset_name)
        if formset is None or not formset.is_bound:
            return cleaned_data
        for form in formset.forms:
            if not form.instance.pk or not self._marked_for_removal(form):
                continue
            stored = formset.model._base_manager.filter(pk=form.instance.pk).first()
            if stored is None:
                continue
            if stored.seats_confirmed or has_protected_rows(stored):
                start = timezone.localtime(stored.start).strftime("%d.%m.%Y %H:%M")
                message = _(
                    "Der Termin am %(start)s kann nicht gelöscht werden, weil schon Personen "
                    "angemeldet sind oder auf der Warteliste stehen. Sagen Sie ihn stattdessen "
                    "ab (Status „abgesagt“ mit Grund)."
                ) % {"start": start}
                self.add_error(None, message)
                self._keep_date(form)
        return cleaned_data

    @staticmethod
    def _marked_for_removal(form) -> bool:
        # The page form is cleaned before its formsets, so read the raw checkbox.
        field = form.fields.get("DELETE")
        if field is None:
            return False
        raw = field.widget.value_from_datadict(form.data, form.files, form.add_prefix("DELETE"))
        try:
            return bool(field.clean(raw))
        except ValidationError:
            return False

    @staticmethod
    def _keep_date(form):
        """Show the date again (not marked as removed) when the editor reloads."""
        data = form.data.copy()
        data[form.add_prefix("DELETE")] = ""
        form.data = data
