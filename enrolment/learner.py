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

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from courses.lessons import (
    LESSON_CONTEXT_HOOK,
    LessonPage,
    MaterialPage,
    add_participant,
    material_of,
    remove_participant,
)
from courses.models import CoursePage

from .models import (
    Certificate,
    Enrolment,
    LearnerCalendar,
    LessonProgress,
    QuizPass,
    normalise_email,
)
from .tokens import absolute

logger = logging.getLogger(__name__)

PARTICIPANT_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.ATTENDED)
ACCOUNT_STATUSES = (
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.WAITLISTED,
    Enrolment.Status.ATTENDED,
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
    from .ratelimit import allow

    limit, window = settings.LEARNER_SIGNIN_RATE_LIMIT[kind]
    return allow(_limit_key(kind, value), limit, window, when_unavailable=False)


def signin_url(user) -> str:
    from sesame.utils import get_token

    return absolute(reverse("learner:link", args=[get_token(user)]))


def request_signin_link(email: str) -> bool:
    """Mail a one-time link if the address belongs to a learner; the caller answers
    the same either way. Someone with enrolments but no account yet gets one."""
    email = normalise_email(email)
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
        with transaction.atomic():
            user = link_user(enrolment)
    if not user.is_active:
        return False
    context = {
        "user": user,
        "url": signin_url(user),
        "minutes": settings.SESAME_MAX_AGE // 60,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=_("Ihr Anmeldelink für den Lernbereich"),
        body=render_to_string("enrolment/mail/learner_signin.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email or user.username],
    )
    message.attach_alternative(
        render_to_string("enrolment/mail/learner_signin.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:  # the answer to the visitor stays the same
        logger.exception("Could not send a sign-in link")
    return True


def can_view(course, user) -> bool:
    from courses.lessons import can_view_material

    return can_view_material(course, user)


def sign_out_everywhere(user) -> int:
    """Delete every stored session of ``user`` (database sessions)."""
    deleted = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
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
    else:
        LessonProgress.objects.filter(user=user, lesson=lesson).delete()


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
    def when(value):
        return timezone.localtime(value).isoformat() if value else None

    enrolments = []
    for e in enrolments_of(user).order_by("created_at"):
        enrolments.append(
            {
                "kurs": e.course_date.course.title,
                "beginn": when(e.course_date.start),
                "ende": when(e.course_date.end),
                "status": e.get_status_display(),
                "anrede": e.get_salutation_display() if e.salutation else "",
                "vorname": e.first_name,
                "nachname": e.last_name,
                "email": e.email,
                "telefon": e.phone,
                "rolle": e.get_role_display(),
                "betrieb": e.company,
                "gewerk": e.trade,
                "postleitzahl": e.postcode,
                "anmerkungen": e.remarks,
                "angemeldet_am": when(e.created_at),
                "email_bestaetigt_am": when(e.email_confirmed_at),
                "datenschutzhinweis_version": e.privacy_version,
                "warteliste_platz": e.waitlist_position,
                "abgemeldet_am": when(e.cancelled_at),
            }
        )
    return {
        "konto": {
            "email": user.email,
            "vorname": user.first_name,
            "nachname": user.last_name,
            "angelegt_am": when(user.date_joined),
            "letzte_anmeldung": when(user.last_login),
        },
        "anmeldungen": enrolments,
        "erledigte_lektionen": [
            {"lektion": p.lesson.title, "erledigt_am": when(p.completed_at)}
            for p in LessonProgress.objects.filter(user=user).select_related("lesson")
        ],
        "bestandene_selbsttests": [
            {"lektion": q.lesson.title, "bestanden_am": when(q.passed_at)}
            for q in QuizPass.objects.filter(user=user).select_related("lesson")
        ],
        "bescheinigungen": [
            {
                "nummer": c.number,
                "kurs": c.course_title,
                "termin": c.dates_text,
                "ausgestellt_am": when(c.issued_at),
            }
            for c in Certificate.objects.filter(enrolment__in=enrolments_of(user))
        ],
    }


def delete_account(user, *, now=None) -> None:
    """Cancel future enrolments (seats go to the waitlist), anonymise all, delete the account."""
    from . import services

    email = normalise_email(user.email or user.username)
    Certificate.objects.filter(enrolment__email=email).delete()
    sign_out_everywhere(user)
    services.erase_person(email, now=now)
    LearnerCalendar.objects.filter(user=user).delete()
    user.delete()
