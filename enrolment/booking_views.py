"""Public pages of bookings for several people: the booking form, the booker's
confirmation (once, for everyone), and the manage page behind the link in the mails
(swap a participant, cancel some or all, with the fee shown before). A GET never
changes anything; only the buttons' POSTs act, and acting twice is harmless."""

from datetime import timedelta
from decimal import Decimal

from django.forms.utils import ErrorDict
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courses import pricing
from staffauth import policy

from . import bookings, ratelimit, services, terms, tokens
from .forms import BookerForm, ChoiceForm, SubstituteForm, participant_formset
from .models import Booking, Enrolment
from .views import _contact, _course_date_or_404, _privacy_url, _rate_limited

PREFIX = "p"


def _formset(data=None):
    FormSet = participant_formset(bookings.MAX_PARTICIPANTS)
    return FormSet(
        data,
        prefix=PREFIX,
        error_messages={
            "too_many_forms": _("Bitte nennen Sie höchstens %(max)d Personen je Buchung.")
            % {"max": bookings.MAX_PARTICIPANTS},
            "too_few_forms": _("Bitte nennen Sie mindestens eine Person."),
            "missing_management_form": _(
                "Das Formular ist unvollständig angekommen. Bitte laden Sie die Seite neu."
            ),
        },
    )


def _with_one_more_row(post: QueryDict) -> QueryDict:
    data = post.copy()
    key = f"{PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 3
    data[key] = str(max(1, min(total + 1, bookings.MAX_PARTICIPANTS)))
    return data


def _prices(course_date) -> dict:
    prices = pricing.date_prices(course_date)
    today = timezone.localdate()
    return {
        "regular": prices.regular,
        "member": prices.member,
        "early": prices.early
        if prices.early is not None and prices.early_until and today <= prices.early_until
        else None,
        "early_until": prices.early_until,
        "vat_note": pricing.vat_note(course_date.course) if prices.regular else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def book(request, date_id):
    course_date = _course_date_or_404(date_id)
    context = {"course_date": course_date, "course": course_date.course}
    reason = services.closed_reason(course_date)
    if reason:
        context.update(reason=reason, contact=_contact(course_date, request))
        return render(request, "enrolment/closed.html", context)
    priced = bool(course_date.effective_price)
    form_kwargs = {
        "priced": priced,
        "consent_needed": bookings.needs_withdrawal_consent(course_date),
        "privacy_url": _privacy_url(request),
    }
    learner = request.user if policy.may_sign_in_by_link(request.user) else None
    context.update(
        learner=learner,
        prices=_prices(course_date),
        terms_lines=terms.for_date(course_date).lines() if priced else [],
        free_seats=course_date.free_seats,
        max_people=bookings.MAX_PARTICIPANTS,
    )
    status = 200
    if request.method == "POST" and "add_person" in request.POST:
        # nothing is checked yet: the same page with one more row, all typed kept
        form = BookerForm(request.POST, **form_kwargs)
        form._errors = ErrorDict()
        formset = _formset(_with_one_more_row(request.POST))
        formset._errors = []
        formset._non_form_errors = formset.error_class()
        for row in formset.forms:
            row._errors = ErrorDict()
        context["added_row"] = True
    elif request.method == "POST":
        form = BookerForm(request.POST, **form_kwargs)
        formset = _formset(request.POST)
        address = ratelimit.client_ip(request)
        per_address = "ip_learner" if request.user.is_authenticated else "ip"
        if not ratelimit.hit("attempts", address):
            form.is_valid()
            status = _rate_limited(form, context, course_date, request, "attempts", address)
        elif form.is_bot:
            return redirect("enrolment:booking_sent", date_id=course_date.pk)
        elif form.is_valid() & formset.is_valid():
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
                verified = learner is not None and email == learner.username
                try:
                    outcome = bookings.request_booking(
                        course_date.pk,
                        form.cleaned_data,
                        formset.people(),
                        guild=form.cleaned_data.get("guild"),
                        is_consumer=form.is_consumer,
                        withdrawal_consent=bool(form.cleaned_data.get("withdrawal_consent")),
                        verified=verified,
                    )
                except services.EnrolmentError as error:
                    context.update(reason=error.message, contact=_contact(course_date, request))
                    return render(request, "enrolment/closed.html", context)
                # one booking counts once, however many people it names: it sends
                # one mail before it is confirmed
                ratelimit.record(per_address, address)
                ratelimit.record("email", email)
                if verified:
                    # a learner signed in by a link to this address: no mail needed
                    bookings.confirm_booking(outcome.booking.pk)
                    return redirect(tokens.booking_confirm_path(outcome.booking))
                return redirect("enrolment:booking_sent", date_id=course_date.pk)
        else:
            status = 400
    else:
        initial = {}
        if learner is not None:
            initial = {
                "email": learner.username,
                "first_name": learner.first_name,
                "last_name": learner.last_name,
            }
        form = BookerForm(initial=initial, **form_kwargs)
        formset = _formset()
    context.update(form=form, formset=formset)
    return render(request, "enrolment/booking_form.html", context, status=status)


@never_cache
def booking_sent(request, date_id):
    course_date = _course_date_or_404(date_id)
    return render(
        request,
        "enrolment/booking_sent.html",
        {
            "course_date": course_date,
            "course": course_date.course,
            "pending_hours": bookings.pending_hours(),
        },
    )


def _booking_from_token(token: str, purpose: str) -> Booking:
    """The booking a mail link names; 404 for a tampered or foreign link, or one
    past its end."""
    key = tokens.read_token(token, purpose)
    if key is None:
        raise Http404
    booking = get_object_or_404(
        Booking.objects.select_related("course_date__course", "guild").filter(
            anonymised_at__isnull=True
        ),
        link_key=key,
    )
    if timezone.now() > booking.course_date.end + timedelta(days=tokens.link_days()):
        raise Http404
    return booking


def _booking_context(booking, request) -> dict:
    course_date = booking.course_date
    people = list(
        booking.enrolments.exclude(cancelled_by=Enrolment.CancelledBy.SUBSTITUTED).order_by("pk")
    )
    now = timezone.now()
    for person in people:
        person.fee_now = bookings.cancellation_fee(person, now) if person.is_active else None
    return {
        "booking": booking,
        "participants": people,
        "course_date": course_date,
        "course": course_date.course,
        "contact": _contact(course_date, request),
        "terms_lines": terms.for_date(course_date).lines() if booking.unit_price else [],
        "vat_note": pricing.vat_note(course_date.course) if booking.unit_price else "",
        "total": booking.amount_total(),
        "pending_total": booking.unit_price
        * sum(1 for p in people if p.status == Enrolment.Status.PENDING),
        "manage_url": tokens.manage_path(booking),
        "token": tokens.make_token(booking, tokens.BOOKING_MANAGE),
        "substitute_allowed": terms.for_date(course_date).substitute_allowed,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def booking_confirm(request, token):
    booking = _booking_from_token(token, tokens.BOOKING_CONFIRM)
    pending = booking.enrolments.filter(status=Enrolment.Status.PENDING).count()
    free = max(booking.course_date.free_seats, 0)
    choice_form = ChoiceForm(request.POST if request.method == "POST" else None)
    choice_form.fields["choice"].choices = [
        (
            bookings.SPLIT,
            _("%(free)d jetzt einen Platz geben, die übrigen auf die Warteliste") % {"free": free},
        ),
        (bookings.WAITLIST_ALL, _("alle gemeinsam auf die Warteliste")),
    ]
    needs_choice = 0 < free < pending
    if request.method == "POST":
        choice = None
        if needs_choice:
            if not choice_form.is_valid():
                context = _booking_context(booking, request)
                context.update(choice_form=choice_form, free_seats=free, pending=pending)
                return render(request, "enrolment/booking_confirm.html", context, status=400)
            choice = choice_form.cleaned_data["choice"]
        bookings.confirm_booking(booking.pk, choice=choice)
        return redirect(request.path)
    context = _booking_context(booking, request)
    context.update(
        choice_form=choice_form if needs_choice else None,
        free_seats=free,
        pending=pending,
        expired=booking.status == Booking.Status.EXPIRED or bookings.is_expired(booking),
        closed_reason=services.closed_reason(booking.course_date)
        if booking.status == Booking.Status.PENDING
        else None,
    )
    return render(request, "enrolment/booking_confirm.html", context)


@never_cache
def booking_manage(request, token):
    booking = _booking_from_token(token, tokens.BOOKING_MANAGE)
    context = _booking_context(booking, request)
    context["can_change"] = bookings.can_change(booking)
    context["substitute_allowed"] = terms.for_date(booking.course_date).substitute_allowed
    context["done"] = request.GET.get("erledigt", "")
    return render(request, "enrolment/booking_manage.html", context)


def _selected(booking, values) -> list[Enrolment]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return list(booking.enrolments.active().filter(pk__in=ids).order_by("pk"))


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel(request, token):
    booking = _booking_from_token(token, tokens.BOOKING_MANAGE)
    source = request.POST if request.method == "POST" else request.GET
    if source.get("alle") == "1":
        chosen = list(booking.enrolments.active().order_by("pk"))
    else:
        chosen = _selected(booking, source.getlist("person"))
    context = _booking_context(booking, request)
    context["can_change"] = bookings.can_change(booking)
    if not chosen or not context["can_change"]:
        context["nothing_chosen"] = not chosen
        return render(request, "enrolment/booking_cancel.html", context, status=400)
    if request.method == "POST":
        try:
            bookings.cancel_participants(booking.pk, [p.pk for p in chosen])
        except services.EnrolmentError as error:
            context["error"] = error.message
            return render(request, "enrolment/booking_cancel.html", context, status=400)
        return redirect(tokens.manage_path(booking) + "?erledigt=storniert")
    now = timezone.now()
    for person in chosen:
        person.fee_now = bookings.cancellation_fee(person, now)
    context.update(
        chosen=chosen,
        fee_total=sum((p.fee_now for p in chosen), Decimal("0.00")),
        days_before=terms.days_before(booking.course_date.start, now),
        all_chosen=len(chosen) == booking.enrolments.active().count(),
    )
    return render(request, "enrolment/booking_cancel.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def booking_swap(request, token, enrolment_id):
    booking = _booking_from_token(token, tokens.BOOKING_MANAGE)
    person = get_object_or_404(booking.enrolments.active(), pk=enrolment_id)
    context = _booking_context(booking, request)
    context["person"] = person
    allowed = (
        bookings.can_change(booking)
        and terms.for_date(booking.course_date).substitute_allowed
        and person.status in (Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED)
    )
    context["allowed"] = allowed
    form = SubstituteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and allowed:
        if form.is_valid():
            try:
                bookings.swap_participant(person.pk, form.cleaned_data)
            except services.EnrolmentError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                return redirect(tokens.manage_path(booking) + "?erledigt=ersetzt")
        else:
            status = 400
    elif request.method == "POST":
        status = 400
    context["form"] = form
    return render(request, "enrolment/booking_swap.html", context, status=status)
