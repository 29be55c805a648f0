"""The learner area ("Mein Lernbereich") under /lernen/.

Sign-in by a one-time link (django-sesame): the link's GET shows a button and
changes nothing (mail scanners fetch links); only the POST signs in. Every
page here is personal: ``never_cache`` sends ``Cache-Control: private, no-store``.
"""

import re

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from enrolment import personal_data, ratelimit
from enrolment.models import Booking, Enrolment
from enrolment.tokens import absolute, cancel_url, manage_path
from staffauth import policy

from . import learner
from .certificates import eligible, issue, pdf_response
from .lessons import CourseAccess, LessonPage, course_id_of_material, material_of
from .models import Certificate, LearnerCalendar

RATE_LIMITED = _(
    "Es wurden in kurzer Zeit sehr viele Anmeldelinks angefordert. "
    "Bitte versuchen Sie es in einer Stunde noch einmal."
)


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_("Die Adresse, mit der Sie sich zu einem Kurs angemeldet haben."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _safe_next(request, default="learner:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@never_cache
@require_http_methods(["GET", "POST"])
def signin(request):
    status = 200
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if not learner.rate_limit_hit(
                "ip", ratelimit.client_ip(request)
            ) or not learner.rate_limit_hit("email", email.lower()):
                form.add_error(None, RATE_LIMITED)
                status = 429
            else:
                learner.request_signin_link(email)
                return redirect("learner:signin_sent")
        else:
            status = 400
    else:
        if request.user.is_authenticated:
            # sent here by a page's view restriction: signed in, but not a participant
            course = _course_behind(request, request.GET.get("next", ""))
            if course is not None:
                return render(request, "learning/no_access.html", {"course": course}, status=403)
        form = SignInForm()
    return render(
        request,
        "learning/signin.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


def _course_behind(request, next_path: str):
    """The course whose material lies at ``next_path`` (a path on this site), or None."""
    from wagtail.documents import get_document_model
    from wagtail.models import Page, Site

    from courses.models import CoursePage

    if not next_path.startswith("/") or next_path.startswith("//"):
        return None
    path = next_path.split("?", 1)[0][:500]
    document = re.match(r"^/documents/(\d{1,12})/", path)
    if document:  # a file of a course's private collection
        collection = (
            get_document_model()
            .objects.filter(pk=int(document[1]))
            .values_list("collection_id", flat=True)
        )
        course_id = (
            CourseAccess.objects.filter(collection_id__in=collection)
            .values_list("course_id", flat=True)
            .first()
        )
    else:
        site = Site.find_for_request(request)
        if site is None:
            return None
        url_path = site.root_page.url_path.rstrip("/") + path
        page = Page.objects.filter(url_path=url_path).first()
        course_id = course_id_of_material(page.specific) if page is not None else None
    if course_id is None:
        return None
    return CoursePage.objects.live().filter(pk=course_id).first()


@never_cache
def signin_sent(request):
    return render(request, "learning/signin_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def link(request, token):
    if request.method == "POST":
        # django-sesame checks signature, age and single use; login() then moves
        # last_login on, which invalidates the link.
        user = authenticate(request, sesame=token, scope="", max_age=None)
        if user is None or not user.is_active:
            return render(request, "learning/link_invalid.html", status=400)
        login(request, user)
        return redirect("learner:home")
    return render(request, "learning/link.html")


@never_cache
@require_http_methods(["GET", "POST"])
def signout(request):
    if request.method == "POST":
        user = request.user if request.user.is_authenticated else None
        everywhere = request.POST.get("everywhere") == "1"
        logout(request)
        if user is not None and everywhere:
            learner.sign_out_everywhere(user)
        return redirect("learner:signed_out")
    return render(request, "learning/signout.html")


@never_cache
def signed_out(request):
    return render(request, "learning/signed_out.html")


def _course_entries(user, enrolments):
    """One entry per course: its enrolments, material, progress and certificate."""
    courses = {}
    for enrolment in enrolments:
        course = enrolment.course_date.course
        entry = courses.setdefault(course.pk, {"course": course, "enrolments": []})
        entry["enrolments"].append(enrolment)
    for entry in courses.values():
        material = material_of(entry["course"])
        entry["material"] = material
        if material is not None:
            lessons = list(material.lessons())
            entry["progress"] = learner.course_progress(user, entry["course"], lessons)
    return courses


@never_cache
@login_required
def home(request):
    now = timezone.now()
    enrolments = list(
        learner.enrolments_of(request.user).select_related("booking").order_by("course_date__start")
    )
    upcoming, waitlisted, past = [], [], []
    for enrolment in enrolments:
        date = enrolment.course_date
        date.calendar_url = None
        if enrolment.status == Enrolment.Status.WAITLISTED and date.end >= now:
            enrolment.cancel_link = cancel_url(enrolment)
            waitlisted.append(enrolment)
        elif enrolment.status in Enrolment.SEAT_STATUSES and date.end >= now:
            enrolment.cancel_link = cancel_url(enrolment)
            course_url = date.course.get_url(request) or ""
            enrolment.calendar_link = course_url + date.course.reverse_subpage(
                "date_calendar", args=[date.pk]
            )
            upcoming.append(enrolment)
        elif enrolment.status in Enrolment.SEAT_STATUSES:
            enrolment.can_certificate = eligible(enrolment)
            past.append(enrolment)
    for enrolment in upcoming + waitlisted:
        booking = enrolment.booking
        if booking is not None and booking.email != enrolment.email:
            # booked by someone else: only the booker cancels or names a substitute
            enrolment.cancel_link = None
            enrolment.booked_by = booking.company or booking.booker_name
    participating = [e for e in enrolments if e.status in learner.PARTICIPANT_STATUSES]
    own_bookings = list(
        Booking.objects.filter(
            email=request.user.username,
            status=Booking.Status.CONFIRMED,
            course_date__end__gte=now,
            anonymised_at__isnull=True,
        )
        .select_related("course_date__course")
        .order_by("course_date__start")
    )
    for booking in own_bookings:
        booking.manage_link = manage_path(booking)
        booking.n_people = booking.enrolments.active().count()
    courses = _course_entries(request.user, participating)
    calendar = LearnerCalendar.objects.filter(user=request.user).first()
    return render(
        request,
        "learning/home.html",
        {
            "upcoming": upcoming,
            "waitlisted": waitlisted,
            "past": past,
            "bookings": own_bookings,
            "courses": list(courses.values()),
            "calendar_url": absolute(reverse("learner:calendar", args=[calendar.secret]))
            if calendar
            else "",
            "trainer": getattr(request.user, "trainer_profile", None),
        },
    )


@never_cache
@login_required
@require_POST
def lesson_done(request, page_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=page_id)
    if not _may_view(lesson, request):
        raise Http404
    learner.set_done(request.user, lesson, request.POST.get("erledigt", "1") == "1")
    return redirect(lesson.get_url(request) + "#lesson-done-heading")


@never_cache
@login_required
@require_POST
def quiz(request, page_id):
    from .lessons import quiz_feedback

    lesson = get_object_or_404(LessonPage.objects.live(), pk=page_id)
    if not _may_view(lesson, request):
        raise Http404
    block_id = request.POST.get("block", "")[:64]
    answer = request.POST.get("antwort", "")
    feedback = quiz_feedback(lesson.body, block_id, answer)
    if feedback is None:
        return redirect(lesson.get_url(request))
    if feedback["correct"]:
        learner.record_quiz(request.user, lesson, block_id)
    return redirect(
        f"{lesson.get_url(request)}?quiz={block_id}&antwort={feedback['answer']}#quiz-{block_id}"
    )


def _may_view(page, request) -> bool:
    return all(r.accept_request(request) for r in page.get_view_restrictions())


@never_cache
@login_required
def certificate_pdf(request, enrolment_id):
    """The learner's own certificate (staff download any from the certificate list)."""
    enrolment = get_object_or_404(
        learner.enrolments_of(request.user).select_related("course_date__course"),
        pk=enrolment_id,
    )
    certificate = issue(enrolment)
    if certificate is None:
        raise Http404
    return pdf_response(certificate)


def normalise_certificate_number(number: str) -> str:
    """ABCD-EFGH-… as printed, whatever hyphens, spaces or case were typed."""
    raw = "".join(ch for ch in number.upper() if ch.isalnum())[:16]
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@never_cache
def verify_form(request):
    """A form to type a certificate's number in (with or without hyphens, any case);
    a well-formed number leads to its page."""
    typed = request.GET.get("nummer", "")
    error = ""
    if "nummer" in request.GET:
        characters = [ch for ch in typed[:64] if ch.isalnum()]
        if len(characters) == 16:  # four groups of four, as printed
            return redirect(
                "certificates:verify", number=normalise_certificate_number("".join(characters))
            )
        error = _(
            "Bitte geben Sie die 16 Zeichen der Nummer ein, wie sie auf der Bescheinigung "
            "steht, z. B. ABCD-EFGH-JKLM-NPQR."
        )
    return render(
        request,
        "learning/verify.html",
        {"form_only": True, "typed": typed[:64], "error": error},
        status=400 if error else 200,
    )


@never_cache
def verify(request, number):
    normalised = normalise_certificate_number(number[:64])
    certificate = Certificate.objects.filter(number=normalised).first() if normalised else None
    return render(
        request,
        "learning/verify.html",
        {"certificate": certificate, "number": number[:32]},
        status=200 if certificate else 404,
    )


@never_cache
@login_required
def data_export(request):
    """Everything stored about the learner: JSON to download, or (``?als=seite``) a
    page to read and print."""
    data = learner.export_data(request.user)
    if request.GET.get("als") == "seite":
        return render(request, "learning/personal_data.html", personal_data.html_context(data))
    response = HttpResponse(
        personal_data.as_json(data), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    protected = policy.has_role(request.user)
    if request.method == "POST" and not protected and request.POST.get("bestaetigt") == "1":
        learner.delete_account(request.user)
        logout(request)
        return redirect("learner:deleted")
    upcoming = list(
        learner.enrolments_of(request.user).filter(status__in=Enrolment.ACTIVE_STATUSES)
    )
    return render(
        request,
        "learning/delete.html",
        {"upcoming": upcoming, "protected": protected},
    )


@never_cache
def deleted(request):
    return render(request, "learning/deleted.html")


@never_cache
@login_required
@require_POST
def calendar_new(request):
    """Create the personal calendar address, or replace it (the old one stops working)."""
    LearnerCalendar.objects.filter(user=request.user).delete()
    if request.POST.get("action") != "revoke":
        LearnerCalendar.objects.create(user=request.user)
    return redirect(reverse("learner:home") + "#kalender")


@never_cache
def calendar(request, secret):
    from courses.ical import build_calendar

    entry = get_object_or_404(LearnerCalendar.objects.select_related("user"), secret=secret)
    # Seats held, and dates cancelled by the academy (shown as cancelled, so that
    # calendar apps strike them instead of keeping a date that will not happen).
    enrolments = learner.enrolments_of(entry.user).filter(
        Q(status__in=Enrolment.SEAT_STATUSES) | Q(cancelled_by=Enrolment.CancelledBy.DATE_CANCELLED)
    )
    dates = [e.course_date for e in enrolments.order_by("course_date__start")]
    ical = build_calendar(dates, str(_("Meine Kurse")), lambda course: absolute(course.url or "/"))
    response = HttpResponse(ical.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meine-kurse.ics"'
    return response
