"""After a booking: course material and lessons (lessons.py), progress, self-checks,
attendance per session, certificates and the learner's calendar address.

This app builds on enrolment (who holds a seat), courses and home; none of them
imports it. Enrolment tells it about changes through ``enrolment.signals``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lessons import CourseAccess, LessonPage, MaterialPage  # noqa: F401  (Wagtail page models)


def _certificate_number() -> str:
    import secrets

    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _calendar_secret() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class LessonProgress(models.Model):
    """A learner marked a lesson as done."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "learning.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    completed_at = models.DateTimeField(_("Erledigt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Lernfortschritt")
        verbose_name_plural = _("Lernfortschritte")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lessonprogress_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.lesson}"


class QuizPass(models.Model):
    """A learner answered one self-check block of a lesson correctly."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_passes"
    )
    lesson = models.ForeignKey(
        "learning.LessonPage", on_delete=models.CASCADE, related_name="quiz_passes"
    )
    block_id = models.CharField(max_length=64)
    passed_at = models.DateTimeField(_("Bestanden am"), default=timezone.now)

    class Meta:
        verbose_name = _("Bestandener Selbsttest")
        verbose_name_plural = _("Bestandene Selbsttests")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson", "block_id"], name="quizpass_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.lesson}"


class Attendance(models.Model):
    """Present at one session (Kurstag) of the enrolment's date."""

    enrolment = models.ForeignKey(
        "enrolment.Enrolment", on_delete=models.CASCADE, related_name="attendance"
    )
    session = models.PositiveSmallIntegerField(_("Kurstag"), default=0)
    present = models.BooleanField(_("anwesend"), default=False)
    recorded_at = models.DateTimeField(_("Erfasst am"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.session}"


class Certificate(models.Model):
    """A "Teilnahmebescheinigung"; its random number is checked at a public URL.

    It names what was attended. When that stops being true it is withdrawn
    (``revoked_at``), never deleted, so that the public check says "widerrufen";
    a corrected certificate is a new one with a new number.
    """

    enrolment = models.ForeignKey(
        "enrolment.Enrolment", on_delete=models.CASCADE, related_name="certificates"
    )
    number = models.CharField(
        _("Nummer"), max_length=32, unique=True, default=_certificate_number, editable=False
    )
    name = models.CharField(_("Name"), max_length=220)
    course_title = models.CharField(_("Kurs"), max_length=255)
    dates_text = models.CharField(_("Termin"), max_length=255)
    sessions_text = models.TextField(_("Besuchte Kurstage"), blank=True)
    hours = models.DecimalField(_("Stunden"), max_digits=6, decimal_places=2, null=True, blank=True)
    issued_at = models.DateTimeField(_("Ausgestellt am"), default=timezone.now)
    revoked_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)
    revoked_reason = models.CharField(_("Grund des Widerrufs"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Widerrufen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Teilnahmebescheinigung")
        verbose_name_plural = _("Teilnahmebescheinigungen")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_enrolment",
            )
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class LearnerCalendar(models.Model):
    """The secret address of a learner's personal calendar feed (revocable)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_calendar"
    )
    secret = models.CharField(max_length=64, unique=True, default=_calendar_secret)

    class Meta:
        verbose_name = _("Persönlicher Kalender")
        verbose_name_plural = _("Persönliche Kalender")

    def __str__(self):
        return str(self.user)
