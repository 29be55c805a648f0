"""Learners: accounts keyed by e-mail, sign-in links, access to course material,
progress, data export and erasure.

A learner is Django's default user with ``username`` = the lower-cased e-mail
address (so the address is unique case-insensitively) and no usable password.
Access to a course's material is membership in the course's participants group
(``courses.lessons``), kept in step here with the person's confirmed and
attended enrolments.
"""

import hashlib
import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from courses.models import CoursePage
from enrolment.mail import queue_message, register_send_time_content
from enrolment.models import Enrolment, normalise_email
from enrolment.personal_data import person_data, when
from enrolment.tokens import absolute

from .lessons import (
    LESSON_CONTEXT_HOOK,
    LessonPage,
    MaterialPage,
    add_participant,
    material_of,
    remove_participant,
)
from .models import Attendance, Certificate, LearnerCalendar, LessonProgress, QuizPass

logger = logging.getLogger(__name__)

PARTICIPANT_STATUSES = Enrolment.SEAT_STATUSES
ACCOUNT_STATUSES = (
    *Enrolment.SEAT_STATUSES,
    Enrolment.Status.WAITLISTED,
    Enrolment.Status.NO_SHOW,
    Enrolment.Status.CANCELLED,
)


# --- Accounts -----------------------------------------------------------------


def user_for_email(email: str):
    email = normalise_email(email)
    if not email:
        return None
    return get_user_model().objects.filter(username=email).first()


def enrolments_of(user):
    email = normalise_email(user.email or user.username)
    return Enrolment.objects.filter(email=email, anonymised_at__isnull=True).select_related(
        "course_date__course"
    )


def link_user(enrolment: Enrolment):
    """The learner account of the enrolment's address, created on first confirmation."""
    email = normalise_email(enrolment.email)
    if not email:
        return None
    User = get_user_model()
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User(
            username=email,
            email=email,
            first_name=enrolment.first_name[:150],
            last_name=enrolment.last_name[:150],
        )
        user.set_unusable_password()
        user.save()
    sync_access(email)
    return user


def sync_access(email: str) -> None:
    """Participants group membership = confirmed or attended on a date of the course."""
    user = user_for_email(email)
    if user is None:
        return
    rows = Enrolment.objects.filter(email=normalise_email(email)).values_list(
        "course_date__course_id", "status", "anonymised_at"
    )
    courses: dict[int, bool] = {}
    for course_id, status, anonymised_at in rows:
        participant = status in PARTICIPANT_STATUSES and anonymised_at is None
        courses[course_id] = courses.get(course_id, False) or participant
    for course in CoursePage.objects.filter(pk__in=courses):
        if courses[course.pk]:
            add_participant(course, user)
        else:
            remove_participant(course, user)


# --- Sign-in links --------------------------------------------------------------


def _limit_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"learner-rl:{kind}:{digest}"


def rate_limit_hit(kind: str, value: str) -> bool:
    """Count one sign-in request in the shared cache; False when over the limit, and
    also when the cache cannot count (fail closed: no links mailed unthrottled)."""
    from enrolment.ratelimit import allow

    limit, window = settings.LEARNER_SIGNIN_RATE_LIMIT[kind]
    return allow(_limit_key(kind, value), limit, window, when_unavailable=False)


SIGNIN_KIND = "learner_signin"
LINK_BACKEND = "learning.backends.LearnerLinkBackend"


def signin_url(user) -> str:
    from sesame.utils import get_token

    return absolute(reverse("learner:link", args=[get_token(user)]))


def request_signin_link(email: str) -> None:
    """The sign-in form's work, the same for every address: after commit, hand the
    address to a background task, which decides whether a link goes out. Nothing
    here depends on the address being known (no enumeration by answer or timing)."""
    email = normalise_email(email)
    transaction.on_commit(lambda: _enqueue_signin(email))


def _enqueue_signin(email: str) -> None:
    from .tasks import send_signin_link

    try:
        send_signin_link.enqueue(email)
    except Exception:  # the answer to the visitor stays the same
        logger.exception("Could not enqueue a sign-in link")


def queue_signin_mail(email: str) -> bool:
    """The background part: put a sign-in mail into the outbox if the address belongs
    to a learner (someone with enrolments but no account yet gets one). Staff,
    trainers and accounts with a password get nothing: they sign in with their
    password."""
    from staffauth.policy import may_sign_in_by_link

    email = normalise_email(email)
    if not email:
        return False
    with transaction.atomic():
        user = user_for_email(email)
        if user is None:
            enrolment = (
                Enrolment.objects.filter(
                    email=email, status__in=ACCOUNT_STATUSES, anonymised_at__isnull=True
                )
                .order_by("-created_at")
                .first()
            )
            if enrolment is None:
                return False
            user = link_user(enrolment)
        if not may_sign_in_by_link(user):
            return False
        context = _signin_context(user, url=str(_("[Der Link wird beim Versand erzeugt.]")))
        queue_message(
            SIGNIN_KIND,
            user.email or user.username,
            _("Ihr Anmeldelink für den Lernbereich"),
            text=render_to_string("learning/mail/learner_signin.txt", context),
        )
    return True


def _signin_context(user, url: str) -> dict:
    return {
        "user": user,
        "url": url,
        "minutes": settings.SESAME_MAX_AGE // 60,
        "site_url": settings.SITE_URL,
    }


def signin_mail_content(mail) -> tuple[str, str] | None:
    """Text and HTML of a sign-in mail with a fresh link, made when it is sent; None
    when the address may no longer sign in by link."""
    from staffauth.policy import may_sign_in_by_link

    user = user_for_email(mail.to)
    if user is None or not may_sign_in_by_link(user):
        return None
    context = _signin_context(user, url=signin_url(user))
    return (
        render_to_string("learning/mail/learner_signin.txt", context),
        render_to_string("learning/mail/learner_signin.html", context),
    )


register_send_time_content(SIGNIN_KIND, signin_mail_content)


def sign_in_after_confirmation(request, email: str) -> bool:
    """Confirming an enrolment proves the address: a learner is signed in, a person
    with a role or a password is not (the seat is confirmed all the same)."""
    from django.contrib.auth import login

    from staffauth.policy import may_sign_in_by_link

    user = user_for_email(email)
    if user is None or not may_sign_in_by_link(user):
        return False
    login(request, user, backend=LINK_BACKEND)
    return True


def can_view(course, user) -> bool:
    from .lessons import can_view_material

    return can_view_material(course, user)


def sign_out_everywhere(user) -> int:
    """End every session of ``user``, wherever the session engine keeps it.

    Every session carries a hash of the password field and ends when it no longer
    matches. A learner has no password: a new unusable one changes the hash, so
    each of their sessions (``cached_db`` answers from Redis for two weeks without
    asking the database) is refused on its next request, and sign-in links already
    sent stop working too. Stored sessions are deleted through the session engine
    as well (database rows and their cached copies); returns how many."""
    from django.contrib.auth import SESSION_KEY

    from staffauth.policy import has_password

    if not has_password(user):
        user.set_unusable_password()
        user.save(update_fields=["password"])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    deleted = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            deleted += 1
    return deleted


# --- Progress -------------------------------------------------------------------


def lessons_of(course) -> list:
    material = material_of(course)
    return list(material.lessons()) if material is not None else []


def course_progress(user, course, lessons=None) -> dict:
    lessons = lessons_of(course) if lessons is None else lessons
    ids = [lesson.pk for lesson in lessons]
    done = set(
        LessonProgress.objects.filter(user=user, lesson_id__in=ids).values_list(
            "lesson_id", flat=True
        )
    )
    return {"done": len(done), "total": len(ids), "done_ids": done}


def set_done(user, lesson, done: bool) -> None:
    if done:
        LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    elif LessonProgress.objects.filter(user=user, lesson=lesson).delete()[0]:
        # a required lesson undone: a certificate resting on it is withdrawn
        from .certificates import review_person

        review_person(normalise_email(user.email or user.username))


def record_quiz(user, lesson, block_id: str) -> None:
    QuizPass.objects.get_or_create(user=user, lesson=lesson, block_id=block_id[:64])


def required_lessons_done(user, course) -> bool:
    material = material_of(course)
    if material is None or not material.certificate_requires_lessons:
        return True
    required = [lesson.pk for lesson in material.lessons() if lesson.required]
    done = LessonProgress.objects.filter(user=user, lesson_id__in=required).count()
    return done == len(required)


@hooks.register(LESSON_CONTEXT_HOOK)
def lesson_context(page, request, context):
    """Progress and the action addresses for lesson and material pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    lessons = context.get("lessons") or []
    progress = course_progress(user, context["course"], lessons)
    context["progress"] = progress
    context["done_ids"] = progress["done_ids"]
    if isinstance(page, LessonPage):
        context["lesson_done"] = page.pk in progress["done_ids"]
        context["done_action"] = reverse("learner:lesson_done", args=[page.pk])
        context["quiz_action"] = reverse("learner:quiz", args=[page.pk])
        context["quiz_passed"] = set(
            QuizPass.objects.filter(user=user, lesson=page).values_list("block_id", flat=True)
        )
    elif isinstance(page, MaterialPage):
        pass


# --- Data export and erasure -------------------------------------------------------


def export_data(user) -> dict:
    """Everything stored about the learner, with German keys (the schema is described
    in ``enrolment.personal_data``; this app adds its sections through
    ``personal_data_sections``)."""
    return person_data(user.email or user.username)


def personal_data_sections(email, enrolments) -> dict:
    """The learning app's part of a person's data: account, lesson progress, passed
    self-checks, attendance and certificates (hook ``personal_data_export``)."""
    from django.utils.formats import date_format

    user = user_for_email(email)
    progress = quizzes = []
    if user is not None:
        progress = [
            {_("Lektion"): p.lesson.title, _("Erledigt am"): when(p.completed_at)}
            for p in LessonProgress.objects.filter(user=user)
            .select_related("lesson")
            .order_by("completed_at")
        ]
        quizzes = [
            {_("Lektion"): q.lesson.title, _("Bestanden am"): when(q.passed_at)}
            for q in QuizPass.objects.filter(user=user)
            .select_related("lesson")
            .order_by("passed_at")
        ]
    attendance = [
        {
            _("Kurs"): a.enrolment.course_date.course.title,
            _("Termin"): date_format(timezone.localtime(a.enrolment.course_date.start), "j. F Y"),
            _("Kurstag"): a.session + 1,
            _("Anwesend"): _("ja") if a.present else _("nein"),
            _("Erfasst am"): when(a.recorded_at),
        }
        for a in Attendance.objects.filter(enrolment__in=enrolments)
        .select_related("enrolment__course_date__course")
        .order_by("enrolment__course_date__start", "session")
    ]
    certificates = [
        {
            _("Nummer"): c.number,
            _("Name"): c.name,
            _("Kurs"): c.course_title,
            _("Termin"): c.dates_text,
            _("Ausgestellt am"): when(c.issued_at),
            _("Widerrufen am"): when(c.revoked_at),
        }
        for c in Certificate.objects.filter(enrolment__in=enrolments).order_by("issued_at")
    ]
    account = {}
    if user is not None:
        account = {
            _("E-Mail-Adresse"): user.email or user.username,
            _("Vorname"): user.first_name,
            _("Nachname"): user.last_name,
            _("Angelegt am"): when(user.date_joined),
            _("Letzte Anmeldung"): when(user.last_login),
            _("Kalender-Abonnement"): (
                _("eingerichtet") if LearnerCalendar.objects.filter(user=user).exists() else ""
            ),
        }
    return {
        _("Konto"): account,
        _("Lernfortschritt"): progress,
        _("Bestandene Selbsttests"): quizzes,
        _("Anwesenheit"): attendance,
        _("Bescheinigungen"): certificates,
    }


def delete_account(user, *, now=None) -> None:
    """Cancel future enrolments (seats go to the waitlist), anonymise all, delete the account."""
    from enrolment import services

    email = normalise_email(user.email or user.username)
    Certificate.objects.filter(enrolment__email=email).delete()
    sign_out_everywhere(user)
    services.erase_person(email, now=now)
    LearnerCalendar.objects.filter(user=user).delete()
    user.delete()
