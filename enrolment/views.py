"""Public views: the form, the "check your mail" page, and the pages behind
the links in mails. A GET never changes anything (mail scanners fetch links);
only the button's POST acts, and acting twice is harmless."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courses.models import CourseDate
from staffauth import policy

from . import ratelimit, services, signals, tokens
from .forms import EnrolmentForm
from .models import PERSON_FIELDS, Enrolment, normalise_email


def _course_date_or_404(date_id: int) -> CourseDate:
    course_date = get_object_or_404(CourseDate.objects.select_related("course"), pk=date_id)
    if not course_date.course.live:
        raise Http404
    return course_date


def _privacy_url(request) -> str:
    from home.models import SiteSettings

    page = SiteSettings.for_request(request).privacy_page
    return page.url if page is not None else ""


def _contact(course_date, request) -> dict:
    from home.models import SiteSettings

    course = course_date.course
    site_settings = SiteSettings.for_request(request)
    return {
        "name": course.contact_name or site_settings.organisation,
        "phone": course.contact_phone or site_settings.phone,
        "email": course.contact_email or site_settings.email,
    }


def _waitlist_place(course_date) -> int | None:
    """The waitlist place one would get now, or None while there are free seats."""
    if course_date.free_seats > 0:
        return None
    return course_date.enrolments.filter(status=Enrolment.Status.WAITLISTED).count() + 1


def _known_details(learner) -> dict:
    """What a signed-in learner gave with their latest enrolment (their own address
    and name at least), to fill the form in."""
    if learner is None:
        return {}
    latest = (
        Enrolment.objects.filter(email=learner.username, anonymised_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    details = {name: getattr(latest, name) for name in PERSON_FIELDS} if latest else {}
    details.pop("remarks", None)
    details.update(
        {
            "email": learner.username,
            "first_name": details.get("first_name") or learner.first_name,
            "last_name": details.get("last_name") or learner.last_name,
        }
    )
    return details


def _rate_limited(form, context, course_date, request, kind, value) -> int:
    """Keep what was typed, say when to try again and whom to call: status 429."""
    minutes = ratelimit.minutes_left(kind, value)
    form.add_error(
        None,
        ngettext(
            "Von Ihrem Anschluss oder für diese E-Mail-Adresse kamen in kurzer Zeit sehr viele "
            "Anmeldungen. Bitte versuchen Sie es in %(minutes)d Minute noch einmal oder rufen "
            "Sie uns an.",
            "Von Ihrem Anschluss oder für diese E-Mail-Adresse kamen in kurzer Zeit sehr viele "
            "Anmeldungen. Bitte versuchen Sie es in %(minutes)d Minuten noch einmal oder rufen "
            "Sie uns an.",
            minutes,
        )
        % {"minutes": minutes},
    )
    context.update(rate_limited=True, retry_minutes=minutes, contact=_contact(course_date, request))
    return 429


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request, date_id):
    course_date = _course_date_or_404(date_id)
    context = {"course_date": course_date, "course": course_date.course}
    reason = services.closed_reason(course_date)
    if reason:
        context.update(reason=reason, contact=_contact(course_date, request))
        return render(request, "enrolment/closed.html", context)
    from .bookings import needs_withdrawal_consent

    form_kwargs = {
        "priced": bool(course_date.effective_price),
        "privacy_url": _privacy_url(request),
        "consent_needed": needs_withdrawal_consent(course_date),
    }
    learner = request.user if policy.may_sign_in_by_link(request.user) else None
    context.update(learner=learner, waitlist_place=_waitlist_place(course_date))
    status = 200
    if request.method == "POST":
        form = EnrolmentForm(request.POST, **form_kwargs)
        address = ratelimit.client_ip(request)
        per_address = "ip_learner" if request.user.is_authenticated else "ip"
        if not ratelimit.hit("attempts", address):
            form.is_valid()
            status = _rate_limited(form, context, course_date, request, "attempts", address)
        elif form.is_bot:
            # Same answer as for a person; nothing is stored.
            return redirect("enrolment:sent", date_id=course_date.pk)
        elif form.is_valid():
            email = form.cleaned_data["email"]
            used_up = next(
                (
                    (kind, value)
                    for kind, value in ((per_address, address), ("email", email))
                    if ratelimit.exceeded(kind, value)
                ),
                None,
            )
            if used_up:
                status = _rate_limited(form, context, course_date, request, *used_up)
            else:
                # a learner signed in by a link to this address has proven it already
                verified = learner is not None and normalise_email(email) == learner.username
                try:
                    outcome = services.request_enrolment(
                        course_date.pk, form.cleaned_data, verified=verified
                    )
                except services.EnrolmentError as error:
                    context.update(reason=error.message, contact=_contact(course_date, request))
                    return render(request, "enrolment/closed.html", context)
                ratelimit.record(per_address, address)
                ratelimit.record("email", email)
                if verified:
                    return redirect(tokens.confirm_path(outcome.enrolment))
                return redirect("enrolment:sent", date_id=course_date.pk)
        else:
            status = 400
    else:
        form = EnrolmentForm(initial=_known_details(learner), **form_kwargs)
    context["form"] = form
    return render(request, "enrolment/enrol_form.html", context, status=status)


@never_cache
def enrol_sent(request, date_id):
    course_date = _course_date_or_404(date_id)
    return render(
        request,
        "enrolment/sent.html",
        {
            "course_date": course_date,
            "course": course_date.course,
            "pending_hours": settings.ENROLMENT_PENDING_HOURS,
        },
    )


class LinkExpired(Exception):
    """A genuine link past its end (or of the earlier form): answered with a page."""

    def __init__(self, enrolment=None):
        self.enrolment = enrolment


def _enrolment_from_token(token: str, purpose: str) -> Enrolment:
    """The enrolment a mail link names; 404 for a tampered or foreign link."""
    key = tokens.read_token(token, purpose)
    if key is None:
        if tokens.is_old_form(token, purpose):
            raise LinkExpired
        raise Http404
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course_date__course").filter(anonymised_at__isnull=True),
        link_key=key,
    )
    if tokens.has_expired(enrolment):
        raise LinkExpired(enrolment)
    return enrolment


def _link_expired(request, error: LinkExpired):
    from home.models import SiteSettings

    enrolment = error.enrolment
    if enrolment is not None:
        context = _state_context(enrolment, request)
    else:
        site_settings = SiteSettings.for_request(request)
        context = {
            "contact": {
                "name": site_settings.organisation,
                "phone": site_settings.phone,
                "email": site_settings.email,
            }
        }
    context["link_days"] = tokens.link_days()
    return render(request, "enrolment/link_expired.html", context, status=410)


def _state_context(enrolment, request) -> dict:
    course_date = enrolment.course_date
    return {
        "enrolment": enrolment,
        "course_date": course_date,
        "course": course_date.course,
        "contact": _contact(course_date, request),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        enrolment = _enrolment_from_token(token, tokens.CONFIRM)
    except LinkExpired as error:
        return _link_expired(request, error)
    if request.method == "POST":
        try:
            outcome = services.confirm(enrolment.pk)
        except Enrolment.DoesNotExist:  # deleted by staff a moment ago
            raise Http404 from None
        if outcome.result in ("confirmed", "waitlisted") and not request.user.is_authenticated:
            # The first confirmation proves the address: sign a learner in (never
            # an account with a role or a password).
            signals.confirmed_in_browser.send(
                sender=Enrolment, request=request, enrolment=outcome.enrolment
            )
        return redirect(request.path)
    context = _state_context(enrolment, request)
    context["expired"] = enrolment.status == Enrolment.Status.EXPIRED or enrolment.is_expired()
    context["closed_reason"] = (
        services.closed_reason(enrolment.course_date)
        if enrolment.status == Enrolment.Status.PENDING
        else None
    )
    context["cancel_url"] = tokens.cancel_url(enrolment)
    context["deadline"] = services.cancellation_deadline(enrolment.course_date)
    course = enrolment.course_date.course
    if course.url:
        context["calendar_url"] = course.url + course.reverse_subpage(
            "date_calendar", args=[enrolment.course_date.pk]
        )
    return render(request, "enrolment/confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, token):
    try:
        enrolment = _enrolment_from_token(token, tokens.CANCEL)
    except LinkExpired as error:
        return _link_expired(request, error)
    booking = enrolment.booking
    booked_by_other = booking is not None and booking.email != enrolment.email
    if request.method == "POST" and services.can_cancel(enrolment) and not booked_by_other:
        try:
            services.cancel(enrolment.pk)
        except Enrolment.DoesNotExist:  # deleted by staff a moment ago
            raise Http404 from None
        waitlisted = enrolment.status == Enrolment.Status.WAITLISTED
        return redirect(request.path + ("?warteliste=1" if waitlisted else ""))
    context = _state_context(enrolment, request)
    context["can_cancel"] = services.can_cancel(enrolment) and not booked_by_other
    context["booked_by_other"] = booked_by_other
    if enrolment.status == Enrolment.Status.CONFIRMED and booking is not None:
        from .bookings import cancellation_fee

        context["fee"] = cancellation_fee(enrolment)
    context["was_waitlisted"] = request.GET.get("warteliste") == "1"
    context["deadline"] = services.cancellation_deadline(enrolment.course_date)
    context["started"] = enrolment.course_date.start <= timezone.now()
    return render(request, "enrolment/cancel.html", context)
